//! Native unit tests of the contract logic with the VM crate's mocks (the same rules run as wasm in the
//! TypeScript integration tests under contracts-cosmwasm/test/registry-*.test.ts).

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME};
use crate::error::ContractError;
use crate::msg::{
    EpochResponse, ExecuteMsg, FlexDirection, FlexibilityClaim, InstantiateMsg, IntervalRecord, MigrateMsg, NodeEpochResponse, NodeKind, QueryMsg, RecordChainResponse, RecordsResponse,
    VotingPowerResponse,
};
use gridcoop_vm::cw2::set_contract_version;
use gridcoop_vm::testing::{mock_dependencies, mock_env, mock_info, MockDeps};
use gridcoop_vm::{coins, from_json, BankMsg, CosmosMsg, Env, Response, Timestamp, Uint128};

const ADMIN: &str = "cosmwasm1admin";
const OPERATOR: &str = "cosmwasm1operator";
const ORACLE: &str = "cosmwasm1oracle";
const ALICE: &str = "cosmwasm1alice";
const BOB: &str = "cosmwasm1bob";
const DAY: u64 = 86_400;
const T0: u64 = 4_102_444_800;

fn env_at(seconds: u64, height: u64) -> Env {
    let mut env = mock_env();
    env.block.time = Timestamp::from_seconds(seconds);
    env.block.height = height;
    env
}

fn setup() -> MockDeps {
    let mut deps = mock_dependencies();
    let msg = InstantiateMsg {
        admin: Some(ADMIN.to_string()),
        operator: OPERATOR.to_string(),
        governance: None,
        oracles: vec![ORACLE.to_string()],
        default_site: None,
        sites: vec![],
        reward_denom: "ugrid".to_string(),
        interval_s: 900,
        epoch_length_s: DAY,
        settlement_delay_s: 3_600,
        reward_policy: None,
    };
    instantiate(deps.as_mut(), env_at(T0, 1), mock_info(ADMIN, &[]), msg).unwrap();
    deps
}

fn run(deps: &mut MockDeps, env: Env, sender: &str, msg: ExecuteMsg) -> Result<Response, ContractError> {
    execute(deps.as_mut(), env, mock_info(sender, &[]), msg)
}

fn active_node(deps: &mut MockDeps, owner: &str, rated_power_w: u64, height: u64) -> u64 {
    let register = ExecuteMsg::RegisterNode { kind: NodeKind::Pv, rated_power_w, energy_capacity_wh: None, zone: "zone-a".into(), metadata: vec![] };
    let response = run(deps, env_at(T0, height), owner, register).unwrap();
    let id: u64 = response.attributes.iter().find(|a| a.key == "node_id").unwrap().value.parse().unwrap();
    run(deps, env_at(T0, height), OPERATOR, ExecuteMsg::ApproveNode { node_id: id, site: None }).unwrap();
    id
}

fn record(node_id: u64, slot: u64, energy_out_wh: u64, counter_out_wh: u64) -> IntervalRecord {
    IntervalRecord {
        node_id,
        interval_start: T0 + slot * 900,
        interval_s: 900,
        energy_in_wh: 0,
        energy_out_wh,
        counter_in_wh: 0,
        counter_out_wh,
        samples_hash: "ab".repeat(32),
        flexibility: None,
    }
}

fn attribute(response: &Response, key: &str) -> String {
    response.attributes.iter().find(|a| a.key == key).map(|a| a.value.clone()).unwrap_or_default()
}

#[test]
fn every_response_leads_with_its_action() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    let response = run(&mut deps, env_at(T0 + DAY, 3), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 0, 10, 10)] }).unwrap();
    assert_eq!((response.attributes[0].key.as_str(), response.attributes[0].value.as_str()), ("action", "record_intervals"));
}

#[test]
fn a_record_is_stored_once_and_an_identical_resend_is_a_reported_no_op() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    let batch = ExecuteMsg::RecordIntervals { records: vec![record(node, 0, 100, 100), record(node, 1, 100, 200)] };
    let first = run(&mut deps, env_at(T0 + DAY, 3), ORACLE, batch.clone()).unwrap();
    assert_eq!(attribute(&first, "recorded"), "2");
    let again = run(&mut deps, env_at(T0 + DAY, 4), ORACLE, batch).unwrap();
    assert_eq!((attribute(&again, "recorded"), attribute(&again, "duplicates")), ("0".to_string(), "2".to_string()));
    let conflicting = ExecuteMsg::RecordIntervals { records: vec![record(node, 0, 101, 100)] };
    let error = run(&mut deps, env_at(T0 + DAY, 5), ORACLE, conflicting).unwrap_err();
    assert!(matches!(error, ContractError::ConflictingRecord { index: 0, .. }), "{}", error);
    let records: RecordsResponse =
        from_json(query(deps.as_ref(), env_at(T0 + DAY, 5), QueryMsg::Records { node_id: node, from_s: None, to_s: None, start_after: None, limit: None }).unwrap()).unwrap();
    assert_eq!(records.records.len(), 2);
    assert_eq!(records.records[0].record.energy_out_wh, 100);
}

