/**
 * The whole demo system in one call, for `npm start` and the governance UI's browser tests: the governance UI's
 * server, the simulated plant, a fresh local chain with the contracts deployed by the demo plan and the plant's
 * nodes registered, the controller recording on chain and following governance, and the demo treasury; with
 * `fleet`, also the fleet (scripts/demo-fleet.ts): Mosquitto, the VPP aggregator, and two home sites with their own
 * controllers and oracle keys, the plant joining as one more site.
 * Tests pass `chainNow` (a clock they can move forward), which runs the chain in this process.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import { ScaledClock } from '@gridcoop/devices/sim/clock';
import { API_TOKEN_ENV, parseControllerConfig } from '@gridcoop/controller/config/index';
import { configFromPlant } from './config-from-plant.ts';
import { ORACLE_MNEMONIC_ENV } from '@gridcoop/controller/config/index';
import { startController, type RunningController } from '@gridcoop/controller/service/start-controller';
import { startLocalChain, type LocalChain } from '../contracts-cosmwasm/chain/local-chain.ts';
import {
  claimDemoDataDir,
  DEMO_DEV_ACCOUNTS,
  DEMO_ROLES,
  deployDemoLedger,
  ensureContractsBuilt,
  startDemoLedger,
  type DemoChain,
  type DemoDeployment,
} from './demo-ledger.ts';
import { startDemoTreasury, type DemoTreasury } from './demo-treasury.ts';
import {
  DEMO_PLANT_SITE,
  DEMO_HOMES,
  startDemoFleetHub,
  startDemoHomes,
  type DemoFleetHub,
  type DemoHome,
} from './demo-fleet.ts';
import { ensureUiBuilt } from '../governance-ui/server/build-ui.ts';
import { startUiServer, type UiServer } from '../governance-ui/server/serve-ui.ts';
import { localRuntimeConfig } from '../governance-ui/server/demo-config.ts';

export interface DemoSystemOptions {
  uiPort?: number;
  apiPort?: number;
  chainPort?: number;
  /** made the demo's if new or empty; refused if not the demo's, or if its outbox holds records not on chain */
  dataDir: string;
  /** discard the demo data directory's pending outbox records (`npm start -- --reset`) */
  reset?: boolean;
  /** the operator token; a fresh random one by default */
  apiToken?: string;
  /** run the chain in this process on this clock (tests move it forward); default: the demo's own chain */
  chainNow?: () => number;
  /** without the plant and the controller (governance-only browser tests) */
  withoutPlant?: boolean;
  /** the fleet too: broker, aggregator and home sites, the plant as one site (npm start; needs the plant) */
  fleet?: boolean;
  /** the aggregator's API port (default: any free port) */
  aggregatorPort?: number;
  log?: (line: string) => void;
}

export interface DemoSystem {
  ui: UiServer;
  chain: DemoChain & { stop(): Promise<void> };
  /** the in-process chain when chainNow was given */
  localChain: LocalChain | null;
  deployed: DemoDeployment;
  plant: RunningPlant | null;
  controller: RunningController | null;
  treasury: DemoTreasury;
  /** the fleet when `fleet` was asked for */
  fleet: { hub: DemoFleetHub; homes: DemoHome[] } | null;
  /** the operator token of the controller, and the grid operator's of the aggregator */
  apiToken: string;
  registryAddress: string;
  governanceAddress: string;
  stop(): Promise<void>;
}

