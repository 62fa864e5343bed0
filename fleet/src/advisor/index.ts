export { PolicyAdvisor } from './policy-advisor.ts';
export { observeFleet, type FleetObservation, type ZoneObservation } from './fleet-observation.ts';
export { ZoneEvidenceBook, type ZoneEvidence } from './zone-evidence.ts';
export {
  draftPolicyProposal,
  defaultAdvisorOptions,
  type AdvisorOptions,
  type PolicyBasis,
  type PolicyProposalDraft,
  type ZoneRecommendation,
} from './policy-draft.ts';
export { renderEvidenceChart } from './evidence-chart.ts';
