/**
 * `npm run plant -- [--config file.json] [--speed 60]`: starts the simulated plant, prints every endpoint, and runs
 * until SIGINT/SIGTERM. Ports come from the OS unless the config gives them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PlantConfigError } from '../plant/plant-config.ts';
import { startPlant, type PlantEndpoint } from '../plant/start-plant.ts';
import { ScaledClock } from '../sim/clock.ts';

function describe(endpoint: PlantEndpoint): string {
  switch (endpoint.protocol) {
    case 'modbus-tcp':
      return `modbus-tcp://${endpoint.host}:${endpoint.port} unit ${endpoint.unitId} SunSpec base ${endpoint.baseAddress}`;
    case 'modbus-rtu':
      return `modbus-rtu ${endpoint.path} unit ${endpoint.unitId} SunSpec base ${endpoint.baseAddress}`;
    case 'opcua':
      return `${endpoint.endpointUrl} device ${endpoint.browseName}`;
  }
}

const USAGE = `usage: npm run plant -- [--config file.json] [--speed 60]
  --config FILE   the plant configuration (JSON); default: the demo plant
  --speed N       simulated seconds per real second (default 1; 60 = a simulated minute per second)
  -h, --help      show this help
Starts the simulated plant on Modbus TCP/RTU and OPC UA, prints every endpoint, and runs until Ctrl-C.`;

/** A command line the plant cannot act on: one line and exit 2. */
function usageError(message: string): never {
  console.error(`${message}\n(see npm run plant -- --help)`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { config?: string; speed: string; help: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        speed: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    usageError((error as Error).message.split('\n')[0]!);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const speed = Number(values.speed);
  if (!(speed > 0)) usageError(`--speed ${values.speed}: give a positive number (60 = a simulated minute per second)`);
  let input: unknown = {};
  if (values.config !== undefined) {
    try {
      input = JSON.parse(readFileSync(values.config, 'utf8'));
    } catch (error) {
      usageError(`--config ${values.config}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const plant = await startPlant(input as Record<string, unknown>, { clock: new ScaledClock(speed) });
  // Handlers first: whoever reads the endpoints below may signal at once.
  const stop = async (signal: string): Promise<void> => {
    console.log(`${signal}: stopping the plant`);
    await plant.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  console.log(`GridCoop simulated plant: ${plant.endpoints.length} devices, clock x${speed}`);
  for (const endpoint of plant.endpoints)
    console.log(`  ${endpoint.kind.padEnd(11)} ${endpoint.id.padEnd(20)} ${describe(endpoint)}`);
  console.log('Ctrl-C stops it.');
}

main().catch((error: unknown) => {
  if (error instanceof PlantConfigError) {
    console.error(error.message);
    for (const issue of error.issues) console.error(`  ${issue.path}: ${issue.message}`);
  } else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
