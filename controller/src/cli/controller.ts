/**
 * `npm run controller -- --config controller.json`: runs the controller against the devices the file names, with the
 * operator API in front of it, until SIGINT/SIGTERM. `--check` only validates the file and prints the result.
 * The operator token comes from GRIDCOOP_API_TOKEN (or the file's api.token); without one the API is read-only.
 * `--requeue-rejected [--node N]` makes the outbox's rejected interval records pending again and exits.
 * Exit codes: 0 stopped cleanly, 2 bad configuration, 1 anything else.
 */
import { limitsInForce } from '../config/limits-in-force.ts';
import { parseArgs } from 'node:util';
import { ControllerConfigError, loadControllerConfigFile, resolveApiToken } from '../config/index.ts';
import { requeueRejected, RequeueUsageError } from './requeue-rejected.ts';
import { shutdownSummary } from './shutdown-summary.ts';

const USAGE = `usage: npm run controller -- --config <file.json> [--check]
       npm run controller -- --config <file.json> --requeue-rejected [--node <id>]
  --check             validate the configuration and exit
  --requeue-rejected  make the outbox's rejected interval records (of --node, or all) pending again, and exit
  --help              this text`;

/** A wrong command line: one line naming what was wrong, exit 2 (the usage is one --help away). */
function usage(problem: string): never {
  console.error(`controller: ${problem} (see npm run controller -- --help)`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        config: { type: 'string' },
        check: { type: 'boolean', default: false },
        'requeue-rejected': { type: 'boolean', default: false },
        node: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
}

async function main(): Promise<void> {
  const values = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.config === undefined) usage('--config is required');
  const nodeId = values.node === undefined ? undefined : Number(values.node);
  if (nodeId !== undefined && !(Number.isInteger(nodeId) && nodeId > 0))
    usage(`--node must be a registry node id (a positive integer), not ${values.node}`);
  if (nodeId !== undefined && !values['requeue-rejected']) usage('--node goes with --requeue-rejected');
  const config = loadControllerConfigFile(values.config);
  if (values['requeue-rejected']) {
    console.log(requeueRejected(config, nodeId));
    return;
  }
  if (values.check) {
    resolveApiToken(config);
    console.log(`${values.config}: valid (${config.plant.devices.length} devices, cycle ${config.cycle.periodMs} ms)`);
    console.log(
      `limits in force:\n${limitsInForce(config)
        .map((line) => `  ${line}`)
        .join('\n')}`,
    );
    return;
  }
  // loaded only to run: the drivers are not needed to requeue or check. node-opcua's own warnings (W27 at every
  // start) go into the controller's log instead of stdout: the routing hooks in before the drivers load.
  const { routeOpcuaLogsTo } = await import('../logging/opcua-log-routing.ts');
  const { startController } = await import('../service/start-controller.ts');
  const running = await startController(config);
  routeOpcuaLogsTo(running.service.logger);
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
    // Counted as the controller stops (the outbox closes with it); records still pending stay in it for the next start.
    const summary = shutdownSummary(running.service);
    running.stop().then(
      () => {
        for (const line of summary) console.log(line);
        process.exit(0);
      },
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
  if (error instanceof RequeueUsageError) {
    console.error(`controller: ${error.message}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
