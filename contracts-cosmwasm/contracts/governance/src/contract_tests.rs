//! The contract's messages driven natively against a stand-in registry (the wasm integration tests in
//! contracts-cosmwasm/test/governance*.test.ts drive the same flows against the real registry contract).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use gridcoop_vm::testing::{mock_dependencies, mock_env, MockDeps};
use gridcoop_vm::{
    coin, from_json, to_json_binary, Addr, BankMsg, CosmosMsg, Env, MessageInfo, Response, Timestamp, Uint128, WasmMsg,
};

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME};
use crate::error::ContractError;
use crate::msg::*;
use crate::policy::{AllocationPolicy, KindMultipliers, RewardMultipliers, SurplusSplit};
use crate::tally::Vote;
use crate::threshold::{PercentageThreshold, ThresholdQuorum};

const REGISTRY: &str = "cosmwasm1registry";
const COUNCIL: &str = "cosmwasm1council";
const TREASURY: &str = "cosmwasm1treasury";
const MIN_PERIOD: u64 = 3_600;
const MAX_PERIOD: u64 = 86_400;
const TIMELOCK: u64 = 7_200;
const WINDOW: u64 = 86_400;

/// Power per member, each with the height from which it counts (the registry's snapshots, simplified).
type PowerBook = Rc<RefCell<BTreeMap<String, Vec<(u64, u128)>>>>;

fn power_at(book: &PowerBook, address: &str, height: u64) -> u128 {
    book.borrow()
        .get(address)
        .and_then(|entries| entries.iter().rev().find(|(from, _)| *from <= height))
        .map_or(0, |(_, p)| *p)
}

struct Harness {
    deps: MockDeps,
    env: Env,
    book: PowerBook,
}

fn policy(reserve_pct: u8) -> AllocationPolicy {
    AllocationPolicy {
        battery_reserve_pct: reserve_pct,
        surplus_split: SurplusSplit { battery_pct: 50, miners_pct: 30, export_pct: 20 },
        miner_flexibility_pct: 100,
        reward_multipliers: RewardMultipliers {
            kind_bps: KindMultipliers { pv: 10_000, battery: 12_000, flexible_load: 8_000 },
            zone_bps: vec![("zone-a".to_string(), 15_000)],
            flexibility_bps: 20_000,
        },
    }
}

fn instantiate_msg(allow_revoting: bool, refund_policy: Option<DepositRefundPolicy>) -> InstantiateMsg {
    InstantiateMsg {
        registry: REGISTRY.into(),
        council: COUNCIL.into(),
        threshold: ThresholdQuorum {
            threshold: PercentageThreshold::Majority {},
            quorum: PercentageThreshold::PercentBps(2_000),
        },
        min_voting_period_seconds: MIN_PERIOD,
        max_voting_period_seconds: MAX_PERIOD,
        timelock_seconds: TIMELOCK,
        allow_revoting,
        deposit: refund_policy.map(|refund_policy| DepositInfo {
            denom: "ugrid".into(),
            amount: Uint128::new(1_000),
            refund_policy,
            forfeit_recipient: TREASURY.into(),
        }),
        execution_window_seconds: Some(WINDOW),
        initial_policy: policy(20),
    }
}

impl Harness {
    fn new(msg: InstantiateMsg) -> Harness {
        let book: PowerBook = Rc::new(RefCell::new(BTreeMap::new()));
        let mut deps = mock_dependencies();
        let handler_book = book.clone();
        deps.querier.set_wasm_handler(move |contract, msg| {
            assert_eq!(contract, REGISTRY, "power is read from the registry");
            let height_or_now = |h: Option<u64>| h.unwrap_or(u64::MAX);
            match from_json::<RegistryQueryMsg>(msg.as_slice())? {
                RegistryQueryMsg::VotingPowerAtHeight { address, height } => to_json_binary(&VotingPowerResponse {
                    power: Uint128::new(power_at(&handler_book, &address, height_or_now(height))),
                    height: height.unwrap_or(0),
                }),
                RegistryQueryMsg::TotalPowerAtHeight { height } => {
                    let members: Vec<String> = handler_book.borrow().keys().cloned().collect();
                    let total = members.iter().map(|m| power_at(&handler_book, m, height_or_now(height))).sum::<u128>();
                    to_json_binary(&VotingPowerResponse { power: Uint128::new(total), height: height.unwrap_or(0) })
                }
            }
        });
        let env = mock_env();
        let mut harness = Harness { deps, env, book };
        instantiate(harness.deps.as_mut(), harness.env.clone(), info("cosmwasm1admin", &[]), msg).unwrap();
        harness
    }

