// Every deploy plan the project ships requires a proposal deposit: without one, a single member can open proposals
// for free, and each unsettled proposal costs every voter's attention (issue 10, section 5). The execution window is
// set explicitly, so the plan says how long a passed decision stays executable.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { readDeployPlan } from '../deploy/plan.ts';
import { GOVERNANCE_LIMITS } from '../client/governance-types.ts';

const deployDir = fileURLToPath(new URL('../deploy/', import.meta.url));
const plans = readdirSync(deployDir).filter((name) => name.endsWith('.plan.json'));

describe('shipped deploy plans', () => {
  it('there are shipped plans to check', () => {
    assert.ok(plans.includes('gridcoop-local.plan.json'), plans.join(', '));
  });

  for (const name of plans) {
    it(`${name}: governance requires a non-zero deposit and sets its execution window`, () => {
      const plan = readDeployPlan(join(deployDir, name));
      const governance = plan.contracts.filter((c) => c.wasmPath.endsWith('gridcoop_governance.wasm'));
      assert.equal(governance.length, 1, 'one governance contract per plan');
      const msg = governance[0]!.instantiateMsg as {
        deposit?: { denom?: string; amount?: string; refund_policy?: string } | null;
        execution_window_seconds?: number | null;
      };
      assert.ok(msg.deposit, 'deposit must not be null');
      assert.match(msg.deposit.amount ?? '', /^[1-9]\d*$/, 'a deposit amount above zero');
      assert.ok(msg.deposit.denom, 'a deposit denomination');
      const window = msg.execution_window_seconds;
      assert.ok(
        typeof window === 'number' &&
          window >= GOVERNANCE_LIMITS.minExecutionWindowSeconds &&
          window <= GOVERNANCE_LIMITS.maxExecutionWindowSeconds,
        `execution_window_seconds ${String(window)}`,
      );
    });
  }
});