#[test]
fn energy_above_rated_power_times_interval_is_refused() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 4_000, 2); // 4 kW x 900 s = 1,000 Wh
    run(&mut deps, env_at(T0 + DAY, 3), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 0, 1_000, 1_000)] }).unwrap();
    let error = run(&mut deps, env_at(T0 + DAY, 4), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 1, 1_001, 2_001)] }).unwrap_err();
    assert!(error.to_string().contains("energy_out_wh 1001 exceeds rated power 4000 W x 900 s"), "{}", error);
}

#[test]
fn a_bound_that_is_not_a_whole_wh_is_rounded_up_to_the_counters_resolution() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 1_001, 2); // 1,001 W x 900 s = 250.25 Wh: counters may read 251
    run(&mut deps, env_at(T0 + DAY, 3), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 0, 251, 251)] }).unwrap();
    let error = run(&mut deps, env_at(T0 + DAY, 4), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 1, 252, 503)] }).unwrap_err();
    assert!(error.to_string().contains("energy_out_wh 252 exceeds rated power 1001 W x 900 s"), "{}", error);
}

#[test]
fn counters_never_go_backwards_between_neighbouring_intervals() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    run(&mut deps, env_at(T0 + DAY, 3), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 5, 10, 500)] }).unwrap();
    let later_lower = run(&mut deps, env_at(T0 + DAY, 4), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 6, 10, 499)] });
    assert!(later_lower.unwrap_err().to_string().contains("counter_out_wh 499 is below 500"));
    let earlier_higher = run(&mut deps, env_at(T0 + DAY, 5), ORACLE, ExecuteMsg::RecordIntervals { records: vec![record(node, 4, 10, 501)] });
    assert!(earlier_higher.unwrap_err().to_string().contains("counter_out_wh 501 is above 500"));
}

#[test]
fn only_oracles_record_and_nothing_is_stored_when_refused() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    let error = run(&mut deps, env_at(T0 + DAY, 3), ALICE, ExecuteMsg::RecordIntervals { records: vec![record(node, 0, 1, 1)] }).unwrap_err();
    assert!(matches!(error, ContractError::Unauthorized { action: "record_intervals", .. }));
    let records: RecordsResponse =
        from_json(query(deps.as_ref(), env_at(T0 + DAY, 3), QueryMsg::Records { node_id: node, from_s: None, to_s: None, start_after: None, limit: None }).unwrap()).unwrap();
    assert!(records.records.is_empty());
}

#[test]
fn rewards_are_floor_shares_and_the_dust_stays_in_the_pool() {
    let mut deps = setup();
    let owners = [ALICE, BOB, "cosmwasm1carol"];
    let nodes: Vec<u64> = owners.iter().map(|owner| active_node(&mut deps, owner, 10_000, 2)).collect();
    let records = nodes.iter().map(|&n| record(n, 0, 1_000, 1_000)).collect();
    run(&mut deps, env_at(T0 + 900, 3), ORACLE, ExecuteMsg::RecordIntervals { records }).unwrap();
    let epoch = T0 / DAY;
    execute(deps.as_mut(), env_at(T0 + 900, 4), mock_info("cosmwasm1funder", &coins(100, "ugrid")), ExecuteMsg::FundEpoch { epoch }).unwrap();
    let settled = env_at(T0 + DAY + 3_600, 5);
    for (owner, node) in owners.iter().zip(&nodes) {
        let response = run(&mut deps, settled.clone(), owner, ExecuteMsg::ClaimRewards { node_id: *node, epoch }).unwrap();
        let expected = CosmosMsg::Bank(BankMsg::Send { to_address: owner.to_string(), amount: coins(33, "ugrid") });
        assert_eq!(response.messages[0].msg, expected);
    }
    let state: EpochResponse = from_json(query(deps.as_ref(), settled.clone(), QueryMsg::Epoch { epoch }).unwrap()).unwrap();
    assert_eq!((state.pool, state.paid), (Uint128::new(100), Uint128::new(99)));
    let node_epoch: NodeEpochResponse = from_json(query(deps.as_ref(), settled, QueryMsg::NodeEpoch { node_id: nodes[0], epoch }).unwrap()).unwrap();
    assert_eq!(node_epoch.claimable, Uint128::zero());
}

