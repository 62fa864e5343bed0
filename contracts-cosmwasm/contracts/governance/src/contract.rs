//! Entry points: each message is dispatched to one function, which first checks who may call it.

use gridcoop_vm::cw2::{get_contract_version, parse_version, set_contract_version};
use gridcoop_vm::pagination::page_limit;
use gridcoop_vm::{
    must_pay_nothing, to_json_binary, to_json_vec, Addr, BankMsg, Binary, Bound, Coin, CosmosMsg, Deps, DepsMut, Env,
    MessageInfo, Order, Response, StdError, StdResult, Timestamp, Uint128, WasmMsg,
};

use crate::decision::early_pass_condition;
use crate::error::ContractError;
use crate::limits::*;
use crate::msg::{
    CheckedDepositInfo, ConfigResponse, DepositInfo, DepositRefundPolicy, ExecuteMsg, InstantiateMsg, MigrateMsg,
    PendingPolicyResponse, PolicyResponse, ProposalResponse, ProposalStatusFilter, ProposalsResponse, QueryMsg,
    RegistryExecuteMsg, RegistryQueryMsg, Status, TallyResponse, VoteInfo, VotesResponse, VotingPowerResponse,
};
use crate::policy::AllocationPolicy;
use crate::state::{
    Ballot, Config, PolicyInForce, Proposal, ProposalContent, ProposalDeposit, Settlement, BALLOTS, CONFIG, POLICY,
    PROPOSALS, PROPOSAL_CONTENTS, PROPOSAL_COUNT,
};
use crate::proposal_index::{file_settled, is_superseded, next_executable, page_by_status, refile};
use crate::status::{execute_by, executable_from, passed_at, status_at, status_name};
use crate::tally::Vote;

pub const CONTRACT_NAME: &str = "crates.io:gridcoop-governance";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn instantiate(deps: DepsMut, env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    must_pay_nothing(&info.funds)?;
    let config = Config {
        registry: deps.api.addr_validate(&msg.registry)?,
        council: deps.api.addr_validate(&msg.council)?,
        threshold: msg.threshold,
        min_voting_period_seconds: msg.min_voting_period_seconds,
        max_voting_period_seconds: msg.max_voting_period_seconds,
        timelock_seconds: msg.timelock_seconds,
        allow_revoting: msg.allow_revoting,
        deposit: msg.deposit.map(|d| check_deposit_info(deps.as_ref(), d)).transpose()?,
        execution_window_seconds: msg.execution_window_seconds.unwrap_or(DEFAULT_EXECUTION_WINDOW_SECONDS),
    };
    validate_config(&config)?;
    msg.initial_policy.validate()?;
    set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(deps.storage, &config)?;
    PROPOSAL_COUNT.save(deps.storage, &0)?;
    POLICY.save(
        deps.storage,
        &PolicyInForce {
            version: 1,
            policy: msg.initial_policy,
            effective_from: env.block.time,
            proposal_id: None,
            passed_at: None,
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("registry", config.registry)
        .add_attribute("council", config.council))
}

fn check_deposit_info(deps: Deps, deposit: DepositInfo) -> Result<CheckedDepositInfo, ContractError> {
    let denom_ok = (3..=128).contains(&deposit.denom.len())
        && deposit.denom.bytes().all(|b| b.is_ascii_alphanumeric() || b"/:._-".contains(&b));
    if !denom_ok {
        return Err(ContractError::InvalidConfig {
            field: "deposit.denom",
            reason: format!("{:?} is not a native denom", deposit.denom),
        });
    }
    if deposit.amount.is_zero() {
        return Err(ContractError::InvalidConfig {
            field: "deposit.amount",
            reason: "must be more than 0 (omit deposit for none)".into(),
        });
    }
    Ok(CheckedDepositInfo {
        denom: deposit.denom,
        amount: deposit.amount,
        refund_policy: deposit.refund_policy,
        forfeit_recipient: deps.api.addr_validate(&deposit.forfeit_recipient)?,
    })
}

fn validate_config(config: &Config) -> Result<(), ContractError> {
    if !config.threshold.threshold.is_valid() {
        return Err(ContractError::InvalidConfig {
            field: "threshold.threshold",
            reason: "percent_bps must be 1..=10000".into(),
        });
    }
    if !config.threshold.quorum.is_valid() {
        return Err(ContractError::InvalidConfig {
            field: "threshold.quorum",
            reason: "percent_bps must be 1..=10000".into(),
        });
    }
    if !(MIN_VOTING_PERIOD_SECONDS..=MAX_VOTING_PERIOD_SECONDS).contains(&config.max_voting_period_seconds) {
        return Err(ContractError::InvalidConfig {
            field: "max_voting_period_seconds",
            reason: format!(
                "{} is outside {}..={}",
                config.max_voting_period_seconds, MIN_VOTING_PERIOD_SECONDS, MAX_VOTING_PERIOD_SECONDS
            ),
        });
    }
    if config.min_voting_period_seconds > config.max_voting_period_seconds {
        return Err(ContractError::InvalidConfig {
            field: "min_voting_period_seconds",
            reason: format!(
                "{} exceeds max_voting_period_seconds {}",
                config.min_voting_period_seconds, config.max_voting_period_seconds
            ),
        });
    }
    if !(MIN_EXECUTION_WINDOW_SECONDS..=MAX_EXECUTION_WINDOW_SECONDS).contains(&config.execution_window_seconds) {
        return Err(ContractError::InvalidConfig {
            field: "execution_window_seconds",
            reason: format!(
                "{} is outside {}..={}",
                config.execution_window_seconds, MIN_EXECUTION_WINDOW_SECONDS, MAX_EXECUTION_WINDOW_SECONDS
            ),
        });
    }
    if config.timelock_seconds > MAX_TIMELOCK_SECONDS {
        return Err(ContractError::InvalidConfig {
            field: "timelock_seconds",
            reason: format!("{} exceeds {}", config.timelock_seconds, MAX_TIMELOCK_SECONDS),
        });
    }
    Ok(())
}

pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Propose { title, description, policy } => {
            execute_propose(deps, env, info, title, description, policy)
        }
        ExecuteMsg::Vote { proposal_id, vote, rationale } => {
            execute_vote(deps, env, info, proposal_id, vote, rationale)
        }
        ExecuteMsg::Execute { proposal_id } => execute_execute(deps, env, info, proposal_id),
        ExecuteMsg::Veto { proposal_id } => execute_veto(deps, env, info, proposal_id),
        ExecuteMsg::Close { proposal_id } => execute_close(deps, env, info, proposal_id),
    }
}

