import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ModbusException, ModbusExceptionCode } from '@gridcoop/devices/modbus/modbus-exception';
import { loadModelDef, ModelBlock } from '@gridcoop/sunspec';
import { DeviceError } from '../../src/natures/index.ts';
import { sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import { startMapServer, type MapServer } from './fixtures/map-server.ts';
import { ManualTimer } from './fixtures/manual-timer.ts';

const BASE = 40000;
const CAP_PCT = 70;

/** A 5 kW inverter whose grid operator capped it at 70 %: it accepts a higher limit but keeps its cap. */
function cappedInverterBlocks(): { blocks: ModelBlock[]; controlsAddress: number } {
  const common = new ModelBlock(loadModelDef(1));
  common.set('Mn', 'Capped');
  common.set('SN', 'CAP-1');
  const inverter = new ModelBlock(loadModelDef(103));
  inverter.set('W_SF', 0);
  inverter.set('W', 3000);
  inverter.set('St', 4);
  const nameplate = new ModelBlock(loadModelDef(120));
  nameplate.set('WRtg_SF', 0);
  nameplate.set('WRtg', 5000);
  const controls = new ModelBlock(loadModelDef(123));
  controls.set('WMaxLimPct_SF', 0);
  controls.set('WMaxLimPct', CAP_PCT);
  controls.set('WMaxLimPct_RvrtTms', 0);
  controls.set('WMaxLim_Ena', 1);
  const blocks = [common, inverter, nameplate, controls];
  const controlsAddress = BASE + 2 + common.registers.length + inverter.registers.length + nameplate.registers.length;
  return { blocks, controlsAddress };
}

describe('a device that does not keep what was written', () => {
  let server: MapServer;
  before(async () => {
    const { blocks, controlsAddress } = cappedInverterBlocks();
    const limitAddress = controlsAddress + loadModelDef(123).points.find((p) => p.name === 'WMaxLimPct')!.offset;
    server = await startMapServer(blocks, {
      baseAddress: BASE,
      onWrite(address, values, registers) {
        registers.set(values, address - BASE);
        const at = limitAddress - BASE;
        registers[at] = Math.min(registers[at]!, CAP_PCT);
      },
    });
  });
  after(() => server.stop());

  test('a limit above the device’s own cap reads back lower and is write-rejected naming the point', async () => {
    const inverter = sunSpecPvInverter('capped', server.endpoint, { timer: new ManualTimer() });
    try {
      await inverter.connect();
      await assert.rejects(inverter.write({ powerLimitPct: 90, reversionS: 60 }), (e: unknown) => {
        assert.ok(e instanceof DeviceError);
        assert.equal(e.kind, 'write-rejected');
        assert.equal(e.deviceId, 'capped');
        assert.match(e.message, /model 123 point WMaxLimPct \(register \d+\): wrote 90, read back 70/);
        return true;
      });
      // The cap the device holds is what the controller now sees: it was respected, not overwritten.
      assert.equal((await inverter.read()).powerLimitPct, CAP_PCT);
    } finally {
      await inverter.close();
    }
  });

  test('a limit within the cap is written and confirmed', async () => {
    const inverter = sunSpecPvInverter('capped', server.endpoint, { timer: new ManualTimer() });
    try {
      await inverter.connect();
      await inverter.write({ powerLimitPct: 55, reversionS: 60 });
      assert.equal((await inverter.read()).powerLimitPct, 55);
    } finally {
      await inverter.close();
    }
  });
});

describe('a device that lacks the optional window and ramp times of model 123', () => {
  let server: MapServer;
  const written: Array<{ address: number; count: number }> = [];
  let controlsAddress = 0;
  const offsetOf = (name: string): number => loadModelDef(123).points.find((p) => p.name === name)!.offset;
  before(async () => {
    const built = cappedInverterBlocks();
    controlsAddress = built.controlsAddress;
    const unimplemented = ['WMaxLimPct_WinTms', 'WMaxLimPct_RmpTms'].map((name) => controlsAddress + offsetOf(name));
    server = await startMapServer(built.blocks, {
      baseAddress: BASE,
      onWrite(address, values, registers) {
        // Like an inverter that answers "illegal data address" for a write to a point it does not implement.
        if (unimplemented.some((a) => a >= address && a < address + values.length))
          throw new ModbusException(ModbusExceptionCode.IllegalDataAddress, 'point not implemented');
        written.push({ address, count: values.length });
        registers.set(values, address - BASE);
      },
    });
  });
  after(() => server.stop());

  test('a power limit writes only implemented points: WinTms and RmpTms (0xFFFF) are never written back', async () => {
    const readBack = server.registers[controlsAddress - BASE + offsetOf('WMaxLimPct_WinTms')];
    assert.equal(readBack, 0xffff, 'the device reads WinTms as not implemented');
    const inverter = sunSpecPvInverter('no-windows', server.endpoint, { timer: new ManualTimer() });
    try {
      await inverter.connect();
      await inverter.write({ powerLimitPct: 40, reversionS: 60 });
      assert.equal((await inverter.read()).powerLimitPct, 40);
      const touched = written.flatMap(({ address, count }) =>
        Array.from({ length: count }, (_, i) => address + i - controlsAddress),
      );
      assert.deepEqual(
        touched.sort((a, b) => a - b),
        ['WMaxLimPct', 'WMaxLimPct_RvrtTms', 'WMaxLim_Ena'].map(offsetOf).sort((a, b) => a - b),
      );
    } finally {
      await inverter.close();
    }
  });
});
