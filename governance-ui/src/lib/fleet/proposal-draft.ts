import type { AdvisorDraft } from './aggregator-api.ts';

/** Where /proposals/new keeps the draft it opens with (routes/proposals/new/+page.svelte). */
export const PROPOSAL_DRAFT_KEY = 'gridcoop.proposal-draft';

/**
 * Puts the advisor's draft (title, description with its evidence, the policy with the raised zone multipliers)
 * where the new-proposal form reads its saved draft, so a member reviews, edits and signs it there. The aggregator
 * never submits anything; this only fills the form.
 */
export function storeAdvisorDraft(draft: AdvisorDraft, storage: Pick<Storage, 'setItem'>): void {
  storage.setItem(
    PROPOSAL_DRAFT_KEY,
    JSON.stringify({ title: draft.title, description: draft.description, policy: draft.policy }),
  );
}
