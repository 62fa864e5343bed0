// Property: for random members, rules and vote sequences (seeded, so a failure replays), the status the contract
// reports at every step matches an independent computation of DAO DAO's threshold and quorum rules in TypeScript.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proposalIdFrom } from '../client/governance-client.ts';
import type { PercentageThreshold, ProposalStatus, Vote } from '../client/governance-types.ts';
import { address, startGovernanceWorld, validPolicy } from './governance-fixture.ts';
import { seededRandom } from './seeded-random.ts';

const SEED = 0x6c0d_2026;
const SCENARIOS = 80;
const NS_PER_S = 1_000_000_000n;

/** `share` of `whole` reached? Majority is strictly more than half; a percentage is at least that many bps. */
function reaches(share: bigint, whole: bigint, threshold: PercentageThreshold): boolean {
  if (whole === 0n) return false;
  if ('majority' in threshold) return share * 2n > whole;
  return share * 10_000n >= whole * BigInt(threshold.percent_bps);
}

interface Model {
  totalPower: bigint;
  tally: Record<Vote, bigint>;
  threshold: PercentageThreshold;
  quorum: PercentageThreshold;
  allowRevoting: boolean;
  minEndNs: bigint;
  expirationNs: bigint;
  timelockNs: bigint;
  /** How long a passed proposal stays executable after its timelock; then it is expired. */
  windowNs: bigint;
  /** When a vote first made the outcome certain (no revoting). */
  certainAtNs: bigint | null;
}

function votedPower(m: Model): bigint {
  return m.tally.yes + m.tally.no + m.tally.abstain;
}

/** Even if every silent voter votes yes, the outcome is certain: quorum reached and threshold of non-abstain power. */
function certainToPass(m: Model): boolean {
  return (
    reaches(votedPower(m), m.totalPower, m.quorum) && reaches(m.tally.yes, m.totalPower - m.tally.abstain, m.threshold)
  );
}

/** Even if every silent voter votes yes, the threshold cannot be reached. */
function certainToFail(m: Model): boolean {
  const silent = m.totalPower - votedPower(m);
  return !reaches(m.tally.yes + silent, m.totalPower - m.tally.abstain, m.threshold);
}

