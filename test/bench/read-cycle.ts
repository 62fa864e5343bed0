/**
 * Read-cycle benchmark (issue 2): a plant of 200 SunSpec devices over Modbus TCP plus 50 OPC UA miners; every
 * device is read once per cycle, all devices at once, for a few hundred cycles. Prints p50/p99 of the cycle time
 * for the GridCoop drivers, and for the same register reads done by two bare loops (no discovery, no decoding, no
 * checks) as references: modbus-serial (the library the drivers used before; its TCP path frames and checks like
 * RTU) and raw node:net sockets with hand-built Modbus TCP frames (raw-modbus-tcp.ts), the floor. The bare loops
 * make exactly the requests the drivers made in a recorded read (same addresses and counts), the loops take turns
 * in rounds of 25 cycles, warm-up cycles are not counted, and the load average of the machine is printed with the
 * figures. The OPC UA miners' values come from subscriptions: a driver's read() returns the latest published value
 * and puts no request on the wire, so the miners cost the cycle only their share of event-loop time.
 *
 *   node --import tsx test/bench/read-cycle.ts [--cycles 300] [--only all|sunspec|bare|raw]
 *
 * --only runs one loop alone, e.g. to profile it: node --cpu-prof --import tsx test/bench/read-cycle.ts --only sunspec
 * --profile-plant <dir> writes a CPU profile of the plant (simulator) process into <dir>.
 *
 * The plant runs in a child process (as a real plant is elsewhere), so the simulator and the controller each get a
 * core of this 2-core machine and the figures measure the driver side.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ModbusSerial from 'modbus-serial';
import type { PlantEndpoint } from '@gridcoop/devices/plant/index';
import type { DeviceDriver } from '@gridcoop/controller/natures/index';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '@gridcoop/controller/drivers/sunspec/index';
import { opcUaMiner } from '@gridcoop/controller/drivers/opcua/opcua-miner';
import { MAX_READ_REGISTERS, ModbusConnection, type ModbusEndpoint } from '@gridcoop/controller/drivers/modbus/index';
import { RawModbusTcp } from './raw-modbus-tcp.ts';

const SUNSPEC_DEVICES = 200;
const MINERS = 50;
const GOAL_P99_MS = 250;
const GOAL_RATIO = 1.3;

type Message = { endpoints: PlantEndpoint[] };

// ---- child: the plant -------------------------------------------------------------------------------------------
async function servePlant(): Promise<void> {
  const { startPlant } = await import('@gridcoop/devices/plant/index');
  const pvCount = SUNSPEC_DEVICES / 2;
  const batteryCount = SUNSPEC_DEVICES - pvCount - 1; // and the meter
  const plant = await startPlant({
    pvInverters: Array.from({ length: pvCount }, (_, i) => ({
      id: `pv-${i + 1}`,
      ratedPowerW: [10_000, 15_000, 20_000][i % 3]!,
    })),
    batteries: Array.from({ length: batteryCount }, (_, i) => ({
      id: `battery-${i + 1}`,
      capacityWh: 10_000,
      maxChargeW: 5000,
      maxDischargeW: 5000,
    })),
    miners: Array.from({ length: MINERS }, (_, i) => ({ id: `miner-${i + 1}` })),
  });
  process.send!({ endpoints: plant.endpoints } satisfies Message);
  process.on('disconnect', () => void plant.stop().then(() => process.exit(0)));
}

// ---- parent: the drivers ----------------------------------------------------------------------------------------
function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!;
}

function summary(label: string, samples: Samples): { p50: number; p99: number; cpuPerCycle: number } {
  const sorted = [...samples.wallMs].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const cpuPerCycle = samples.cpuMs / sorted.length;
  const f = (ms: number) => ms.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(40)} p50 ${f(p50)} ms  p99 ${f(p99)} ms  max ${f(sorted[sorted.length - 1]!)} ms  controller CPU ${f(cpuPerCycle)} ms/cycle`,
  );
  return { p50, p99, cpuPerCycle };
}

/** Cycle times (wall clock) and the controller process's CPU time spent on them. */
interface Samples {
  wallMs: number[];
  cpuMs: number;
}

async function timeCycles(cycles: number, readAll: () => Promise<unknown>, into: Samples): Promise<void> {
  for (let i = 0; i < cycles; i += 1) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await readAll();
    into.wallMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    into.cpuMs += (used.user + used.system) / 1000;
  }
}

function modbusEndpoint(e: PlantEndpoint): ModbusEndpoint {
  return { transport: 'tcp', host: e.host!, port: e.port!, unitId: e.unitId ?? 1 };
}

/** One FC3 request as it goes on the wire (at most 125 registers). */
interface RegisterSpan {
  address: number;
  count: number;
}

/**
 * The requests each driver makes in one read, by device: recorded from a real read of every driver, so that the
 * bare loop reads exactly the same registers (a hand-written list drifts from what the drivers read, e.g. a
 * battery's optional model 802). ModbusConnection splits reads into requests of at most 125 registers: so here.
 */