#[test]
fn voting_power_at_a_past_height_never_changes() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 6_000, 10); // effective from height 11
    run(&mut deps, env_at(T0, 20), OPERATOR, ExecuteMsg::SuspendNode { node_id: node, reason: "audit".into() }).unwrap();
    let power_at = |deps: &MockDeps, height: Option<u64>| -> Uint128 {
        let answer: VotingPowerResponse =
            from_json(query(deps.as_ref(), env_at(T0, 30), QueryMsg::VotingPowerAtHeight { address: ALICE.into(), height }).unwrap()).unwrap();
        answer.power
    };
    assert_eq!(power_at(&deps, Some(10)), Uint128::zero());
    assert_eq!(power_at(&deps, Some(11)), Uint128::new(6_000));
    assert_eq!(power_at(&deps, Some(20)), Uint128::new(6_000));
    assert_eq!(power_at(&deps, Some(21)), Uint128::zero());
    assert_eq!(power_at(&deps, None), Uint128::zero());
}

#[test]
fn migration_is_refused_from_another_contract_or_a_newer_version() {
    let mut deps = setup();
    migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    set_contract_version(&mut deps.storage, "crates.io:cw20-base", "0.1.0").unwrap();
    let error = migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert!(error.to_string().contains("stored contract is crates.io:cw20-base"), "{}", error);
    set_contract_version(&mut deps.storage, CONTRACT_NAME, "9.0.0").unwrap();
    let error = migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert!(error.to_string().contains("stored version 9.0.0 is newer"), "{}", error);
}

fn record_in_out(node_id: u64, slot: u64, energy_out_wh: u64, counter_out_wh: u64) -> ExecuteMsg {
    ExecuteMsg::RecordIntervals { records: vec![record(node_id, slot, energy_out_wh, counter_out_wh)] }
}

#[test]
fn energy_must_equal_the_counter_difference_when_the_previous_interval_is_stored() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2); // 10 kW x 900 s = 2,500 Wh per interval
    run(&mut deps, env_at(T0 + DAY, 3), ORACLE, record_in_out(node, 0, 100, 1_000)).unwrap();
    // energy with no counter movement behind it
    let error = run(&mut deps, env_at(T0 + DAY, 4), ORACLE, record_in_out(node, 1, 2_500, 1_000)).unwrap_err();
    assert!(error.to_string().contains("energy_out_wh 2500 of interval"), "{}", error);
    assert!(error.to_string().contains("differs from its counter difference 0"), "{}", error);
    // a counter moved by 10^9 Wh with 1 Wh recorded
    let error = run(&mut deps, env_at(T0 + DAY, 5), ORACLE, record_in_out(node, 1, 1, 1_000_001_000)).unwrap_err();
    assert!(error.to_string().contains("differs from its counter difference 1000000000"), "{}", error);
    run(&mut deps, env_at(T0 + DAY, 6), ORACLE, record_in_out(node, 1, 2_500, 3_500)).unwrap();
}

#[test]
fn a_counter_jump_across_a_gap_is_bounded_by_rated_power_times_the_gap() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    run(&mut deps, env_at(T0 + DAY, 3), ORACLE, record_in_out(node, 0, 100, 1_000)).unwrap();
    // slot 3 is 2,700 s after slot 0: at most 7,500 Wh more
    let error = run(&mut deps, env_at(T0 + DAY, 4), ORACLE, record_in_out(node, 3, 2_500, 8_501)).unwrap_err();
    assert!(error.to_string().contains("moves 7501 Wh from interval"), "{}", error);
    assert!(error.to_string().contains("more than rated power 10000 W x 2700 s (7500 Wh)"), "{}", error);
    // and the interval's own energy is part of that movement
    let error = run(&mut deps, env_at(T0 + DAY, 5), ORACLE, record_in_out(node, 3, 2_500, 2_000)).unwrap_err();
    assert!(error.to_string().contains("is more than its counter moved since interval"), "{}", error);
    run(&mut deps, env_at(T0 + DAY, 6), ORACLE, record_in_out(node, 3, 2_500, 8_500)).unwrap();
}

