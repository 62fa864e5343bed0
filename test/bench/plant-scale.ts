/**
 * Simulator benchmark (issue 2), two parts:
 *  1. 1,001 SunSpec devices (500 PV + battery nodes and the meter) in one process on a clock at 60x: wall time from
 *     startPlant() until every device has answered its SunSpec marker over its own TCP connection (32 at a time),
 *     then the plant process's CPU while idle for 10 s (its physics tick at 60x), as a share of one core.
 *  2. 50 miners on one OPC UA server: a plain node-opcua session reading one miner's 8 ParameterSet values in one
 *     Read request, 300 times (p50/p99), and the controller's driver setting a power target (SetPowerTarget call and
 *     read-back), 100 times. The controller itself reads miners by subscription (no request per cycle); the Read
 *     figure is what a polling client pays.
 *
 *   node --import tsx test/bench/plant-scale.ts [--only simulator|opcua]
 *
 * Everything runs in this one process (plant and clients), on 127.0.0.1; wall-clock figures move with the load.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AttributeIds, OPCUACertificateManager, OPCUAClient } from 'node-opcua';
import { startPlant } from '@gridcoop/devices/plant/index';
import { ScaledClock } from '@gridcoop/devices/sim/clock';
import { opcUaMiner } from '@gridcoop/controller/drivers/opcua/opcua-miner';
import { RawModbusTcp } from './raw-modbus-tcp.ts';

const USAGE = 'usage: npm run bench plant-scale [-- --only simulator|opcua]';
let parsed;
try {
  parsed = parseArgs({ options: { help: { type: 'boolean', default: false }, only: { type: 'string' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const only = parsed.values.only;
if (only !== undefined && only !== 'simulator' && only !== 'opcua') {
  console.error(`--only: simulator or opcua, got "${only}"\n${USAGE}`);
  process.exit(2);
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number): string => `${n.toFixed(2)} ms`;
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at the start`,
);

if (only !== 'opcua') {
  const started = performance.now();
  const plant = await startPlant({ nodes: 500, miners: [] }, { clock: new ScaledClock(60) });
  try {
    const devices = plant.endpoints.filter((e) => e.protocol === 'modbus-tcp');
    const listeningMs = performance.now() - started;
    const queue = [...devices];
    let answered = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let device = queue.shift(); device; device = queue.shift()) {
          const client = await RawModbusTcp.open(device.host!, device.port!, device.unitId ?? 1);
          const marker = await client.readHoldingRegisters(40_000, 2);
          if (marker.toString('latin1') === 'SunS') answered++;
          await client.close();
        }
      }),
    );
    const answeredMs = performance.now() - started;
    const cpu = process.cpuUsage();
    const idleStart = performance.now();
    await sleep(10_000);
    const used = process.cpuUsage(cpu);
    const idlePct = ((used.user + used.system) / 1000 / (performance.now() - idleStart)) * 100;
    console.log(
      `simulator: ${devices.length} SunSpec devices listening after ${(listeningMs / 1000).toFixed(1)} s; ${answered} answered their marker after ${(answeredMs / 1000).toFixed(1)} s; idle at 60x: ${idlePct.toFixed(1)} % of a core over 10 s`,
    );
  } finally {
    await plant.stop();
  }
}

if (only !== 'simulator') {
  const startMs = Date.UTC(2014, 0, 15, 2);
  const plant = await startPlant(
    { pvInverters: [], batteries: [], miners: Array.from({ length: 50 }, (_, i) => ({ id: `miner-${i + 1}` })) },
    { clock: new ScaledClock(1, startMs) },
  );
  const endpoint = plant.endpoints.find((e) => e.kind === 'miner')!;
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0 },
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: join(tmpdir(), 'gridcoop-opcua-pki', 'bench-client'),
    }),
  });
  const driver = opcUaMiner('miner-25', {
    endpointUrl: endpoint.endpointUrl!,
    browseName: 'miner-25',
    timeoutMs: 10_000,
  });
  try {
    await client.connect(endpoint.endpointUrl!);
    const session = await client.createSession();
    const namespaces = await session.readNamespaceArray();
    const ns = namespaces.indexOf('urn:gridcoop:opcua:miner-fleet');
    const points = [
      'Power',
      'PowerTarget',
      'MinPower',
      'MaxPower',
      'Hashrate',
      'Temperature',
      'EnergyConsumed',
      'State',
    ];
    const nodes = points.map((p) => ({
      nodeId: `ns=${ns};s=miner-25.ParameterSet.${p}`,
      attributeId: AttributeIds.Value,
    }));
    const reads: number[] = [];
    for (let i = 0; i < 320; i++) {
      const t = performance.now();
      const values = await session.read(nodes);
      if (i >= 20) reads.push(performance.now() - t);
      if (values.some((v) => !v.statusCode.isGood()))
        throw new Error(`read: ${values.map((v) => v.statusCode.name).join(', ')}`);
    }
    await session.close();
    await driver.connect();
    const writes: number[] = [];
    for (let i = 0; i < 110; i++) {
      const t = performance.now();
      await driver.write({ kind: 'power-target', powerTargetW: i % 2 ? 2_000 : 2_500 });
      if (i >= 10) writes.push(performance.now() - t);
    }
    reads.sort((a, b) => a - b);
    writes.sort((a, b) => a - b);
    console.log(
      `OPC UA, 50 miners on one server: Read of 8 values p50 ${ms(percentile(reads, 50))}, p99 ${ms(percentile(reads, 99))} (300 reads); SetPowerTarget + read-back by the driver p50 ${ms(percentile(writes, 50))}, p99 ${ms(percentile(writes, 99))} (100 writes)`,
    );
    console.log('the controller reads miners by subscription: its cycle sends no Read request to them');
  } finally {
    await driver.close();
    await client.disconnect();
    await plant.stop();
  }
}
console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
process.exit(0);