async function recordDriverRequests(
  drivers: Array<{ read(): Promise<unknown> }>,
): Promise<Map<string, RegisterSpan[]>> {
  const byDevice = new Map<string, RegisterSpan[]>();
  const original = ModbusConnection.prototype.readRegisters;
  ModbusConnection.prototype.readRegisters = function (this: ModbusConnection, address: number, count: number) {
    const spans = byDevice.get(this.deviceId) ?? [];
    for (let done = 0; done < count; done += MAX_READ_REGISTERS)
      spans.push({ address: address + done, count: Math.min(MAX_READ_REGISTERS, count - done) });
    byDevice.set(this.deviceId, spans);
    return original.call(this, address, count);
  };
  try {
    await Promise.all(drivers.map((d) => d.read()));
  } finally {
    ModbusConnection.prototype.readRegisters = original;
  }
  return byDevice;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

const USAGE = 'usage: npm run bench read-cycle [-- --cycles 300] [--only all|sunspec|bare|raw] [--profile-plant <dir>]';
const ONLY = ['all', 'sunspec', 'bare', 'raw'] as const;

function parseOptions(): { cycles: number; only: (typeof ONLY)[number] | undefined } {
  const fail = (message: string): never => {
    console.error(`${message}\n${USAGE}`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        help: { type: 'boolean', default: false },
        cycles: { type: 'string', default: '300' },
        only: { type: 'string' },
        'profile-plant': { type: 'string' },
      },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const cycles = Number(values.cycles);
  if (!Number.isInteger(cycles) || cycles < 1) fail(`--cycles: a whole number of cycles >= 1, got "${values.cycles}"`);
  if (values.only !== undefined && !(ONLY as readonly string[]).includes(values.only))
    fail(`--only: one of ${ONLY.join(', ')}, got "${values.only}"`);
  return { cycles, only: values.only as (typeof ONLY)[number] | undefined };
}

async function main(): Promise<void> {
  const { cycles, only } = parseOptions();
  const child = fork(fileURLToPath(import.meta.url), ['--serve-plant'], {
    // --profile-plant <dir>: a CPU profile of the simulator side too.
    execArgv: [
      '--import',
      'tsx',
      ...(process.argv.includes('--profile-plant')
        ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[process.argv.indexOf('--profile-plant') + 1]}`]
        : []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [Message];
  const modbus = message.endpoints.filter((e) => e.protocol === 'modbus-tcp');
  const miners = message.endpoints.filter((e) => e.kind === 'miner');
  console.log(
    `plant: ${modbus.length} SunSpec devices over Modbus TCP, ${miners.length} OPC UA miners (child process ${child.pid}); ${cycles} cycles each`,
  );

  try {
    // GridCoop drivers.
    const sunspec: Array<DeviceDriver<unknown, never>> = modbus.map((e) => {
      const endpoint = modbusEndpoint(e);
      const driver =
        e.kind === 'pv-inverter'
          ? sunSpecPvInverter(e.id, endpoint)
          : e.kind === 'battery'
            ? sunSpecBattery(e.id, endpoint)
            : sunSpecMeter(e.id, endpoint);
      return driver as unknown as DeviceDriver<unknown, never>;
    });
    const opcua = miners.map((e) =>
      opcUaMiner(e.id, { endpointUrl: e.endpointUrl!, browseName: e.browseName!, timeoutMs: 10_000 }),
    );
    let start = performance.now();
    // Connecting is not what is measured: in batches, so 250 handshakes do not queue behind each other.
    for (let i = 0; i < sunspec.length; i += 50) await Promise.all(sunspec.slice(i, i + 50).map((d) => d.connect()));
    await Promise.all(opcua.map((miner) => miner.connect()));
    console.log(
      `connect + discovery of ${sunspec.length + opcua.length} devices: ${(performance.now() - start).toFixed(0)} ms`,
    );

    const driverRequests = await recordDriverRequests(sunspec);

    // Bare modbus-serial: one client per device, the very requests the driver made, nothing decoded or checked.
    start = performance.now();
    const bare = await Promise.all(
      modbus.map(async (e) => {
        const client = new ModbusSerial.default();
        client.on('error', () => undefined);
        await client.connectTCP(e.host!, { port: e.port! });
        client.setID(e.unitId ?? 1);
        client.setTimeout(1000);
        return { client, spans: driverRequests.get(e.id) ?? [] };
      }),
    );
    const requestsPerCycle = bare.reduce((s, b) => s + b.spans.length, 0);
    const registersPerCycle = bare.reduce((s, b) => s + b.spans.reduce((r, span) => r + span.count, 0), 0);
    console.log(
      `bare clients connected in ${(performance.now() - start).toFixed(0)} ms; both loops make the same ${requestsPerCycle} FC3 requests (${registersPerCycle} registers) per cycle`,
    );

    // Raw sockets: one connection per device, the same requests again.
    start = performance.now();
    const raw = await Promise.all(
      modbus.map(async (e) => ({
        client: await RawModbusTcp.open(e.host!, e.port!, e.unitId ?? 1),
        spans: driverRequests.get(e.id) ?? [],
      })),
    );
    console.log(`raw-socket clients connected in ${(performance.now() - start).toFixed(0)} ms`);

    let failures = 0;
    const readAll = (drivers: Array<{ read(): Promise<unknown> }>) => () =>
      Promise.all(drivers.map((d) => d.read().catch(() => (failures += 1))));
    const bareReadAll = () =>
      Promise.all(
        bare.map(async ({ client, spans }) => {
          for (const span of spans)
            await client.readHoldingRegisters(span.address, span.count).catch(() => (failures += 1));
        }),
      );
    const rawReadAll = () =>
      Promise.all(
        raw.map(async ({ client, spans }) => {
          for (const span of spans)
            await client.readHoldingRegisters(span.address, span.count).catch(() => (failures += 1));
        }),
      );
    // The four loops take turns in short rounds, so that load from elsewhere on the machine falls on all alike.
    const all: Samples = { wallMs: [], cpuMs: 0 };
    const sunspecOnly: Samples = { wallMs: [], cpuMs: 0 };
    const reference: Samples = { wallMs: [], cpuMs: 0 };
    const rawReference: Samples = { wallMs: [], cpuMs: 0 };
    const warmUp: Samples = { wallMs: [], cpuMs: 0 };
    await timeCycles(5, readAll([...sunspec, ...opcua]), warmUp);
    await timeCycles(5, bareReadAll, warmUp);
    await timeCycles(5, rawReadAll, warmUp);
    // --only all|sunspec|bare|raw runs one loop alone (to profile it with --cpu-prof); figures then cover that loop.
    const loadBefore = loadAverage();
    const round = 25;
    for (let done = 0; done < cycles; done += round) {
      const n = Math.min(round, cycles - done);
      if (!only || only === 'all') await timeCycles(n, readAll([...sunspec, ...opcua]), all);
      if (!only || only === 'sunspec') await timeCycles(n, readAll(sunspec), sunspecOnly);
      if (!only || only === 'bare') await timeCycles(n, bareReadAll, reference);
      if (!only || only === 'raw') await timeCycles(n, rawReadAll, rawReference);
    }
    console.log(
      `load average (1/5/15 min) before the timed cycles ${loadBefore}, after ${loadAverage()} (${os.cpus().length} cores)`,
    );
    await Promise.all([...sunspec, ...opcua].map((d) => d.close()));
    await Promise.all(bare.map(({ client }) => new Promise((resolve) => client.close(resolve))));
    await Promise.all(raw.map(({ client }) => client.close()));

    if (only) {
      const chosen = { all, sunspec: sunspecOnly, bare: reference, raw: rawReference }[only];
      summary(`only ${only}`, chosen);
      return;
    }
    const allFigures = summary(`drivers: ${sunspec.length} SunSpec + ${opcua.length} OPC UA`, all);
    const sunspecFigures = summary(`drivers: ${sunspec.length} SunSpec only`, sunspecOnly);
    const referenceFigures = summary(`bare modbus-serial: ${bare.length} SunSpec`, reference);
    const rawFigures = summary(`bare raw sockets: ${raw.length} SunSpec`, rawReference);
    console.log(`failed reads: ${failures}`);
    console.log(
      `OPC UA: the ${opcua.length} miners' values come from subscriptions (read() returns the latest published value, no request per cycle)`,
    );
    console.log(
      `vs raw sockets: CPU per cycle drivers(SunSpec only)/raw ${(sunspecFigures.cpuPerCycle / rawFigures.cpuPerCycle).toFixed(2)}x, drivers(all)/raw ${(allFigures.cpuPerCycle / rawFigures.cpuPerCycle).toFixed(2)}x; p50 drivers(SunSpec only)/raw ${(sunspecFigures.p50 / rawFigures.p50).toFixed(2)}x, p99 ${(sunspecFigures.p99 / rawFigures.p99).toFixed(2)}x, drivers(all)/raw p99 ${(allFigures.p99 / rawFigures.p99).toFixed(2)}x`,
    );
    // CPU per cycle is the steadier comparison on a shared machine: p99 picks up whoever else ran at that moment.
    console.log(
      `CPU per cycle drivers(SunSpec only)/bare ${(sunspecFigures.cpuPerCycle / referenceFigures.cpuPerCycle).toFixed(2)}x, drivers(all)/bare ${(allFigures.cpuPerCycle / referenceFigures.cpuPerCycle).toFixed(2)}x`,
    );
    const ratio = allFigures.p99 / referenceFigures.p99;
    const ratioSunSpec = sunspecFigures.p99 / referenceFigures.p99;
    console.log(
      `vs modbus-serial: p99 ratio drivers(all)/bare ${ratio.toFixed(2)}x, drivers(SunSpec only)/bare ${ratioSunSpec.toFixed(2)}x (goal <= ${GOAL_RATIO}x)`,
    );
    console.log(
      `goal p99 < ${GOAL_P99_MS} ms: ${allFigures.p99 < GOAL_P99_MS ? 'met' : 'NOT met'}; goal within ${GOAL_RATIO}x of bare: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'}`,
    );
  } finally {
    child.disconnect();
    await once(child, 'exit');
  }
}

if (process.argv.includes('--serve-plant')) await servePlant();
else await main();
