import type { ProposalResponse } from '@gridcoop/contracts/client/governance-types';
import { nsToMs } from '../format/time.ts';

/**
 * A proposal's status as one word, whatever shape the contract answers ("open", or {"veto_timelock": {...}}); a
 * status a later contract adds (such as "expired") comes through as its own word.
 */
export function statusWord(status: ProposalResponse['status'] | Record<string, unknown> | string): string {
  return typeof status === 'string' ? status : (Object.keys(status)[0] ?? 'unknown');
}

/** The moment that matters next for a proposal, for its countdown. */
export function nextMoment(p: ProposalResponse): { label: string; atMs: number } | null {
  const status = statusWord(p.status);
  if (status === 'open') return { label: 'voting ends', atMs: nsToMs(p.expiration) };
  if (status === 'veto_timelock' && p.executable_from)
    return { label: 'timelock ends', atMs: nsToMs(p.executable_from) };
  // the contract's execution deadline (`execute_by`): after it a passed proposal expires
  const deadline = (p as unknown as { execute_by?: string | null }).execute_by;
  if (status === 'passed' && deadline) return { label: 'must be executed', atMs: nsToMs(deadline) };
  return null;
}

export const STATUS_FILTERS: readonly { value: string; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'veto_timelock', label: 'In timelock' },
  { value: 'passed', label: 'Passed' },
  { value: 'executed', label: 'Executed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'vetoed', label: 'Vetoed' },
  { value: 'closed', label: 'Closed' },
  { value: 'expired', label: 'Expired' },
];
