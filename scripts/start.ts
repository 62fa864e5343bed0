/**
 * `npm start`: the whole demo (scripts/demo-system.ts starts it, in this order):
 *   1. the governance UI's server (the UI built first if its sources changed);
 *   2. the simulated plant (demo default, real time) on Modbus TCP and OPC UA, ports picked by the OS;
 *   3. a fresh local chain, the registry and governance contracts deployed by the demo plan, the plant's nodes
 *      registered and approved;
 *   4. the controller service (recording on chain, following governance) and its operator API;
 *   5. the fleet (scripts/demo-fleet.ts): Mosquitto with generated per-site credentials and ACL, the VPP aggregator
 *      as primary host, the plant as site "plant" and two home sites (PV + battery on Modbus TCP, each with its own
 *      controller and oracle key, its own registry site) in zones "north" and "east";
 *   6. the demo treasury, which funds each reward epoch;
 * then it prints where everything is, and on SIGINT/SIGTERM stops the controller first (devices revert by their
 * timers), then the chain and the plant.
 * GRIDCOOP_UI_PORT picks the UI's port (default 8090; 0 = any), GRIDCOOP_API_PORT the API port (default 8080),
 * GRIDCOOP_CHAIN_PORT the chain's RPC port (default 26657), GRIDCOOP_AGGREGATOR_PORT the aggregator's (default 8070), GRIDCOOP_API_TOKEN the operator token (default: a fresh random one, printed), GRIDCOOP_DATA_DIR where the
 * chain, the deployment file and the outbox live (default .gridcoop/).
 */
import { parseArgs } from 'node:util';
import type { PlantEndpoint } from '@gridcoop/devices/plant/index';
import { API_TOKEN_ENV, ControllerConfigError } from '@gridcoop/controller/config/index';
import { shutdownSummary } from '@gridcoop/controller/cli/shutdown-summary';
// Before the plant and the drivers load node-opcua: its warnings (W27 at every start) go to the controller's log.
import { routeOpcuaLogsTo } from '@gridcoop/controller/logging/opcua-log-routing';
import { DemoDataDirError } from './demo-ledger.ts';
import { startDemoSystem } from './demo-system.ts';

const USAGE = `usage: npm start [-- --reset] [-- --help]
  runs the whole demo on its embedded defaults: the governance UI, the simulated plant, a fresh local chain with the
  contracts and the plant's nodes, the controller, a fleet (Mosquitto, the VPP aggregator, two home sites with
  their own controllers) and a demo treasury; Ctrl-C stops it
  --reset              discard outbox records of the demo's data directory that are not on chain yet (without it,
                       a start refuses such a directory, and always one the demo did not make)
environment:
  GRIDCOOP_UI_PORT     the UI's port (8090; 0 = any free port)
  GRIDCOOP_API_PORT    the operator API's port (8080)
  GRIDCOOP_CHAIN_PORT  the local chain's RPC port (26657)
  GRIDCOOP_AGGREGATOR_PORT  the VPP aggregator's API port (8070; 0 = any free port)
  GRIDCOOP_API_TOKEN   the operator token, also the aggregator's grid operator token (default: a fresh random one,
                       printed)
  GRIDCOOP_DATA_DIR    chain, deployment file, outbox, audit log and history (.gridcoop/)
  GRIDCOOP_LOG_FORMAT  the controller's log: pretty on a terminal, json otherwise`;

