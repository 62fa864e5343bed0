import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalCalendar } from '../../src/forecasting/local-calendar.ts';
import {
  reselectOnRecentDays,
  selectOnValidation,
  type ValidationPoint,
} from '../../src/forecasting/model-selection.ts';
import { RECENT_ERROR_DAYS } from '../../src/forecasting/rolling-band-calibration.ts';
import { smallSampleWidening } from '../../src/forecasting/residual-quantiles.ts';

const calendar = new LocalCalendar('UTC');
const HOUR_MS = 3_600_000;

/** Validation points whose net and naive errors are given per point (actual 100). */
function points(netErrors: number[], naiveErrors: number[]): ValidationPoint[] {
  return netErrors.map((e, i) => ({
    targetMs: i * HOUR_MS,
    actual: 100,
    net: 100 + e,
    naive: 100 + (naiveErrors[i] as number),
    scale: 10,
  }));
}

describe('model selection on the validation window', () => {
  it('keeps seasonal naive when the net does not beat it, and says so', () => {
    const outcome = selectOnValidation(points([5, -5, 5, -5], [1, -1, 1, -1]), calendar, 1, false);
    assert.equal(outcome.selection.netWeight, 0);
    assert.match(outcome.selection.summary, /^the net does not beat weekly seasonal naive on validation/);
  });

  it('chooses a blend when net and naive err in opposite directions, and the net alone when a blend gains under 1 %', () => {
    const opposite = selectOnValidation(points([4, 4, -4, -4], [-4, -4, 4, 4]), calendar, 1, false);
    assert.equal(opposite.selection.netWeight, 0.5);
    assert.equal(opposite.scores.chosen.mae, 0);
    // Net MAE 2.0; the 75 % blend gets 1.99 (0.5 % better), seasonal naive 7.96: not enough to dilute the net.
    const nearTie = selectOnValidation(points([2, 2], [3, -12.92]), calendar, 1, false);
    assert.ok(Math.abs(nearTie.scores.net.mae - 2) < 1e-9);
    assert.equal(nearTie.selection.netWeight, 1, nearTie.selection.summary);
    assert.match(nearTie.selection.summary, /using the net/);
  });

  it('fits the chosen mix band in level-normalised units', () => {
    const errors = Array.from({ length: 50 }, (_, i) => (i % 10) - 4.5);
    const outcome = selectOnValidation(
      points(
        errors,
        errors.map((e) => 3 * e),
      ),
      calendar,
      1,
      false,
    );
    assert.equal(outcome.selection.netWeight, 1);
    // actual - forecast = -error; its 10 % / 90 % quantiles over -4.5..4.5, divided by the scale 10, widened for
    // the 3 days (50 hours) they come from.
    const widen = smallSampleWidening(3);
    assert.ok(Math.abs((outcome.selection.bands.p10Offset[0] as number) + 0.36 * widen) < 1e-9);
    assert.ok(Math.abs((outcome.selection.bands.p90Offset[0] as number) - 0.36 * widen) < 1e-9);
  });
});

describe('the mix chosen again at each origin on the recent days', () => {
  /** `count` days of 24 steps with the given net and naive errors. */
  const days = (count: number, net: number, naive: number) =>
    Array.from({ length: count }, () => Array.from({ length: 24 }, () => ({ net, naive })));

  it('needs half of the recent fortnight; then picks by the validation rule', () => {
    assert.equal(reselectOnRecentDays(days(RECENT_ERROR_DAYS / 2 - 1, 1, 5)), null);
    assert.equal(reselectOnRecentDays(days(RECENT_ERROR_DAYS, 1, 5)), 1, 'the net is better: the net');
    assert.equal(reselectOnRecentDays(days(RECENT_ERROR_DAYS, 5, 1)), 0, 'weekly naive is better: weekly naive');
    assert.equal(reselectOnRecentDays(days(RECENT_ERROR_DAYS, 4, -4)), 0.5, 'opposite errors: half each');
  });

  it('recent days weigh more: a net that went wrong these last days is diluted although it was better over the fortnight', () => {
    const goodThenBad = [...days(10, 1, 4), ...days(4, 6, 2)];
    const badThenGood = [...days(4, 6, 2), ...days(10, 1, 4)];
    // Unweighted, the net's mean error (2.4) beats naive's (3.4) either way round.
    const chosenAfterBadDays = reselectOnRecentDays(goodThenBad) as number;
    assert.ok(chosenAfterBadDays < 1, `after four bad days: ${chosenAfterBadDays}`);
    assert.equal(reselectOnRecentDays(badThenGood), 1);
  });
});