    fn give_power(&self, member: &str, from_height: u64, power: u128) {
        self.book.borrow_mut().entry(member.to_string()).or_default().push((from_height, power));
    }

    fn advance_seconds(&mut self, seconds: u64) {
        self.env.block.height += 1 + seconds / 5;
        self.env.block.time = self.env.block.time.plus_seconds(seconds);
    }

    fn exec(&mut self, sender: &str, funds: &[gridcoop_vm::Coin], msg: ExecuteMsg) -> Result<Response, ContractError> {
        self.env.block.height += 1;
        execute(self.deps.as_mut(), self.env.clone(), info(sender, funds), msg)
    }

    fn propose(&mut self, sender: &str, funds: &[gridcoop_vm::Coin]) -> Result<u64, ContractError> {
        let response = self.exec(
            sender,
            funds,
            ExecuteMsg::Propose {
                title: "Keep more in reserve".into(),
                description: String::new(),
                policy: policy(30),
            },
        )?;
        Ok(response.attributes.iter().find(|a| a.key == "proposal_id").unwrap().value.parse().unwrap())
    }

    fn vote(&mut self, sender: &str, proposal_id: u64, vote: Vote) -> Result<Response, ContractError> {
        self.exec(sender, &[], ExecuteMsg::Vote { proposal_id, vote, rationale: None })
    }

    fn proposal(&self, proposal_id: u64) -> ProposalResponse {
        from_json(query(self.deps.as_ref(), self.env.clone(), QueryMsg::Proposal { proposal_id }).unwrap().as_slice())
            .unwrap()
    }

    fn policy_in_force(&self) -> PolicyResponse {
        from_json(query(self.deps.as_ref(), self.env.clone(), QueryMsg::Policy {}).unwrap().as_slice()).unwrap()
    }

    fn pending(&self) -> Option<PendingPolicyResponse> {
        from_json(query(self.deps.as_ref(), self.env.clone(), QueryMsg::PendingPolicy {}).unwrap().as_slice()).unwrap()
    }
}

fn info(sender: &str, funds: &[gridcoop_vm::Coin]) -> MessageInfo {
    MessageInfo { sender: Addr::unchecked(sender), funds: funds.to_vec() }
}

fn bank_sends(response: &Response) -> Vec<(String, u128)> {
    response
        .messages
        .iter()
        .filter_map(|m| match &m.msg {
            CosmosMsg::Bank(BankMsg::Send { to_address, amount }) => {
                Some((to_address.clone(), amount[0].amount.u128()))
            }
            _ => None,
        })
        .collect()
}

fn three_members(h: &Harness) {
    h.give_power("cosmwasm1alice", 0, 500);
    h.give_power("cosmwasm1bob", 0, 300);
    h.give_power("cosmwasm1carol", 0, 200);
}

