import type { PendingPolicyResponse, PolicyResponse } from '@gridcoop/contracts';
import { parseAllocationPolicy, type PolicyInForce } from './allocation-policy.ts';

/** What the watcher needs of the governance contract (GovernanceQueryClient fits). */
export interface GovernancePolicySource {
  policy(): Promise<PolicyResponse>;
  pendingPolicy(): Promise<PendingPolicyResponse | null>;
  /**
   * The chain's latest block time (epoch ms). A policy the chain put in force is in force by the chain's clock: when
   * the chain runs ahead of this controller's clock (a local chain moved forward, a drifting host), the version
   * applies as soon as the chain says so instead of waiting for this clock to catch up.
   */
  latestBlockTimeMs?(): Promise<number>;
}

export interface PendingPolicy {
  proposalId: number;
  policy: PolicyInForce['policy'];
  /** When the grid-safety council's veto window ends and the change can take effect (epoch ms). */
  executableFromMs: number;
}

export interface PolicyWatcherStatus {
  inForce: PolicyInForce | null;
  /** Since when the policy in force is in force on chain (epoch ms). */
  effectiveFromMs: number | null;
  pending: PendingPolicy | null;
  lastCheckedMs: number | null;
  lastError: string | null;
}

const nsToMs = (ns: string) => Number(BigInt(ns) / 1_000_000n);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Follows the governance contract: applies a new policy version as soon as the chain says it is in force, reports
 * a passed change that is still in its timelock (so operators see it coming), and keeps the policy it runs when the
 * chain is unreachable or answers something outside the bounds (the contract checks them too; the controller never
 * trusts a bound it did not check itself).
 */
export class PolicyWatcher {
  private state: PolicyWatcherStatus = {
    inForce: null,
    effectiveFromMs: null,
    pending: null,
    lastCheckedMs: null,
    lastError: null,
  };
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly source: GovernancePolicySource,
    private readonly apply: (policy: PolicyInForce) => void,
    private readonly now: () => number = Date.now,
  ) {}

  status(): PolicyWatcherStatus {
    return this.state;
  }

  /**
   * One look at the chain; never throws (failures land in status().lastError). The policy in force is fetched on
   * its own, before and apart from the pending change: a pending_policy query that fails (a node that times it out,
   * a contract that cannot answer it) never stops the controller from following the policy in force.
   */
  async pollOnce(): Promise<PolicyWatcherStatus> {
    try {
      const current = await this.source.policy();
      const policy = parseAllocationPolicy(current.policy);
      const effectiveFromMs = nsToMs(current.effective_from);
      // a version not yet in force here is applied once the chain says its time has come
      const isNew = this.state.inForce?.version !== current.version;
      let { inForce, effectiveFromMs: inForceSinceMs } = this.state;
      const chainNowMs =
        isNew && this.source.latestBlockTimeMs ? await this.source.latestBlockTimeMs().catch(() => 0) : 0;
      if (isNew && effectiveFromMs <= Math.max(this.now(), chainNowMs)) {
        inForce = { version: current.version, policy };
        inForceSinceMs = effectiveFromMs;
        this.apply(inForce);
      }
      this.state = {
        ...this.state,
        inForce,
        effectiveFromMs: inForceSinceMs,
        lastCheckedMs: this.now(),
        lastError: null,
      };
    } catch (error) {
      this.state = { ...this.state, lastCheckedMs: this.now(), lastError: messageOf(error) };
      return this.state;
    }
    try {
      const pending = await this.source.pendingPolicy();
      this.state = {
        ...this.state,
        pending: pending
          ? {
              proposalId: pending.proposal_id,
              policy: parseAllocationPolicy(pending.policy),
              executableFromMs: nsToMs(pending.executable_from),
            }
          : null,
      };
    } catch (error) {
      // the change that may be coming is unknown; the policy in force above is current
      this.state = { ...this.state, pending: null, lastError: `pending policy: ${messageOf(error)}` };
    }
    return this.state;
  }

  start(pollMs: number): void {
    if (this.timer) return;
    const loop = () => {
      void this.pollOnce().finally(() => {
        if (this.timer) this.timer = setTimeout(loop, pollMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
