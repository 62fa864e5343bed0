import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MinerModel } from '@gridcoop/devices/models/miner';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';
import { AlertBook } from '../../src/maintenance/alert-book.ts';
import type { MaintenanceAlert } from '../../src/maintenance/maintenance-alert.ts';
import { MinerHealthMonitor } from '../../src/maintenance/miner-health-monitor.ts';

const SAMPLE_MS = 60_000;
const TWO_HOURS_MS = 2 * 3_600_000;

/** The controller moves the miner's power target every two hours (1.5 to 2.8 kW), as a flexible load would be. */
function run(
  miner: MinerModel,
  monitor: MinerHealthMonitor,
  clock: ManualClock,
  durationMs: number,
  random: () => number,
  book: AlertBook,
  raised: MaintenanceAlert[],
): void {
  const end = clock.now() + durationMs;
  while (clock.now() < end) {
    clock.advance(SAMPLE_MS);
    const now = clock.now();
    if (now % TWO_HOURS_MS === 0) miner.setPowerTarget(Math.round(1500 + 1300 * random()));
    miner.advanceTo(now);
    raised.push(
      ...book.raiseAll(
        monitor.observe({
          timeMs: now,
          powerW: miner.powerW,
          hashrateThs: miner.hashrateThs,
          temperatureC: miner.temperatureC,
          ambientC: 25,
        }),
      ),
    );
  }
}

describe('miner health monitor on a simulated miner', () => {
  it('worn cooling is a warning within 30 minutes and critical before full power would trip it, with 0 alerts in 30 healthy days', () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const miner = new MinerModel({
      id: 'miner-1',
      minPowerW: 1000,
      maxPowerW: 3000,
      powerTargetW: 2000,
      ambientC: 25,
      overheatC: 95,
      startMs: clock.now(),
    });
    const monitor = new MinerHealthMonitor({ deviceId: 'miner-1', maxPowerW: 3000, overheatC: 95 });
    const book = new AlertBook();
    const raised: MaintenanceAlert[] = [];
    const random = seededRandom(3);

    run(miner, monitor, clock, 31 * 86_400_000, random, book, raised); // the first day's steady samples are learnt as normal
    assert.deepEqual(raised.slice(), [], 'no alert in 30 healthy days');
    assert.ok(
      Math.abs(monitor.latest.thermalResistanceCPerKw - 15) < 0.5,
      `learnt ${monitor.latest.thermalResistanceCPerKw} °C/kW`,
    );

    const firstDegradeMs = clock.now();
    miner.degrade({ coolingLossFraction: 0.3 }); // 15 -> 21.4 °C/kW: 89 °C at 3 kW, still below the trip
    run(miner, monitor, clock, 3_600_000, random, book, raised);
    const warning = raised.find((a) => a.kind === 'miner-cooling-degraded');
    assert.equal(warning?.severity, 'warning');
    assert.ok(
      (warning?.raisedAtMs ?? Infinity) - firstDegradeMs <= 30 * 60_000,
      `after ${((warning?.raisedAtMs ?? Infinity) - firstDegradeMs) / 60_000} min`,
    );
    assert.match(warning?.suggestedAction ?? '', /fans/);

    const secondDegradeMs = clock.now();
    miner.degrade({ coolingLossFraction: 0.36 }); // 23.4 °C/kW: full power would reach 95.3 °C
    run(miner, monitor, clock, 3_600_000, random, book, raised);
    const critical = book.list({ deviceId: 'miner-1', minSeverity: 'critical' })[0];
    assert.ok(critical, 'escalated to critical');
    assert.ok(critical.raisedAtMs - secondDegradeMs <= 3_600_000);
    assert.ok((critical.evidence.projectedTemperatureAtMaxPowerC ?? 0) >= 95);
    assert.match(critical.suggestedAction, /cap its power below \d+ W/);
    assert.notEqual(miner.state, 'fault', 'flagged before any thermal trip');
    assert.deepEqual(
      new Set(raised.map((a) => a.kind)),
      new Set(['miner-cooling-degraded']),
      'energy per terahash did not move, so no efficiency alert',
    );
  });
});