#[test]
fn a_passed_proposal_takes_effect_after_its_timelock_and_tells_the_registry() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[]).unwrap();
    h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
    h.vote("cosmwasm1bob", id, Vote::Yes).unwrap();
    assert_eq!(h.proposal(id).status, Status::Open, "not before the minimum voting period");

    h.advance_seconds(MIN_PERIOD);
    let expires_at = h.proposal(id).min_voting_end.plus_seconds(TIMELOCK);
    assert_eq!(h.proposal(id).status, Status::VetoTimelock { expires_at });
    assert_eq!(h.pending().unwrap().executable_from, expires_at);
    let early = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: id }).unwrap_err();
    assert!(matches!(early, ContractError::WrongStatus { .. }), "{}", early);
    assert_eq!(h.policy_in_force().version, 1);

    h.advance_seconds(TIMELOCK);
    let response = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: id }).unwrap();
    let in_force = h.policy_in_force();
    assert_eq!(
        (in_force.version, in_force.policy.battery_reserve_pct, in_force.effective_from),
        (2, 30, h.env.block.time)
    );
    assert_eq!(h.proposal(id).status, Status::Executed);
    assert_eq!(h.pending(), None);
    match &response.messages[0].msg {
        CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, funds }) => {
            assert_eq!((contract_addr.as_str(), funds.len()), (REGISTRY, 0));
            let sent: serde_json::Value = serde_json::from_slice(msg.as_slice()).unwrap();
            assert_eq!(sent["set_reward_policy"]["kind_bps"]["battery"], 12_000);
            assert_eq!(sent["set_reward_policy"]["zone_bps"], serde_json::json!([["zone-a", 15000]]));
        }
        other => panic!("expected the registry message, got {:?}", other),
    }
    let again = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: id }).unwrap_err();
    assert!(again.to_string().contains("executed"), "{}", again);
}

#[test]
fn power_gained_after_a_proposal_opens_does_not_count() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[]).unwrap();
    let start = h.proposal(id).start_height;
    h.give_power("cosmwasm1bob", start + 1, 10_000);
    h.give_power("cosmwasm1dave", start + 1, 10_000);
    h.vote("cosmwasm1bob", id, Vote::No).unwrap();
    assert_eq!(h.proposal(id).tally.no, Uint128::new(300));
    assert_eq!(h.proposal(id).total_power, Uint128::new(1_000));
    let late = h.vote("cosmwasm1dave", id, Vote::No).unwrap_err();
    assert_eq!(late, ContractError::NoVotingPower { address: "cosmwasm1dave".into(), height: start });
}

#[test]
fn without_revoting_a_second_vote_is_refused_and_the_first_kept() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[]).unwrap();
    h.vote("cosmwasm1carol", id, Vote::Yes).unwrap();
    let err = h.vote("cosmwasm1carol", id, Vote::No).unwrap_err();
    assert!(matches!(err, ContractError::AlreadyVoted { proposal_id, .. } if proposal_id == id));
    assert_eq!(
        h.proposal(id).tally,
        TallyResponse { yes: Uint128::new(200), no: Uint128::zero(), abstain: Uint128::zero() }
    );
}

#[test]
fn with_revoting_a_changed_vote_moves_its_power_and_nothing_closes_early() {
    let mut h = Harness::new(instantiate_msg(true, None));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[]).unwrap();
    for member in ["cosmwasm1alice", "cosmwasm1bob", "cosmwasm1carol"] {
        h.vote(member, id, Vote::Yes).unwrap();
    }
    h.advance_seconds(MAX_PERIOD - 1);
    assert_eq!(h.proposal(id).status, Status::Open, "unanimous, but revoting keeps it open");
    h.vote("cosmwasm1alice", id, Vote::No).unwrap();
    h.vote("cosmwasm1bob", id, Vote::Abstain).unwrap();
    assert_eq!(
        h.proposal(id).tally,
        TallyResponse { yes: Uint128::new(200), no: Uint128::new(500), abstain: Uint128::new(300) }
    );
    h.advance_seconds(1);
    assert_eq!(h.proposal(id).status, Status::Rejected);
    let closed_vote = h.vote("cosmwasm1carol", id, Vote::No).unwrap_err();
    assert!(closed_vote.to_string().contains("rejected"), "{}", closed_vote);
}

