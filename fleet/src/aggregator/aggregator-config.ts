import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AllocationPolicy } from '@gridcoop/contracts/client/governance-types';
import { parseAllocationPolicy, AllocationPolicyError } from '@gridcoop/controller/policy/allocation-policy';
import type { FleetCredentials } from '../broker/index.ts';
import type { PolicyBasis } from '../advisor/index.ts';
import type { ZoneLimit } from './dispatch/index.ts';

/** A bad flag, value or file: the message names it and says what was expected (the CLI prints it, exit 2). */
export class AggregatorConfigError extends Error {
  override readonly name = 'AggregatorConfigError';
}

const zoneLimitsSchema = z
  .array(
    z
      .object({
        zone: z.string().regex(/^[a-z0-9-]{1,32}$/, 'zone names are 1..=32 chars of [a-z0-9-]'),
        importLimitW: z.number().nonnegative().optional(),
        exportLimitW: z.number().nonnegative().optional(),
      })
      .strict(),
  )
  .max(1_000);

function readJsonFile(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AggregatorConfigError(
      `${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AggregatorConfigError(`${flag} ${path}: not JSON (${(error as Error).message})`);
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}

/** --zones file: `[{ "zone": "north", "importLimitW": 40000, "exportLimitW": 25000 }, ...]` */
export function loadZoneLimits(path: string): ZoneLimit[] {
  const result = zoneLimitsSchema.safeParse(readJsonFile(path, '--zones'));
  if (!result.success) throw new AggregatorConfigError(`--zones ${path}: ${firstIssue(result.error)}`);
  const seen = new Set<string>();
  for (const limit of result.data) {
    if (seen.has(limit.zone)) throw new AggregatorConfigError(`--zones ${path}: zone ${limit.zone} appears twice`);
    seen.add(limit.zone);
  }
  return result.data;
}

/** --credentials file: what `writeFleetCredentials` wrote (the aggregator's user, password and host id). */
export function loadAggregatorCredentials(path: string): {
  username: string;
  password: string;
  hostId: string;
  groupId: string;
} {
  const raw = readJsonFile(path, '--credentials') as Partial<FleetCredentials>;
  const aggregator = raw?.aggregator;
  if (typeof aggregator?.username !== 'string' || typeof aggregator.password !== 'string')
    throw new AggregatorConfigError(
      `--credentials ${path}: expected { aggregator: { username, password }, hostId, groupId }`,
    );
  if (typeof raw.hostId !== 'string') throw new AggregatorConfigError(`--credentials ${path}: hostId is missing`);
  return {
    username: aggregator.username,
    password: aggregator.password,
    hostId: raw.hostId,
    groupId: typeof raw.groupId === 'string' ? raw.groupId : 'gridcoop',
  };
}

/**
 * --policy file: the allocation policy in force, as the governance contract answers it (`{ version, policy }`) or the
 * bare policy. The advisor's drafts start from it.
 */
export function loadPolicyBasis(path: string): PolicyBasis {
  const raw = readJsonFile(path, '--policy') as { version?: unknown; policy?: unknown };
  const hasVersion = typeof raw === 'object' && raw !== null && 'policy' in raw;
  const policy = hasVersion ? raw.policy : raw;
  try {
    parseAllocationPolicy(policy);
  } catch (error) {
    if (error instanceof AllocationPolicyError) throw new AggregatorConfigError(`--policy ${path}: ${error.issues[0]}`);
    throw error;
  }
  const version = hasVersion && typeof raw.version === 'number' ? raw.version : null;
  return { version, policy: policy as AllocationPolicy, source: path };
}
