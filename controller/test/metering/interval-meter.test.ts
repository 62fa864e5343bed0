import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';
import { IntervalMeter, type ClosedInterval, type CounterSample } from '../../src/metering/index.ts';

const INTERVAL_S = 900;
const T0 = Date.UTC(2014, 6, 1, 10, 3, 17); // not on a boundary

/** A device whose lifetime counters grow with a random power up to ratedW, sampled every `everyMs`. */
function* counters(
  seed: number,
  fromMs: number,
  toMs: number,
  everyMs: number,
  ratedW = 5_000,
): Generator<CounterSample> {
  const random = seededRandom(seed);
  let inWh = 12_345.6;
  let outWh = 987_654.3;
  for (let t = fromMs; t <= toMs; t += everyMs) {
    yield { atMs: t, counterInWh: inWh, counterOutWh: outWh };
    const h = everyMs / 3_600_000;
    if (random() < 0.5) outWh += random() * ratedW * h;
    else inWh += random() * ratedW * h;
  }
}

function assertContiguous(intervals: readonly ClosedInterval[]): void {
  for (const [i, interval] of intervals.entries()) {
    assert.equal(interval.intervalStartS % INTERVAL_S, 0, 'aligned to the interval length');
    assert.ok(interval.energyInWh >= 0 && interval.energyOutWh >= 0);
    assert.ok(Number.isInteger(interval.counterInWh) && Number.isInteger(interval.energyOutWh));
    const prev = intervals[i - 1];
    if (prev) {
      assert.equal(interval.intervalStartS, prev.intervalStartS + INTERVAL_S, 'no interval missing or doubled');
      assert.equal(interval.counterInWh - interval.energyInWh, prev.counterInWh, 'energy is the counter difference');
      assert.equal(interval.counterOutWh - interval.energyOutWh, prev.counterOutWh);
    }
  }
}