#[test]
fn only_the_council_can_veto_and_only_during_the_timelock() {
    let mut h = Harness::new(instantiate_msg(false, Some(DepositRefundPolicy::Always)));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[coin(1_000, "ugrid")]).unwrap();
    h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
    h.vote("cosmwasm1bob", id, Vote::Yes).unwrap();
    h.advance_seconds(MIN_PERIOD);
    let err = h.exec("cosmwasm1alice", &[], ExecuteMsg::Veto { proposal_id: id }).unwrap_err();
    assert!(matches!(err, ContractError::Unauthorized { action: "veto", .. }), "{}", err);
    let response = h.exec(COUNCIL, &[], ExecuteMsg::Veto { proposal_id: id }).unwrap();
    assert_eq!(bank_sends(&response), vec![(TREASURY.to_string(), 1_000)], "a vetoed deposit is never refunded");
    assert_eq!(h.proposal(id).status, Status::Vetoed);
    h.advance_seconds(TIMELOCK);
    assert!(h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: id }).is_err());
    assert_eq!(h.policy_in_force().version, 1);
}

#[test]
fn the_council_cannot_veto_once_the_timelock_is_over() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[]).unwrap();
    h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
    h.vote("cosmwasm1bob", id, Vote::Yes).unwrap();
    h.advance_seconds(MIN_PERIOD + TIMELOCK);
    let err = h.exec(COUNCIL, &[], ExecuteMsg::Veto { proposal_id: id }).unwrap_err();
    assert!(err.to_string().contains("cannot veto proposal 1: it is passed"), "{}", err);
}

#[test]
fn deposits_follow_the_refund_policy() {
    // (policy, passes?) -> who gets the deposit back
    let cases = [
        (DepositRefundPolicy::Always, true, "cosmwasm1alice"),
        (DepositRefundPolicy::Always, false, "cosmwasm1alice"),
        (DepositRefundPolicy::OnlyPassed, true, "cosmwasm1alice"),
        (DepositRefundPolicy::OnlyPassed, false, TREASURY),
        (DepositRefundPolicy::Never, true, TREASURY),
        (DepositRefundPolicy::Never, false, TREASURY),
    ];
    for (refund_policy, passes, recipient) in cases {
        let mut h = Harness::new(instantiate_msg(false, Some(refund_policy)));
        three_members(&h);
        let id = h.propose("cosmwasm1alice", &[coin(1_000, "ugrid")]).unwrap();
        let vote = if passes { Vote::Yes } else { Vote::No };
        h.vote("cosmwasm1alice", id, vote).unwrap();
        h.vote("cosmwasm1bob", id, vote).unwrap();
        h.advance_seconds(MIN_PERIOD + TIMELOCK);
        let settle =
            if passes { ExecuteMsg::Execute { proposal_id: id } } else { ExecuteMsg::Close { proposal_id: id } };
        let response = h.exec("cosmwasm1anyone", &[], settle).unwrap();
        assert_eq!(
            bank_sends(&response),
            vec![(recipient.to_string(), 1_000)],
            "{:?} passes={}",
            refund_policy,
            passes
        );
    }
}

#[test]
fn a_proposal_without_exactly_the_deposit_is_refused_and_nothing_is_stored() {
    let mut h = Harness::new(instantiate_msg(false, Some(DepositRefundPolicy::Always)));
    three_members(&h);
    for funds in [
        vec![],
        vec![coin(999, "ugrid")],
        vec![coin(1_001, "ugrid")],
        vec![coin(1_000, "uother")],
        vec![coin(1_000, "ugrid"), coin(1, "uother")],
    ] {
        let err = h.propose("cosmwasm1alice", &funds).unwrap_err();
        assert!(matches!(err, ContractError::WrongDeposit { .. }), "{:?}: {}", funds, err);
    }
    let list: ProposalsResponse = from_json(
        query(h.deps.as_ref(), h.env.clone(), QueryMsg::Proposals { status: None, start_after: None, limit: None })
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    assert!(list.proposals.is_empty());
    assert_eq!(h.propose("cosmwasm1alice", &[coin(1_000, "ugrid")]).unwrap(), 1);
}

#[test]
fn a_member_without_power_cannot_propose() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let err = h.propose("cosmwasm1mallory", &[]).unwrap_err();
    assert!(matches!(err, ContractError::NoVotingPower { .. }), "{}", err);
}

