// @gridcoop/contracts: message types, schemas and typed clients of GridCoop's contracts.
// Registry and governance share KindMultipliers and VotingPowerResponse (same JSON shapes); the registry's are
// exported here under those names.
export * from './registry-types.ts';
export { RegistryCallError, RegistryClient, RegistryQueryClient, wasmAttribute } from './registry-client.ts';
export {
  registrySchemas,
  registryExecuteSchema,
  registryQuerySchema,
  registryInstantiateSchema,
  intervalRecordSchema,
} from './registry-schema.ts';
export { validateAgainstSchema, type JsonSchema } from './json-schema.ts';

export type {
  Uint128,
  TimestampNs,
  RewardMultipliers,
  SurplusSplit,
  AllocationPolicy,
  PercentageThreshold,
  ThresholdQuorum,
  DepositRefundPolicy,
  DepositInfo,
  GovernanceInstantiateMsg,
  Vote,
  GovernanceExecuteMsg,
  ProposalStatusFilter,
  GovernanceQueryMsg,
  GovernanceMigrateMsg,
  Coin,
  GovernanceConfig,
  PolicyResponse,
  PendingPolicyResponse,
  ProposalStatus,
  Tally,
  ProposalResponse,
  ProposalsResponse,
  VoteInfo,
  VotesResponse,
} from './governance-types.ts';
export { statusName } from './governance-types.ts';
export { GovernanceClient, GovernanceQueryClient, proposalIdFrom } from './governance-client.ts';
export type { ContractQuerier, ContractExecutor, PageOptions } from './governance-client.ts';
export {
  governanceSchemas,
  governanceExecuteSchema,
  governanceQuerySchema,
  governanceInstantiateSchema,
  allocationPolicySchema,
} from './governance-schema.ts';