/** --help prints the usage; anything else on the command line is one line and exit 2. */
function readCommandLine(): { reset: boolean } {
  let help = false;
  let reset = false;
  try {
    ({ help, reset } = parseArgs({
      options: { help: { type: 'boolean', default: false }, reset: { type: 'boolean', default: false } },
    }).values);
  } catch (error) {
    console.error(`start: ${(error as Error).message} (see npm start -- --help)`);
    process.exit(2);
  }
  if (help) {
    console.log(USAGE);
    process.exit(0);
  }
  return { reset };
}

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
  const { reset } = readCommandLine();
  const dataDir = process.env.GRIDCOOP_DATA_DIR ?? '.gridcoop';
  // Progress while the parts start (~40 s; the first start builds the UI and the contracts too), with the time taken.
  const startedAt = performance.now();
  const elapsed = () => `[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s]`;
  console.log('GridCoop demo starting: UI, simulated plant, chain and contracts, nodes, controller, fleet');
  const system = await startDemoSystem({
    uiPort: Number(process.env.GRIDCOOP_UI_PORT ?? 8090),
    apiPort: Number(process.env.GRIDCOOP_API_PORT ?? 8080),
    chainPort: Number(process.env.GRIDCOOP_CHAIN_PORT ?? 26657),
    fleet: true,
    aggregatorPort: Number(process.env.GRIDCOOP_AGGREGATOR_PORT ?? 8070),
    dataDir,
    reset,
    apiToken: process.env[API_TOKEN_ENV],
    log: (line) => console.log(`${elapsed()} ${line}`),
  });
  const { ui, chain, controller, plant, deployed, apiToken } = system;
  routeOpcuaLogsTo(controller!.service.logger);
  const shutdown = () => system.stop();

  // Where everything is.
  console.log(`${elapsed()} GridCoop demo is running.`);
  console.log(`  governance UI  ${ui.url}   (development keys in "Connect wallet"; Keplr and Leap work too)`);
  console.log(`  operator API   ${controller!.api.url}/api/status`);
  console.log(
    `  API docs       ${controller!.api.url}/api/docs   (OpenAPI 3.1: ${controller!.api.url}/api/openapi.json)`,
  );
  console.log(`  live stream    ${controller!.api.url}/api/stream`);
  console.log(`  metrics        ${controller!.api.url}/metrics`);
  console.log(`  operator token ${apiToken}   (writes: Authorization: Bearer <token>)`);
  console.log(`  ledger         ${controller!.api.url}/api/ledger   (one-minute intervals on chain)`);
  console.log(`  local chain    ${chain.rpcUrl}   chain id ${chain.chainId}`);
  console.log(`  registry       ${system.registryAddress}`);
  console.log(`  governance     ${system.governanceAddress}`);
  console.log(`  deployment     ${deployed.deploymentFile}`);
  const fleet = system.fleet!;
  const aggregatorUrl = fleet.hub.aggregatorUrl;
  console.log(`  VPP aggregator ${aggregatorUrl}/api/fleet   (stream ${aggregatorUrl}/api/stream, metrics /metrics)`);
  console.log(`  VPP target     PUT ${aggregatorUrl}/api/target {"targetW": ...}   (the operator token)`);
  console.log(`  advisor draft  ${aggregatorUrl}/api/advisor/proposal`);
  console.log(`  MQTT broker    ${fleet.hub.broker.url}   (Mosquitto; credentials in ${dataDir}/fleet/credentials)`);
  console.log(
    `  fleet sites    plant (zone demo), ${fleet.homes.map((h) => `${h.spec.siteId} (zone ${h.spec.zone}, API ${h.controller.api.url})`).join(', ')}`,
  );
  console.log(`  simulated plant, ${plant!.endpoints.length} devices:`);
  for (const endpoint of plant!.endpoints)
    console.log(`    ${endpoint.kind.padEnd(11)} ${endpoint.id.padEnd(12)} ${describe(endpoint)}`);
  console.log('Ctrl-C stops it.');

  // 7. Clean stop.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(
      `${signal}: stopping the controller, then the chain and the plant (the home sites, the aggregator and the broker too)`,
    );
    // Counted as the controller stops (its outbox closes with it). The demo's chain starts anew each time, so its
    // pending records can never be sent: say what happens to them.
    const summary = shutdownSummary(
      controller!.service,
      'kept: the next npm start refuses to delete them; npm start -- --reset discards them with the demo chain',
    );
    shutdown().then(
      () => {
        for (const line of summary) console.log(line);
        console.log('chain and plant stopped');
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
  if (error instanceof DemoDataDirError) {
    console.error(`start: ${error.message}`);
    process.exit(1);
  }
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
