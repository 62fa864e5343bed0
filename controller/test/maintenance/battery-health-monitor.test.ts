import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatteryModel } from '@gridcoop/devices/models/battery';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';
import { AlertBook } from '../../src/maintenance/alert-book.ts';
import { BatteryHealthMonitor } from '../../src/maintenance/battery-health-monitor.ts';
import type { MaintenanceAlert } from '../../src/maintenance/maintenance-alert.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SAMPLE_MS = 60_000;

interface Unit {
  battery: BatteryModel;
  monitor: BatteryHealthMonitor;
}

/**
 * A day of self-consumption-like cycling: charge from 08:00 (at 1.5-3 kW, different each day) until 95 %, hold,
 * discharge from 17:00 (again 1.5-3 kW) until the battery stops itself at its reserve.
 */
function cycleDays(
  units: Unit[],
  clock: ManualClock,
  days: number,
  random: () => number,
  book: AlertBook,
  raised: MaintenanceAlert[],
): void {
  for (let d = 0; d < days; d++) {
    const dayStart = clock.now();
    const chargeW = 1500 + 1500 * random();
    const dischargeW = 1500 + 1500 * random();
    while (clock.now() < dayStart + DAY_MS) {
      clock.advance(SAMPLE_MS);
      const now = clock.now();
      const hourOfDay = (now - dayStart) / HOUR_MS;
      for (const { battery, monitor } of units) {
        battery.advanceTo(now);
        let setpointW = 0;
        if (hourOfDay >= 8 && hourOfDay < 17 && battery.socPct < 95) setpointW = -chargeW;
        if (hourOfDay >= 17) setpointW = dischargeW;
        if (setpointW !== battery.setpointW) battery.setSetpoint({ powerW: setpointW, reversionMs: 0 }, now);
        raised.push(
          ...book.raiseAll(
            monitor.observe({
              timeMs: now,
              socPct: battery.socPct,
              energyInWh: battery.energyInWh,
              energyOutWh: battery.energyOutWh,
            }),
          ),
        );
      }
    }
  }
}

describe('battery health monitor on simulated batteries', () => {
  it('learns capacity and round-trip efficiency from cycles; a 15 % fade and an 8 % efficiency loss are each flagged within 2 cycles, with 0 alerts in 30 healthy days', () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const make = (id: string): Unit => ({
      battery: new BatteryModel({
        id,
        capacityWh: 10_000,
        maxChargeW: 5000,
        maxDischargeW: 5000,
        roundTripEfficiency: 0.9,
        minReservePct: 10,
        initialSocPct: 10,
      }),
      monitor: new BatteryHealthMonitor({ deviceId: id, ratedCapacityWh: 10_000 }),
    });
    const units = [make('bat-fade'), make('bat-lossy'), make('bat-healthy')];
    const book = new AlertBook();
    const raised: MaintenanceAlert[] = [];
    const random = seededRandom(42);

    cycleDays(units, clock, 3 + 30, random, book, raised);
    assert.deepEqual(raised.slice(), [], 'no alert in 30 healthy days after 3 learning cycles');
    for (const { monitor } of units) {
      assert.ok(Math.abs(monitor.latest.capacityWh - 10_000) < 100, `capacity estimate ${monitor.latest.capacityWh}`);
      assert.ok(
        Math.abs(monitor.latest.roundTripEfficiency - 0.9) < 0.01,
        `efficiency estimate ${monitor.latest.roundTripEfficiency}`,
      );
    }

    const degradedAtMs = clock.now();
    units[0]?.battery.degrade({ capacityFadeFraction: 0.15 });
    units[1]?.battery.degrade({ efficiencyLoss: 0.08 });
    cycleDays(units, clock, 2, random, book, raised);

    const fade = raised.find((a) => a.deviceId === 'bat-fade');
    assert.equal(fade?.kind, 'battery-capacity-fade');
    assert.equal(fade?.severity, 'warning');
    assert.ok((fade?.raisedAtMs ?? Infinity) - degradedAtMs <= 2 * DAY_MS);
    assert.ok(Math.abs((fade?.evidence.stateOfHealthPct ?? 0) - 85) < 1.5, `SoH ${fade?.evidence.stateOfHealthPct}`);

    const lossy = raised.find((a) => a.deviceId === 'bat-lossy');
    assert.equal(lossy?.kind, 'battery-efficiency-loss');
    assert.equal(lossy?.severity, 'warning');
    assert.ok(
      Math.abs((lossy?.evidence.roundTripEfficiency ?? 0) - 0.828) < 0.01,
      `RTE ${lossy?.evidence.roundTripEfficiency}`,
    );

    assert.deepEqual(
      raised.filter(
        (a) =>
          !(a.deviceId === 'bat-fade' && a.kind === 'battery-capacity-fade') &&
          !(a.deviceId === 'bat-lossy' && a.kind === 'battery-efficiency-loss'),
      ),
      [],
      'no other alert: the capacity estimate does not mistake lost efficiency for fade, nor the reverse',
    );
  });
});
