// Typed clients for the registry contract over CosmJS: RegistryQueryClient reads (any CosmWasmClient),
// RegistryClient also signs (any SigningCosmWasmClient: a real node, the local chain, or cw-simulate's client).
import type { CosmWasmClient, ExecuteResult, SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import type { Coin, StdFee } from '@cosmjs/amino';
import type {
  EnergyTotals,
  EpochResponse,
  InfoResponse,
  IntervalRecord,
  KindMultipliers,
  MaintenanceLogResponse,
  NodeEpochResponse,
  NodeKind,
  NodesResponse,
  OraclesResponse,
  OracleSiteResponse,
  OwnershipResponse,
  PlantTotalsResponse,
  RecordChainResponse,
  RecordsResponse,
  RewardPoliciesResponse,
  RegistryConfig,
  RegistryExecuteMsg,
  RegistryNode,
  RegistryQueryMsg,
  RewardPolicy,
  SiteResponse,
  SitesResponse,
  VotingPowerResponse,
} from './registry-types.ts';

/** A registry call the contract (or the node) refused; `message` keeps the contract's own reason. */
export class RegistryCallError extends Error {
  constructor(
    readonly call: string,
    readonly contractAddress: string,
    readonly reason: string,
  ) {
    super(`registry ${call} on ${contractAddress} failed: ${reason}`);
    this.name = 'RegistryCallError';
  }
}

type QueryBackend = Pick<CosmWasmClient, 'queryContractSmart'>;
type SigningBackend = Pick<SigningCosmWasmClient, 'queryContractSmart' | 'execute'>;
type Fee = StdFee | 'auto' | number;

function callName(msg: object): string {
  return Object.keys(msg)[0] ?? 'unknown';
}

export class RegistryQueryClient {
  constructor(
    protected readonly client: QueryBackend,
    readonly contractAddress: string,
  ) {}

  protected async query<T>(msg: RegistryQueryMsg): Promise<T> {
    try {
      return (await this.client.queryContractSmart(this.contractAddress, msg)) as T;
    } catch (error) {
      throw new RegistryCallError(
        callName(msg),
        this.contractAddress,
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  config(): Promise<RegistryConfig> {
    return this.query({ config: {} });
  }
  info(): Promise<InfoResponse> {
    return this.query({ info: {} });
  }
  rewardPolicy(): Promise<RewardPolicy> {
    return this.query({ reward_policy: {} });
  }
  node(nodeId: number): Promise<RegistryNode> {
    return this.query({ node: { node_id: nodeId } });
  }
  nodes(
    filter: { owner?: string; zone?: string; kind?: NodeKind; startAfter?: number; limit?: number } = {},
  ): Promise<NodesResponse> {
    const { owner, zone, kind, startAfter, limit } = filter;
    return this.query({ nodes: { owner, zone, kind, start_after: startAfter, limit } });
  }
  records(
    nodeId: number,
    range: { fromS?: number; toS?: number; startAfter?: number; limit?: number } = {},
  ): Promise<RecordsResponse> {
    const { fromS, toS, startAfter, limit } = range;
    return this.query({ records: { node_id: nodeId, from_s: fromS, to_s: toS, start_after: startAfter, limit } });
  }
  /** Records with the counters of each one's predecessor, so every energy and total can be recomputed. */
  recordChain(
    nodeId: number,
    range: { fromS?: number; toS?: number; startAfter?: number; limit?: number } = {},
  ): Promise<RecordChainResponse> {
    const { fromS, toS, startAfter, limit } = range;
    return this.query({ record_chain: { node_id: nodeId, from_s: fromS, to_s: toS, start_after: startAfter, limit } });
  }
  /** Every reward policy version with the block it was set in. */
  rewardPolicies(page: { startAfter?: number; limit?: number } = {}): Promise<RewardPoliciesResponse> {
    return this.query({ reward_policies: { start_after: page.startAfter, limit: page.limit } });
  }
  nodeTotals(nodeId: number): Promise<EnergyTotals> {
    return this.query({ node_totals: { node_id: nodeId } });
  }
  nodeEpoch(nodeId: number, epoch: number): Promise<NodeEpochResponse> {
    return this.query({ node_epoch: { node_id: nodeId, epoch } });
  }
  epoch(epoch: number): Promise<EpochResponse> {
    return this.query({ epoch: { epoch } });
  }
  plantTotals(): Promise<PlantTotalsResponse> {
    return this.query({ plant_totals: {} });
  }
  oracles(page: { startAfter?: string; limit?: number } = {}): Promise<OraclesResponse> {
    return this.query({ oracles: { start_after: page.startAfter, limit: page.limit } });
  }
  ownership(): Promise<OwnershipResponse> {
    return this.query({ ownership: {} });
  }
  site(site: string): Promise<SiteResponse> {
    return this.query({ site: { site } });
  }
  sites(page: { startAfter?: string; limit?: number } = {}): Promise<SitesResponse> {
    return this.query({ sites: { start_after: page.startAfter, limit: page.limit } });
  }
  siteOracles(site: string, page: { startAfter?: string; limit?: number } = {}): Promise<OraclesResponse> {
    return this.query({ site_oracles: { site, start_after: page.startAfter, limit: page.limit } });
  }
  oracleSite(address: string): Promise<OracleSiteResponse> {
    return this.query({ oracle_site: { address } });
  }
  maintenanceLog(nodeId: number, page: { startAfter?: number; limit?: number } = {}): Promise<MaintenanceLogResponse> {
    return this.query({ maintenance_log: { node_id: nodeId, start_after: page.startAfter, limit: page.limit } });
  }
  votingPowerAtHeight(address: string, height?: number): Promise<VotingPowerResponse> {
    return this.query({ voting_power_at_height: { address, height } });
  }
  totalPowerAtHeight(height?: number): Promise<VotingPowerResponse> {
    return this.query({ total_power_at_height: { height } });
  }
}

export class RegistryClient extends RegistryQueryClient {
  constructor(
    protected readonly signingClient: SigningBackend,
    contractAddress: string,
    readonly sender: string,
    private readonly fee: Fee = 'auto',
  ) {
    super(signingClient, contractAddress);
  }

  protected async execute(msg: RegistryExecuteMsg, funds?: readonly Coin[]): Promise<ExecuteResult> {
    try {
      return await this.signingClient.execute(this.sender, this.contractAddress, msg, this.fee, undefined, funds);
    } catch (error) {
      throw new RegistryCallError(
        callName(msg),
        this.contractAddress,
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  registerNode(node: {
    kind: NodeKind;
    ratedPowerW: number;
    energyCapacityWh?: number;
    zone: string;
    metadata?: [string, string][];
  }): Promise<ExecuteResult> {
    return this.execute({
      register_node: {
        kind: node.kind,
        rated_power_w: node.ratedPowerW,
        energy_capacity_wh: node.energyCapacityWh ?? null,
        zone: node.zone,
        metadata: node.metadata ?? [],
      },
    });
  }
  /** binds the node to `site` (the registry's default site when left out) */
  approveNode(nodeId: number, site?: string): Promise<ExecuteResult> {
    return this.execute({ approve_node: site === undefined ? { node_id: nodeId } : { node_id: nodeId, site } });
  }
  assignNodeSite(nodeId: number, site: string): Promise<ExecuteResult> {
    return this.execute({ assign_node_site: { node_id: nodeId, site } });
  }
  suspendNode(nodeId: number, reason: string): Promise<ExecuteResult> {
    return this.execute({ suspend_node: { node_id: nodeId, reason } });
  }
  resumeNode(nodeId: number): Promise<ExecuteResult> {
    return this.execute({ resume_node: { node_id: nodeId } });
  }
  retireNode(nodeId: number): Promise<ExecuteResult> {
    return this.execute({ retire_node: { node_id: nodeId } });
  }
  recordIntervals(records: IntervalRecord[]): Promise<ExecuteResult> {
    return this.execute({ record_intervals: { records } });
  }
  fundEpoch(epoch: number, funds: readonly Coin[]): Promise<ExecuteResult> {
    return this.execute({ fund_epoch: { epoch } }, funds);
  }
  claimRewards(nodeId: number, epoch: number): Promise<ExecuteResult> {
    return this.execute({ claim_rewards: { node_id: nodeId, epoch } });
  }
  logMaintenance(nodeId: number, note: string): Promise<ExecuteResult> {
    return this.execute({ log_maintenance: { node_id: nodeId, note } });
  }
  updateOracles(change: { add?: string[]; remove?: string[] }): Promise<ExecuteResult> {
    return this.execute({ update_oracles: { add: change.add ?? [], remove: change.remove ?? [] } });
  }
  addSite(site: string, oracles: string[]): Promise<ExecuteResult> {
    return this.execute({ add_site: { site, oracles } });
  }
  updateSiteOracles(site: string, change: { add?: string[]; remove?: string[] }): Promise<ExecuteResult> {
    return this.execute({ update_site_oracles: { site, add: change.add ?? [], remove: change.remove ?? [] } });
  }
  removeSite(site: string): Promise<ExecuteResult> {
    return this.execute({ remove_site: { site } });
  }
  proposeAdmin(newAdmin: string): Promise<ExecuteResult> {
    return this.execute({ propose_admin: { new_admin: newAdmin } });
  }
  acceptAdmin(): Promise<ExecuteResult> {
    return this.execute({ accept_admin: {} });
  }
  cancelAdminTransfer(): Promise<ExecuteResult> {
    return this.execute({ cancel_admin_transfer: {} });
  }
  renounceAdmin(): Promise<ExecuteResult> {
    return this.execute({ renounce_admin: {} });
  }
  /** sent by the governance contract; anyone else is refused */
  updateGovernance(governance: string): Promise<ExecuteResult> {
    return this.execute({ update_governance: { governance } });
  }
  /** `admin` is refused by the contract (the admin moves with proposeAdmin / acceptAdmin) */
  updateConfig(change: { admin?: string; operator?: string; governance?: string }): Promise<ExecuteResult> {
    return this.execute({
      update_config: {
        admin: change.admin ?? null,
        operator: change.operator ?? null,
        governance: change.governance ?? null,
      },
    });
  }
  setRewardPolicy(kindBps: KindMultipliers, zoneBps: [string, number][]): Promise<ExecuteResult> {
    return this.execute({ set_reward_policy: { kind_bps: kindBps, zone_bps: zoneBps } });
  }
}

/** Reads a wasm attribute (e.g. "recorded", "duplicates") from an execute result's events. */
export function wasmAttribute(result: Pick<ExecuteResult, 'events'>, key: string): string | undefined {
  for (const event of result.events) {
    if (event.type !== 'wasm') continue;
    const attribute = event.attributes.find((a) => a.key === key);
    if (attribute) return attribute.value;
  }
  return undefined;
}
