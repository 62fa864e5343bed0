import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
// The controller's own SunSpec drivers are the reader that matters: a face that fits its registers for them fits
// the real control cycle (the 1,000-device benchmark failed exactly here).
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../../controller/src/drivers/sunspec/index.ts';
import type { BatteryModel } from '../src/models/battery.ts';
import type { GridMeterModel } from '../src/models/grid-meter.ts';
import type { PvInverterModel } from '../src/models/pv-inverter.ts';
import { startTestPlant, SUMMER_NOON_MS } from './support/plant-fixture.ts';

type TestPlant = Awaited<ReturnType<typeof startTestPlant>>;

/** A plant of several MW: 3.3 MW of site load, a 2 MW of PV and a 1 MW battery. */
let site: TestPlant;
before(async () => {
  site = await startTestPlant(
    {
      site: { loadPeakW: 3_300_000 },
      pvInverters: [
        { id: 'pv-big', ratedPowerW: 1_000_000 },
        { id: 'pv-big-2', ratedPowerW: 1_000_000 },
      ],
      batteries: [
        { id: 'bat-big', capacityWh: 3_000_000, maxChargeW: 1_000_000, maxDischargeW: 1_000_000, initialSocPct: 80 },
      ],
    },
    SUMMER_NOON_MS,
  );
});
after(() => site?.stop());

function endpointOf(id: string) {
  const e = site.endpoint(id);
  return { transport: 'tcp' as const, host: e.host as string, port: e.port as number, unitId: e.unitId as number };
}

test('a multi-MW plant reads right through sunSpecMeter: power and both energy counters', async () => {
  const meter = sunSpecMeter('meter-1', endpointOf('meter-1'));
  const battery = sunSpecBattery('bat-big', endpointOf('bat-big'));
  try {
    await meter.connect();
    await battery.connect();
    // Charge the battery at full power on top of the site load: the site imports MWs.
    await battery.write({ powerW: -1_000_000, reversionS: 600 });
    site.clock.advance(60_000);
    const model = site.plant.model('meter-1') as GridMeterModel;
    const reading = await meter.read();
    assert.ok(Math.abs(model.powerW) > 1_000_000, `the site's exchange is over a MW (${model.powerW} W)`);
    assert.ok(reading.powerW !== null, 'the meter power is known');
    // W_SF of a 6 MW connection is 3 (1 kW steps, int16 with room): the reading is right to half a step.
    assert.ok(Math.abs(reading.powerW - model.powerW) <= 500, `meter ${reading.powerW} W, model ${model.powerW} W`);
    // TotWh_SF 1 at 6 MW (a year at full power fits the acc32 counter): the counters are right to 10 Wh. A counter
    // still at 0 reads as unknown (SunSpec's "not accumulated").
    assert.equal(reading.energyImportedWh, Math.floor(model.energyImportedWh / 10) * 10);
    assert.equal(reading.energyExportedWh, Math.floor(model.energyExportedWh / 10) * 10 || null);
    assert.ok((reading.energyImportedWh ?? 0) > 10_000, 'a minute of MW import shows on the counter');
  } finally {
    await meter.close();
    await battery.close();
  }
});

test('a multi-MW PV inverter and battery read right through their drivers', async () => {
  const pv = sunSpecPvInverter('pv-big', endpointOf('pv-big'));
  const battery = sunSpecBattery('bat-big', endpointOf('bat-big'));
  try {
    await pv.connect();
    await battery.connect();
    site.clock.advance(1000);
    const pvReading = await pv.read();
    const pvModel = site.plant.model('pv-big') as PvInverterModel;
    assert.ok(pvModel.acPowerW > 200_000, `summer noon sun on 1 MW (${pvModel.acPowerW} W)`);
    assert.ok(pvReading.powerW !== null && Math.abs(pvReading.powerW - pvModel.acPowerW) <= 100);
    assert.equal(pvReading.ratedPowerW, 1_000_000);
    const batReading = await battery.read();
    const batModel = site.plant.model('bat-big') as BatteryModel;
    assert.ok(batReading.powerW !== null && Math.abs(batReading.powerW - batModel.acPowerW) <= 100);
  } finally {
    await pv.close();
    await battery.close();
  }
});