#[test]
fn a_record_arriving_out_of_order_is_checked_against_the_later_interval_too() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    run(&mut deps, env_at(T0 + DAY, 3), ORACLE, record_in_out(node, 0, 100, 1_000)).unwrap();
    run(&mut deps, env_at(T0 + DAY, 4), ORACLE, record_in_out(node, 2, 50, 1_300)).unwrap();
    // slot 1 at 1,200 would leave slot 2 with 100 Wh of counter movement but 50 Wh recorded
    let error = run(&mut deps, env_at(T0 + DAY, 5), ORACLE, record_in_out(node, 1, 200, 1_200)).unwrap_err();
    assert!(error.to_string().contains("energy_out_wh 50 of interval"), "{}", error);
    run(&mut deps, env_at(T0 + DAY, 6), ORACLE, record_in_out(node, 1, 250, 1_250)).unwrap();
}

#[test]
fn the_record_chain_carries_the_previous_counters_and_the_weight_of_each_record() {
    let mut deps = setup();
    let node = active_node(&mut deps, ALICE, 10_000, 2);
    let records = vec![record(node, 0, 100, 1_000), record(node, 1, 200, 1_200), record(node, 2, 300, 1_500)];
    run(&mut deps, env_at(T0 + 3 * 900, 3), ORACLE, ExecuteMsg::RecordIntervals { records }).unwrap();
    let page = QueryMsg::RecordChain { node_id: node, from_s: None, to_s: None, start_after: Some(T0), limit: Some(1) };
    let chain: RecordChainResponse = from_json(query(deps.as_ref(), env_at(T0 + DAY, 4), page).unwrap()).unwrap();
    assert_eq!(chain.links.len(), 1);
    let link = &chain.links[0];
    assert_eq!(link.stored.record.interval_start, T0 + 900);
    let previous = link.previous.as_ref().unwrap();
    assert_eq!((previous.interval_start, previous.counter_out_wh), (T0, 1_000));
    assert_eq!(link.stored.policy_version, 1);
    assert_eq!(link.stored.reward_weight, Uint128::new(200 * 10_000 * 10_000));
    let first = QueryMsg::RecordChain { node_id: node, from_s: None, to_s: None, start_after: None, limit: None };
    let chain: RecordChainResponse = from_json(query(deps.as_ref(), env_at(T0 + DAY, 4), first).unwrap()).unwrap();
    assert_eq!(chain.links.len(), 3);
    assert!(chain.links[0].previous.is_none());
    assert_eq!(chain.links[2].previous.as_ref().unwrap().counter_out_wh, 1_200);
}

fn flexible_node(deps: &mut MockDeps, owner: &str, rated_power_w: u64) -> u64 {
    let register =
        ExecuteMsg::RegisterNode { kind: NodeKind::FlexibleLoad, rated_power_w, energy_capacity_wh: None, zone: "zone-a".into(), metadata: vec![] };
    let response = run(deps, env_at(T0, 2), owner, register).unwrap();
    let id: u64 = response.attributes.iter().find(|a| a.key == "node_id").unwrap().value.parse().unwrap();
    run(deps, env_at(T0, 2), OPERATOR, ExecuteMsg::ApproveNode { node_id: id, site: None }).unwrap();
    id
}

/// A load's records for slots 0.. with the given consumption per slot (counters adding up).
fn load_records(node_id: u64, consumption_wh: &[u64]) -> Vec<IntervalRecord> {
    let mut counter = 10_000;
    consumption_wh
        .iter()
        .enumerate()
        .map(|(slot, &energy)| {
            counter += energy;
            IntervalRecord {
                node_id,
                interval_start: T0 + slot as u64 * 900,
                interval_s: 900,
                energy_in_wh: energy,
                energy_out_wh: 0,
                counter_in_wh: counter,
                counter_out_wh: 0,
                samples_hash: "cd".repeat(32),
                flexibility: None,
            }
        })
        .collect()
}

fn with_claim(mut record: IntervalRecord, request_start: u64, baseline_wh: u64, delivered_wh: u64) -> IntervalRecord {
    record.flexibility = Some(FlexibilityClaim { direction: FlexDirection::Down, request_start, baseline_wh, delivered_wh });
    record
}

