/**
 * `npm run controller -- --config controller.json`: runs the controller against the devices the file names, with the
 * operator API in front of it, until SIGINT/SIGTERM. `--check` only validates the file and prints the result.
 * The operator token comes from GRIDCOOP_API_TOKEN (or the file's api.token); without one the API is read-only.
 * Exit codes: 0 stopped cleanly, 2 bad configuration, 1 anything else.
 */
import { parseArgs } from 'node:util';
import { ControllerConfigError, loadControllerConfigFile, resolveApiToken } from '../config/index.ts';
import { startController } from '../service/start-controller.ts';

function usage(): never {
  console.error('usage: npm run controller -- --config <file.json> [--check]');
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, check: { type: 'boolean', default: false } } });
  if (values.config === undefined) usage();
  const config = loadControllerConfigFile(values.config);
  if (values.check) {
    resolveApiToken(config);
    console.log(`${values.config}: valid (${config.plant.devices.length} devices, cycle ${config.cycle.periodMs} ms)`);
    return;
  }
  const running = await startController(config);
  console.log(`GridCoop controller: ${config.plant.devices.length} devices, cycle ${config.cycle.periodMs} ms`);
  if (config.clock)
    console.log(
      `  simulated clock  ${config.clock.speed}x from ${new Date(running.service.scheduler.now()).toISOString()} (not for real devices)`,
    );
  console.log(
    `  operator API  ${running.api.url}/api/status   (live stream ${running.api.url}/api/stream, metrics ${running.api.url}/metrics)`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the controller (devices revert by their own timers)`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ControllerConfigError) {
    console.error(`invalid ${error.source}:`);
    for (const issue of error.issues) console.error(`  ${issue.path || '(root)'}: ${issue.message}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
