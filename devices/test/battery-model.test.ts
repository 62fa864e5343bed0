import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatteryCommandError, BatteryModel, type BatteryConfig } from '../src/models/battery.ts';
import { ManualClock } from '../src/sim/clock.ts';

const HOUR_MS = 3_600_000;

function battery(extra: Partial<BatteryConfig> = {}) {
  const clock = new ManualClock();
  const model = new BatteryModel({
    id: 'bat-1',
    capacityWh: 10_000,
    maxChargeW: 5000,
    maxDischargeW: 5000,
    initialSocPct: 50,
    roundTripEfficiency: 0.81,
    minReservePct: 10,
    rampWPerS: 1e9,
    ...extra,
  });
  model.advanceTo(clock.now());
  return { clock, model };
}

function run(model: BatteryModel, clock: ManualClock, ms: number): void {
  clock.advance(ms);
  model.advanceTo(clock.now());
}

test('energy is conserved with the efficiency split sqrt each way', () => {
  const { clock, model } = battery();
  model.setSetpoint({ powerW: -2000, reversionMs: 0 }, clock.now());
  run(model, clock, HOUR_MS);
  // 2000 Wh in at the AC side, 0.9 of it stored.
  assert.ok(Math.abs(model.storedEnergyWh - (5000 + 1800)) < 1e-6, `stored ${model.storedEnergyWh}`);
  assert.ok(Math.abs(model.energyInWh - 2000) < 1e-6);
  model.setSetpoint({ powerW: 1620, reversionMs: 0 }, clock.now());
  run(model, clock, HOUR_MS);
  // 1620 Wh out at the AC side takes 1800 Wh from the cells: back where it started, round trip 0.81.
  assert.ok(Math.abs(model.storedEnergyWh - 5000) < 1e-6, `stored ${model.storedEnergyWh}`);
  assert.ok(Math.abs(model.energyOutWh / model.energyInWh - 0.81) < 1e-9);
});

test('a battery at its reserve is never discharged further', () => {
  const { clock, model } = battery({ initialSocPct: 12 });
  model.setSetpoint({ powerW: 5000, reversionMs: 0 }, clock.now());
  run(model, clock, HOUR_MS);
  assert.ok(Math.abs(model.socPct - 10) < 1e-9, `soc ${model.socPct}`);
  assert.equal(model.acPowerW, 0);
  assert.equal(model.state, 'EMPTY');
  const outAtReserve = model.energyOutWh;
  run(model, clock, HOUR_MS);
  assert.equal(model.energyOutWh, outAtReserve);
  assert.ok(model.socPct >= 10 - 1e-9);
});

test('a raised reserve stops discharge at the new reserve', () => {
  const { clock, model } = battery({ initialSocPct: 60 });
  model.setMinReservePct(40);
  model.setSetpoint({ powerW: 5000, reversionMs: 0 }, clock.now());
  run(model, clock, 2 * HOUR_MS);
  assert.ok(Math.abs(model.socPct - 40) < 1e-9);
});

test('a full battery takes no more charge', () => {
  const { clock, model } = battery({ initialSocPct: 98 });
  model.setSetpoint({ powerW: -5000, reversionMs: 0 }, clock.now());
  run(model, clock, HOUR_MS);
  assert.ok(model.socPct <= 100 && model.socPct > 99.999);
  assert.equal(model.state, 'FULL');
});

test('power changes no faster than the ramp limit', () => {
  const { clock, model } = battery({ rampWPerS: 500 });
  model.setSetpoint({ powerW: 4000, reversionMs: 0 }, clock.now());
  let previous = model.acPowerW;
  for (let i = 0; i < 10; i++) {
    run(model, clock, 1000);
    assert.ok(model.acPowerW - previous <= 500 + 1e-9, `step ${i}: ${previous} -> ${model.acPowerW}`);
    previous = model.acPowerW;
  }
  assert.equal(model.acPowerW, 4000);
  model.setSetpoint({ powerW: -4000, reversionMs: 0 }, clock.now());
  run(model, clock, 4000);
  assert.equal(model.acPowerW, 2000);
});

test('a setpoint not refreshed within its reversion time falls back to idle, even inside one big jump', () => {
  const { clock, model } = battery();
  model.setSetpoint({ powerW: 3000, reversionMs: 60_000 }, clock.now());
  run(model, clock, 15 * 60_000);
  assert.equal(model.acPowerW, 0);
  assert.equal(model.setpointW, 0);
  assert.equal(model.state, 'HOLDING');
  // Exactly one minute at 3 kW came out.
  assert.ok(Math.abs(model.energyOutWh - 50) < 1e-6, `out ${model.energyOutWh}`);
});

test('energy counters only ever grow', () => {
  const { clock, model } = battery({ rampWPerS: 200 });
  let inWh = 0;
  let outWh = 0;
  for (let i = 0; i < 40; i++) {
    model.setSetpoint({ powerW: i % 2 === 0 ? 3000 : -3000, reversionMs: 0 }, clock.now());
    run(model, clock, 90_000);
    assert.ok(model.energyInWh >= inWh && model.energyOutWh >= outWh);
    inWh = model.energyInWh;
    outWh = model.energyOutWh;
  }
  assert.ok(inWh > 0 && outWh > 0);
});

test('a faulted battery delivers nothing and forgets its setpoint', () => {
  const { clock, model } = battery();
  model.setSetpoint({ powerW: 3000, reversionMs: 0 }, clock.now());
  run(model, clock, 1000);
  model.setFault(true);
  assert.equal(model.state, 'FAULT');
  run(model, clock, 60_000);
  assert.equal(model.acPowerW, 0);
  model.setFault(false);
  run(model, clock, 1000);
  assert.equal(model.acPowerW, 0);
  assert.equal(model.state, 'HOLDING');
});

test('degradation shrinks capacity and round-trip efficiency', () => {
  const { clock, model } = battery({ initialSocPct: 90 });
  model.degrade({ capacityFadeFraction: 0.2, efficiencyLoss: 0.1 });
  assert.equal(model.capacityWh, 8000);
  assert.equal(model.sohPct, 80);
  assert.equal(model.socPct, 100); // 9000 Wh cannot fit in 8000 Wh
  assert.ok(Math.abs(model.roundTripEfficiency - 0.729) < 1e-12);
  model.setSetpoint({ powerW: 1000, reversionMs: 0 }, clock.now());
  run(model, clock, HOUR_MS);
  assert.ok(Math.abs(model.storedEnergyWh - (8000 - 1000 / Math.sqrt(0.729))) < 1e-6);
});

test('a setpoint beyond the ratings is refused with a typed error and the old setpoint stays', () => {
  const { clock, model } = battery();
  model.setSetpoint({ powerW: 1000, reversionMs: 0 }, clock.now());
  assert.throws(
    () => model.setSetpoint({ powerW: 9000, reversionMs: 0 }, clock.now()),
    (error: unknown) =>
      error instanceof BatteryCommandError && error.deviceId === 'bat-1' && /9000/.test(error.message),
  );
  assert.throws(() => model.setSetpoint({ powerW: -6000, reversionMs: 0 }, clock.now()), BatteryCommandError);
  assert.throws(() => model.setSetpoint({ powerW: Number.NaN, reversionMs: 0 }, clock.now()), BatteryCommandError);
  assert.equal(model.setpointW, 1000);
  assert.throws(
    () => new BatteryModel({ id: 'bad', capacityWh: -1, maxChargeW: 1, maxDischargeW: 1 }),
    BatteryCommandError,
  );
});