#[test]
fn migration_refuses_another_contract_and_a_newer_version() {
    let mut h = Harness::new(instantiate_msg(false, None));
    gridcoop_vm::cw2::set_contract_version(&mut h.deps.storage, CONTRACT_NAME, "9.0.0").unwrap();
    let err = migrate(h.deps.as_mut(), h.env.clone(), MigrateMsg {}).unwrap_err();
    assert!(matches!(err, ContractError::MigrateDowngrade { .. }), "{}", err);
    gridcoop_vm::cw2::set_contract_version(&mut h.deps.storage, "crates.io:cw20-base", "0.1.0").unwrap();
    let err = migrate(h.deps.as_mut(), h.env.clone(), MigrateMsg {}).unwrap_err();
    assert!(matches!(err, ContractError::MigrateWrongContract { .. }), "{}", err);
    gridcoop_vm::cw2::set_contract_version(&mut h.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    migrate(h.deps.as_mut(), h.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(gridcoop_vm::cw2::get_contract_version(&h.deps.storage).unwrap().version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn instantiate_refuses_periods_and_thresholds_out_of_bounds() {
    let base = instantiate_msg(false, None);
    let mut cases: Vec<(InstantiateMsg, &str)> = vec![];
    let mut m = base.clone();
    m.max_voting_period_seconds = 59;
    m.min_voting_period_seconds = 0;
    cases.push((m, "max_voting_period_seconds"));
    let mut m = base.clone();
    m.min_voting_period_seconds = MAX_PERIOD + 1;
    cases.push((m, "min_voting_period_seconds"));
    let mut m = base.clone();
    m.timelock_seconds = 30 * 24 * 3_600 + 1;
    cases.push((m, "timelock_seconds"));
    let mut m = base.clone();
    m.threshold.quorum = PercentageThreshold::PercentBps(0);
    cases.push((m, "threshold.quorum"));
    let mut m = base.clone();
    m.threshold.threshold = PercentageThreshold::PercentBps(10_001);
    cases.push((m, "threshold.threshold"));
    for (msg, field) in cases {
        let mut deps = mock_dependencies();
        let err = instantiate(deps.as_mut(), mock_env(), info("cosmwasm1admin", &[]), msg).unwrap_err();
        assert!(matches!(err, ContractError::InvalidConfig { field: f, .. } if f == field), "{}: {}", field, err);
    }
    let mut at_bounds = base;
    at_bounds.max_voting_period_seconds = 60;
    at_bounds.min_voting_period_seconds = 60;
    at_bounds.timelock_seconds = 30 * 24 * 3_600;
    let mut deps = mock_dependencies();
    instantiate(deps.as_mut(), mock_env(), info("cosmwasm1admin", &[]), at_bounds).unwrap();
}

#[test]
fn timestamps_travel_as_nanosecond_strings() {
    let h = Harness::new(instantiate_msg(false, None));
    let json = String::from_utf8(query(h.deps.as_ref(), h.env.clone(), QueryMsg::Policy {}).unwrap().0).unwrap();
    assert!(
        json.contains(&format!("\"effective_from\":\"{}\"", Timestamp::from_nanos(1_571_797_419_879_305_533))),
        "{}",
        json
    );
}

#[test]
fn a_proposal_that_passed_before_the_policy_in_force_can_never_roll_it_back() {
    let mut h = Harness::new(instantiate_msg(false, Some(DepositRefundPolicy::OnlyPassed)));
    three_members(&h);
    let deposit = [coin(1_000, "ugrid")];
    let first = h.propose("cosmwasm1alice", &deposit).unwrap();
    let second = h.propose("cosmwasm1bob", &deposit).unwrap();
    let never = h.propose("cosmwasm1carol", &deposit).unwrap();
    for id in [first, second] {
        h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
        h.vote("cosmwasm1bob", id, Vote::Yes).unwrap();
    }
    h.vote("cosmwasm1alice", never, Vote::No).unwrap();
    assert_eq!(h.pending(), None, "nothing has passed before the minimum voting period");
    h.advance_seconds(MIN_PERIOD);
    assert_eq!(h.pending().unwrap().proposal_id, first, "the oldest passed proposal is the next change");
    h.advance_seconds(TIMELOCK);
    h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: second }).unwrap();
    assert_eq!(h.policy_in_force().version, 2);
    assert_eq!(h.pending(), None, "the older proposal is superseded, not pending");
    let error = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: first }).unwrap_err();
    assert!(matches!(error, ContractError::ProposalSuperseded { proposal_id, in_force_version: 2, in_force_proposal_id, .. }
        if proposal_id == first && in_force_proposal_id == second), "{}", error);
    assert!(error.to_string().contains("would roll the policy back"), "{}", error);
    assert_eq!(h.policy_in_force().version, 2, "the refused execution changed nothing");
    // the superseded proposal can be closed at once; it passed, so only_passed refunds its deposit
    let closed = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Close { proposal_id: first }).unwrap();
    assert_eq!(bank_sends(&closed), vec![("cosmwasm1alice".to_string(), 1_000)]);
    let closed = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Close { proposal_id: never }).unwrap();
    assert_eq!(bank_sends(&closed), vec![(TREASURY.to_string(), 1_000)], "a rejected proposal forfeits under only_passed");
}

