import type { GovernanceQueryClient } from '@gridcoop/contracts/client/governance-client';
import type { ProposalResponse } from '@gridcoop/contracts/client/governance-types';

export const PAGE_SIZE = 30;

/** One page of proposals after `startAfter` (ids ascend), and whether more may follow. */
export async function proposalPage(
  governance: GovernanceQueryClient,
  startAfter: number | undefined,
): Promise<{ proposals: ProposalResponse[]; more: boolean }> {
  const { proposals } = await governance.proposals({ limit: PAGE_SIZE, ...(startAfter ? { startAfter } : {}) });
  return { proposals, more: proposals.length === PAGE_SIZE };
}

/** Open proposals first (soonest ending first), then the rest newest first. */
export function orderForList(
  proposals: readonly ProposalResponse[],
  statusOf: (p: ProposalResponse) => string,
): ProposalResponse[] {
  const open = proposals
    .filter((p) => statusOf(p) === 'open')
    .sort((a, b) => (BigInt(a.expiration) < BigInt(b.expiration) ? -1 : 1));
  const rest = proposals.filter((p) => statusOf(p) !== 'open').sort((a, b) => b.id - a.id);
  return [...open, ...rest];
}

export function matchesSearch(p: ProposalResponse, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return (
    String(p.id) === needle.replace(/^#/, '') ||
    p.title.toLowerCase().includes(needle) ||
    p.description.toLowerCase().includes(needle) ||
    p.proposer.toLowerCase().includes(needle)
  );
}
