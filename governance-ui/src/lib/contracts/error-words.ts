/**
 * Every refusal a member can meet, in words they understand. The chain hands the app the contract's error text
 * (its Display form, inside the SDK's wrapping), so each variant of the contracts' error enums has a pattern for its
 * text and the words to show; test/error-words.test.ts fails when a variant of a contract error.rs has none.
 */
export interface ErrorWording {
  /** matches the variant's Display text as the contract writes it */
  readonly pattern: RegExp;
  readonly words: (match: RegExpMatchArray) => string;
}

/** governance: contracts/governance/src/error.rs, ContractError and PolicyError */
export const GOVERNANCE_ERROR_WORDS: Record<string, ErrorWording> = {
  Std: {
    pattern:
      /(Generic error|Error parsing into type|Error serializing type|Invalid Base64 string|Cannot decode UTF8 bytes|Overflow|Cannot divide)(.*?)(?:: execute wasm contract failed|$)/s,
    words: (m) => `The contract could not process the request: ${m[1]}${m[2]}`,
  },
  Policy: { pattern: /invalid policy: (.*)$/s, words: (m) => `The policy is outside what the DAO allows: ${m[1]}.` },
  OutOfRange: {
    pattern: /policy (\S+) = (\d+) is outside (\d+)\.\.=(\d+)/,
    words: (m) => `${fieldName(m[1]!)} is ${m[2]}, but must be between ${m[3]} and ${m[4]}.`,
  },
  SurplusSplitSum: {
    pattern: /surplus_split adds up to (\d+) %/,
    words: (m) => `The surplus split adds up to ${m[1]} %; battery, miners and export must add up to exactly 100 %.`,
  },
  TooManyZones: {
    pattern: /policy lists (\d+) zones, at most (\d+)/,
    words: (m) => `The policy lists ${m[1]} zones; at most ${m[2]} are allowed.`,
  },
  InvalidZoneName: {
    pattern: /policy zone name "(.*)" must be/,
    words: (m) => `The zone name "${m[1]}" is not valid: use 1 to 32 lower-case letters, digits or dashes.`,
  },
  DuplicateZone: {
    pattern: /policy lists zone "(.*)" more than once/,
    words: (m) => `The zone "${m[1]}" is listed twice.`,
  },
  InvalidConfig: {
    pattern: /invalid config (\S+): (.*)$/s,
    words: (m) => `The DAO's settings are invalid (${m[1]}): ${m[2]}`,
  },
  Unauthorized: {
    pattern: /unauthorized: (.+?) may only be done by (.+?), not by (\S+)/,
    words: (m) => `Only ${m[2]} may ${m[1]}; your account is not allowed to.`,
  },
  TitleLength: {
    pattern: /title has (\d+) characters, must have (\d+)\.\.=(\d+)/,
    words: (m) => `The title has ${m[1]} characters; it needs ${m[2]} to ${m[3]}.`,
  },
  DescriptionTooLong: {
    pattern: /description has (\d+) characters, at most (\d+)/,
    words: (m) => `The description has ${m[1]} characters; at most ${m[2]} are allowed.`,
  },
  RationaleTooLong: {
    pattern: /rationale has (\d+) characters, at most (\d+)/,
    words: (m) => `Your rationale has ${m[1]} characters; at most ${m[2]} are allowed.`,
  },
  ProposalTooLarge: {
    pattern: /proposal is (\d+) bytes as JSON, at most (\d+)/,
    words: (m) => `The proposal is too large (${m[1]} bytes; at most ${m[2]}). Shorten the description.`,
  },
  NoVotingPower: {
    pattern: /(\S+) has no voting power at height (\d+)/,
    words: (m) =>
      `This account had no voting power at block ${m[2]}: voting power comes from the active nodes you own, so register a node (and have it approved) first.`,
  },
  ProposalNotFound: { pattern: /proposal (\d+) not found/, words: (m) => `There is no proposal ${m[1]}.` },
  WrongStatus: {
    pattern: /cannot (.+?) proposal (\d+): it is (.+?), must be (.+?)(?:: execute wasm|$)/s,
    words: (m) =>
      `Proposal ${m[2]} cannot be ${pastTense(m[1]!)} now: it is ${m[3]!.replace(/_/g, ' ')}, and it must be ${m[4]!.replace(/_/g, ' ')}.`,
  },
  AlreadyVoted: {
    pattern: /already voted on proposal (\d+) and revoting is not allowed/,
    words: (m) => `You have already voted on proposal ${m[1]}, and this DAO does not allow changing a vote.`,
  },
  WrongDeposit: {
    pattern: /proposal deposit must be exactly (\S+), got (.*?)(?::|$)/,
    words: (m) => `A proposal needs a deposit of exactly ${m[1]} (you sent ${m[2] || 'nothing'}).`,
  },
  ProposalSuperseded: {
    pattern:
      /cannot execute proposal (\d+): it passed at (\S+), before proposal (\d+) whose policy \(version (\d+)\) is in force/,
    words: (m) =>
      `Proposal ${m[1]} can no longer be executed: proposal ${m[3]} passed after it and its policy (version ${m[4]}) is in force, so executing ${m[1]} would roll the policy back.`,
  },
  MigrateWrongContract: {
    pattern: /cannot migrate: this contract is "(.*)", not "(.*)"/,
    words: (m) => `This upgrade is for ${m[2]}, but the contract is ${m[1]}.`,
  },
  MigrateDowngrade: {
    pattern: /cannot migrate: stored version (\S+) is newer than this code's (\S+)/,
    words: (m) => `This upgrade (${m[2]}) is older than the running contract (${m[1]}).`,
  },
};