#[test]
fn a_newer_decision_still_takes_effect_after_an_older_one_was_executed() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let first = h.propose("cosmwasm1alice", &[]).unwrap();
    h.advance_seconds(10);
    let second = h.propose("cosmwasm1bob", &[]).unwrap();
    for id in [first, second] {
        h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
        h.vote("cosmwasm1bob", id, Vote::Yes).unwrap();
    }
    h.advance_seconds(MIN_PERIOD + TIMELOCK);
    h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: first }).unwrap();
    assert_eq!(h.pending().unwrap().proposal_id, second);
    h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: second }).unwrap();
    assert_eq!(h.policy_in_force().version, 3);
}

#[test]
fn a_passed_proposal_not_executed_within_its_window_expires_and_can_only_be_closed() {
    let mut h = Harness::new(instantiate_msg(false, Some(DepositRefundPolicy::OnlyPassed)));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[coin(1_000, "ugrid")]).unwrap();
    h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
    h.vote("cosmwasm1bob", id, Vote::Yes).unwrap();
    h.advance_seconds(MIN_PERIOD + TIMELOCK);
    let passed_at = h.proposal(id).passed_at.unwrap();
    assert_eq!(h.proposal(id).execute_by, Some(passed_at.plus_seconds(TIMELOCK + WINDOW)));
    let error = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Close { proposal_id: id }).unwrap_err();
    assert!(error.to_string().contains("cannot close proposal"), "{}", error);
    h.env.block.time = passed_at.plus_seconds(TIMELOCK + WINDOW - 1);
    assert_eq!(h.proposal(id).status, Status::Passed, "executable until the last second of its window");
    assert_eq!(h.pending().unwrap().execute_by, passed_at.plus_seconds(TIMELOCK + WINDOW));
    h.env.block.time = passed_at.plus_seconds(TIMELOCK + WINDOW);
    assert_eq!(h.proposal(id).status, Status::Expired);
    assert_eq!(h.pending(), None);
    let error = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Execute { proposal_id: id }).unwrap_err();
    assert!(error.to_string().contains("it is expired"), "{}", error);
    assert_eq!(h.policy_in_force().version, 1);
    let closed = h.exec("cosmwasm1anyone", &[], ExecuteMsg::Close { proposal_id: id }).unwrap();
    assert_eq!(bank_sends(&closed), vec![("cosmwasm1alice".to_string(), 1_000)]);
    assert_eq!(h.proposal(id).status, Status::Closed);
}

#[test]
fn instantiate_refuses_an_execution_window_out_of_bounds() {
    for (window, ok) in [(3_599u64, false), (3_600, true), (2_592_000, true), (2_592_001, false)] {
        let mut msg = instantiate_msg(false, None);
        msg.execution_window_seconds = Some(window);
        let mut deps = mock_dependencies();
        let result = instantiate(deps.as_mut(), mock_env(), info("cosmwasm1admin", &[]), msg);
        assert_eq!(result.is_ok(), ok, "window {}: {:?}", window, result.err().map(|e| e.to_string()));
    }
}

