// Sites running the real control cycle for the fleet-dispatch benchmark (--real-cycles), several per process: each
// site is a ControlCycle over in-memory devices (grid meter, a 10 kWh / 5 kW battery ramped by the controller at
// 2.5 kW/s, a 3-5 kW house load) with its own SiteLink (its MQTT 5 connection and credentials, Sparkplug birth,
// envelope and state every cycle, VPP target followed through the operator setpoints as in controller-service). The
// cycle runs every `cycleMs` on the wall clock (target validity and the aggregator's timing are on it). Reported to the
// parent over IPC: [siteIndex, appliedAtMs] for the first cycle that ran with a newly received target (its setpoints
// written through the controller's ramps and limits), and the sites' summed metered grid power.
//   node --import tsx test/bench/fleet-cycle-swarm.ts <json: { url, credentialsFile, hostId, siteIds, firstIndex, cycleMs }>
import { readFileSync } from 'node:fs';
import { ControlCycle } from '../../controller/src/cycle/control-cycle.ts';
import { RealTimeScheduler } from '../../controller/src/cycle/real-time-scheduler.ts';
import { siteProfileOf } from '../../controller/src/fleet/create-site-link.ts';
import { SiteLink, type SiteLinkLogger } from '../../controller/src/fleet/site-link.ts';
import { siteSnapshotOf } from '../../controller/src/fleet/site-snapshot.ts';
import { pairDevices } from '../../controller/src/plant/plant-device.ts';
import { parsePlantSpec } from '../../controller/src/plant/plant-spec.ts';
import { InMemoryBattery, InMemorySite } from '../../controller/test/cycle/in-memory-plant.ts';

interface SwarmConfig {
  url: string;
  credentialsFile: string;
  hostId: string;
  siteIds: string[];
  firstIndex: number;
  cycleMs: number;
}

const config = JSON.parse(process.argv[2]!) as SwarmConfig;
const credentials = JSON.parse(readFileSync(config.credentialsFile, 'utf8')) as {
  sites: Record<string, { username: string; password: string }>;
};
const scheduler = new RealTimeScheduler();
const quiet: SiteLinkLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
let pending: [number, number][] = [];
let cycleErrors = 0;

class CycleSite {
  readonly house = new InMemorySite(scheduler);
  readonly link: SiteLink;
  readonly cycle: ControlCycle;
  lastTargetId: string | null = null;
  gridW = 0;

  constructor(
    readonly index: number,
    readonly siteId: string,
  ) {
    this.house.loadW = 3_000 + (index % 5) * 500;
    const battery = this.house.add(new InMemoryBattery('battery-1', scheduler, 10_000, 50, 5_000));
    const plant = parsePlantSpec({
      gridMeterId: 'meter',
      importCapW: 15_000,
      exportCapW: 10_000,
      devices: [
        { kind: 'meter', id: 'meter' },
        {
          kind: 'battery',
          id: 'battery-1',
          capacityWh: 10_000,
          maxChargeW: 5_000,
          maxDischargeW: 5_000,
          rampWPerS: 2_500,
          minReservePct: 5,
        },
      ],
    });
    const credential = credentials.sites[siteId]!;
    this.link = new SiteLink({
      siteId,
      brokerUrl: config.url,
      username: credential.username,
      password: credential.password,
      hostId: config.hostId,
      profile: siteProfileOf(plant, `zone-${index % 10}`),
      now: () => scheduler.now(),
      logger: quiet,
      publishEveryMs: 0,
    });
    this.cycle = new ControlCycle({
      plant,
      devices: pairDevices(plant.devices, [this.house.meter, battery]),
      scheduler,
      timing: { periodMs: config.cycleMs },
    });
    this.cycle.operatorSetpoints.followFleet(this.link);
  }

  async runCycle(): Promise<void> {
    // the target held before the cycle starts is the one it reads (one arriving while it runs waits for the next)
    const targetId = this.link.status().target?.targetId ?? null;
    const report = await this.cycle.runOnce();
    if (targetId !== null && targetId !== this.lastTargetId) pending.push([this.index, Date.now()]);
    this.lastTargetId = targetId;
    this.gridW = this.house.gridPowerW();
    const snapshot = siteSnapshotOf(report, 'meter', null);
    if (snapshot) this.link.observe(snapshot);
  }
}

const sites = config.siteIds.map((siteId, i) => new CycleSite(config.firstIndex + i, siteId));
for (const site of sites) site.cycle.start({ tick: false });
await new Promise((resolve) => setTimeout(resolve, 200));
for (const site of sites) await site.runCycle();
for (const site of sites) site.link.start();
await Promise.all(sites.map((site) => site.link.whenBorn()));
process.send!({ kind: 'ready' });
// each site runs its cycle once per period, spread over the period as independent sites would be
sites.forEach((site, i) => {
  setTimeout(
    () =>
      setInterval(() => {
        site.runCycle().catch(() => (cycleErrors += 1));
      }, config.cycleMs),
    (i * config.cycleMs) / sites.length,
  );
});
setInterval(() => {
  process.send!({
    kind: 'applied',
    applied: pending,
    gridW: sites.reduce((sum, site) => sum + site.gridW, 0),
    atMs: Date.now(),
    cycleErrors,
  });
  pending = [];
}, 100);
process.on('message', (message: { kind: string }) => {
  if (message.kind === 'cpu') process.send!({ kind: 'cpu', cpu: process.cpuUsage() });
  if (message.kind === 'stop') void Promise.all(sites.map((site) => site.link.stop())).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