fn validate_proposal_text(title: &str, description: &str, policy: &AllocationPolicy) -> Result<(), ContractError> {
    let title_chars = title.chars().count();
    if !(MIN_TITLE_CHARS..=MAX_TITLE_CHARS).contains(&title_chars) || title.trim().is_empty() {
        return Err(ContractError::TitleLength { chars: title_chars, min: MIN_TITLE_CHARS, max: MAX_TITLE_CHARS });
    }
    let description_chars = description.chars().count();
    if description_chars > MAX_DESCRIPTION_CHARS {
        return Err(ContractError::DescriptionTooLong { chars: description_chars, max: MAX_DESCRIPTION_CHARS });
    }
    let bytes = to_json_vec(&(title, description, policy))?.len();
    if bytes > MAX_PROPOSAL_BYTES {
        return Err(ContractError::ProposalTooLarge { bytes, max: MAX_PROPOSAL_BYTES });
    }
    policy.validate()?;
    Ok(())
}

/// Refuses anything but exactly the configured deposit (or, with none configured, any funds at all).
fn take_deposit(config: &Config, funds: &[Coin]) -> Result<Option<ProposalDeposit>, ContractError> {
    let deposit = match &config.deposit {
        None => {
            must_pay_nothing(funds)?;
            return Ok(None);
        }
        Some(deposit) => deposit,
    };
    let expected = Coin { denom: deposit.denom.clone(), amount: deposit.amount };
    let paid: Vec<&Coin> = funds.iter().filter(|c| !c.amount.is_zero()).collect();
    if paid.len() != 1 || *paid[0] != expected {
        let got: Vec<String> = paid.iter().map(|c| c.to_string()).collect();
        return Err(ContractError::WrongDeposit {
            expected: expected.to_string(),
            got: if got.is_empty() { "nothing".to_string() } else { got.join(",") },
        });
    }
    Ok(Some(ProposalDeposit {
        amount: expected,
        refund_policy: deposit.refund_policy,
        forfeit_recipient: deposit.forfeit_recipient.clone(),
    }))
}

