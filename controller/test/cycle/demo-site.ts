// A small closed-loop site for the cycle's tests: one PV inverter, one battery, one miner, a grid meter, driven by
// the real ControlCycle on a ManualScheduler.
import { ControlCycle, type ControlCycleOptions } from '../../src/cycle/control-cycle.ts';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { pairDevices } from '../../src/plant/plant-device.ts';
import { parsePlantSpec, type PlantSpec } from '../../src/plant/plant-spec.ts';
import { InMemoryBattery, InMemoryMiner, InMemoryPv, InMemorySite } from './in-memory-plant.ts';

export interface DemoSiteOptions {
  loadW?: number;
  pvAvailableW?: number;
  socPct?: number;
  batteryMinReservePct?: number;
  importCapW?: number;
  exportCapW?: number;
  minerMinOnS?: number;
  minerMinOffS?: number;
  minerRunning?: boolean;
  batteryRampWPerS?: number;
  cycle?: Partial<Omit<ControlCycleOptions, 'plant' | 'devices' | 'scheduler'>>;
}

export interface DemoSite {
  scheduler: ManualScheduler;
  site: InMemorySite;
  pv: InMemoryPv;
  battery: InMemoryBattery;
  miner: InMemoryMiner;
  plant: PlantSpec;
  cycle: ControlCycle;
  /** Starts the statecharts and lets every device connect. */
  connect(): Promise<void>;
  /** Moves time one period on and runs a cycle. */
  step(): Promise<Awaited<ReturnType<ControlCycle['runOnce']>>>;
}

export function demoSite(options: DemoSiteOptions = {}): DemoSite {
  const scheduler = new ManualScheduler();
  const site = new InMemorySite(scheduler);
  site.loadW = options.loadW ?? 2_000;
  const pv = site.add(new InMemoryPv('pv-1', scheduler, 10_000, options.pvAvailableW ?? 0));
  const battery = site.add(
    new InMemoryBattery('battery-1', scheduler, 10_000, options.socPct ?? 50, 5_000, options.batteryMinReservePct ?? 5),
  );
  const miner = site.add(new InMemoryMiner('miner-1', scheduler, 1_000, 3_000));
  miner.running = options.minerRunning ?? false;
  const plant = parsePlantSpec({
    gridMeterId: 'meter',
    importCapW: options.importCapW ?? 20_000,
    exportCapW: options.exportCapW ?? 20_000,
    devices: [
      { kind: 'meter', id: 'meter' },
      { kind: 'pv-inverter', id: 'pv-1', ratedPowerW: 10_000 },
      {
        kind: 'battery',
        id: 'battery-1',
        capacityWh: 10_000,
        maxChargeW: 5_000,
        maxDischargeW: 5_000,
        rampWPerS: options.batteryRampWPerS ?? 100_000,
        minReservePct: options.batteryMinReservePct ?? 5,
      },
      {
        kind: 'flexible-load',
        id: 'miner-1',
        minPowerW: 1_000,
        maxPowerW: 3_000,
        minOnS: options.minerMinOnS ?? 0,
        minOffS: options.minerMinOffS ?? 0,
      },
    ],
  });
  const cycle = new ControlCycle({
    plant,
    devices: pairDevices(plant.devices, [site.meter, pv, battery, miner]),
    scheduler,
    ...options.cycle,
  });
  const periodMs = options.cycle?.timing?.periodMs ?? 1_000;
  return {
    scheduler,
    site,
    pv,
    battery,
    miner,
    plant,
    cycle,
    async connect() {
      cycle.start({ tick: false });
      await scheduler.advance(0);
    },
    async step() {
      await scheduler.advance(periodMs);
      return cycle.runOnce();
    },
  };
}
