import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PvInverterCommandError, PvInverterModel } from '../src/models/pv-inverter.ts';
import { victorianPvProfile } from '../src/profiles/pv-capacity-factor.ts';
import { ManualClock } from '../src/sim/clock.ts';

const melbourne = (y: number, m: number, d: number, h: number): number => Date.UTC(y, m - 1, d, h - 10);
const constantSun = (cf: number) => () => cf;

function inverter(cf = 0.5, extra: Partial<ConstructorParameters<typeof PvInverterModel>[0]> = {}) {
  const clock = new ManualClock(melbourne(2026, 1, 15, 12));
  const model = new PvInverterModel({
    id: 'pv-1',
    ratedPowerW: 10_000,
    profile: constantSun(cf),
    stringLossFraction: 0,
    ...extra,
  });
  model.advanceTo(clock.now());
  return { clock, model };
}

test('output is rating x capacity factor x (1 - string loss)', () => {
  const { model } = inverter(0.5, { stringLossFraction: 0.1 });
  assert.equal(model.acPowerW, 10_000 * 0.5 * 0.9);
  assert.equal(model.state, 'MPPT');
});

test('on the real profile an inverter produces at summer noon and sleeps at night', () => {
  const clock = new ManualClock(melbourne(2026, 1, 15, 0));
  const model = new PvInverterModel({ id: 'pv-1', ratedPowerW: 10_000, profile: victorianPvProfile() });
  model.advanceTo(clock.now());
  assert.equal(model.acPowerW, 0);
  assert.equal(model.state, 'SLEEPING');
  clock.set(melbourne(2026, 1, 15, 12));
  model.advanceTo(clock.now());
  assert.ok(model.acPowerW > 3000, `noon output ${model.acPowerW} W`);
  assert.equal(model.state, 'MPPT');
  assert.ok(model.lifetimeEnergyWh > 10_000, `morning energy ${model.lifetimeEnergyWh} Wh`);
});

test('at first light the inverter is STARTING before it feeds in', () => {
  let cf = 0;
  const clock = new ManualClock();
  const model = new PvInverterModel({ id: 'pv-1', ratedPowerW: 10_000, profile: () => cf, startingMs: 30_000 });
  model.advanceTo(clock.now());
  assert.equal(model.state, 'SLEEPING');
  cf = 0.2;
  clock.advance(1000);
  model.advanceTo(clock.now());
  assert.equal(model.state, 'STARTING');
  assert.equal(model.acPowerW, 0);
  clock.advance(30_000);
  model.advanceTo(clock.now());
  assert.equal(model.state, 'MPPT');
  assert.ok(model.acPowerW > 0);
});

test('a power limit ramps at the configured %/s and the inverter is THROTTLED under it', () => {
  const { clock, model } = inverter(0.8, { limitRampPctPerS: 10 });
  model.setPowerLimit({ limitPct: 30, reversionMs: 0 }, clock.now());
  clock.advance(2000);
  model.advanceTo(clock.now());
  assert.equal(model.powerLimitInForcePct, 80); // 100 -> 80 in 2 s at 10 %/s
  assert.equal(model.acPowerW, 8000);
  clock.advance(5000);
  model.advanceTo(clock.now());
  assert.equal(model.powerLimitInForcePct, 30);
  assert.equal(model.acPowerW, 3000);
  assert.equal(model.state, 'THROTTLED');
});

test('a ramp time given with the limit sets how long the move takes', () => {
  const { clock, model } = inverter(1);
  model.setPowerLimit({ limitPct: 50, reversionMs: 0, rampMs: 10_000 }, clock.now());
  clock.advance(5000);
  model.advanceTo(clock.now());
  assert.equal(model.powerLimitInForcePct, 75);
});

test('a limit not refreshed within its reversion time reverts to 100 %, even across one big clock jump', () => {
  const { clock, model } = inverter(0.8, { limitRampPctPerS: 100 });
  model.setPowerLimit({ limitPct: 20, reversionMs: 60_000 }, clock.now());
  clock.advance(30_000);
  model.advanceTo(clock.now());
  assert.equal(model.acPowerW, 2000);
  model.setPowerLimit({ limitPct: 20, reversionMs: 60_000 }, clock.now()); // refreshed: the reversion restarts
  clock.advance(59_000);
  model.advanceTo(clock.now());
  assert.equal(model.acPowerW, 2000);
  assert.equal(model.powerLimitEnabled, true);
  clock.advance(15 * 60_000);
  model.advanceTo(clock.now());
  assert.equal(model.powerLimitEnabled, false);
  assert.equal(model.powerLimitPct, 100);
  assert.equal(model.acPowerW, 8000);
});

test('a 0 % limit sends the inverter to STANDBY', () => {
  const { clock, model } = inverter(0.5, { limitRampPctPerS: 100 });
  model.setPowerLimit({ limitPct: 0, reversionMs: 0 }, clock.now());
  clock.advance(2000);
  model.advanceTo(clock.now());
  assert.equal(model.state, 'STANDBY');
  assert.equal(model.acPowerW, 0);
});

test('the lifetime energy counter integrates output and never decreases', () => {
  const { clock, model } = inverter(0.5, { initialEnergyWh: 1_000_000 });
  let previous = model.lifetimeEnergyWh;
  for (let i = 0; i < 60; i++) {
    clock.advance(60_000);
    model.advanceTo(clock.now());
    assert.ok(model.lifetimeEnergyWh >= previous);
    previous = model.lifetimeEnergyWh;
  }
  assert.ok(Math.abs(model.lifetimeEnergyWh - 1_000_000 - 5000) < 1e-6, `one hour at 5 kW: ${model.lifetimeEnergyWh}`);
});

test('degraded strings lower the output by the loss given', () => {
  const { clock, model } = inverter(0.5);
  model.degrade({ stringLossFraction: 0.2 });
  clock.advance(1000);
  model.advanceTo(clock.now());
  assert.equal(model.acPowerW, 4000);
});

test('a fault stops output at once; after it clears the inverter starts again', () => {
  const { clock, model } = inverter(0.5, { startingMs: 10_000 });
  model.setFault(true);
  assert.equal(model.state, 'FAULT');
  assert.equal(model.acPowerW, 0);
  clock.advance(60_000);
  model.advanceTo(clock.now());
  assert.equal(model.acPowerW, 0);
  model.setFault(false);
  assert.equal(model.state, 'STARTING');
  clock.advance(10_000);
  model.advanceTo(clock.now());
  assert.equal(model.state, 'MPPT');
});

test('a limit outside 0..100 % is refused with a typed error and the limit in force is kept', () => {
  const { clock, model } = inverter(0.5);
  model.setPowerLimit({ limitPct: 40, reversionMs: 0 }, clock.now());
  assert.throws(
    () => model.setPowerLimit({ limitPct: 120, reversionMs: 0 }, clock.now()),
    (error: unknown) =>
      error instanceof PvInverterCommandError && error.deviceId === 'pv-1' && /120/.test(error.message),
  );
  assert.throws(
    () => model.setPowerLimit({ limitPct: Number.NaN, reversionMs: 0 }, clock.now()),
    PvInverterCommandError,
  );
  assert.equal(model.powerLimitPct, 40);
  assert.throws(() => model.degrade({ stringLossFraction: 1.5 }), PvInverterCommandError);
  assert.equal(model.stringLossFraction, 0);
});
