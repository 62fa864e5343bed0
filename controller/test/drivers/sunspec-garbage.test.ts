import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelDef, ModelBlock } from '@gridcoop/sunspec';
import type { Measured } from '../../src/natures/index.ts';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import { startMapServer, type MapServer } from './fixtures/map-server.ts';
import { ManualTimer } from './fixtures/manual-timer.ts';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';

const READS = 150;

/**
 * Before every read, fills every point of every model with random words. Model IDs and lengths stay, so the map
 * can be walked; scale factors are plausible (-3..3) half the time so that garbage values get scaled, not only
 * rejected for their scale factor.
 */
function garbageDevice(
  modelIds: number[],
  seed: number,
): { blocks: ModelBlock[]; scramble: (registers: Uint16Array) => void } {
  const blocks = modelIds.map((id) => new ModelBlock(loadModelDef(id)));
  const next = seededRandom(seed);
  const structural = new Set<number>();
  const scaleFactors = new Set<number>();
  let at = 2;
  for (const block of blocks) {
    structural.add(at).add(at + 1);
    for (const point of block.def.points) if (point.type === 'sunssf') scaleFactors.add(at + point.offset);
    at += block.registers.length;
  }
  const end = at;
  return {
    blocks,
    scramble(registers) {
      for (let i = 2; i < end; i += 1) {
        if (structural.has(i)) continue;
        registers[i] =
          scaleFactors.has(i) && next() < 0.5 ? (Math.floor(next() * 7) - 3) & 0xffff : Math.floor(next() * 0x10000);
      }
    },
  };
}

function assertMeasured(value: Measured, min: number, max: number, what: string): void {
  if (value === null) return;
  assert.equal(typeof value, 'number', what);
  assert.ok(Number.isFinite(value) && value >= min && value <= max, `${what} = ${value} outside ${min}..${max}`);
}

describe('devices answering random garbage in every point', () => {
  const servers: MapServer[] = [];
  let inverterServer: MapServer;
  let batteryServer: MapServer;
  let meterServer: MapServer;
  before(async () => {
    const inverter = garbageDevice([1, 103, 120, 123], 1);
    const battery = garbageDevice([1, 120, 701, 124, 713], 2);
    const meter = garbageDevice([1, 203], 3);
    inverterServer = await startMapServer(inverter.blocks, { beforeRead: inverter.scramble });
    batteryServer = await startMapServer(battery.blocks, { beforeRead: battery.scramble });
    meterServer = await startMapServer(meter.blocks, { beforeRead: meter.scramble });
    servers.push(inverterServer, batteryServer, meterServer);
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  test('a PV inverter reading holds only unknowns or physically possible numbers', async () => {
    const inverter = sunSpecPvInverter('garbage-pv', inverterServer.endpoint);
    await inverter.connect();
    let numbers = 0;
    for (let i = 0; i < READS; i += 1) {
      const r = await inverter.read();
      assertMeasured(r.ratedPowerW, 1, 100e6, 'ratedPowerW');
      const bound = r.ratedPowerW === null ? 100e6 : 1.5 * r.ratedPowerW;
      assertMeasured(r.powerW, -bound, bound, 'powerW');
      assertMeasured(r.powerLimitPct, 0, 100, 'powerLimitPct');
      assertMeasured(r.energyWh, 0, 1e15, 'energyWh');
      assert.ok(
        ['off', 'sleeping', 'starting', 'mppt', 'throttled', 'shutting-down', 'fault', 'standby', 'unknown'].includes(
          r.state,
        ),
      );
      if (r.powerW !== null) numbers += 1;
    }
    await inverter.close();
    assert.ok(numbers > 0, 'some garbage happens to be plausible: the checks let real values through');
  });

  test('a battery reading holds only unknowns or physically possible numbers', async () => {
    const battery = sunSpecBattery('garbage-battery', batteryServer.endpoint, { timer: new ManualTimer() });
    await battery.connect();
    let numbers = 0;
    for (let i = 0; i < READS; i += 1) {
      const r = await battery.read();
      for (const [name, value] of [
        ['socPct', r.socPct],
        ['minReservePct', r.minReservePct],
      ] as const)
        assertMeasured(value, 0, 100, name);
      assertMeasured(r.capacityWh, 1, 1e9, 'capacityWh');
      assertMeasured(r.maxChargeW, 1, 100e6, 'maxChargeW');
      assertMeasured(r.maxDischargeW, 1, 100e6, 'maxDischargeW');
      assertMeasured(r.powerW, -150e6, 150e6, 'powerW');
      assertMeasured(r.energyInWh, 0, 1e15, 'energyInWh');
      assertMeasured(r.energyOutWh, 0, 1e15, 'energyOutWh');
      if (r.socPct !== null) numbers += 1;
    }
    await battery.close();
    assert.ok(numbers > 0);
  });

  test('a meter reading holds only unknowns or physically possible numbers', async () => {
    const meter = sunSpecMeter('garbage-meter', meterServer.endpoint);
    await meter.connect();
    let numbers = 0;
    for (let i = 0; i < READS; i += 1) {
      const r = await meter.read();
      assertMeasured(r.powerW, -100e6, 100e6, 'powerW');
      assertMeasured(r.frequencyHz, 40, 70, 'frequencyHz');
      assertMeasured(r.voltageV, 0, 50_000, 'voltageV');
      assertMeasured(r.energyImportedWh, 0, 1e15, 'energyImportedWh');
      assertMeasured(r.energyExportedWh, 0, 1e15, 'energyExportedWh');
      if (r.powerW !== null) numbers += 1;
    }
    await meter.close();
    assert.ok(numbers > 0);
  });
});