/** registry: contracts/registry/src/error.rs, ContractError */
export const REGISTRY_ERROR_WORDS: Record<string, ErrorWording> = {
  Std: GOVERNANCE_ERROR_WORDS.Std!,
  Unauthorized: {
    pattern: /unauthorized: (\S+) may only be called by (.+?) \(sender (\S+)\)/,
    words: (m) => `Only ${m[2]} may ${m[1]!.replace(/_/g, ' ')}; your account is not allowed to.`,
  },
  InvalidFunds: {
    pattern: /invalid funds for (\S+): (.*?)(?::|$)/,
    words: (m) => `Wrong funds for ${m[1]!.replace(/_/g, ' ')}: ${m[2]}.`,
  },
  InvalidField: { pattern: /invalid (\S+): (.*?)(?:: execute wasm|$)/s, words: (m) => `${fieldName(m[1]!)}: ${m[2]}.` },
  NodeNotFound: { pattern: /node (\d+) not found/, words: (m) => `There is no node ${m[1]}.` },
  InvalidNodeStatus: {
    pattern: /node (\d+) is (\w+): cannot (.+?)(?::|$)/,
    words: (m) => `Node ${m[1]} is ${m[2]}, so it cannot ${m[3]!.replace(/_/g, ' ')}.`,
  },
  EmptyBatch: { pattern: /record batch is empty/, words: () => 'The batch of records is empty.' },
  BatchTooLarge: {
    pattern: /record batch of (\d+) records exceeds the limit of (\d+)/,
    words: (m) => `${m[1]} records in one batch; at most ${m[2]}.`,
  },
  RecordRefused: {
    pattern: /record (\d+) \(node (\d+), interval (\d+)\) refused: (.*?)(?:: execute wasm|$)/s,
    words: (m) =>
      `The record of node ${m[2]} for the interval starting ${new Date(Number(m[3]) * 1000).toISOString()} was refused: ${m[4]}.`,
  },
  ConflictingRecord: {
    pattern: /record (\d+) \(node (\d+), interval (\d+)\) conflicts/,
    words: (m) =>
      `Node ${m[2]} already has a different record for the interval starting ${new Date(Number(m[3]) * 1000).toISOString()}.`,
  },
  EpochNotSettled: {
    pattern: /epoch (\d+) is not settled yet: claims open at (\d+) s/,
    words: (m) =>
      `Rewards of epoch ${m[1]} cannot be claimed yet: claims open ${new Date(Number(m[2]) * 1000).toLocaleString()}.`,
  },
  NothingToClaim: {
    pattern: /node (\d+) has nothing to claim for epoch (\d+)/,
    words: (m) => `Node ${m[1]} has nothing (left) to claim for epoch ${m[2]}.`,
  },
  MigrationRefused: { pattern: /migration refused: (.*?)(?::|$)/, words: (m) => `The upgrade was refused: ${m[1]}.` },
  NoAdmin: {
    pattern: /no admin: the admin role was renounced, so nobody may ([a-z_]+)/,
    words: (m) => `The registry's admin role was given up, so nobody can ${m[1]!.replace(/_/g, ' ')} any more.`,
  },
  NoAdminTransfer: {
    pattern: /no admin transfer is pending/,
    words: () => 'No hand-over of the admin role is waiting: the admin has to propose one first.',
  },
  NotProposedAdmin: {
    pattern: /only the proposed admin (\S+) may accept the admin role, not ([a-z0-9]+)/,
    words: (m) => `Only ${m[1]}, the account the admin proposed, can accept the admin role; your account is not it.`,
  },
  AdminTransferIsTwoStep: {
    pattern: /the admin role moves in two steps/,
    words: () => 'The admin role is handed over in two steps: the admin proposes the new admin, who then accepts.',
  },
  GovernanceLocked: {
    pattern: /the governance pointer is set to (\S+): only that contract may change it/,
    words: (m) =>
      `The registry follows the governance contract ${m[1]}; only a decision of that contract can change it.`,
  },
  SiteNotFound: { pattern: /site (\S+) not found/, words: (m) => `There is no site "${m[1]}".` },
  SiteExists: { pattern: /site (\S+) already exists/, words: (m) => `A site "${m[1]}" already exists.` },
  TooManySites: {
    pattern: /the registry holds at most (\d+) sites/,
    words: (m) => `The registry is full: it holds at most ${m[1]} sites.`,
  },
  SiteInUse: {
    pattern: /site (\S+) cannot be removed: (.*?)(?:: execute wasm|$)/s,
    words: (m) => `Site "${m[1]}" cannot be removed: ${m[2]}.`,
  },
  OracleOfOtherSite: {
    pattern: /oracle (\S+) already records for site ([a-z0-9-]+)/,
    words: (m) => `The key ${m[1]} already records for site "${m[2]}"; each oracle key serves one site.`,
  },
  OracleNotOfSite: {
    pattern: /oracle (\S+) does not record for site ([a-z0-9-]+)/,
    words: (m) => `The key ${m[1]} is not an oracle of site "${m[2]}".`,
  },
  OracleNotForNode: {
    pattern:
      /record (\d+) \(node (\d+), interval (\d+)\) refused: the node belongs to site ([a-z0-9-]+), the sender is the oracle of site ([a-z0-9-]+)/,
    words: (m) =>
      `Node ${m[2]} belongs to site "${m[4]}"; the oracle of site "${m[5]}" cannot record it (each site's oracle records only its own nodes).`,
  },
};

