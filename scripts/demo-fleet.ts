/**
 * The demo's fleet (issue 13), for `npm start` and the fleet's browser test: a real Mosquitto with generated per-site
 * credentials and ACL, the VPP aggregator as the Sparkplug primary host with its HTTP API, and small home sites (PV +
 * battery simulated on real Modbus TCP sockets), each with its own controller and its own oracle key, registered on
 * the chain as its own registry site in its own zone. The demo plant joins the same fleet as one more site through
 * its controller's `fleet` section (fleetSectionFor).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { destination, pino } from 'pino';
import { RegistryClient } from '@gridcoop/contracts';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import type { PlantConfigInput } from '@gridcoop/devices/plant/plant-config';
import { ScaledClock } from '@gridcoop/devices/sim/clock';
import { ORACLE_MNEMONIC_ENV, parseControllerConfig } from '@gridcoop/controller/config/index';
import type { ControllerConfigInput } from '@gridcoop/controller/config/controller-config';
import { createLogger } from '@gridcoop/controller/logging/logger';
import { startController, type RunningController } from '@gridcoop/controller/service/start-controller';
import { MosquittoBroker, writeFleetCredentials, type FleetCredentials } from '../fleet/src/broker/index.ts';
import { startAggregator, type RunningAggregator } from '../fleet/src/aggregator/start-aggregator.ts';
import { configFromPlant } from './config-from-plant.ts';
import { signer, type DemoChain, type DemoDeployment } from './demo-ledger.ts';

/** The demo plant's site id and zone in the fleet (its nodes are the registry's default site, in zone "demo"). */
export const DEMO_PLANT_SITE = { siteId: 'plant', zone: 'demo' } as const;

/** A home with PV and a battery behind a small connection, owned by a member, recorded by its own oracle key. */
export interface DemoHomeSpec {
  siteId: string;
  zone: string;
  /** dev account that owns the home's nodes */
  ownerAccount: number;
  /** dev account whose key is the home controller's oracle (one key per site) */
  oracleAccount: number;
  pvPeakW: number;
  battery: { capacityWh: number; maxPowerW: number; initialSocPct: number };
  loadPeakW: number;
}

/**
 * Two homes in two other zones. Accounts 2 and 3 are members who own them; 9 and 10 are their oracles
 * (DEMO_DEV_ACCOUNTS in demo-ledger.ts makes them).
 */
export const DEMO_HOMES: readonly DemoHomeSpec[] = [
  {
    siteId: 'home-north',
    zone: 'north',
    ownerAccount: 2,
    oracleAccount: 9,
    pvPeakW: 6_000,
    battery: { capacityWh: 10_000, maxPowerW: 5_000, initialSocPct: 60 },
    loadPeakW: 4_000,
  },
  {
    siteId: 'home-east',
    zone: 'east',
    ownerAccount: 3,
    oracleAccount: 10,
    pvPeakW: 5_000,
    battery: { capacityWh: 13_500, maxPowerW: 5_000, initialSocPct: 40 },
    loadPeakW: 3_500,
  },
];

/** A home's connection: 15 kW import, 5 kW export (a single-phase residential supply). */
const HOME_GRID_CAPS = { importCapW: 15_000, exportCapW: 5_000 } as const;
/** The environment variable each site controller reads its broker password from (each gets its own env). */
const FLEET_PASSWORD_ENV = 'GRIDCOOP_FLEET_PASSWORD';

function homePlantConfig(home: DemoHomeSpec): PlantConfigInput {
  return {
    site: { loadPeakW: home.loadPeakW },
    meter: { id: `${home.siteId}-meter`, protocol: 'modbus-tcp', unitId: 1 },
    pvInverters: [{ id: `${home.siteId}-pv`, ratedPowerW: home.pvPeakW }],
    batteries: [
      {
        id: `${home.siteId}-battery`,
        capacityWh: home.battery.capacityWh,
        maxChargeW: home.battery.maxPowerW,
        maxDischargeW: home.battery.maxPowerW,
        initialSocPct: home.battery.initialSocPct,
      },
    ],
    miners: [],
  };
}

export interface DemoFleetHub {
  broker: MosquittoBroker;
  credentials: FleetCredentials;
  aggregator: RunningAggregator;
  /** the aggregator's API origin, e.g. http://127.0.0.1:8070 */
  aggregatorUrl: string;
  /** The `fleet` section and the environment (its broker password) of a site controller. */
  siteLink(
    siteId: string,
    zone: string,
  ): { fleet: NonNullable<ControllerConfigInput['fleet']>; env: NodeJS.ProcessEnv };
  stop(): Promise<void>;
}

