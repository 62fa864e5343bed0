/**
 * `npm start`: the whole demo, as a clear sequence of steps.
 *   1. start the simulated plant (demo default, real time) on Modbus TCP and OPC UA, ports picked by the OS;
 *   2. build the controller's configuration from the plant's endpoints (ratings from the same plant config);
 *   3. start a fresh local chain, deploy the registry and governance contracts, register the plant's nodes;
 *   4. start the controller service (recording on chain, following governance) and its operator API;
 *   5. the demo treasury funds each reward epoch; the governance UI is served (built first if its sources changed);
 *   6. print the UI and API addresses, the operator token, the chain and contracts, and the plant endpoints;
 *   7. on SIGINT/SIGTERM stop the controller first (devices revert by their timers), then the chain and the plant.
 * GRIDCOOP_UI_PORT picks the UI's port (default 8090; 0 = any), GRIDCOOP_API_PORT the API port (default 8080), GRIDCOOP_CHAIN_PORT the chain's RPC port (default
 * 26657), GRIDCOOP_API_TOKEN the operator token (default: a fresh random one, printed), GRIDCOOP_DATA_DIR where the
 * chain, the deployment file and the outbox live (default .gridcoop/).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startPlant, type PlantEndpoint, type RunningPlant } from '@gridcoop/devices/plant/index';
import { ScaledClock } from '@gridcoop/devices/sim/clock';
import {
  API_TOKEN_ENV,
  configFromPlant,
  ControllerConfigError,
  parseControllerConfig,
} from '@gridcoop/controller/config/index';
import { startController, type RunningController } from '@gridcoop/controller/service/start-controller';
import { ORACLE_MNEMONIC_ENV } from '@gridcoop/controller/config/index';
import { startDemoLedger, type DemoLedger } from './demo-ledger.ts';
import { startDemoTreasury, type DemoTreasury } from './demo-treasury.ts';
import { ensureUiBuilt } from '../governance-ui/server/build-ui.ts';
import { startUiServer, type UiServer } from '../governance-ui/server/serve-ui.ts';
import { localRuntimeConfig } from '../governance-ui/server/demo-config.ts';

function describe(endpoint: PlantEndpoint): string {
  switch (endpoint.protocol) {
    case 'modbus-tcp':
      return `modbus-tcp://${endpoint.host}:${endpoint.port} unit ${endpoint.unitId}`;
    case 'modbus-rtu':
      return `modbus-rtu ${endpoint.path} unit ${endpoint.unitId}`;
    case 'opcua':
      return `${endpoint.endpointUrl} ${endpoint.browseName}`;
  }
}

async function main(): Promise<void> {
  let plant: RunningPlant | undefined;
  let controller: RunningController | undefined;
  let ledger: DemoLedger | undefined;
  let treasury: DemoTreasury | undefined;
  let ui: UiServer | undefined;
  const shutdown = async (): Promise<void> => {
    await ui?.stop();
    await treasury?.stop();
    await controller?.stop();
    await ledger?.stop();
    await plant?.stop();
  };
  try {
    // 0. The governance UI's server first: its origin goes into the chain's and the controller's CORS lists.
    ensureUiBuilt((line) => console.log(line));
    ui = await startUiServer({ port: Number(process.env.GRIDCOOP_UI_PORT ?? 8090) });
    const uiOrigins = [ui.url, ui.url.replace('127.0.0.1', 'localhost')];

    // 1. The simulated plant.
    const plantConfig = {};
    plant = await startPlant(plantConfig, { clock: new ScaledClock(1) });

    // 2. The controller's configuration for it.
    const port = Number(process.env.GRIDCOOP_API_PORT ?? 8080);
    const plantOnly = parseControllerConfig(
      configFromPlant(plant.endpoints, plantConfig, { api: { port, corsOrigins: uiOrigins } }),
      'demo plant',
    );

    const dataDir = process.env.GRIDCOOP_DATA_DIR ?? '.gridcoop';
    // 3. The chain: a fresh local chain with GridCoop's contracts and the plant's nodes registered.
    ledger = await startDemoLedger({
      dataDir,
      port: Number(process.env.GRIDCOOP_CHAIN_PORT ?? 26657),
      corsAllowedOrigins: uiOrigins,
      devices: plantOnly.plant.devices,
      log: (line) => console.log(line),
    });
    const config = parseControllerConfig(
      configFromPlant(plant.endpoints, plantConfig, {
        api: { port, corsOrigins: uiOrigins },
        ledger: ledger.ledger,
        maintenance: { logPath: join(dataDir, 'maintenance.jsonl') },
      }),
      'demo configuration',
    );
    const env: NodeJS.ProcessEnv = { ...process.env, [ORACLE_MNEMONIC_ENV]: ledger.oracleMnemonic };
    const token = env[API_TOKEN_ENV] || randomBytes(18).toString('base64url');
    env[API_TOKEN_ENV] = token;

    // 4. The controller and its operator API.
    controller = await startController(config, { env });

    // 5. Rewards for every epoch, and the UI's view of all this.
    const registry = ledger.deployment.contracts.registry!.address;
    const governance = ledger.deployment.contracts.governance!.address;
    treasury = await startDemoTreasury({ chain: ledger.chain, registryAddress: registry, log: (line) => console.log(line) });
    ui.setConfig(
      localRuntimeConfig({ ...ledger.chain, registry, governance, controllerUrl: controller.api.url }),
    );

    // 6. Where everything is.
    console.log('GridCoop demo is running.');
    console.log(`  governance UI  ${ui.url}   (development keys in "Connect wallet"; Keplr and Leap work too)`);
    console.log(`  operator API   ${controller.api.url}/api/status`);
    console.log(`  live stream    ${controller.api.url}/api/stream`);
    console.log(`  metrics        ${controller.api.url}/metrics`);
    console.log(`  operator token ${token}   (writes: Authorization: Bearer <token>)`);
    console.log(`  ledger         ${controller.api.url}/api/ledger   (one-minute intervals on chain)`);
    console.log(`  local chain    ${ledger.chain.rpcUrl}   chain id ${ledger.chain.chainId}`);
    console.log(`  registry       ${ledger.deployment.contracts.registry!.address}`);
    console.log(`  governance     ${ledger.deployment.contracts.governance!.address}`);
    console.log(`  deployment     ${ledger.deploymentFile}`);
    console.log(`  simulated plant, ${plant.endpoints.length} devices:`);
    for (const endpoint of plant.endpoints)
      console.log(`    ${endpoint.kind.padEnd(11)} ${endpoint.id.padEnd(12)} ${describe(endpoint)}`);
    console.log('Ctrl-C stops it.');
  } catch (error) {
    await shutdown();
    throw error;
  }

  // 7. Clean stop.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the controller, then the chain and the plant`);
    shutdown().then(
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
    console.error(error.message);
    process.exit(2);
  }
  if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    console.error(
      `${(error as Error).message}: another process has that port; set GRIDCOOP_API_PORT (0 = any free port)`,
    );
    process.exit(1);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
