import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ControllerConfigError, parseControllerConfig } from '../../src/config/index.ts';
import { ScaledScheduler, ScaledTimeError } from '../../src/cycle/scaled-scheduler.ts';

// Node's mock timers move Date.now() and setTimeout together, so these tests are exact and take no real time.
const SIM_START = Date.UTC(2013, 11, 1, 2, 0);
const REAL_START = Date.UTC(2026, 0, 1, 12, 0);

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: REAL_START }));
afterEach(() => mock.timers.reset());

describe('a scaled scheduler runs sped-up real time from a wall-clock anchor', () => {
  test('simulated time runs speed times as fast as the wall clock from the anchor', () => {
    const scheduler = new ScaledScheduler({ simStartMs: SIM_START, realStartMs: REAL_START, speed: 60 });
    assert.equal(scheduler.now(), SIM_START);
    mock.timers.tick(1_000);
    assert.equal(scheduler.now(), SIM_START + 60_000);
    assert.equal(scheduler.realTimeAt(SIM_START + 120_000), REAL_START + 2_000);
  });

  test('a scheduler made later from the same anchor (another process) reads the same simulated time', () => {
    const plantClock = ScaledScheduler.startingAt(SIM_START, 100);
    mock.timers.tick(2_500);
    const controllerClock = new ScaledScheduler(plantClock.time);
    assert.equal(controllerClock.now(), plantClock.now());
    assert.equal(controllerClock.now(), SIM_START + 250_000);
  });

  test('a timer of d simulated ms fires after d / speed real ms, never before, and sees its due time', () => {
    const scheduler = new ScaledScheduler({ simStartMs: SIM_START, realStartMs: REAL_START, speed: 100 });
    const firedAt: number[] = [];
    scheduler.setTimeout(() => firedAt.push(scheduler.now()), 15_000);
    mock.timers.tick(149);
    assert.deepEqual(firedAt, [], 'not yet at 14.9 simulated seconds');
    mock.timers.tick(1);
    assert.deepEqual(firedAt, [SIM_START + 15_000]);
  });

  test('a timer the runtime wakes before the wall clock reaches its time sleeps the rest', () => {
    let lagMs = 0;
    const scheduler = new ScaledScheduler(
      { simStartMs: SIM_START, realStartMs: REAL_START, speed: 10 },
      () => Date.now() - lagMs,
    );
    const due = scheduler.now() + 1_000;
    let seen: number | null = null;
    scheduler.setTimeout(() => (seen = scheduler.now()), 1_000);
    lagMs = 3; // the wall clock now reads 3 ms behind the timer's clock
    mock.timers.tick(100);
    assert.equal(seen, null, 'woken 30 simulated ms early, it waits');
    mock.timers.tick(3);
    assert.equal(seen, due);
  });

  test('a cleared timer never fires, also after it re-armed itself', () => {
    let lagMs = 0;
    const scheduler = new ScaledScheduler(
      { simStartMs: SIM_START, realStartMs: REAL_START, speed: 10 },
      () => Date.now() - lagMs,
    );
    let fired = 0;
    const plain = scheduler.setTimeout(() => fired++, 500);
    const rearmed = scheduler.setTimeout(() => fired++, 1_000);
    scheduler.clearTimeout(plain);
    lagMs = 5;
    mock.timers.tick(100); // the second one wakes early and re-arms
    scheduler.clearTimeout(rearmed);
    mock.timers.tick(1_000);
    assert.equal(fired, 0);
  });

  test('timers fire in the order of their simulated due times', () => {
    const scheduler = new ScaledScheduler({ simStartMs: SIM_START, realStartMs: REAL_START, speed: 50 });
    const order: string[] = [];
    scheduler.setTimeout(() => order.push('late'), 5_000);
    scheduler.setTimeout(() => order.push('early'), 1_000);
    scheduler.setTimeout(() => order.push('now'), -20);
    mock.timers.tick(200);
    assert.deepEqual(order, ['now', 'early', 'late']);
  });

  test('a speed that is not a positive finite number is refused with the field named', () => {
    for (const speed of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => new ScaledScheduler({ simStartMs: SIM_START, realStartMs: REAL_START, speed }),
        (error: unknown) => error instanceof ScaledTimeError && error.field === 'speed' && /speed/.test(error.message),
      );
    }
    assert.throws(
      () => new ScaledScheduler({ simStartMs: Number.NaN, realStartMs: REAL_START, speed: 1 }),
      (error: unknown) => error instanceof ScaledTimeError && error.field === 'simStartMs',
    );
  });
});

describe("the controller configuration's clock section", () => {
  const plant = {
    devices: [{ nature: 'meter', id: 'meter-1', driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1502 } }],
  } as const;
  const grid = { importCapW: 20_000, exportCapW: 5_000 };

  test('without a clock section the controller runs on the wall clock', () => {
    assert.equal(parseControllerConfig({ plant, grid }).clock, null);
  });

  test('a clock section carries the anchor a plant in another process runs on', () => {
    const time = { simStartMs: SIM_START, realStartMs: REAL_START, speed: 100 };
    assert.deepEqual(parseControllerConfig({ plant, grid, clock: time }).clock, time);
  });

  test('a clock without a positive speed, or with a misspelt key, is refused with the field named', () => {
    for (const speed of [0, -1, 20_000]) {
      assert.throws(
        () => parseControllerConfig({ plant, grid, clock: { simStartMs: SIM_START, speed } }),
        (error: unknown) =>
          error instanceof ControllerConfigError && error.issues.some((issue) => issue.path === 'clock.speed'),
      );
    }
    assert.throws(
      () => parseControllerConfig({ plant, grid, clock: { simStartMs: SIM_START, speed: 10, sped: 1 } }),
      (error: unknown) => error instanceof ControllerConfigError && /sped/.test(JSON.stringify(error.issues)),
      'a misspelt key is refused, not ignored',
    );
  });
});
