import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FaultKind } from '@gridcoop/devices/faults/fault';
import { startControlledPlant, type ControlledPlant } from '../e2e/controlled-plant.ts';

/**
 * Every fault the simulator can put a device into, one after the other, on the big battery (battery-2, 10 kW of
 * the plant's 15 kW of storage) while the plant holds a tight export cap at noon on a sunny day: without battery-2
 * the rest (battery-1 and PV curtailment) must hold the cap. 1 s cycles, as in the field: about 35 cycles a fault.
 */
const NOON = Date.UTC(2013, 11, 1, 2, 0); // 12:00 in Melbourne (UTC+10 in the profiles)
const EXPORT_CAP_W = 3_000;
const IMPORT_CAP_W = 15_000;
/** The meter's 10 W resolution and a second of load and sun drift. */
const TOLERANCE_W = 150;
/**
 * Cycles the rest needs to take over: battery-2 stops charging (about 8 kW) the moment it faults, and PV limits
 * move at the inverters' own 10 %/s, so a few cycles pass before curtailment has made up for it.
 */
const TAKEOVER_CYCLES = 4;
const FAULT_CYCLES = 12;
/** A bound for a broken test: retries back off 2 s per failure, capped at 10 s here. */
const MAX_RECOVERY_CYCLES = 40;

type Isolation = 'supervisor' | 'battery-error';
/**
 * How the controller stops relying on the device for each kind. Communication faults, and answers whose key points
 * (power, state of charge) are all sentinels or impossible values: its supervisor leaves online (stale, then faulted
 * and retried). FAULT state: also the battery statechart goes to error, which needs an acknowledgement.
 */
const faults: ReadonlyArray<{ kind: FaultKind; delayMs?: number; isolation: Isolation }> = [
  { kind: 'refuse-connections', isolation: 'supervisor' },
  { kind: 'drop-connection', isolation: 'supervisor' },
  { kind: 'stop-answering', isolation: 'supervisor' },
  // 3 s per answer against the cycle's 400 ms read deadline.
  { kind: 'slow', delayMs: 3_000, isolation: 'supervisor' },
  { kind: 'exception', isolation: 'supervisor' },
  { kind: 'sentinels', isolation: 'supervisor' },
  { kind: 'out-of-range', isolation: 'supervisor' },
  { kind: 'device-fault', isolation: 'battery-error' },
];

let site: ControlledPlant;

describe('a faulted device is isolated, the rest keep the plant within its caps, and it comes back', () => {
  before(async () => {
    site = await startControlledPlant({
      startMs: NOON,
      plant: { miners: [] },
      importCapW: IMPORT_CAP_W,
      exportCapW: EXPORT_CAP_W,
      supervisorTiming: { backoffCapMs: 10_000 },
    });
    // Settle on the cap with every device healthy.
    for (let i = 0; i < 10; i++) await site.step(1_000);
  });
  after(async () => {
    await site?.stop();
  });

  for (const fault of faults) {
    test(`${fault.kind}: battery-2 is isolated (${fault.isolation}), the export cap holds, and it rejoins once cleared`, async (t) => {
      const beforeReport = await site.step(1_000);
      assert.ok(
        Math.abs(beforeReport.decision!.dispatch.powersW['battery-2'] ?? 0) > 1_000,
        'battery-2 is doing real work before the fault',
      );

      site.plant.fault('battery-2').inject({ kind: fault.kind, ...(fault.delayMs ? { delayMs: fault.delayMs } : {}) });
      // A failed assertion must not leave the fault in place for the next kind.
      t.after(() => site.plant.fault('battery-2').clear());
      const reliedOn: string[] = [];
      const outsideCaps: string[] = [];
      const isolatedBy = new Set<string>();
      for (let i = 0; i < FAULT_CYCLES; i++) {
        const report = await site.step(1_000);
        const commandW = report.decision?.dispatch.powersW['battery-2'];
        if (commandW !== undefined && commandW !== 0) reliedOn.push(`cycle ${i}: ${Math.round(commandW)} W`);
        const health = site.cycle.deviceState('battery-2');
        if (health === 'stale' || health === 'faulted') isolatedBy.add('supervisor');
        if (site.cycle.batteryState('battery-2') === 'error') isolatedBy.add('battery-error');
        const gridW = site.gridW(report);
        if (i >= TAKEOVER_CYCLES && (gridW < -EXPORT_CAP_W - TOLERANCE_W || gridW > IMPORT_CAP_W + TOLERANCE_W))
          outsideCaps.push(`cycle ${i}: ${gridW} W`);
        assert.ok(
          report.plantState === 'running' || report.plantState === 'degraded',
          `plant ${report.plantState}: it keeps balancing`,
        );
      }
      assert.deepEqual(reliedOn, [], 'battery-2 got a non-zero setpoint while faulted');
      assert.ok(isolatedBy.has(fault.isolation), `isolated by ${[...isolatedBy].join(', ') || 'nothing'}`);
      assert.deepEqual(outsideCaps, [], 'grid power beyond the caps after the rest took over');

      site.plant.fault('battery-2').clear();
      if (fault.isolation === 'battery-error') {
        await site.step(1_000);
        // The fault is gone; the battery stays stopped until an operator acknowledges it.
        assert.equal(site.cycle.batteryState('battery-2'), 'error');
        site.cycle.acknowledgeBatteryFault('battery-2');
      }
      let rejoinedAfter: number | null = null;
      for (let i = 0; i < MAX_RECOVERY_CYCLES && rejoinedAfter === null; i++) {
        const report = await site.step(1_000);
        const gridW = site.gridW(report);
        assert.ok(
          gridW >= -EXPORT_CAP_W - TOLERANCE_W && gridW <= IMPORT_CAP_W + TOLERANCE_W,
          `grid ${gridW} W while battery-2 rejoins`,
        );
        const commandW = report.decision?.dispatch.powersW['battery-2'] ?? 0;
        if (
          site.cycle.deviceState('battery-2') === 'online' &&
          site.cycle.batteryState('battery-2') !== 'error' &&
          Math.abs(commandW) > 500
        )
          rejoinedAfter = i;
      }
      assert.notEqual(
        rejoinedAfter,
        null,
        `battery-2 back online and dispatched (state ${site.cycle.deviceState('battery-2')}, ${site.cycle.batteryState('battery-2')})`,
      );
      // Let it ramp back into its share before the next fault.
      for (let i = 0; i < 10; i++) await site.step(1_000);
    });
  }
});