fn registry_power(deps: Deps, config: &Config, address: &str, height: Option<u64>) -> StdResult<VotingPowerResponse> {
    deps.querier.query_wasm_smart(
        config.registry.as_str(),
        &RegistryQueryMsg::VotingPowerAtHeight { address: address.to_string(), height },
    )
}

fn execute_propose(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    title: String,
    description: String,
    policy: AllocationPolicy,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    validate_proposal_text(&title, &description, &policy)?;
    let deposit = take_deposit(&config, &info.funds)?;
    // Power is snapshotted here: votes are weighed at this height, so power gained during the vote does not count.
    let start_height = env.block.height;
    let proposer_power = registry_power(deps.as_ref(), &config, info.sender.as_str(), Some(start_height))?;
    if proposer_power.power.is_zero() {
        return Err(ContractError::NoVotingPower { address: info.sender.to_string(), height: start_height });
    }
    let total: VotingPowerResponse = deps.querier.query_wasm_smart(
        config.registry.as_str(),
        &RegistryQueryMsg::TotalPowerAtHeight { height: Some(start_height) },
    )?;

    let proposal_id = PROPOSAL_COUNT.load(deps.storage)? + 1;
    let opened_at = env.block.time;
    let mut proposal = Proposal {
        proposer: info.sender.clone(),
        start_height,
        opened_at,
        min_voting_end: opened_at.plus_seconds(config.min_voting_period_seconds),
        expiration: opened_at.plus_seconds(config.max_voting_period_seconds),
        total_power: total.power,
        yes: Uint128::zero(),
        no: Uint128::zero(),
        abstain: Uint128::zero(),
        threshold: config.threshold,
        allow_revoting: config.allow_revoting,
        timelock_seconds: config.timelock_seconds,
        execution_window_seconds: config.execution_window_seconds,
        early_pass_met_at: None,
        deposit,
        settlement: None,
        outlook: None,
    };
    refile(deps.storage, proposal_id, &mut proposal, env.block.time)?;
    PROPOSAL_COUNT.save(deps.storage, &proposal_id)?;
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;
    PROPOSAL_CONTENTS.save(deps.storage, proposal_id, &ProposalContent { title, description, policy })?;
    Ok(Response::new()
        .add_attribute("action", "propose")
        .add_attribute("proposal_id", proposal_id)
        .add_attribute("proposer", info.sender)
        .add_attribute("start_height", start_height)
        .add_attribute("total_power", total.power))
}

fn load_proposal(deps: Deps, proposal_id: u64) -> Result<Proposal, ContractError> {
    PROPOSALS.may_load(deps.storage, proposal_id)?.ok_or(ContractError::ProposalNotFound { proposal_id })
}

fn execute_vote(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
    vote: Vote,
    rationale: Option<String>,
) -> Result<Response, ContractError> {
    must_pay_nothing(&info.funds)?;
    if let Some(text) = &rationale {
        let chars = text.chars().count();
        if chars > MAX_RATIONALE_CHARS {
            return Err(ContractError::RationaleTooLong { chars, max: MAX_RATIONALE_CHARS });
        }
    }
    let mut proposal = load_proposal(deps.as_ref(), proposal_id)?;
    let status = status_at(&proposal, env.block.time);
    if status != Status::Open {
        return Err(ContractError::WrongStatus {
            proposal_id,
            action: "vote on",
            status: status_name(&status),
            required: "open",
        });
    }
    let mut tally = proposal.tally();
    let previous = BALLOTS.may_load(deps.storage, (proposal_id, &info.sender))?;
    let power = match &previous {
        Some(ballot) => {
            if !proposal.allow_revoting {
                return Err(ContractError::AlreadyVoted { proposal_id, voter: info.sender.to_string() });
            }
            tally.remove(ballot.vote, ballot.power.u128());
            ballot.power
        }
        None => {
            let config = CONFIG.load(deps.storage)?;
            let power =
                registry_power(deps.as_ref(), &config, info.sender.as_str(), Some(proposal.start_height))?.power;
            if power.is_zero() {
                return Err(ContractError::NoVotingPower {
                    address: info.sender.to_string(),
                    height: proposal.start_height,
                });
            }
            power
        }
    };
    tally.add(vote, power.u128());
    proposal.set_tally(tally);
    if !proposal.allow_revoting
        && proposal.early_pass_met_at.is_none()
        && early_pass_condition(&tally, proposal.total_power.u128(), &proposal.threshold)
    {
        proposal.early_pass_met_at = Some(env.block.time);
    }
    refile(deps.storage, proposal_id, &mut proposal, env.block.time)?;
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;
    BALLOTS.save(deps.storage, (proposal_id, &info.sender), &Ballot { vote, power, rationale })?;
    let new_status = status_at(&proposal, env.block.time);
    Ok(Response::new()
        .add_attribute("action", "vote")
        .add_attribute("proposal_id", proposal_id)
        .add_attribute("voter", info.sender)
        .add_attribute("vote", vote_name(vote))
        .add_attribute("power", power)
        .add_attribute("changed", previous.is_some())
        .add_attribute("status", status_name(&new_status)))
}

