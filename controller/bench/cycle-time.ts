// Cycle-time benchmark: p50/p99 of the control cycle's wall-clock time for 10, 100 and 1,000 devices,
// (1) with in-memory devices (the cycle's own cost: reads, statecharts, controllers, dispatch, writes), and
// (2) against the simulated plant over real Modbus TCP sockets with the SunSpec drivers (nodes = PV + battery).
// Run: node --import tsx controller/bench/cycle-time.ts [--cycles 200] [--sockets 5,50,500] [--no-sockets]
import { loadavg } from 'node:os';
import { startPlant, type PlantEndpoint } from '@gridcoop/devices/plant/index';
import { ControlCycle } from '../src/cycle/control-cycle.ts';
import { ManualScheduler } from '../src/cycle/manual-scheduler.ts';
import type { ModbusEndpoint } from '../src/drivers/modbus/index.ts';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../src/drivers/sunspec/index.ts';
import { pairDevices } from '../src/plant/plant-device.ts';
import { parsePlantSpec, type PlantSpecInput } from '../src/plant/plant-spec.ts';
import { InMemoryBattery, InMemoryMiner, InMemoryPv, InMemorySite } from '../test/cycle/in-memory-plant.ts';

interface Figures {
  devices: number;
  cycles: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  overruns: number;
  /** CPU time (user + system) of the process per cycle: less sensitive than wall time to a machine shared with others. */
  cpuP50Ms: number | null;
  cpuP99Ms: number | null;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const cycles = Number(argument('--cycles') ?? 200);
const socketNodes = (argument('--sockets') ?? '5,50,500').split(',').map(Number);
const withSockets = !process.argv.includes('--no-sockets');

async function runCycles(cycle: ControlCycle, scheduler: ManualScheduler, devices: number): Promise<Figures> {
  for (let i = 0; i < 20; i++) {
    await scheduler.advance(1_000);
    await cycle.runOnce(); // warm-up: JIT, first writes; not counted below
  }
  const warm = cycle.cycleStats().cycles;
  const durations: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < cycles; i++) {
    await scheduler.advance(1_000);
    const cpuBefore = process.cpuUsage();
    durations.push((await cycle.runOnce()).durationMs);
    const cpu = process.cpuUsage(cpuBefore);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  durations.sort((a, b) => a - b);
  cpuMs.sort((a, b) => a - b);
  const at = (list: number[], f: number) => list[Math.min(list.length - 1, Math.ceil(f * list.length) - 1)] ?? null;
  const stats = cycle.cycleStats();
  return {
    devices,
    cycles: stats.cycles - warm,
    p50Ms: at(durations, 0.5),
    p99Ms: at(durations, 0.99),
    maxMs: at(durations, 1),
    overruns: durations.filter((d) => d > 1_000).length,
    cpuP50Ms: at(cpuMs, 0.5),
    cpuP99Ms: at(cpuMs, 0.99),
  };
}

async function inMemory(devices: number): Promise<Figures> {
  const scheduler = new ManualScheduler();
  const site = new InMemorySite(scheduler);
  const specs: PlantSpecInput['devices'] = [{ kind: 'meter', id: 'meter' }];
  const drivers: (InMemoryPv | InMemoryBattery | InMemoryMiner | typeof site.meter)[] = [site.meter];
  const perKind = Math.max(1, Math.floor((devices - 1) / 3));
  for (let i = 0; i < perKind; i++) {
    drivers.push(site.add(new InMemoryPv(`pv-${i}`, scheduler, 10_000, 4_000 + (i % 7) * 500)));
    specs.push({ kind: 'pv-inverter', id: `pv-${i}`, ratedPowerW: 10_000 });
    drivers.push(site.add(new InMemoryBattery(`battery-${i}`, scheduler, 10_000, 50, 5_000)));
    specs.push({
      kind: 'battery',
      id: `battery-${i}`,
      capacityWh: 10_000,
      maxChargeW: 5_000,
      maxDischargeW: 5_000,
      rampWPerS: 2_500,
    });
    const miner = site.add(new InMemoryMiner(`miner-${i}`, scheduler, 1_000, 3_000));
    miner.running = i % 2 === 0;
    drivers.push(miner);
    specs.push({
      kind: 'flexible-load',
      id: `miner-${i}`,
      minPowerW: 1_000,
      maxPowerW: 3_000,
      minOnS: 60,
      minOffS: 60,
    });
  }
  site.loadW = perKind * 3_000;
  const plant = parsePlantSpec({
    gridMeterId: 'meter',
    importCapW: perKind * 8_000,
    exportCapW: perKind * 2_000,
    devices: specs,
  });
  const cycle = new ControlCycle({ plant, devices: pairDevices(plant.devices, drivers), scheduler });
  cycle.start({ tick: false });
  await scheduler.advance(0);
  try {
    return await runCycles(cycle, scheduler, drivers.length);
  } finally {
    await cycle.stop();
  }
}

function modbusEndpoint(endpoints: readonly PlantEndpoint[], id: string): ModbusEndpoint {
  const found = endpoints.find((e) => e.id === id);
  if (!found?.host || found.port === undefined) throw new Error(`device ${id}: no Modbus TCP endpoint`);
  return { transport: 'tcp', host: found.host, port: found.port, unitId: found.unitId ?? 1 };
}

async function overSockets(nodes: number): Promise<Figures & { connectS: number }> {
  const scheduler = new ManualScheduler(Date.UTC(2014, 0, 15, 1, 0, 0));
  const plant = await startPlant({ nodes, miners: [] }, { clock: scheduler });
  try {
    const specs: PlantSpecInput['devices'] = [{ kind: 'meter', id: 'meter-1' }];
    const options = { timer: scheduler, timeoutMs: 1_000 };
    const drivers = [sunSpecMeter('meter-1', modbusEndpoint(plant.endpoints, 'meter-1'), options)] as Parameters<
      typeof pairDevices
    >[1][number][];
    for (let i = 1; i <= nodes; i++) {
      const big = i % 2 === 0;
      const pvId = `node-${i}-pv`;
      const batteryId = `node-${i}-battery`;
      specs.push({ kind: 'pv-inverter', id: pvId, ratedPowerW: [10_000, 15_000, 20_000][i % 3]! });
      specs.push({
        kind: 'battery',
        id: batteryId,
        capacityWh: big ? 20_000 : 10_000,
        maxChargeW: big ? 10_000 : 5_000,
        maxDischargeW: big ? 10_000 : 5_000,
        rampWPerS: 5_000,
        minReservePct: 10,
      });
      drivers.push(
        sunSpecPvInverter(pvId, modbusEndpoint(plant.endpoints, pvId), { ...options, minPowerLimitPct: 10 }),
      );
      drivers.push(sunSpecBattery(batteryId, modbusEndpoint(plant.endpoints, batteryId), options));
    }
    const spec = parsePlantSpec({
      gridMeterId: 'meter-1',
      importCapW: nodes * 20_000,
      exportCapW: nodes * 20_000,
      devices: specs,
    });
    const cycle = new ControlCycle({ plant: spec, devices: pairDevices(spec.devices, drivers), scheduler });
    const connectStarted = performance.now();
    cycle.start({ tick: false });
    const ids = spec.devices.map((d) => d.id);
    while (!ids.every((id) => cycle.deviceState(id) === 'online')) {
      if (performance.now() - connectStarted > 300_000) throw new Error('devices did not connect within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const connectS = (performance.now() - connectStarted) / 1000;
    try {
      return { ...(await runCycles(cycle, scheduler, ids.length)), connectS };
    } finally {
      await cycle.stop();
    }
  } finally {
    await plant.stop();
  }
}

const fmt = (ms: number | null) => (ms === null ? '-' : ms.toFixed(2));
console.log(
  `control cycle time, ${cycles} measured cycles each (after 20 warm-up cycles); period 1000 ms; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('in-memory devices (the cycle itself):');
console.log('  devices   p50 ms   p99 ms   max ms   overruns   cpu p50 ms   cpu p99 ms');
for (const n of [10, 100, 1_000]) {
  const f = await inMemory(n);
  console.log(
    `  ${String(f.devices).padStart(7)}  ${fmt(f.p50Ms).padStart(7)}  ${fmt(f.p99Ms).padStart(7)}  ${fmt(f.maxMs).padStart(7)}  ${String(f.overruns).padStart(9)}  ${fmt(f.cpuP50Ms).padStart(11)}  ${fmt(f.cpuP99Ms).padStart(11)}`,
  );
}
if (withSockets) {
  console.log('simulated plant over Modbus TCP, SunSpec drivers (nodes x [PV + battery] + grid meter):');
  console.log('  devices   p50 ms   p99 ms   max ms   overruns   cpu p50 ms   cpu p99 ms   connect s');
  for (const nodes of socketNodes) {
    const f = await overSockets(nodes);
    console.log(
      `  ${String(f.devices).padStart(7)}  ${fmt(f.p50Ms).padStart(7)}  ${fmt(f.p99Ms).padStart(7)}  ${fmt(f.maxMs).padStart(7)}  ${String(f.overruns).padStart(9)}  ${fmt(f.cpuP50Ms).padStart(11)}  ${fmt(f.cpuP99Ms).padStart(11)}  ${f.connectS.toFixed(1).padStart(9)}`,
    );
  }
}
