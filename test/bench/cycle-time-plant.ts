/**
 * Cycle-time benchmark (issue 3): the real control cycle (read every device into the process image, run the
 * controllers, write the setpoints that changed) against the simulated plant over real sockets, for plants of about
 * 10, 100 and 1,000 devices (energy nodes of a PV inverter, a battery and an OPC UA miner, plus the grid meter).
 * Prints p50/p99/max of the cycle time and how many devices were not online at the end.
 *
 *   node --import tsx test/bench/cycle-time-plant.ts [--cycles 100] [--sizes 3,33,333] [--miners 1]
 *
 * The plant runs in a child process on the wall clock (as a real plant is elsewhere), so simulator and controller
 * each get one of this machine's two cores. Cycles run back to back with 200 ms between them (the default 1 s
 * period would only add idle time); deadlines are the production defaults (read 400 ms, write 300 ms).
 * Goals: p99 < 200 ms at 100 devices, < 1 s (the cycle period) at 1,000.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { PlantEndpoint } from '@gridcoop/devices/plant/index';
import { expandNodes, parsePlantConfig, type PlantConfig } from '@gridcoop/devices/plant/plant-config';
import { ControlCycle } from '@gridcoop/controller/cycle/control-cycle';
import { RealTimeScheduler } from '@gridcoop/controller/cycle/real-time-scheduler';
import { realTimer, sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '@gridcoop/controller/drivers/sunspec/index';
import { opcUaMiner } from '@gridcoop/controller/drivers/opcua/opcua-miner';
import type { ModbusEndpoint } from '@gridcoop/controller/drivers/modbus/index';
import type { Battery, FlexibleLoad, Meter, PvInverter } from '@gridcoop/controller/natures/index';
import { pairDevices } from '@gridcoop/controller/plant/plant-device';
import { parsePlantSpec } from '@gridcoop/controller/plant/plant-spec';
import { benchArgs } from './bench-args.ts';

/** Noon in Melbourne: PV produces, so PV caps, batteries and miners all get setpoints. */
const NOON = Date.UTC(2013, 11, 1, 2, 0);

type Message = { endpoints: PlantEndpoint[] };

// ---- child: the plant -------------------------------------------------------------------------------------------
async function servePlant(nodes: number, minersPerNode: 0 | 1): Promise<void> {
  const { startPlant } = await import('@gridcoop/devices/plant/index');
  const { ScaledClock } = await import('@gridcoop/devices/sim/clock');
  const plant = await startPlant({ nodes, minersPerNode }, { clock: new ScaledClock(1, NOON) });
  process.send!({ endpoints: plant.endpoints } satisfies Message);
  process.on('disconnect', () => void plant.stop().then(() => process.exit(0)));
}

// ---- parent: the controller -------------------------------------------------------------------------------------
function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!;
}

function modbusEndpoint(e: PlantEndpoint): ModbusEndpoint {
  return { transport: 'tcp', host: e.host!, port: e.port!, unitId: e.unitId ?? 1 };
}

function specOf(config: PlantConfig): unknown {
  return {
    gridMeterId: config.meter.id,
    importCapW: 1e9,
    // A cap that binds at noon, so the dispatcher does its full work (PV caps) every cycle.
    exportCapW: 1_000 * config.pvInverters.length,
    devices: [
      { kind: 'meter', id: config.meter.id },
      ...config.pvInverters.map((d) => ({ kind: 'pv-inverter', id: d.id, ratedPowerW: d.ratedPowerW })),
      ...config.batteries.map((d) => ({
        kind: 'battery',
        id: d.id,
        capacityWh: d.capacityWh,
        maxChargeW: d.maxChargeW,
        maxDischargeW: d.maxDischargeW,
        rampWPerS: Math.max(d.maxChargeW, d.maxDischargeW) / 2,
      })),
      ...config.miners.map((d) => ({
        kind: 'flexible-load',
        id: d.id,
        minPowerW: d.minPowerW,
        maxPowerW: d.maxPowerW,
      })),
    ],
  };
}