fn vote_name(vote: Vote) -> &'static str {
    match vote {
        Vote::Yes => "yes",
        Vote::No => "no",
        Vote::Abstain => "abstain",
    }
}

/// The refund (or forfeit) of a settled proposal's deposit, as a bank message. `passed`: the proposal passed (a
/// closed one expired or was superseded rather than rejected), which `only_passed` refunds.
fn settle_deposit(proposal: &Proposal, settlement: &Settlement, passed: bool) -> Option<(CosmosMsg, &'static str)> {
    let deposit = proposal.deposit.as_ref()?;
    let refunded = match (settlement, deposit.refund_policy) {
        (Settlement::Vetoed { .. }, _) => false,
        (_, DepositRefundPolicy::Never) => false,
        (Settlement::Executed { .. }, _) => true,
        (Settlement::Closed { .. }, DepositRefundPolicy::Always) => true,
        (Settlement::Closed { .. }, DepositRefundPolicy::OnlyPassed) => passed,
    };
    let to: &Addr = if refunded { &proposal.proposer } else { &deposit.forfeit_recipient };
    let msg = BankMsg::Send { to_address: to.to_string(), amount: vec![deposit.amount.clone()] };
    Some((msg.into(), if refunded { "refunded" } else { "forfeited" }))
}

fn settle(
    deps: DepsMut,
    proposal_id: u64,
    mut proposal: Proposal,
    settlement: Settlement,
    passed: bool,
    response: Response,
) -> Result<Response, ContractError> {
    proposal.settlement = Some(settlement);
    file_settled(deps.storage, proposal_id, &proposal, &settlement)?;
    PROPOSALS.save(deps.storage, proposal_id, &proposal)?;
    Ok(match settle_deposit(&proposal, &settlement, passed) {
        Some((msg, outcome)) => response.add_message(msg).add_attribute("deposit", outcome),
        None => response,
    })
}

fn execute_execute(deps: DepsMut, env: Env, info: MessageInfo, proposal_id: u64) -> Result<Response, ContractError> {
    must_pay_nothing(&info.funds)?;
    let proposal = load_proposal(deps.as_ref(), proposal_id)?;
    let status = status_at(&proposal, env.block.time);
    if status != Status::Passed {
        return Err(ContractError::WrongStatus {
            proposal_id,
            action: "execute",
            status: status_name(&status),
            required: "passed, timelock over",
        });
    }
    let config = CONFIG.load(deps.storage)?;
    let in_force = POLICY.load(deps.storage)?;
    let passed = passed_at(&proposal, env.block.time)
        .ok_or_else(|| StdError::generic_err(format!("proposal {} is passed without a pass time", proposal_id)))?;
    if is_superseded(&in_force, proposal_id, passed) {
        return Err(ContractError::ProposalSuperseded {
            proposal_id,
            passed_at: passed,
            in_force_version: in_force.version,
            in_force_proposal_id: in_force.proposal_id.unwrap_or_default(),
        });
    }
    let policy = PROPOSAL_CONTENTS.load(deps.storage, proposal_id)?.policy;
    let version = in_force.version + 1;
    let multipliers = policy.reward_multipliers.clone();
    POLICY.save(
        deps.storage,
        &PolicyInForce {
            version,
            policy,
            effective_from: env.block.time,
            proposal_id: Some(proposal_id),
            passed_at: Some(passed),
        },
    )?;
    let to_registry = WasmMsg::Execute {
        contract_addr: config.registry.to_string(),
        msg: to_json_binary(&RegistryExecuteMsg::SetRewardPolicy {
            kind_bps: multipliers.kind_bps,
            zone_bps: multipliers.zone_bps,
            flexibility_bps: multipliers.flexibility_bps,
        })?,
        funds: vec![],
    };
    let response = Response::new()
        .add_message(to_registry)
        .add_attribute("action", "execute")
        .add_attribute("proposal_id", proposal_id)
        .add_attribute("policy_version", version)
        .add_attribute("executor", info.sender);
    settle(deps, proposal_id, proposal, Settlement::Executed { at: env.block.time }, true, response)
}

