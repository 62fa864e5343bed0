//! Hard limits on configuration and on what members may submit (the policy's own bounds live in policy.rs).

pub const MAX_TITLE_CHARS: usize = 128;
pub const MIN_TITLE_CHARS: usize = 1;
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;
pub const MAX_RATIONALE_CHARS: usize = 1_000;
/// The whole proposal (title, description, policy) as JSON. 4,000 characters of multi-byte text can exceed it even
/// within the character limits; this is what bounds the storage and gas a proposal costs.
pub const MAX_PROPOSAL_BYTES: usize = 16_384;

pub const MIN_VOTING_PERIOD_SECONDS: u64 = 60;
pub const MAX_VOTING_PERIOD_SECONDS: u64 = 366 * 24 * 3_600;
pub const MAX_TIMELOCK_SECONDS: u64 = 30 * 24 * 3_600;
/// A passed proposal can be executed for this long after its timelock, then it expires (so an old decision cannot
/// be executed long after, when the members would no longer want it).
pub const MIN_EXECUTION_WINDOW_SECONDS: u64 = 3_600;
pub const MAX_EXECUTION_WINDOW_SECONDS: u64 = 30 * 24 * 3_600;
pub const DEFAULT_EXECUTION_WINDOW_SECONDS: u64 = 7 * 24 * 3_600;
