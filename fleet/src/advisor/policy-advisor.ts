import { ZoneEvidenceBook } from './zone-evidence.ts';
import type { FleetObservation } from './fleet-observation.ts';
import {
  defaultAdvisorOptions,
  draftPolicyProposal,
  type AdvisorOptions,
  type PolicyBasis,
  type PolicyProposalDraft,
} from './policy-draft.ts';
import { renderEvidenceChart } from './evidence-chart.ts';

/** The aggregator's advisor: watches every cycle, drafts a policy proposal on request. It never submits anything. */
export class PolicyAdvisor {
  readonly evidence = new ZoneEvidenceBook();

  constructor(
    private basis: PolicyBasis,
    private readonly options: AdvisorOptions = defaultAdvisorOptions,
  ) {}

  observe(observation: FleetObservation): void {
    this.evidence.observe(observation);
  }

  /** The policy in force changed (e.g. a proposal was executed): later drafts start from it. */
  setBasis(basis: PolicyBasis): void {
    this.basis = basis;
  }

  draft(nowMs: number): PolicyProposalDraft {
    return draftPolicyProposal(
      this.evidence.zones(),
      this.evidence.fleetPeakShortfallWh,
      this.basis,
      this.evidence.window(),
      nowMs,
      this.options,
    );
  }

  chartSvg(): string {
    return renderEvidenceChart(this.evidence.zones());
  }
}