fn execute_veto(deps: DepsMut, env: Env, info: MessageInfo, proposal_id: u64) -> Result<Response, ContractError> {
    must_pay_nothing(&info.funds)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.council {
        return Err(ContractError::Unauthorized {
            action: "veto",
            sender: info.sender.to_string(),
            allowed: format!("the council {}", config.council),
        });
    }
    let proposal = load_proposal(deps.as_ref(), proposal_id)?;
    let status = status_at(&proposal, env.block.time);
    if !matches!(status, Status::VetoTimelock { .. }) {
        return Err(ContractError::WrongStatus {
            proposal_id,
            action: "veto",
            status: status_name(&status),
            required: "in its veto timelock",
        });
    }
    let response = Response::new().add_attribute("action", "veto").add_attribute("proposal_id", proposal_id);
    settle(deps, proposal_id, proposal, Settlement::Vetoed { at: env.block.time }, true, response)
}

fn execute_close(deps: DepsMut, env: Env, info: MessageInfo, proposal_id: u64) -> Result<Response, ContractError> {
    must_pay_nothing(&info.funds)?;
    let proposal = load_proposal(deps.as_ref(), proposal_id)?;
    let status = status_at(&proposal, env.block.time);
    // A passed proposal that can never take effect (superseded by a policy that passed after it) need not wait
    // for its execution window to run out.
    let in_force = POLICY.load(deps.storage)?;
    let superseded = status == Status::Passed
        && passed_at(&proposal, env.block.time).map_or(false, |passed| is_superseded(&in_force, proposal_id, passed));
    if status != Status::Rejected && status != Status::Expired && !superseded {
        return Err(ContractError::WrongStatus {
            proposal_id,
            action: "close",
            status: status_name(&status),
            required: "rejected, expired, or passed and superseded",
        });
    }
    let passed = status != Status::Rejected;
    let response = Response::new().add_attribute("action", "close").add_attribute("proposal_id", proposal_id);
    settle(deps, proposal_id, proposal, Settlement::Closed { at: env.block.time }, passed, response)
}

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query_config(deps)?)?,
        QueryMsg::Policy {} => to_json_binary(&query_policy(deps)?)?,
        QueryMsg::PendingPolicy {} => to_json_binary(&query_pending_policy(deps, &env)?)?,
        QueryMsg::Proposals { status, start_after, limit } => {
            to_json_binary(&query_proposals(deps, &env, status, start_after, limit)?)?
        }
        QueryMsg::Proposal { proposal_id } => {
            to_json_binary(&proposal_response(deps, proposal_id, &load_proposal(deps, proposal_id)?, &env)?)?
        }
        QueryMsg::Votes { proposal_id, start_after, limit } => {
            to_json_binary(&query_votes(deps, proposal_id, start_after, limit)?)?
        }
        QueryMsg::Vote { proposal_id, voter } => to_json_binary(&query_vote(deps, proposal_id, voter)?)?,
        QueryMsg::VotingPower { address, height } => {
            let config = CONFIG.load(deps.storage)?;
            to_json_binary(&registry_power(deps, &config, &address, height)?)?
        }
    })
}

fn query_config(deps: Deps) -> StdResult<ConfigResponse> {
    CONFIG.load(deps.storage)
}

fn query_policy(deps: Deps) -> StdResult<PolicyResponse> {
    let in_force = POLICY.load(deps.storage)?;
    Ok(PolicyResponse { version: in_force.version, policy: in_force.policy, effective_from: in_force.effective_from })
}

/// The oldest passed proposal that can still be executed (bounded: one or two index reads, see proposal_index.rs).
fn query_pending_policy(deps: Deps, env: &Env) -> StdResult<Option<PendingPolicyResponse>> {
    let config = CONFIG.load(deps.storage)?;
    let in_force = POLICY.load(deps.storage)?;
    let id = match next_executable(deps.storage, &config, &in_force, env.block.time)? {
        Some(id) => id,
        None => return Ok(None),
    };
    let proposal = PROPOSALS.load(deps.storage, id)?;
    let passed = match passed_at(&proposal, env.block.time) {
        Some(passed) => passed,
        None => return Ok(None),
    };
    Ok(Some(PendingPolicyResponse {
        proposal_id: id,
        policy: PROPOSAL_CONTENTS.load(deps.storage, id)?.policy,
        passed_at: passed,
        executable_from: executable_from(&proposal, passed),
        execute_by: execute_by(&proposal, passed),
    }))
}