function expectedStatus(m: Model, nowNs: bigint): ProposalStatus {
  let passedAtNs: bigint | null = null;
  if (nowNs >= m.expirationNs) {
    const turnoutOk = reaches(votedPower(m), m.totalPower, m.quorum);
    if (!(turnoutOk && reaches(m.tally.yes, m.tally.yes + m.tally.no, m.threshold))) return 'rejected';
    passedAtNs = m.allowRevoting || m.certainAtNs === null ? m.expirationNs : maxOf(m.certainAtNs, m.minEndNs);
  } else {
    if (m.allowRevoting || nowNs < m.minEndNs) return 'open';
    if (certainToPass(m)) passedAtNs = maxOf(m.certainAtNs ?? m.minEndNs, m.minEndNs);
    else if (certainToFail(m)) return 'rejected';
    else return 'open';
  }
  const executableFromNs = passedAtNs + m.timelockNs;
  if (nowNs < executableFromNs) return { veto_timelock: { expires_at: executableFromNs.toString() } };
  return nowNs < executableFromNs + m.windowNs ? 'passed' : 'expired';
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function randomThreshold(random: () => number): PercentageThreshold {
  const roll = random();
  if (roll < 0.3) return { majority: {} };
  const edges = [1, 2_000, 3_333, 5_000, 6_667, 10_000];
  if (roll < 0.6) return { percent_bps: pick(random, edges) };
  return { percent_bps: 1 + Math.floor(random() * 10_000) };
}

describe('governance outcomes match an independent computation (wasm in cw-simulate)', () => {
  it(`every status along the votes on ${SCENARIOS} random proposals (seed ${SEED}) is the one the threshold and quorum rules give`, async () => {
    const random = seededRandom(SEED);
    const outcomes: Record<string, number> = {};
    for (let scenario = 0; scenario < SCENARIOS; scenario += 1) {
      // A third of the scenarios give an even number of members equal power, so exact ties (exactly half, exactly
      // the threshold) come up; the others mix round and random powers.
      const equalPowers = random() < 0.35;
      const memberCount = equalPowers ? pick(random, [2, 4, 6]) : 1 + Math.floor(random() * 6);
      const members: Array<[string, number]> = Array.from({ length: memberCount }, (_, i) => [
        `s${scenario}-m${i}`,
        equalPowers
          ? 1_000
          : random() < 0.5
            ? pick(random, [1_000, 2_000, 2_500, 5_000])
            : 1 + Math.floor(random() ** 2 * 20_000),
      ]);
      const maxPeriodS = 600 + Math.floor(random() * 86_400);
      const minPeriodS = random() < 0.3 ? 0 : Math.floor(random() * maxPeriodS);
      const timelockS = random() < 0.3 ? 0 : Math.floor(random() * 7_200);
      const threshold = randomThreshold(random);
      const quorum = randomThreshold(random);
      const allowRevoting = random() < 0.35;
      // short enough that some passed proposals expire before the final look
      const windowS = 3_600 + Math.floor(random() * 86_400);
      const world = await startGovernanceWorld({
        members,
        governance: {
          threshold: { threshold, quorum },
          min_voting_period_seconds: minPeriodS,
          max_voting_period_seconds: maxPeriodS,
          timelock_seconds: timelockS,
          allow_revoting: allowRevoting,
          execution_window_seconds: windowS,
        },
      });
      const context = `scenario ${scenario}: ${JSON.stringify({ members, threshold, quorum, allowRevoting, minPeriodS, maxPeriodS, timelockS, windowS })}`;
      const id = proposalIdFrom(
        await world.as(pick(random, members)[0]).propose(`scenario ${scenario}`, '', validPolicy()),
      );
      const opened = await world.query.proposal(id);
      const power = new Map(members.map(([name, w]) => [address(name), BigInt(w)]));
      const model: Model = {
        totalPower: [...power.values()].reduce((a, b) => a + b, 0n),
        tally: { yes: 0n, no: 0n, abstain: 0n },
        threshold,
        quorum,
        allowRevoting,
        minEndNs: BigInt(opened.opened_at) + BigInt(minPeriodS) * NS_PER_S,
        expirationNs: BigInt(opened.opened_at) + BigInt(maxPeriodS) * NS_PER_S,
        timelockNs: BigInt(timelockS) * NS_PER_S,
        windowNs: BigInt(windowS) * NS_PER_S,
        certainAtNs: null,
      };
      assert.equal(opened.total_power, model.totalPower.toString(), context);
      const ballots = new Map<string, Vote>();

      const steps = 2 + Math.floor(random() * 8);
      for (let step = 0; step < steps; step += 1) {
        world.advanceSeconds(Math.floor(random() * (maxPeriodS / 4)));
        const [name] = pick(random, members);
        const voter = address(name);
        const vote: Vote = pick(random, ['yes', 'no', 'abstain'] as const);
        const statusBefore = expectedStatus(model, world.nowNs());
        const mayVote = statusBefore === 'open' && (allowRevoting || !ballots.has(voter));
        let accepted = true;
        try {
          await world.as(name).castVote(id, vote);
        } catch (error) {
          accepted = false;
          assert.ok(!mayVote, `${context}: step ${step} vote refused: ${(error as Error).message}`);
        }
        assert.ok(
          accepted === mayVote,
          `${context}: step ${step} vote accepted but the model says ${JSON.stringify(statusBefore)}`,
        );
        if (accepted) {
          const previous = ballots.get(voter);
          if (previous) model.tally[previous] -= power.get(voter) ?? 0n;
          model.tally[vote] += power.get(voter) ?? 0n;
          ballots.set(voter, vote);
          if (!allowRevoting && model.certainAtNs === null && certainToPass(model)) model.certainAtNs = world.nowNs();
        }

        const proposal = await world.query.proposal(id);
        const tally = {
          yes: model.tally.yes.toString(),
          no: model.tally.no.toString(),
          abstain: model.tally.abstain.toString(),
        };
        assert.deepEqual(proposal.tally, tally, `${context}: step ${step}`);
        assert.deepEqual(proposal.status, expectedStatus(model, world.nowNs()), `${context}: step ${step}`);
      }
      world.advanceSeconds(maxPeriodS);
      const final = await world.query.proposal(id);
      const expected = expectedStatus(model, world.nowNs());
      assert.deepEqual(final.status, expected, `${context}: after expiry`);
      const word = typeof expected === 'string' ? expected : 'veto_timelock';
      outcomes[word] = (outcomes[word] ?? 0) + 1;
    }
    // The scenarios must exercise both outcomes, or the comparison above proves little.
    console.log(`governance property: final outcomes ${JSON.stringify(outcomes)}`);
    assert.ok(
      (outcomes.rejected ?? 0) > 0 &&
        (outcomes.passed ?? 0) + (outcomes.veto_timelock ?? 0) > 0 &&
        (outcomes.expired ?? 0) > 0,
      JSON.stringify(outcomes),
    );
  });
});