/**
 * Mosquitto with credentials and an ACL for the plant and the homes (written under dataDir/fleet), and the aggregator
 * connected to it as the primary host, its API on `apiPort` answering CORS for the UI's origins. Its log goes to
 * dataDir/fleet/aggregator.log.
 */
export async function startDemoFleetHub(options: {
  dataDir: string;
  siteIds: readonly string[];
  apiPort: number;
  corsOrigins: string[];
  /** the grid operator's bearer token for the aggregator's writes */
  token: string;
}): Promise<DemoFleetHub> {
  const dir = join(options.dataDir, 'fleet');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = writeFleetCredentials({ dir: join(dir, 'credentials'), siteIds: options.siteIds });
  const broker = await MosquittoBroker.start({
    dir: join(dir, 'broker'),
    passwordFile: files.passwordFile,
    aclFile: files.aclFile,
  });
  let aggregator: RunningAggregator;
  try {
    aggregator = await startAggregator({
      brokerUrl: broker.url,
      username: files.credentials.aggregator.username,
      password: files.credentials.aggregator.password,
      hostId: files.credentials.hostId,
      api: { host: '127.0.0.1', port: options.apiPort, token: options.token, corsOrigins: options.corsOrigins },
      defaultTargetValidForS: 300,
      zoneLimits: [],
      logger: pino({ level: 'info' }, destination({ dest: join(dir, 'aggregator.log'), sync: false })),
    });
  } catch (error) {
    await broker.stop();
    throw error;
  }
  return {
    broker,
    credentials: files.credentials,
    aggregator,
    aggregatorUrl: aggregator.api.url,
    siteLink(siteId, zone) {
      const credential = files.credentials.sites[siteId];
      if (!credential) throw new Error(`the demo fleet has no credentials for site ${siteId}`);
      return {
        fleet: {
          siteId,
          zone,
          brokerUrl: broker.url,
          hostId: files.credentials.hostId,
          passwordEnv: FLEET_PASSWORD_ENV,
          // kept across restarts of the demo (beside the site's outbox, not in the fleet directory, which each start
          // makes anew), as a real site keeps them in its data directory
          bdSeqPath: join(options.dataDir, 'sites', siteId, 'fleet-bdseq.json'),
          ownerStatePath: join(options.dataDir, 'sites', siteId, 'fleet-owner.json'),
        },
        env: { [FLEET_PASSWORD_ENV]: credential.password },
      };
    },
    async stop() {
      await aggregator.stop().catch(() => undefined);
      await broker.stop();
    },
  };
}

export interface DemoHome {
  spec: DemoHomeSpec;
  plant: RunningPlant;
  controller: RunningController;
  /** device id -> registry node id */
  nodes: Record<string, number>;
}

/**
 * Registers every home's PV and battery as nodes of its owner, makes each home a registry site with its own oracle
 * key (the admin's add_site), and approves the nodes onto their site (the operator). Batched: one transaction per
 * owner, one for the admin, one for the operator, so it costs about three blocks.
 */
async function registerHomeSites(
  chain: DemoChain,
  registryAddress: string,
  roles: { admin: number; operator: number },
  homes: readonly {
    spec: DemoHomeSpec;
    devices: readonly { id: string; kind: 'pv' | 'battery'; ratedPowerW: number; energyCapacityWh?: number }[];
  }[],
): Promise<Record<string, number>[]> {
  const nodeIds = await Promise.all(
    homes.map(async ({ spec, devices }) => {
      const owner = await signer(chain, spec.ownerAccount);
      try {
        await owner.client.executeMultiple(
          owner.address,
          devices.map((device) => ({
            contractAddress: registryAddress,
            msg: {
              register_node: {
                kind: device.kind,
                rated_power_w: device.ratedPowerW,
                energy_capacity_wh: device.energyCapacityWh ?? null,
                zone: spec.zone,
                metadata: [['device', device.id]],
              },
            },
          })),
          'auto',
        );
        const { nodes } = await new RegistryClient(owner.client, registryAddress, owner.address).nodes({
          owner: owner.address,
          limit: 30,
        });
        const byDevice: Record<string, number> = {};
        for (const node of nodes) {
          const device = node.metadata.find(([key]) => key === 'device')?.[1];
          if (device && devices.some((d) => d.id === device)) byDevice[device] = node.id;
        }
        return byDevice;
      } finally {
        owner.client.disconnect();
      }
    }),
  );
  const admin = await signer(chain, roles.admin);
  try {
    await admin.client.executeMultiple(
      admin.address,
      homes.map(({ spec }) => ({
        contractAddress: registryAddress,
        msg: { add_site: { site: spec.siteId, oracles: [chain.devAccounts[spec.oracleAccount]!.address] } },
      })),
      'auto',
    );
  } finally {
    admin.client.disconnect();
  }
  const operator = await signer(chain, roles.operator);
  try {
    await operator.client.executeMultiple(
      operator.address,
      homes.flatMap(({ spec }, index) =>
        Object.values(nodeIds[index]!).map((nodeId) => ({
          contractAddress: registryAddress,
          msg: { approve_node: { node_id: nodeId, site: spec.siteId } },
        })),
      ),
      'auto',
    );
  } finally {
    operator.client.disconnect();
  }
  return nodeIds;
}