describe('interval metering from lifetime counters', () => {
  test("a node's recorded energies add up exactly to its counter readings", () => {
    const meter = new IntervalMeter({ deviceId: 'pv-1', nodeId: 1 }, INTERVAL_S);
    const closed: ClosedInterval[] = [];
    let last: CounterSample | undefined;
    for (const sample of counters(1, T0, T0 + 3 * 3_600_000, 1_000)) {
      closed.push(...meter.observe(sample));
      last = sample;
    }
    assert.equal(closed.length, 11, 'the partial first interval is not recorded; 11 whole ones follow in 3 h');
    assertContiguous(closed);
    const first = closed[0]!;
    const lastClosed = closed.at(-1)!;
    const totalOut = closed.reduce((s, i) => s + i.energyOutWh, 0);
    assert.equal(totalOut, lastClosed.counterOutWh - (first.counterOutWh - first.energyOutWh));
    // the last boundary's counter is the device's counter at that moment, to within a whole Wh
    assert.ok(last && Math.abs(lastClosed.counterOutWh - last.counterOutWh) < (5_000 * (18 * 60)) / 3600 + 1);
    assert.ok(closed.every((i) => !i.estimated && i.sampleCount >= 899 && /^[0-9a-f]{64}$/.test(i.samplesHash)));
  });

  test('a gap while the controller was down is spread over the missed intervals, marked estimated, and still adds up', () => {
    const meter = new IntervalMeter({ deviceId: 'bat-1', nodeId: 2 }, INTERVAL_S);
    const samples = [...counters(2, T0, T0 + 4 * 3_600_000, 1_000)];
    const gapFrom = T0 + 3_600_000;
    const gapTo = T0 + 2.5 * 3_600_000;
    const closed = samples.filter((s) => s.atMs < gapFrom || s.atMs > gapTo).flatMap((s) => meter.observe(s));
    assertContiguous(closed);
    const estimated = closed.filter((i) => i.estimated);
    assert.ok(estimated.length >= 5, `${estimated.length} intervals inside a 90 min gap are estimated`);
    assert.ok(estimated.every((i) => i.sampleCount === 0));
    const first = closed[0]!;
    const lastClosed = closed.at(-1)!;
    assert.equal(
      closed.reduce((s, i) => s + i.energyInWh, 0),
      lastClosed.counterInWh - (first.counterInWh - first.energyInWh),
    );
    // a spread gap never claims more than the device could have done: 5 kW over 15 min
    assert.ok(estimated.every((i) => i.energyInWh + i.energyOutWh <= 1_250 + 1));
  });

  test('a meter resumed from the stored boundary continues without a missing or doubled interval', () => {
    const samples = [...counters(3, T0, T0 + 3 * 3_600_000, 1_000)];
    const before = new IntervalMeter({ deviceId: 'pv-2', nodeId: 3 }, INTERVAL_S);
    const crashAt = T0 + 80 * 60_000 + 123;
    const firstRun = samples.filter((s) => s.atMs < crashAt).flatMap((s) => before.observe(s));
    const resumed = new IntervalMeter({ deviceId: 'pv-2', nodeId: 3 }, INTERVAL_S, before.lastBoundary);
    const restartAt = crashAt + 7 * 60_000; // down for 7 minutes
    const secondRun = samples.filter((s) => s.atMs >= restartAt).flatMap((s) => resumed.observe(s));
    const all = [...firstRun, ...secondRun];
    assertContiguous(all);
    assert.equal(all.length, 11);
  });

  test('repeated, out-of-order and garbage samples add nothing', () => {
    const meter = new IntervalMeter({ deviceId: 'm-1', nodeId: 4 }, INTERVAL_S);
    const base = Math.ceil(T0 / 900_000) * 900_000;
    meter.observe({ atMs: base - 1_000, counterInWh: 100, counterOutWh: 0 });
    meter.observe({ atMs: base + 1_000, counterInWh: 101, counterOutWh: 0 });
    assert.deepEqual(meter.observe({ atMs: base + 1_000, counterInWh: 999_999, counterOutWh: 0 }), [], 'repeated time');
    assert.deepEqual(meter.observe({ atMs: base - 5_000, counterInWh: 5, counterOutWh: 0 }), [], 'out of order');
    assert.deepEqual(meter.observe({ atMs: base + 2_000, counterInWh: Number.NaN, counterOutWh: 0 }), [], 'NaN');
    assert.deepEqual(meter.observe({ atMs: base + 3_000, counterInWh: -1, counterOutWh: 0 }), [], 'negative');
    const [closed] = meter.observe({ atMs: base + 901_000, counterInWh: 190, counterOutWh: 0 });
    assert.ok(closed);
    assert.equal(closed.intervalStartS, base / 1000);
    assert.equal(closed.energyInWh, closed.counterInWh - 100);
    assert.ok(closed.counterInWh >= 189 && closed.counterInWh <= 190);
  });

  test('an interval length that is not a positive whole number of seconds is refused', () => {
    assert.throws(() => new IntervalMeter({ deviceId: 'x', nodeId: 1 }, 0), RangeError);
    assert.throws(() => new IntervalMeter({ deviceId: 'x', nodeId: 1 }, 90.5), RangeError);
  });
});

test('a node at full power whose counter shows whole Wh never gets an interval above its rating; what is held back counts next', () => {
  // 3 kW for a whole minute is 50 Wh. The device's register holds whole Wh, so a counter read every 29 s can show
  // 1 Wh more than the energy between two reads, and the interpolated boundaries can give a minute 51 Wh.
  const run = (ratedPowerW?: number): ClosedInterval[] => {
    const meter = new IntervalMeter({ deviceId: 'bat', nodeId: 9, ...(ratedPowerW ? { ratedPowerW } : {}) }, 60);
    const t0 = Date.UTC(2014, 0, 1, 0, 0, 0);
    const closed: ClosedInterval[] = [];
    for (let t = t0 + 7_300; t <= t0 + 3_600_000; t += 29_000) {
      const trueWh = 1_000.6 + (3_000 * (t - t0)) / 3_600_000;
      closed.push(...meter.observe({ atMs: t, counterInWh: Math.floor(trueWh), counterOutWh: 0 }));
    }
    return closed;
  };
  const unclamped = run();
  assert.ok(
    unclamped.some((i) => i.energyInWh > 50),
    'without the rating the whole-Wh counter does exceed it (the case is real)',
  );
  const closed = run(3_000);
  assert.ok(closed.length >= 55);
  for (const interval of closed)
    assert.ok(interval.energyInWh <= 50, `${interval.energyInWh} Wh in ${interval.intervalStartS}`);
  const total = (list: ClosedInterval[]) => list.reduce((s, i) => s + i.energyInWh, 0);
  assert.equal(
    total(closed),
    closed.at(-1)!.counterInWh - (closed[0]!.counterInWh - closed[0]!.energyInWh),
    'still adds up',
  );
  assert.ok(total(unclamped) - total(closed) <= 2, 'at most the counter resolution is carried past the last boundary');
});
