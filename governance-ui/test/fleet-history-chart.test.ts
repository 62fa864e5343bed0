/**
 * The fleet chart's geometry, without a browser: delivered as one line through the middle of each minute, the target
 * as steps only where there was one, a zero line when the fleet crosses 0 W, and a readable scale for a flat fleet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fleetChartGeometry } from '../src/lib/fleet/fleet-history-chart.ts';

const T0 = Date.UTC(2026, 11, 3, 8, 0);
const STEP = 60_000;

test('no minute yet: no chart', () => {
  assert.equal(fleetChartGeometry({ stepMs: STEP, points: [] }, 600, 160), null);
});

test('delivered runs through every minute; the target is drawn as steps, broken where there was none', () => {
  const chart = fleetChartGeometry(
    {
      stepMs: STEP,
      points: [
        [T0, -1_000, 2_000],
        [T0 + STEP, 1_000, 2_000],
        [T0 + 2 * STEP, 3_000, null],
        [T0 + 3 * STEP, 2_000, 1_000],
      ],
    },
    400,
    100,
  )!;
  assert.equal(chart.fromMs, T0);
  assert.equal(chart.toMs, T0 + 4 * STEP);
  assert.deepEqual([chart.minW, chart.maxW], [-1_000, 3_000]);
  // four minutes over 400 px, a step each; -1 kW to 3 kW with 5 % headroom either side (4.4 kW over 100 px):
  // -1 kW at y 95.5, 1 kW at 50, 3 kW at 4.5, 2 kW at 27.3
  assert.equal(chart.delivered, 'M0,95.5 L100,95.5 L100,50 L200,50 L200,4.5 L300,4.5 L300,27.3 L400,27.3');
  assert.equal(chart.target.match(/M/g)?.length, 2, 'two runs: the minute without a target breaks the line');
  assert.ok(chart.target.startsWith('M0,27.3 L100,27.3 L100,27.3 L200,27.3'));
  assert.equal(chart.zeroY, 72.7);
});

test('a flat fleet still gets a 1 kW scale, and no zero line when 0 W is an edge', () => {
  const chart = fleetChartGeometry({ stepMs: STEP, points: [[T0, 500, null]] }, 600, 160)!;
  assert.deepEqual([chart.minW, chart.maxW], [0, 1_000]);
  assert.equal(chart.delivered, 'M0,80 L600,80', 'a single minute is a visible step');
  assert.equal(chart.zeroY, null);
  assert.equal(chart.target, '');
});