fn proposal_response(deps: Deps, id: u64, proposal: &Proposal, env: &Env) -> StdResult<ProposalResponse> {
    let passed: Option<Timestamp> = passed_at(proposal, env.block.time);
    let content = PROPOSAL_CONTENTS.load(deps.storage, id)?;
    Ok(ProposalResponse {
        id,
        title: content.title,
        description: content.description,
        proposer: proposal.proposer.clone(),
        policy: content.policy,
        status: status_at(proposal, env.block.time),
        start_height: proposal.start_height,
        opened_at: proposal.opened_at,
        min_voting_end: proposal.min_voting_end,
        expiration: proposal.expiration,
        total_power: proposal.total_power,
        tally: TallyResponse { yes: proposal.yes, no: proposal.no, abstain: proposal.abstain },
        threshold: proposal.threshold,
        allow_revoting: proposal.allow_revoting,
        passed_at: passed,
        executable_from: passed.map(|p| executable_from(proposal, p)),
        execute_by: passed.map(|p| execute_by(proposal, p)),
        deposit: proposal.deposit.as_ref().map(|d| d.amount.clone()),
    })
}

fn query_proposals(
    deps: Deps,
    env: &Env,
    filter: Option<ProposalStatusFilter>,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ProposalsResponse> {
    let limit = page_limit(limit);
    let filter = match filter {
        None => {
            let proposals = PROPOSALS
                .range(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
                .take(limit)
                .map(|entry| entry.and_then(|(id, proposal)| proposal_response(deps, id, &proposal, env)))
                .collect::<StdResult<Vec<_>>>()?;
            return Ok(ProposalsResponse { proposals });
        }
        Some(filter) => filter,
    };
    let config = CONFIG.load(deps.storage)?;
    let cursor = match start_after {
        Some(id) => Some((id, PROPOSALS.may_load(deps.storage, id)?.and_then(|p| p.outlook))),
        None => None,
    };
    let mut proposals = Vec::with_capacity(limit);
    for id in page_by_status(deps.storage, &config, filter, env.block.time, cursor, limit)? {
        let proposal = PROPOSALS.load(deps.storage, id)?;
        proposals.push(proposal_response(deps, id, &proposal, env)?);
    }
    Ok(ProposalsResponse { proposals })
}

fn query_votes(
    deps: Deps,
    proposal_id: u64,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<VotesResponse, ContractError> {
    load_proposal(deps, proposal_id)?;
    let start_addr = start_after.map(Addr::unchecked);
    let votes = BALLOTS
        .prefix(proposal_id)
        .range(deps.storage, start_addr.as_ref().map(Bound::exclusive), None, Order::Ascending)
        .take(page_limit(limit))
        .map(|entry| {
            entry.map(|(voter, ballot)| VoteInfo {
                voter,
                vote: ballot.vote,
                power: ballot.power,
                rationale: ballot.rationale,
            })
        })
        .collect::<StdResult<Vec<_>>>()?;
    Ok(VotesResponse { votes })
}

fn query_vote(deps: Deps, proposal_id: u64, voter: String) -> Result<Option<VoteInfo>, ContractError> {
    load_proposal(deps, proposal_id)?;
    let voter = Addr::unchecked(voter);
    let ballot = BALLOTS.may_load(deps.storage, (proposal_id, &voter))?;
    Ok(ballot.map(|b| VoteInfo { voter, vote: b.vote, power: b.power, rationale: b.rationale }))
}

pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let stored = get_contract_version(deps.storage)?;
    if stored.contract != CONTRACT_NAME {
        return Err(ContractError::MigrateWrongContract {
            stored: stored.contract,
            expected: CONTRACT_NAME.to_string(),
        });
    }
    if parse_version(&stored.version)? > parse_version(CONTRACT_VERSION)? {
        return Err(ContractError::MigrateDowngrade { stored: stored.version, current: CONTRACT_VERSION.to_string() });
    }
    set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", CONTRACT_VERSION))
}