/** Refusals of the chain itself (Cosmos SDK), met before a contract runs. */
const CHAIN_ERROR_WORDS: readonly ErrorWording[] = [
  {
    pattern: /insufficient funds|insufficient fee|spendable balance (\S+) is smaller than/i,
    words: () => 'Your account does not have enough funds for this transaction and its fee.',
  },
  {
    pattern: /out of gas/i,
    words: () => 'The transaction ran out of gas. Try again: the app estimates gas anew each time.',
  },
  {
    pattern: /account sequence mismatch/i,
    words: () => 'Another transaction from your account was still pending. Try again in a few seconds.',
  },
  {
    pattern: /does not exist on chain|account .* not found/i,
    words: () => 'Your account has never received funds on this chain, so it cannot sign yet.',
  },
  {
    pattern: /Request rejected|rejected by user|user denied/i,
    words: () => 'You declined to sign in your wallet; nothing was sent.',
  },
  {
    pattern: /not reachable|Failed to fetch|NetworkError|fetch failed/i,
    words: () => 'The chain is not reachable right now; nothing was sent. Try again when it is back.',
  },
];

const ALL_CONTRACT_WORDS = [...Object.values(GOVERNANCE_ERROR_WORDS), ...Object.values(REGISTRY_ERROR_WORDS)];

function fieldName(field: string): string {
  const words = field
    .replace(/[._]/g, ' ')
    .replace(/\bpct\b/, '(%)')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function pastTense(action: string): string {
  const map: Record<string, string> = {
    'vote on': 'voted on',
    vote: 'voted on',
    execute: 'executed',
    veto: 'vetoed',
    close: 'closed',
  };
  return map[action] ?? action;
}

/**
 * The words for an error a transaction or query met. Specific variants are tried before the wrappers (an invalid
 * policy is explained by its field, not as "invalid policy"); an unknown text is shown as it is, never hidden.
 */
export function errorInWords(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const specific = ALL_CONTRACT_WORDS.filter(
    (w) => w !== GOVERNANCE_ERROR_WORDS.Policy && w !== GOVERNANCE_ERROR_WORDS.Std,
  );
  for (const wording of [
    ...specific,
    GOVERNANCE_ERROR_WORDS.Policy!,
    ...CHAIN_ERROR_WORDS,
    GOVERNANCE_ERROR_WORDS.Std!,
  ]) {
    const match = text.match(wording.pattern);
    if (match) return wording.words(match);
  }
  return text;
}