async function measure(nodes: number, minersPerNode: 0 | 1, cycles: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-plant', String(nodes), String(minersPerNode)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const [message] = (await once(child, 'message')) as [Message];
    const config = expandNodes(parsePlantConfig({ nodes, minersPerNode }));
    const spec = parsePlantSpec(specOf(config));
    const byId = new Map(message.endpoints.map((e) => [e.id, e]));
    const options = { timer: realTimer, timeoutMs: 1_000 };
    const drivers: Array<PvInverter | Battery | FlexibleLoad | Meter> = spec.devices.map((d) => {
      const e = byId.get(d.id);
      if (!e) throw new Error(`device ${d.id}: the plant has no endpoint for it`);
      if (d.kind === 'flexible-load')
        return opcUaMiner(d.id, { endpointUrl: e.endpointUrl!, browseName: e.browseName!, timeoutMs: 5_000 });
      if (d.kind === 'meter') return sunSpecMeter(d.id, modbusEndpoint(e), options);
      if (d.kind === 'pv-inverter')
        return sunSpecPvInverter(d.id, modbusEndpoint(e), { ...options, minPowerLimitPct: d.minPowerLimitPct });
      return sunSpecBattery(d.id, modbusEndpoint(e), options);
    });
    const cycle = new ControlCycle({
      plant: spec,
      devices: pairDevices(spec.devices, drivers),
      scheduler: new RealTimeScheduler(),
    });
    const connectStarted = performance.now();
    cycle.start({ tick: false });
    for (let i = 0; i < 1_200 && !spec.devices.every((d) => cycle.deviceState(d.id) === 'online'); i++)
      await new Promise((r) => setTimeout(r, 100));
    const connectS = (performance.now() - connectStarted) / 1000;
    // Warm-up: the first cycles write every setpoint for the first time.
    for (let i = 0; i < 5; i++) await cycle.runOnce();
    const durationsMs: number[] = [];
    let writes = 0;
    for (let i = 0; i < cycles; i++) {
      const report = await cycle.runOnce();
      durationsMs.push(report.durationMs);
      writes += report.writes.filter((w) => w.result === 'written').length;
      await new Promise((r) => setTimeout(r, 200));
    }
    const notOnline = new Map<string, number>();
    for (const d of spec.devices) {
      const state = cycle.deviceState(d.id);
      const failure = cycle.lastReport?.image.devices[d.id]?.failure?.kind ?? '';
      const key = `${d.kind} ${state} ${failure}`.trim();
      if (state !== 'online') notOnline.set(key, (notOnline.get(key) ?? 0) + 1);
    }
    // Other work on the machine slows both processes: the figures only mean something next to the load they ran under.
    const loadAtEnd = loadavg()[0]!.toFixed(2);
    const plantState = cycle.plantState();
    await cycle.stop();
    const sorted = durationsMs.sort((a, b) => a - b);
    const f = (ms: number): string => ms.toFixed(1).padStart(7);
    console.log(
      `${String(spec.devices.length).padStart(5)} devices  p50 ${f(percentile(sorted, 50))} ms  p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted.at(-1)!)} ms` +
        `  writes/cycle ${(writes / cycles).toFixed(1)}  (connect ${connectS.toFixed(1)} s, load ${loadAtEnd}/${cpus().length} cores, plant ${plantState}${notOnline.size ? `, not online at end: ${[...notOnline].map(([k, n]) => `${n} ${k}`).join(', ')}` : ''})`,
    );
  } finally {
    child.disconnect();
    await once(child, 'exit');
  }
}

if (process.argv[2] === '--serve-plant') {
  await servePlant(Number(process.argv[3]), Number(process.argv[4]) === 1 ? 1 : 0);
} else {
  const values = benchArgs(
    'cycle-time-plant',
    'usage: npm run bench -- cycle-time-plant [--cycles 100] [--sizes 3,33,333] [--miners 1]',
    {
      cycles: { type: 'string', default: '100' },
      sizes: { type: 'string', default: '3,33,333' },
      miners: { type: 'string', default: '1' },
    },
  );
  const minersPerNode = values.miners === '0' ? 0 : 1;
  console.log(
    `cycle time of the real cycle over sockets; ${values.cycles} cycles per plant size; energy nodes of PV + battery${minersPerNode ? ' + miner' : ''}`,
  );
  for (const nodes of values.sizes!.split(',').map(Number)) await measure(nodes, minersPerNode, Number(values.cycles));
  process.exit(0);
}
