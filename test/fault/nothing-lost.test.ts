import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '@gridcoop/controller/forecasting/seeded-random';
import { chainRecordsOf, summarise, totalsMatchCounters } from './nothing-lost-ledger-check.ts';
import { NODES, NothingLostScenario, realDelay, until } from './nothing-lost-scenario.ts';

/**
 * Issue 5, "nothing lost": plant and chain here, the real controller in a child process on the same clock at 100x
 * (a 60 s interval closes every 0.6 real s), SIGKILLed at seeded random moments (one of them during the chain outage)
 * and the chain stopped for 10 simulated minutes, then restarted on its data directory and port. Afterwards every
 * node's on-chain records must be one contiguous run whose totals are its meter counters' difference, matching the
 * device model's own counters, with nothing pending or refused. NOTHING_LOST_SEED picks other kill moments.
 */
const SPEED = 100;
const SEED = Number(process.env.NOTHING_LOST_SEED ?? 5);
const OUTAGE_SIM_MS = 10 * 60_000;

test('with the controller SIGKILLed at random moments and the chain down for 10 simulated minutes, every node is recorded on chain exactly once per interval and its totals equal its meter counters', async (t) => {
  t.diagnostic(`seed ${SEED}`);
  const random = seededRandom(SEED);
  const scenario = await NothingLostScenario.start({ speed: SPEED });
  const { controller, clock } = scenario;
  try {
    await controller.start();
    const restartAfterRandomDelay = async (boundMs: number): Promise<void> => {
      await controller.kill();
      await realDelay(random() * boundMs);
      await controller.start();
    };

    // Crashes while recording normally.
    await realDelay(1_500 + random() * 2_000);
    const firstKillSimMs = clock.now();
    await restartAfterRandomDelay(1_000);
    await realDelay(1_000 + random() * 2_000);
    await restartAfterRandomDelay(1_000);

    // The chain goes away for 10 simulated minutes; the controller is killed once while it is away.
    await realDelay(1_000 + random() * 1_000);
    await scenario.stopChain();
    const outageEndSimMs = clock.now() + OUTAGE_SIM_MS;
    await realDelay(random() * 0.4 * (OUTAGE_SIM_MS / SPEED));
    await restartAfterRandomDelay(500);
    await realDelay(Math.max(0, clock.realTimeAt(outageEndSimMs) - Date.now()));
    await scenario.restartChain();
    const chainBackSimMs = clock.now();

    // One more crash while it catches up, then a quiet run.
    await realDelay(random() * 1_000);
    await restartAfterRandomDelay(500);
    await realDelay(2_000);

    // No more samples, so no more intervals close: let the outbox drain and stay drained.
    scenario.silenceDevices();
    let lastStored = -1;
    await until(
      () => {
        const tally = scenario.outbox();
        const settled = tally.pending === 0 && tally.stored === lastStored;
        lastStored = tally.stored;
        return settled;
      },
      'the outbox is drained and no interval closes any more',
      60_000,
      1_000,
    );
    await controller.stop();
    scenario.counters.stop();

    const tally = scenario.outbox();
    t.diagnostic(
      `controller starts ${controller.starts}, SIGKILLs ${controller.kills}; outbox ${JSON.stringify(tally)}`,
    );
    assert.equal(controller.kills, 4);
    assert.deepEqual(tally.rejectedReasons, [], 'no record refused');
    assert.equal(tally.pending, 0, 'no record left pending');
    assert.ok(tally.estimated > 0, 'the intervals across the crashes were closed (estimated) after each restart');
    assert.ok(tally.retried > 0, 'the chain outage was felt: some records needed another send');

    let onChain = 0;
    for (const node of NODES) {
      const nodeId = scenario.setup.nodeIds[node.deviceId]!;
      const records = await chainRecordsOf(scenario.setup.registry, nodeId);
      const summary = summarise(nodeId, records);
      const totals = await scenario.setup.registry.nodeTotals(nodeId);
      onChain += records.length;
      assert.deepEqual(summary.breaks, [], `${node.deviceId}: no interval missing or doubled`);
      assert.deepEqual(
        summary.counterBreaks,
        [],
        `${node.deviceId}: each record starts at the previous one's counters`,
      );
      assert.ok(
        totalsMatchCounters(totals, summary),
        `${node.deviceId}: on-chain totals ${JSON.stringify(totals)} are the counters' difference ${JSON.stringify(summary)}`,
      );
      assert.ok(summary.firstStartS * 1_000 < firstKillSimMs, `${node.deviceId}: recorded from before the first crash`);
      assert.ok(summary.lastEndS * 1_000 > chainBackSimMs, `${node.deviceId}: recorded until after the outage`);

      // The meters' counters are the device's own: the model's counters at the first and last boundary.
      const startModel = scenario.counters.at(node.deviceId, summary.firstStartS * 1_000);
      const endModel = scenario.counters.at(node.deviceId, summary.lastEndS * 1_000);
      const deviations = [
        summary.startCounterInWh - startModel.counterInWh,
        summary.startCounterOutWh - startModel.counterOutWh,
        summary.endCounterInWh - endModel.counterInWh,
        summary.endCounterOutWh - endModel.counterOutWh,
      ];
      t.diagnostic(
        `${node.deviceId}: ${records.length} records, in ${totals.energy_in_wh} Wh, out ${totals.energy_out_wh} Wh; ` +
          `meter - model at the first/last boundary (in, out): ${deviations.map((d) => d.toFixed(2)).join(', ')} Wh`,
      );
      const toleranceWh = counterToleranceWh(node.ratedPowerW, scenario.cyclePeriodMs);
      for (const deviation of deviations)
        assert.ok(
          Math.abs(deviation) <= toleranceWh,
          `${node.deviceId}: meter counters within ${toleranceWh} Wh of the model's (${deviations.join(', ')})`,
        );
    }
    assert.equal(onChain, tally.done, 'every record the outbox marked done is on chain, once');
    assert.equal(tally.done, tally.stored, 'and every closed interval was marked done');
  } finally {
    await scenario.stop();
  }
});

/**
 * How far a boundary counter may sit from the model's: the register holds whole Wh and the meter floors, 1 Wh each;
 * and the meter places a boundary by interpolating between two samples a cycle apart, so a change of power within
 * that cycle moves it by up to 1 % of the energy the node could deliver at its rating over the cycle.
 */
function counterToleranceWh(ratedPowerW: number, cyclePeriodMs: number): number {
  return 2 + 0.01 * ((ratedPowerW * cyclePeriodMs) / 3_600_000);
}
