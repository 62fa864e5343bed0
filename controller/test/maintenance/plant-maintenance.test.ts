import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MinerModel } from '@gridcoop/devices/models/miner';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import { JsonLinesMaintenanceLog } from '../../src/maintenance/maintenance-log.ts';
import { MaintenanceDeviceError, PlantMaintenance } from '../../src/maintenance/plant-maintenance.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-plant-maintenance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MINUTE_MS = 60_000;

function runMiner(plant: PlantMaintenance, miner: MinerModel, clock: ManualClock, minutes: number): void {
  for (let i = 0; i < minutes; i++) {
    clock.advance(MINUTE_MS);
    miner.advanceTo(clock.now());
    plant.observeMiner(miner.id, {
      timeMs: clock.now(),
      powerW: miner.powerW,
      hashrateThs: miner.hashrateThs,
      temperatureC: miner.temperatureC,
      ambientC: 25,
    });
  }
}

describe('plant maintenance', () => {
  it('logs an alert, and after acknowledging it learns the repaired-as-is device as its new normal without re-alerting', () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const log = new JsonLinesMaintenanceLog(join(dir, 'maintenance.jsonl'));
    const plant = new PlantMaintenance({ pv: { sampleMs: MINUTE_MS }, recorders: [log] });
    const miner = new MinerModel({
      id: 'miner-7',
      minPowerW: 1000,
      maxPowerW: 3000,
      powerTargetW: 2000,
      startMs: clock.now(),
    });
    plant.registerMiner({ deviceId: 'miner-7', maxPowerW: 3000, overheatC: 95 });
    runMiner(plant, miner, clock, 6 * 60);
    assert.deepEqual(plant.countsBySeverity(), { info: 0, warning: 0, critical: 0 });

    miner.degrade({ coolingLossFraction: 0.25 });
    runMiner(plant, miner, clock, 60);
    assert.deepEqual(
      plant.alerts().map((a) => [a.deviceId, a.kind, a.severity]),
      [['miner-7', 'miner-cooling-degraded', 'warning']],
    );
    // While the temperature climbs the first alarm may be milder; each escalation is its own record.
    const recorded = log.read().records;
    assert.ok(
      recorded.length >= 1 && recorded.every((r) => r.deviceId === 'miner-7' && r.kind === 'miner-cooling-degraded'),
    );
    assert.equal(recorded.at(-1)?.severity, 'warning');

    assert.equal(plant.acknowledge('miner-7', 'miner-cooling-degraded'), true);
    runMiner(plant, miner, clock, 6 * 60);
    assert.deepEqual(plant.alerts(), [], 'the degraded cooling is the new normal after acknowledgement');
    assert.equal(log.read().records.length, recorded.length);
    assert.equal(plant.acknowledge('miner-7', 'miner-cooling-degraded'), false, 'nothing left to acknowledge');
  });

  it('a reading for an unregistered device, or a device registered twice, is a typed error that changes nothing', () => {
    const plant = new PlantMaintenance({ pv: { sampleMs: MINUTE_MS } });
    plant.registerBattery({ deviceId: 'bat-1', ratedCapacityWh: 10_000 });
    assert.throws(
      () => plant.observeBattery('bat-2', { timeMs: 0, socPct: 50, energyInWh: 0, energyOutWh: 0 }),
      (e: unknown) => e instanceof MaintenanceDeviceError && /battery bat-2 is not registered/.test(e.message),
    );
    assert.throws(
      () => plant.registerMiner({ deviceId: 'bat-1', maxPowerW: 3000, overheatC: 95 }),
      /bat-1 is already registered/,
    );
    assert.throws(
      () => plant.observeMiner('bat-1', { timeMs: 0, powerW: 1, hashrateThs: 1, temperatureC: 30 }),
      /miner bat-1 is not registered/,
    );
    assert.deepEqual(plant.observeBattery('bat-1', { timeMs: 0, socPct: 50, energyInWh: 0, energyOutWh: 0 }), []);
  });
});
