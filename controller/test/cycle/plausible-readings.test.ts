import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  plausibleBatteryReading,
  plausibleFlexibleLoadReading,
  plausiblePvReading,
} from '../../src/natures/plausibility.ts';
import type { BatteryReading, FlexibleLoadReading, PvInverterReading } from '../../src/natures/index.ts';
import { demoSite } from './demo-site.ts';

const pv = (powerW: number | null, state: PvInverterReading['state']): PvInverterReading => ({
  powerW,
  ratedPowerW: 10_000,
  powerLimitPct: 100,
  energyWh: 1_000,
  state,
});

test('a PV inverter reading is plausible only within what it can do in the state it reports', () => {
  const limits = { ratedPowerW: 10_000 };
  // Feeding in: from its tare (-2 % of rating) to a little over its rating.
  assert.equal(plausiblePvReading(pv(10_500, 'mppt'), limits).reading.powerW, 10_500);
  assert.equal(plausiblePvReading(pv(-150, 'mppt'), limits).reading.powerW, -150);
  const negative = plausiblePvReading(pv(-4_500, 'mppt'), limits);
  assert.equal(negative.reading.powerW, null, '-45 % of its rating in MPPT is not taken as true');
  assert.match(negative.implausible[0]!.reason, /powerW -4500 W implausible .* in state mppt \(-200\.\.11000 W\)/);
  assert.equal(plausiblePvReading(pv(16_000, 'throttled'), limits).reading.powerW, null);
  // Asleep at night: its tare, not 5 kW.
  assert.equal(plausiblePvReading(pv(-40, 'sleeping'), limits).reading.powerW, -40);
  assert.equal(plausiblePvReading(pv(5_000, 'sleeping'), limits).reading.powerW, null);
  // The other points of the reading are kept.
  assert.equal(plausiblePvReading(pv(-4_500, 'mppt'), limits).reading.energyWh, 1_000);
});

test('battery and miner powers are plausible only within their ratings', () => {
  const battery: BatteryReading = {
    powerW: -5_200,
    socPct: 50,
    capacityWh: 10_000,
    maxChargeW: 5_000,
    maxDischargeW: 5_000,
    minReservePct: 5,
    energyInWh: 0,
    energyOutWh: 0,
    state: 'charging',
  };
  const limits = { maxChargeW: 5_000, maxDischargeW: 5_000 };
  assert.equal(plausibleBatteryReading(battery, limits).reading.powerW, -5_200);
  const wild = plausibleBatteryReading({ ...battery, powerW: 32_767 }, limits);
  assert.equal(wild.reading.powerW, null);
  assert.equal(wild.reading.socPct, 50, 'the state of charge is still known');
  const miner: FlexibleLoadReading = {
    powerW: 3_100,
    powerTargetW: 3_000,
    minPowerW: 1_000,
    maxPowerW: 3_000,
    hashrateThs: 100,
    temperatureC: 60,
    energyWh: 0,
    state: 'running',
  };
  assert.equal(plausibleFlexibleLoadReading(miner, { maxPowerW: 3_000 }).reading.powerW, 3_100);
  assert.equal(plausibleFlexibleLoadReading({ ...miner, powerW: -2_000 }, { maxPowerW: 3_000 }).reading.powerW, null);
});

test('a PV inverter reading -45 % of its rating in MPPT is isolated, and the site load is computed from the meter', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 4_000 });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  s.pv.reportedPowerW = -4_500;
  const report = await s.step();
  const snapshot = report.image.devices['pv-1']!;
  assert.equal(snapshot.fresh, false);
  assert.equal(snapshot.failure?.kind, 'bad-value');
  assert.match(
    snapshot.failure?.message ?? '',
    /pv-1.*powerW -4500 W implausible for a PV inverter rated 10000 W in state mppt/,
  );
  // Not commanded and not counted with its false value: what it really produces is part of what the meter sees.
  assert.ok(!report.commands.some((c) => c.deviceId === 'pv-1'));
  const loadW = report.inputs!.estimates.uncontrolledLoadNowW;
  assert.ok(Math.abs(loadW - (s.site.loadW - s.pv.acPowerW())) < 1, `uncontrolled load ${loadW} W`);

  s.pv.reportedPowerW = null;
  for (let i = 0; i < 10; i++) await s.step();
  assert.equal(s.cycle.deviceState('pv-1'), 'online', 'back once its readings are plausible again');
  await s.cycle.stop();
});