/**
 * The home sites: each plant simulated on its own Modbus TCP sockets, registered on chain as its own site, and run by
 * its own controller (its own oracle key, outbox, history and API on an OS-picked port) linked to the fleet. The
 * homes' planners are off (the local policy runs every cycle): two more planners would cost the 2-core demo
 * machine more than they show. Their logs (warnings and above) go to dataDir/sites/<site>/controller.log.
 */
export async function startDemoHomes(options: {
  homes?: readonly DemoHomeSpec[];
  hub: DemoFleetHub;
  chain: DemoChain;
  deployed: DemoDeployment;
  roles: { admin: number; operator: number };
  dataDir: string;
  log: (line: string) => void;
}): Promise<{ homes: DemoHome[]; stop(): Promise<void> }> {
  const specs = options.homes ?? DEMO_HOMES;
  const plants: RunningPlant[] = [];
  const controllers: RunningController[] = [];
  const stop = async (): Promise<void> => {
    for (const controller of controllers.splice(0).reverse()) await controller.stop().catch(() => undefined);
    for (const plant of plants.splice(0).reverse()) await plant.stop().catch(() => undefined);
  };
  try {
    const prepared = [];
    for (const spec of specs) {
      const plantConfig = homePlantConfig(spec);
      const plant = await startPlant(plantConfig, { clock: new ScaledClock(1) });
      plants.push(plant);
      prepared.push({ spec, plant, plantConfig });
    }
    const registryAddress = options.deployed.deployment.contracts.registry!.address;
    options.log(`registering ${specs.length} home sites on chain, each with its own oracle key`);
    const nodeIds = await registerHomeSites(
      options.chain,
      registryAddress,
      options.roles,
      prepared.map(({ spec }) => ({
        spec,
        devices: [
          { id: `${spec.siteId}-pv`, kind: 'pv' as const, ratedPowerW: spec.pvPeakW },
          {
            id: `${spec.siteId}-battery`,
            kind: 'battery' as const,
            ratedPowerW: spec.battery.maxPowerW,
            energyCapacityWh: spec.battery.capacityWh,
          },
        ],
      })),
    );
    const homes: DemoHome[] = [];
    for (const [index, { spec, plant, plantConfig }] of prepared.entries()) {
      const siteDir = join(options.dataDir, 'sites', spec.siteId);
      mkdirSync(siteDir, { recursive: true, mode: 0o700 });
      const outboxPath = join(siteDir, 'outbox.sqlite');
      // the simulated counters start from zero at every start, as the chain does
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${outboxPath}${suffix}`, { force: true });
      const link = options.hub.siteLink(spec.siteId, spec.zone);
      const nodes = nodeIds[index]!;
      const ledger = options.deployed.ledger;
      if (ledger.mode !== 'cosmwasm')
        throw new Error('the demo fleet records on the chain: its ledger must be cosmwasm');
      const config = parseControllerConfig(
        configFromPlant(plant.endpoints, plantConfig, {
          grid: HOME_GRID_CAPS,
          api: { port: 0 },
          planner: { enabled: false },
          ledger: { ...ledger, outboxPath, nodes },
          history: { path: join(siteDir, 'history.sqlite') },
          fleet: link.fleet,
        }),
        `demo home ${spec.siteId}`,
      );
      const logger = createLogger('warn', destination({ dest: join(siteDir, 'controller.log'), sync: false }));
      const controller = await startController(config, {
        env: {
          ...process.env,
          ...link.env,
          [ORACLE_MNEMONIC_ENV]: options.chain.devAccounts[spec.oracleAccount]!.mnemonic,
        },
        logger: logger.child({ site: spec.siteId }),
        guardProcess: false,
      });
      controllers.push(controller);
      homes.push({ spec, plant, controller, nodes });
      options.log(`home site ${spec.siteId} (zone ${spec.zone}) running, ${Object.keys(nodes).length} nodes`);
    }
    return { homes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