#[test]
fn an_owner_who_inflates_consumption_before_a_request_earns_no_more_than_an_honest_one() {
    let mut deps = setup();
    let honest = flexible_node(&mut deps, ALICE, 3_000); // at most 750 Wh per 900 s interval
    let inflater = flexible_node(&mut deps, BOB, 3_000);
    // both normally consume 500 Wh an interval; the inflater runs flat out for the 2 h before a request it expects
    let honest_series = load_records(honest, &[500, 500, 500, 500, 500, 500, 500, 500, 200]);
    let inflated_series = load_records(inflater, &[500, 500, 500, 500, 750, 750, 750, 750, 200]);
    let request_start = T0 + 8 * 900;
    let mut batch: Vec<IntervalRecord> = honest_series[..8].to_vec();
    batch.extend_from_slice(&inflated_series[..8]);
    run(&mut deps, env_at(T0 + 9 * 900, 3), ORACLE, ExecuteMsg::RecordIntervals { records: batch }).unwrap();
    // the request interval: both cut to 200 Wh; the inflater's claim against its inflated mean (625 Wh) is refused
    let greedy = with_claim(inflated_series[8].clone(), request_start, 625, 425);
    let error = run(&mut deps, env_at(T0 + 9 * 900, 4), ORACLE, ExecuteMsg::RecordIntervals { records: vec![greedy] }).unwrap_err();
    assert!(error.to_string().contains("baseline_wh 625 differs from the median 500"), "{}", error);
    let claims = vec![
        with_claim(honest_series[8].clone(), request_start, 500, 300),
        with_claim(inflated_series[8].clone(), request_start, 500, 300),
    ];
    run(&mut deps, env_at(T0 + 9 * 900, 5), ORACLE, ExecuteMsg::RecordIntervals { records: claims }).unwrap();
    let epoch = T0 / DAY;
    execute(deps.as_mut(), env_at(T0 + 9 * 900, 6), mock_info("cosmwasm1funder", &coins(1_000, "ugrid")), ExecuteMsg::FundEpoch { epoch }).unwrap();
    let settled = env_at(T0 + DAY + 3_600, 7);
    let paid = |deps: &mut MockDeps, owner: &str, node_id: u64| -> u128 {
        let response = run(deps, settled.clone(), owner, ExecuteMsg::ClaimRewards { node_id, epoch }).unwrap();
        match &response.messages[0].msg {
            CosmosMsg::Bank(BankMsg::Send { amount, .. }) => amount[0].amount.u128(),
            other => panic!("unexpected message {:?}", other),
        }
    };
    let honest_paid = paid(&mut deps, ALICE, honest);
    let inflater_paid = paid(&mut deps, BOB, inflater);
    assert!(honest_paid > 0, "flexibility earns rewards");
    assert!(inflater_paid <= honest_paid, "inflater {} vs honest {}", inflater_paid, honest_paid);
    assert_eq!((honest_paid, inflater_paid), (500, 500));
}

#[test]
fn flexibility_claims_need_a_flexible_load_a_recorded_baseline_and_the_right_arithmetic() {
    let mut deps = setup();
    let load = flexible_node(&mut deps, ALICE, 3_000);
    let pv = active_node(&mut deps, BOB, 3_000, 2);
    let series = load_records(load, &[400, 400, 400, 400, 400, 400, 400, 400, 100]);
    let request_start = T0 + 8 * 900;
    // the baseline intervals are not recorded yet
    let early = with_claim(series[0].clone(), T0, 400, 0);
    let error = run(&mut deps, env_at(T0 + DAY, 3), ORACLE, ExecuteMsg::RecordIntervals { records: vec![early] }).unwrap_err();
    assert!(error.to_string().contains("request_start leaves no room for a baseline") || error.to_string().contains("the baseline needs"), "{}", error);
    run(&mut deps, env_at(T0 + DAY, 4), ORACLE, ExecuteMsg::RecordIntervals { records: series[..8].to_vec() }).unwrap();
    let wrong_delivery = with_claim(series[8].clone(), request_start, 400, 301);
    let error = run(&mut deps, env_at(T0 + DAY, 5), ORACLE, ExecuteMsg::RecordIntervals { records: vec![wrong_delivery] }).unwrap_err();
    assert!(error.to_string().contains("delivered_wh 301 differs from 300"), "{}", error);
    let mut pv_record = record(pv, 8, 0, 0);
    pv_record.flexibility = Some(FlexibilityClaim { direction: FlexDirection::Down, request_start, baseline_wh: 0, delivered_wh: 0 });
    let error = run(&mut deps, env_at(T0 + DAY, 6), ORACLE, ExecuteMsg::RecordIntervals { records: vec![pv_record] }).unwrap_err();
    assert!(error.to_string().contains("flexibility is recorded for flexible loads only"), "{}", error);
    run(&mut deps, env_at(T0 + DAY, 7), ORACLE, ExecuteMsg::RecordIntervals { records: vec![with_claim(series[8].clone(), request_start, 400, 300)] }).unwrap();
    let totals: crate::msg::EnergyTotals = from_json(query(deps.as_ref(), env_at(T0 + DAY, 8), QueryMsg::NodeTotals { node_id: load }).unwrap()).unwrap();
    assert_eq!(totals.flexibility_wh, 300);
}
