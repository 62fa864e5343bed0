import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  balancingPower,
  defaultOpenEmsParameters,
  distributeEss,
  distributePvLimit,
  essAllowedRange,
  HeatingElementOnMiners,
  OpenEmsEdge,
  peakShavingPower,
  PidFilter,
  SellToGridLimit,
} from './openems-controllers.ts';

const params = defaultOpenEmsParameters({
  importCapW: 18_000,
  exportCapW: 5_000,
  minerMaxPowerW: 3_000,
  minerMinOnOffS: 300,
});

test('Balancing asks the ESS for grid + ESS - target (discharge positive)', () => {
  // Importing 8 kW while discharging 2 kW, target 5 kW import: discharge 5 kW.
  assert.equal(balancingPower(2_000, 8_000, 5_000), 5_000);
  // Exporting 3 kW, target 0: charge 3 kW.
  assert.equal(balancingPower(0, -3_000, 0), -3_000);
});

test('PeakShaving shaves above peakShavingPower, recharges below rechargePower and holds in between', () => {
  assert.equal(peakShavingPower(0, 20_000, params), 2_000);
  assert.equal(peakShavingPower(0, 1_000, params), 1_000 - params.rechargePowerW);
  assert.equal(peakShavingPower(1_000, 10_000, params), 0);
});

test('SellToGridLimit moves at most 20 % of its last limit per cycle once both are above 100 W', () => {
  const limit = new SellToGridLimit();
  // First cycle: no last limit, so the computed one is taken as it is: grid -9 kW + PV 20 kW + 5 kW allowed.
  assert.equal(limit.next(-9_000, 20_000, 5_000), 16_000);
  // Wants 6 kW: 20 % of 16 kW down per cycle.
  assert.equal(limit.next(-19_000, 20_000, 5_000), 12_800);
  assert.equal(limit.next(-19_000, 20_000, 5_000), 10_240);
  // A small step goes straight.
  assert.equal(limit.next(-14_900, 20_000, 5_000), 10_100);
});

test('the PID filter keeps its output within the limits and closes the error over cycles', () => {
  const pid = new PidFilter(params.pid);
  let essW = 0;
  for (let i = 0; i < 40; i++) essW = pid.apply(essW, 4_000, -15_000, 15_000);
  assert.ok(Math.abs(essW - 4_000) < 50, `settled at ${essW} W`);
  const limited = new PidFilter(params.pid);
  let out = 0;
  for (let i = 0; i < 30; i++) out = limited.apply(out, 50_000, -15_000, 15_000);
  assert.equal(out, 15_000);
});

test('the PV cluster splits its limit equally and gives what an inverter cannot take to the others', () => {
  assert.deepEqual(distributePvLimit(30_000, [10_000, 15_000, 20_000]), [10_000, 10_000, 10_000]);
  assert.deepEqual(distributePvLimit(36_000, [10_000, 15_000, 20_000]), [10_000, 13_000, 13_000]);
  assert.deepEqual(distributePvLimit(-500, [10_000, 15_000]), [0, 0]);
});

test('the ESS cluster splits by what each battery may do: nothing below its reserve, nothing more when full', () => {
  const allowed = essAllowedRange([
    { powerW: 0, socPct: 10, maxChargeW: 5_000, maxDischargeW: 5_000, minReservePct: 10 },
    { powerW: 0, socPct: 100, maxChargeW: 10_000, maxDischargeW: 10_000, minReservePct: 10 },
  ]);
  assert.deepEqual([allowed.minW, allowed.maxW], [-5_000, 10_000]);
  assert.deepEqual(distributeEss(6_000, allowed.each), [0, 6_000]);
  assert.deepEqual(distributeEss(-3_000, allowed.each), [-3_000, 0]);
});

test('the heating element switches miners by excess power and waits minimumSwitchingTime between changes', () => {
  const heating = new HeatingElementOnMiners(params, 0);
  // 7 kW more export than the schedule wants, battery not discharging: two miners.
  assert.equal(heating.next(0, -7_000, 0, 0), 2);
  // Excess gone at once: the level holds for 300 s.
  assert.equal(heating.next(60_000, 6_000, 0, 0), 2);
  assert.equal(heating.next(301_000, 6_000, 0, 0), 0);
  // A discharging battery is no excess.
  const other = new HeatingElementOnMiners(params, 0);
  assert.equal(other.next(0, -4_000, 4_000, 0), 0);
});

test('in AllAlphabetically order Balancing fixes the ESS and PeakShaving cannot change it', () => {
  const edge = new OpenEmsEdge(params, 0);
  const out = edge.cycle({
    nowMs: 0,
    gridW: 20_000,
    targetGridW: 12_000,
    batteries: [
      { powerW: 0, socPct: 50, maxChargeW: 5_000, maxDischargeW: 5_000, minReservePct: 10 },
      { powerW: 0, socPct: 50, maxChargeW: 10_000, maxDischargeW: 10_000, minReservePct: 10 },
    ],
    pvInverters: [{ powerW: 0, ratedPowerW: 10_000 }],
  });
  assert.equal(out.essSetBy, 'ctrlBalancing0');
  // PID first cycle: 0.3 x 8 kW, split 1:2.
  assert.deepEqual(out.batteryW, [800, 1_600]);
  // PeakShaving wanted 2 kW (20 kW above 18 kW) and was ignored.
  assert.equal(out.peakShavingOverridden, true);
});
