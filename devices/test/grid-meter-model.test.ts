import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatteryModel } from '../src/models/battery.ts';
import { GridMeterModel } from '../src/models/grid-meter.ts';
import { PvInverterModel } from '../src/models/pv-inverter.ts';
import { SiteLoadModel } from '../src/models/site-load.ts';
import { victorianDemandShape } from '../src/profiles/vic-demand.ts';
import { ManualClock } from '../src/sim/clock.ts';

function site(pvCf: number, loadShare: number) {
  const clock = new ManualClock();
  const load = new SiteLoadModel({ id: 'load', peakW: 30_000, profile: () => loadShare });
  const pv = new PvInverterModel({ id: 'pv', ratedPowerW: 20_000, profile: () => pvCf, stringLossFraction: 0 });
  const battery = new BatteryModel({
    id: 'bat',
    capacityWh: 20_000,
    maxChargeW: 5000,
    maxDischargeW: 5000,
    rampWPerS: 1e9,
  });
  const meter = new GridMeterModel({ id: 'meter', behindTheMeter: [load, pv, battery] });
  meter.advanceTo(clock.now());
  return { clock, load, pv, battery, meter };
}

test('the meter reads load minus generation, import positive', () => {
  const { clock, load, pv, battery, meter } = site(0.5, 0.5);
  battery.setSetpoint({ powerW: 2000, reversionMs: 0 }, clock.now());
  clock.advance(1000);
  meter.advanceTo(clock.now());
  assert.equal(load.demandW, 15_000);
  assert.equal(pv.acPowerW, 10_000);
  assert.equal(meter.powerW, 15_000 - 10_000 - 2000);
});

test('import and export counters integrate the balance in each direction and never decrease', () => {
  const { clock, battery, meter } = site(0.5, 0.5); // 15 kW load, 10 kW PV: 5 kW import
  clock.advance(3_600_000);
  meter.advanceTo(clock.now());
  assert.ok(Math.abs(meter.energyImportedWh - 5000) < 1e-6, `import ${meter.energyImportedWh}`);
  assert.equal(meter.energyExportedWh, 0);
  battery.setSetpoint({ powerW: -5000, reversionMs: 0 }, clock.now()); // now 10 kW import
  clock.advance(1_800_000);
  meter.advanceTo(clock.now());
  assert.ok(Math.abs(meter.energyImportedWh - 10_000) < 1e-6);
});

test('export is counted when generation exceeds the load', () => {
  const { clock, meter } = site(0.6, 0.2); // 6 kW load, 12 kW PV
  clock.advance(3_600_000);
  meter.advanceTo(clock.now());
  assert.ok(Math.abs(meter.energyExportedWh - 6000) < 1e-6);
  assert.equal(meter.energyImportedWh, 0);
});

test('site energy balances: import - export = load - PV + battery in - battery out', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 14, 14)); // midnight in Melbourne, through the next day
  const load = new SiteLoadModel({ id: 'load', peakW: 30_000, profile: victorianDemandShape() });
  const pv = new PvInverterModel({ id: 'pv', ratedPowerW: 20_000, profile: () => 0.4 });
  const battery = new BatteryModel({ id: 'bat', capacityWh: 20_000, maxChargeW: 5000, maxDischargeW: 5000 });
  const meter = new GridMeterModel({ id: 'meter', behindTheMeter: [load, pv, battery] });
  meter.advanceTo(clock.now());
  for (let hour = 0; hour < 24; hour++) {
    battery.setSetpoint({ powerW: hour < 12 ? -3000 : 3000, reversionMs: 0 }, clock.now());
    clock.advance(3_600_000);
    meter.advanceTo(clock.now());
  }
  const net = meter.energyImportedWh - meter.energyExportedWh;
  const expected = load.energyConsumedWh - pv.lifetimeEnergyWh + battery.energyInWh - battery.energyOutWh;
  assert.ok(Math.abs(net - expected) < 1e-6, `meter ${net} vs devices ${expected}`);
  assert.ok(meter.frequencyHz > 49.9 && meter.frequencyHz < 50.1);
  assert.ok(meter.voltageV > 220 && meter.voltageV < 240);
});
