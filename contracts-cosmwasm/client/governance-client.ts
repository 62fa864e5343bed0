// Typed clients for the governance contract: queries through any CosmWasmClient, messages through a
// SigningCosmWasmClient (a real node, the local chain, or cw-simulate's SimulateCosmWasmClient in tests).
// They ask only for the two methods they call, so CosmJS clients of any recent version fit (cw-simulate brings 0.32).
import type { StdFee } from '@cosmjs/amino';
import type {
  AllocationPolicy,
  Coin,
  GovernanceConfig,
  GovernanceExecuteMsg,
  GovernanceQueryMsg,
  PendingPolicyResponse,
  PolicyResponse,
  ProposalResponse,
  ProposalStatusFilter,
  ProposalsResponse,
  Vote,
  VoteInfo,
  VotesResponse,
  VotingPowerResponse,
} from './governance-types.ts';

/** What the query client needs of a CosmWasmClient. */
export interface ContractQuerier {
  queryContractSmart(address: string, queryMsg: GovernanceQueryMsg): Promise<unknown>;
}

export interface TxEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

/** The parts of CosmJS's ExecuteResult the callers use. */
export interface ExecuteResult {
  readonly transactionHash: string;
  readonly height: number;
  readonly events: readonly TxEvent[];
  readonly gasUsed: bigint;
}

export type Fee = StdFee | 'auto' | number;

/** What the signing client needs of a SigningCosmWasmClient. */
export interface ContractExecutor extends ContractQuerier {
  execute(
    senderAddress: string,
    contractAddress: string,
    msg: GovernanceExecuteMsg,
    fee: Fee,
    memo?: string,
    funds?: readonly Coin[],
  ): Promise<ExecuteResult>;
}

export interface PageOptions<Cursor> {
  startAfter?: Cursor;
  /** Default 10, at most 30. */
  limit?: number;
}

export class GovernanceQueryClient {
  constructor(
    readonly client: ContractQuerier,
    readonly contractAddress: string,
  ) {}

  private query<T>(msg: GovernanceQueryMsg): Promise<T> {
    return this.client.queryContractSmart(this.contractAddress, msg) as Promise<T>;
  }

  config(): Promise<GovernanceConfig> {
    return this.query({ config: {} });
  }

  /** The policy in force, its version and since when. */
  policy(): Promise<PolicyResponse> {
    return this.query({ policy: {} });
  }

  /** The oldest passed proposal not yet executed (null when none), so a change can be seen coming. */
  pendingPolicy(): Promise<PendingPolicyResponse | null> {
    return this.query({ pending_policy: {} });
  }

  proposals(options: PageOptions<number> & { status?: ProposalStatusFilter } = {}): Promise<ProposalsResponse> {
    return this.query({
      proposals: {
        status: options.status ?? null,
        start_after: options.startAfter ?? null,
        limit: options.limit ?? null,
      },
    });
  }

  proposal(proposalId: number): Promise<ProposalResponse> {
    return this.query({ proposal: { proposal_id: proposalId } });
  }

  votes(proposalId: number, options: PageOptions<string> = {}): Promise<VotesResponse> {
    return this.query({
      votes: { proposal_id: proposalId, start_after: options.startAfter ?? null, limit: options.limit ?? null },
    });
  }

  vote(proposalId: number, voter: string): Promise<VoteInfo | null> {
    return this.query({ vote: { proposal_id: proposalId, voter } });
  }

  /** A member's power from the registry, at a height or now. */
  votingPower(address: string, height?: number): Promise<VotingPowerResponse> {
    return this.query({ voting_power: { address, height: height ?? null } });
  }
}

export class GovernanceClient extends GovernanceQueryClient {
  constructor(
    readonly signingClient: ContractExecutor,
    readonly sender: string,
    contractAddress: string,
    readonly fee: Fee = 'auto',
  ) {
    super(signingClient, contractAddress);
  }

  private execute(msg: GovernanceExecuteMsg, funds: readonly Coin[] = []): Promise<ExecuteResult> {
    return this.signingClient.execute(this.sender, this.contractAddress, msg, this.fee, undefined, funds);
  }

  /** Opens a proposal; `deposit` must be exactly the configured deposit, if any. The new id is in the events. */
  propose(
    title: string,
    description: string,
    policy: AllocationPolicy,
    deposit: readonly Coin[] = [],
  ): Promise<ExecuteResult> {
    return this.execute({ propose: { title, description, policy } }, deposit);
  }

  castVote(proposalId: number, vote: Vote, rationale?: string): Promise<ExecuteResult> {
    return this.execute({ vote: { proposal_id: proposalId, vote, rationale: rationale ?? null } });
  }

  executeProposal(proposalId: number): Promise<ExecuteResult> {
    return this.execute({ execute: { proposal_id: proposalId } });
  }

  veto(proposalId: number): Promise<ExecuteResult> {
    return this.execute({ veto: { proposal_id: proposalId } });
  }

  close(proposalId: number): Promise<ExecuteResult> {
    return this.execute({ close: { proposal_id: proposalId } });
  }
}

/** The proposal id a `propose` transaction created, read from its wasm event. */
export function proposalIdFrom(result: ExecuteResult): number {
  for (const event of result.events) {
    if (!event.type.startsWith('wasm')) continue;
    const attribute = event.attributes.find((a) => a.key === 'proposal_id');
    if (attribute) return Number(attribute.value);
  }
  throw new Error(`no proposal_id attribute in the events of transaction ${result.transactionHash}`);
}