fn listed(h: &Harness, status: ProposalStatusFilter) -> Vec<u64> {
    let mut ids = vec![];
    let mut start_after = None;
    loop {
        let page: ProposalsResponse = from_json(
            query(h.deps.as_ref(), h.env.clone(), QueryMsg::Proposals { status: Some(status), start_after, limit: Some(2) })
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        if page.proposals.is_empty() {
            break;
        }
        start_after = page.proposals.last().map(|p| p.id);
        ids.extend(page.proposals.iter().map(|p| p.id));
    }
    ids.sort_unstable();
    ids
}

/// Status lists come from the indexes, statuses of single proposals from the tally and the clock: at every moment
/// both must agree, for proposals passing early, at expiry, rejected early, at expiry, executed, closed, vetoed.
#[test]
fn status_lists_from_the_indexes_match_every_proposals_own_status_over_time() {
    for allow_revoting in [false, true] {
        let mut h = Harness::new(instantiate_msg(allow_revoting, None));
        three_members(&h);
        let mut ids = vec![];
        // a deterministic mix of votes: (alice, bob, carol) per proposal, None = no vote
        let patterns = [
            [Some(Vote::Yes), Some(Vote::Yes), None],
            [Some(Vote::No), Some(Vote::No), None],
            [Some(Vote::Yes), None, Some(Vote::No)],
            [None, Some(Vote::Yes), Some(Vote::Yes)],
            [Some(Vote::Abstain), None, None],
            [None, None, None],
            [Some(Vote::Yes), Some(Vote::No), Some(Vote::Yes)],
        ];
        for (n, pattern) in patterns.iter().enumerate() {
            let id = h.propose("cosmwasm1alice", &[]).unwrap();
            ids.push(id);
            h.advance_seconds(600 * n as u64);
            for (member, vote) in ["cosmwasm1alice", "cosmwasm1bob", "cosmwasm1carol"].iter().zip(pattern) {
                if let Some(vote) = vote {
                    h.vote(member, id, *vote).unwrap();
                }
            }
        }
        let filters = [
            ProposalStatusFilter::Open,
            ProposalStatusFilter::Rejected,
            ProposalStatusFilter::VetoTimelock,
            ProposalStatusFilter::Passed,
            ProposalStatusFilter::Expired,
            ProposalStatusFilter::Executed,
            ProposalStatusFilter::Closed,
            ProposalStatusFilter::Vetoed,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for step in 0..50u64 {
            for filter in filters {
                let expected: Vec<u64> = ids.iter().copied().filter(|id| filter.matches(&h.proposal(*id).status)).collect();
                if !expected.is_empty() {
                    seen.insert(format!("{:?}", filter));
                }
                assert_eq!(listed(&h, filter), expected, "revoting {} step {} filter {:?}", allow_revoting, step, filter);
            }
            // act on some proposals along the way (odd ids that pass are never executed: they expire)
            for id in &ids {
                let status = h.proposal(*id).status;
                let action = match status {
                    Status::Passed if id % 2 == 0 => Some(ExecuteMsg::Execute { proposal_id: *id }),
                    Status::Rejected if step % 2 == 1 => Some(ExecuteMsg::Close { proposal_id: *id }),
                    Status::Expired => Some(ExecuteMsg::Close { proposal_id: *id }),
                    Status::VetoTimelock { .. } if id % 4 == 3 => Some(ExecuteMsg::Veto { proposal_id: *id }),
                    _ => None,
                };
                if let Some(action) = action {
                    let sender = if matches!(action, ExecuteMsg::Veto { .. }) { COUNCIL } else { "cosmwasm1anyone" };
                    // a superseded proposal is refused; that is part of what is checked
                    let _ = h.exec(sender, &[], action);
                }
            }
            h.advance_seconds(5_003);
        }
        let every_status_once = if allow_revoting { 7 } else { 8 };
        assert!(seen.len() >= every_status_once, "revoting {}: statuses met {:?}", allow_revoting, seen);
    }
}

#[test]
fn the_timelock_ends_exactly_at_passed_at_plus_its_length() {
    let mut h = Harness::new(instantiate_msg(false, None));
    three_members(&h);
    let id = h.propose("cosmwasm1alice", &[]).unwrap();
    h.advance_seconds(MIN_PERIOD + 100);
    h.vote("cosmwasm1alice", id, Vote::Yes).unwrap();
    h.vote("cosmwasm1carol", id, Vote::Yes).unwrap();
    let passed_at = h.env.block.time;
    assert_eq!(h.proposal(id).passed_at, Some(passed_at), "passed at the vote that made it certain");
    h.advance_seconds(TIMELOCK - 1);
    assert_eq!(h.proposal(id).status, Status::VetoTimelock { expires_at: passed_at.plus_seconds(TIMELOCK) });
    h.advance_seconds(1);
    assert_eq!(h.proposal(id).status, Status::Passed);
}

/// Counts the storage entries a query touches, to show that it does not grow with the number of proposals.
struct CountingStorage<'a> {
    inner: &'a dyn gridcoop_vm::Storage,
    reads: std::cell::Cell<usize>,
}

impl<'a> gridcoop_vm::Storage for CountingStorage<'a> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(key)
    }
    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: gridcoop_vm::Order,
    ) -> Box<dyn Iterator<Item = gridcoop_vm::Record> + 'b> {
        Box::new(self.inner.range(start, end, order).inspect(move |_| self.reads.set(self.reads.get() + 1)))
    }
    fn set(&mut self, _: &[u8], _: &[u8]) {
        unreachable!("queries do not write")
    }
    fn remove(&mut self, _: &[u8]) {
        unreachable!("queries do not write")
    }
}

