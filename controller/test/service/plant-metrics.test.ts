import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Scheduler, TimerHandle } from '../../src/cycle/scheduler.ts';
import { CycleLoop } from '../../src/service/cycle-loop.ts';
import { demoSite } from '../cycle/demo-site.ts';
import { startControllerFixture, type ControllerFixture } from './controller-fixture.ts';

/** A clock that a test can stall: `stall(ms)` moves time on without firing anything, as a blocked event loop does. */
class StallableScheduler implements Scheduler {
  private nowMs = 0;
  private timers: Array<{ atMs: number; callback: () => void }> = [];
  now(): number {
    return this.nowMs;
  }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { atMs: this.nowMs + delayMs, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  stall(ms: number): void {
    this.nowMs += ms;
  }
  /** Fires whatever is due now (after a stall: the one late timer), as the event loop does when it comes back. */
  fireDue(): void {
    const due = this.timers.filter((t) => t.atMs <= this.nowMs);
    this.timers = this.timers.filter((t) => t.atMs > this.nowMs);
    for (const t of due) t.callback();
  }
}

test('a 20 s stall of the loop counts the ticks it dropped, apart from ticks skipped for a cycle still running', async () => {
  const site = demoSite();
  await site.connect();
  const clock = new StallableScheduler();
  const loop = new CycleLoop(
    site.cycle,
    clock,
    1_000,
    () => undefined,
    (error) => assert.fail(String(error)),
  );
  loop.start();
  clock.stall(1_000);
  clock.fireDue(); // on time: one cycle, nothing lost
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(loop.droppedTicks, 0);
  clock.stall(20_000);
  clock.fireDue();
  assert.equal(loop.droppedTicks, 19, 'the tick due at +2 s ran late; those at +3 s .. +21 s never came');
  assert.equal(loop.skippedTicks, 0);
  loop.stop();
  await site.cycle.stop();
});

describe('Prometheus series a grid operator runs on', () => {
  let f: ControllerFixture;
  before(async () => {
    f = await startControllerFixture();
    await f.untilOnline();
    await f.cycles(3);
  });
  after(async () => {
    await f?.stop();
  });

  test('/metrics has measured power per device, SoC, energy counters, grid power and target, plant state, ticks, lag and the last cycle', async () => {
    const report = await f.cycles(1);
    const { status, body } = await f.api('/metrics', { token: null });
    assert.equal(status, 200);
    const text = body as string;
    for (const device of ['pv-1', 'battery-1', 'miner-1', 'meter-1'])
      assert.match(text, new RegExp(`gridcoop_device_power_watts\\{device="${device}"\\} -?[0-9.e+]+`));
    assert.match(text, /gridcoop_battery_soc_percent\{device="battery-1"\} [0-9.]+/);
    assert.match(text, /gridcoop_device_energy_joules\{device="pv-1",counter="produced"\} [1-9]/);
    assert.match(text, /gridcoop_device_energy_joules\{device="battery-1",counter="discharged"\} [1-9]/);
    assert.match(text, /gridcoop_grid_power_watts -?[0-9]/);
    assert.match(text, /gridcoop_grid_target_watts -?[0-9]/);
    assert.match(text, /gridcoop_plant_state\{state="running"\} 1/);
    assert.match(text, /gridcoop_cycle_dropped_ticks 0/);
    assert.match(text, /gridcoop_event_loop_lag_seconds\{stat="max"\} [0-9.e-]+/);
    assert.match(text, new RegExp(`gridcoop_last_cycle_timestamp_seconds ${report.atMs / 1000}\\b`));
    // A miner consumes: its power is negative in the one convention (generation positive).
    const miner = /gridcoop_device_power_watts\{device="miner-1"\} (-?[0-9.e+]+)/.exec(text)!;
    assert.ok(Number(miner[1]) <= 0, `miner power ${miner[1]}`);
  });

  test('the oldest-pending gauge is absent when nothing is pending (no ledger here), not a 0 that reads as 1970', async () => {
    const { body } = await f.api('/metrics', { token: null });
    assert.doesNotMatch(body as string, /gridcoop_outbox_oldest_pending_interval_seconds/);
  });
});