export async function startDemoSystem(options: DemoSystemOptions): Promise<DemoSystem> {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    // the controller first (devices revert by their own timers), then what it talks to
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  // before anything starts: the demo resets this directory's chain and deletes its outbox
  claimDemoDataDir(options.dataDir, { reset: options.reset ?? false });
  try {
    // The UI's server first: its origin goes into the chain's and the controller's CORS lists.
    ensureUiBuilt(log);
    ensureContractsBuilt(log);
    const ui = await startUiServer({ port: options.uiPort ?? 0 });
    stops.push(() => ui.stop());
    const uiOrigins = [ui.url, ui.url.replace('127.0.0.1', 'localhost')];

    const plantConfig = {};
    let plant: RunningPlant | null = null;
    if (!options.withoutPlant) {
      log('starting the simulated plant');
      plant = await startPlant(plantConfig, { clock: new ScaledClock(1) });
      const running = plant;
      stops.push(() => running.stop());
    }
    const apiPort = options.apiPort ?? 0;
    const devices = plant
      ? parseControllerConfig(configFromPlant(plant.endpoints, plantConfig, { api: { port: apiPort } }), 'demo plant')
          .plant.devices
      : [];

    log('starting the local chain and deploying the contracts');
    let localChain: LocalChain | null = null;
    let chain: DemoSystem['chain'];
    let deployed: DemoDeployment;
    if (options.chainNow) {
      localChain = await startLocalChain({
        port: options.chainPort ?? 0,
        blockTimeMs: 200,
        now: options.chainNow,
        corsAllowedOrigins: uiOrigins,
        genesis: { devAccountCount: DEMO_DEV_ACCOUNTS },
      });
      chain = localChain;
      stops.push(() => localChain!.stop());
      deployed = await deployDemoLedger({ chain, dataDir: options.dataDir, devices, log });
    } else {
      const ledger = await startDemoLedger({
        dataDir: options.dataDir,
        port: options.chainPort ?? 26657,
        corsAllowedOrigins: uiOrigins,
        devices,
        log,
      });
      chain = { ...ledger.chain, stop: () => ledger.stop() };
      stops.push(() => ledger.stop());
      deployed = ledger;
    }
    log(`contracts deployed; ${devices.length} plant devices registered as approved nodes`);

    const apiToken = options.apiToken || randomBytes(18).toString('base64url');
    let hub: DemoFleetHub | null = null;
    if (plant && options.fleet) {
      log('starting the fleet: Mosquitto with per-site credentials and ACL, the VPP aggregator');
      hub = await startDemoFleetHub({
        dataDir: options.dataDir,
        siteIds: [DEMO_PLANT_SITE.siteId, ...DEMO_HOMES.map((home) => home.siteId)],
        apiPort: options.aggregatorPort ?? 0,
        corsOrigins: uiOrigins,
        token: apiToken,
      });
      const running = hub;
      stops.push(() => running.stop());
    }
    const plantLink = hub?.siteLink(DEMO_PLANT_SITE.siteId, DEMO_PLANT_SITE.zone) ?? null;
    let controller: RunningController | null = null;
    if (plant) {
      log('starting the controller');
      const config = parseControllerConfig(
        configFromPlant(plant.endpoints, plantConfig, {
          api: { port: apiPort, corsOrigins: uiOrigins, auditLogPath: join(options.dataDir, 'operator-audit.jsonl') },
          ledger: deployed.ledger,
          maintenance: { logPath: join(options.dataDir, 'maintenance.jsonl') },
          history: { path: join(options.dataDir, 'history.sqlite') },
          ...(plantLink ? { fleet: plantLink.fleet } : {}),
        }),
        'demo configuration',
      );
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        [ORACLE_MNEMONIC_ENV]: deployed.oracleMnemonic,
        [API_TOKEN_ENV]: apiToken,
        ...plantLink?.env,
      };
      const running = await startController(config, { env });
      controller = running;
      stops.push(() => running.stop());
    }
    let fleet: DemoSystem['fleet'] = null;
    if (hub) {
      const homes = await startDemoHomes({
        hub,
        chain,
        deployed,
        roles: { admin: DEMO_ROLES.admin, operator: DEMO_ROLES.operator },
        dataDir: options.dataDir,
        log,
      });
      stops.push(() => homes.stop());
      fleet = { hub, homes: homes.homes };
    }

    const registryAddress = deployed.deployment.contracts.registry!.address;
    const governanceAddress = deployed.deployment.contracts.governance!.address;
    const treasury = await startDemoTreasury({ chain, registryAddress, log });
    stops.push(() => treasury.stop());
    ui.setConfig(
      localRuntimeConfig({
        ...chain,
        registry: registryAddress,
        governance: governanceAddress,
        controllerUrl: controller?.api.url ?? null,
        aggregatorUrl: hub?.aggregatorUrl ?? null,
      }),
    );
    return {
      ui,
      chain,
      localChain,
      deployed,
      plant,
      controller,
      treasury,
      fleet,
      apiToken,
      registryAddress,
      governanceAddress,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