fn reads_of(h: &Harness, msg: QueryMsg) -> usize {
    let counting = CountingStorage { inner: &h.deps.storage, reads: std::cell::Cell::new(0) };
    let deps = gridcoop_vm::Deps {
        storage: &counting,
        api: &h.deps.api,
        querier: gridcoop_vm::QuerierWrapper::new(&h.deps.querier),
    };
    query(deps, h.env.clone(), msg).unwrap();
    counting.reads.get()
}

#[test]
fn pending_policy_and_status_pages_read_the_same_whatever_the_number_of_unsettled_proposals() {
    let mut counts = vec![];
    for spam in [10usize, 200] {
        let mut h = Harness::new(instantiate_msg(false, None));
        three_members(&h);
        // what one member can do with deposits off: many proposals, open ones and rejected ones never closed,
        // all before the one proposal that passes (an id-ordered scan would read every one of them)
        for n in 0..spam {
            let id = h.propose("cosmwasm1carol", &[]).unwrap();
            if n % 2 == 0 {
                h.vote("cosmwasm1alice", id, Vote::No).unwrap();
                h.vote("cosmwasm1bob", id, Vote::No).unwrap();
            }
        }
        let passing = h.propose("cosmwasm1alice", &[]).unwrap();
        h.vote("cosmwasm1alice", passing, Vote::Yes).unwrap();
        h.vote("cosmwasm1bob", passing, Vote::Yes).unwrap();
        h.advance_seconds(MIN_PERIOD);
        assert_eq!(h.pending().unwrap().proposal_id, passing);
        let pending = reads_of(&h, QueryMsg::PendingPolicy {});
        let page = |status| QueryMsg::Proposals { status: Some(status), start_after: None, limit: Some(5) };
        let timelocked = reads_of(&h, page(ProposalStatusFilter::VetoTimelock));
        let rejected = reads_of(&h, page(ProposalStatusFilter::Rejected));
        let open = reads_of(&h, page(ProposalStatusFilter::Open));
        counts.push((pending, timelocked, rejected, open));
    }
    assert_eq!(counts[0], counts[1], "reads with 10 and with 200 other proposals (pending, timelock, rejected, open)");
}
