import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { ContractToDeploy, WiringStep } from './deploy-contracts.ts';

export interface DeployPlan {
  /** the role addresses the plan refers to ("$admin", "$oracle", ...): each must be given to the deploy */
  roles: string[];
  contracts: ContractToDeploy[];
  then: WiringStep[];
}

// A deploy plan: which wasm files to deploy, in order, with their instantiate messages. wasm paths are relative to
// the plan file.

const planSchema = z.object({
  /**
   * Keys the plan separates, given to the deploy as addresses (never mnemonics): e.g. admin, operator, oracle,
   * council, migrate_admin. A "$name" anywhere in the plan is replaced by that role's address.
   */
  roles: z.array(z.string().regex(/^[a-z][a-z_]*$/, 'lower-case letters and _')).default([]),
  contracts: z
    .array(
      z.object({
        name: z.string().min(1),
        wasm: z.string().min(1),
        label: z.string().min(1),
        /** the contract's migrate admin (wasm admin): an address, "$migrate_admin", "$governance", ...; default the deployer */
        admin: z.string().optional(),
        instantiateMsg: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1),
  /** Executes after every contract is instantiated, in order: the wiring that needs addresses of later contracts. */
  then: z.array(z.object({ execute: z.string().min(1), msg: z.record(z.string(), z.unknown()) })).default([]),
});

export class DeployPlanError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`deploy plan ${file}: ${reason}`);
    this.name = 'DeployPlanError';
  }
}

export function readDeployPlan(file: string): DeployPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DeployPlanError(file, (error as Error).message);
  }
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success)
    throw new DeployPlanError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const contracts = parsed.data.contracts.map((c) => ({
    name: c.name,
    wasmPath: isAbsolute(c.wasm) ? c.wasm : resolve(dirname(file), c.wasm),
    label: c.label,
    instantiateMsg: c.instantiateMsg,
    ...(c.admin ? { admin: c.admin } : {}),
  }));
  const names = new Set(contracts.map((c) => c.name));
  const unknown = parsed.data.then.find((step) => !names.has(step.execute));
  if (unknown) throw new DeployPlanError(file, `then: ${unknown.execute} is not a contract of this plan`);
  return {
    roles: parsed.data.roles,
    contracts,
    then: parsed.data.then.map((step) => ({ contract: step.execute, msg: step.msg })),
  };
}
