import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultSwitch, type FaultKind } from '../src/faults/fault.ts';
import { BatteryModel } from '../src/models/battery.ts';
import { ManualClock } from '../src/sim/clock.ts';
import { BatteryFace } from '../src/sunspec-faces/battery-face.ts';

const REVERSION_MS = 60_000;
const DISCHARGE_W = 3000;

/** A battery behind its SunSpec face, discharging on a setpoint that reverts after REVERSION_MS. */
function dischargingBattery() {
  const clock = new ManualClock();
  const model = new BatteryModel({
    id: 'bat-faults',
    capacityWh: 10_000,
    maxChargeW: 5000,
    maxDischargeW: 5000,
    initialSocPct: 80,
    roundTripEfficiency: 0.9,
    minReservePct: 10,
    rampWPerS: 1e9,
  });
  const faults = new FaultSwitch();
  const advance = (): number => {
    model.advanceTo(clock.now());
    return clock.now();
  };
  const face = new BatteryFace({
    model,
    faults,
    identity: { manufacturer: 'GridCoop', model: 'SimBattery', serialNumber: 'bat-faults', version: '1', unitId: 1 },
    advance,
  });
  model.setSetpoint({ powerW: DISCHARGE_W, reversionMs: REVERSION_MS }, clock.now());
  const runMs = (ms: number): void => {
    clock.advance(ms);
    face.refresh();
  };
  runMs(1000);
  assert.equal(model.acPowerW, DISCHARGE_W);
  return { model, faults, runMs };
}

const communicationFaults: FaultKind[] = [
  'refuse-connections',
  'drop-connection',
  'stop-answering',
  'slow',
  'exception',
  'sentinels',
  'out-of-range',
];

for (const kind of communicationFaults) {
  test(`a '${kind}' fault leaves the battery's setpoint in force until its reversion time`, () => {
    const { model, faults, runMs } = dischargingBattery();
    faults.inject({ kind, delayMs: 500 });
    runMs(REVERSION_MS - 10_000);
    assert.equal(model.state, 'DISCHARGING');
    assert.equal(model.acPowerW, DISCHARGE_W, 'the setpoint is still in force before its reversion time');
    faults.clear();
    runMs(1000);
    assert.equal(model.acPowerW, DISCHARGE_W, 'clearing a communication fault does not touch the setpoint either');
    runMs(10_000);
    assert.equal(model.acPowerW, 0, 'the setpoint reverts at its reversion time');
  });
}

test('a device fault stops the battery at once, and after clearing it idles instead of resuming', () => {
  const { model, faults, runMs } = dischargingBattery();
  faults.inject({ kind: 'device-fault' });
  runMs(1000);
  assert.equal(model.state, 'FAULT');
  assert.equal(model.acPowerW, 0);
  faults.clear();
  runMs(1000);
  assert.notEqual(model.state, 'FAULT');
  assert.equal(model.acPowerW, 0);
});

test('switching from a communication fault to a device fault still trips the battery', () => {
  const { model, faults, runMs } = dischargingBattery();
  faults.inject({ kind: 'stop-answering' });
  runMs(1000);
  faults.inject({ kind: 'device-fault' });
  runMs(1000);
  assert.equal(model.state, 'FAULT');
  assert.equal(model.acPowerW, 0);
});
