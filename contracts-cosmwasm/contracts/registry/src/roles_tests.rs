//! Native tests of the roles: the admin moves in two steps and may renounce, the governance pointer moves only
//! through governance, and each site's oracle records only its own site's nodes.

use crate::contract::{execute, instantiate, migrate, query};
use crate::error::ContractError;
use crate::msg::{
    Config, ExecuteMsg, InstantiateMsg, IntervalRecord, MigrateMsg, Node, NodeKind, OracleSiteResponse, OwnershipResponse,
    QueryMsg, SiteResponse,
};
use crate::state::{CONFIG, LEGACY_ORACLES, ORACLE_SITES, SITES};
use gridcoop_vm::testing::{mock_dependencies, mock_env, mock_info, MockDeps};
use gridcoop_vm::{from_json, Addr, Env, Response, Timestamp};

const ADMIN: &str = "cosmwasm1admin";
const OPERATOR: &str = "cosmwasm1operator";
const ORACLE: &str = "cosmwasm1oracle";
const HOME_ORACLE: &str = "cosmwasm1homeoracle";
const NEW_ADMIN: &str = "cosmwasm1newadmin";
const GOVERNANCE: &str = "cosmwasm1governance";
const ALICE: &str = "cosmwasm1alice";
const T0: u64 = 4_102_444_800;

fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = Timestamp::from_seconds(seconds);
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
        epoch_length_s: 86_400,
        settlement_delay_s: 3_600,
        reward_policy: None,
    };
    instantiate(deps.as_mut(), env_at(T0), mock_info(ADMIN, &[]), msg).unwrap();
    deps
}

fn run(deps: &mut MockDeps, sender: &str, msg: ExecuteMsg) -> Result<Response, ContractError> {
    execute(deps.as_mut(), env_at(T0 + 86_400), mock_info(sender, &[]), msg)
}

fn ask<T: serde::de::DeserializeOwned>(deps: &MockDeps, msg: QueryMsg) -> T {
    from_json(&query(deps.as_ref(), env_at(T0), msg).unwrap()).unwrap()
}

fn node_at(deps: &mut MockDeps, site: Option<&str>) -> u64 {
    let register = ExecuteMsg::RegisterNode { kind: NodeKind::Pv, rated_power_w: 10_000, energy_capacity_wh: None, zone: "z".into(), metadata: vec![] };
    let response = run(deps, ALICE, register).unwrap();
    let id: u64 = response.attributes.iter().find(|a| a.key == "node_id").unwrap().value.parse().unwrap();
    run(deps, OPERATOR, ExecuteMsg::ApproveNode { node_id: id, site: site.map(String::from) }).unwrap();
    id
}

fn one_record(node_id: u64) -> ExecuteMsg {
    ExecuteMsg::RecordIntervals {
        records: vec![IntervalRecord {
            node_id,
            interval_start: T0,
            interval_s: 900,
            energy_in_wh: 0,
            energy_out_wh: 10,
            counter_in_wh: 0,
            counter_out_wh: 10,
            samples_hash: "ab".repeat(32),
            flexibility: None,
        }],
    }
}

#[test]
fn the_admin_role_moves_only_when_the_proposed_admin_accepts() {
    let mut deps = setup();
    assert_eq!(run(&mut deps, NEW_ADMIN, ExecuteMsg::AcceptAdmin {}).unwrap_err(), ContractError::NoAdminTransfer);
    let unauthorized = run(&mut deps, OPERATOR, ExecuteMsg::ProposeAdmin { new_admin: NEW_ADMIN.into() }).unwrap_err();
    assert!(matches!(unauthorized, ContractError::Unauthorized { action: "propose_admin", .. }), "{}", unauthorized);
    run(&mut deps, ADMIN, ExecuteMsg::ProposeAdmin { new_admin: NEW_ADMIN.into() }).unwrap();
    // proposing changes nothing yet: the old admin still acts, a stranger cannot take the role
    let ownership: OwnershipResponse = ask(&deps, QueryMsg::Ownership {});
    assert_eq!(ownership.admin, Some(Addr::unchecked(ADMIN)));
    assert_eq!(ownership.pending_admin, Some(Addr::unchecked(NEW_ADMIN)));
    let stranger = run(&mut deps, ALICE, ExecuteMsg::AcceptAdmin {}).unwrap_err();
    assert_eq!(stranger, ContractError::NotProposedAdmin { sender: ALICE.into(), proposed: NEW_ADMIN.into() });
    run(&mut deps, NEW_ADMIN, ExecuteMsg::AcceptAdmin {}).unwrap();
    let ownership: OwnershipResponse = ask(&deps, QueryMsg::Ownership {});
    assert_eq!(ownership, OwnershipResponse { admin: Some(Addr::unchecked(NEW_ADMIN)), pending_admin: None });
    let old = run(&mut deps, ADMIN, ExecuteMsg::UpdateOracles { add: vec![], remove: vec![] }).unwrap_err();
    assert!(matches!(old, ContractError::Unauthorized { .. }), "{}", old);
    run(&mut deps, NEW_ADMIN, ExecuteMsg::UpdateOracles { add: vec![], remove: vec![] }).unwrap();
}

#[test]
fn a_cancelled_proposal_cannot_be_accepted_and_update_config_cannot_move_the_admin() {
    let mut deps = setup();
    assert_eq!(run(&mut deps, ADMIN, ExecuteMsg::CancelAdminTransfer {}).unwrap_err(), ContractError::NoAdminTransfer);
    run(&mut deps, ADMIN, ExecuteMsg::ProposeAdmin { new_admin: NEW_ADMIN.into() }).unwrap();
    run(&mut deps, ADMIN, ExecuteMsg::CancelAdminTransfer {}).unwrap();
    assert_eq!(run(&mut deps, NEW_ADMIN, ExecuteMsg::AcceptAdmin {}).unwrap_err(), ContractError::NoAdminTransfer);
    let one_step = ExecuteMsg::UpdateConfig { admin: Some(NEW_ADMIN.into()), operator: None, governance: None };
    assert_eq!(run(&mut deps, ADMIN, one_step).unwrap_err(), ContractError::AdminTransferIsTwoStep);
    assert_eq!(CONFIG.load(&deps.storage).unwrap().admin, Some(Addr::unchecked(ADMIN)));
}

#[test]
fn a_renounced_admin_role_is_gone_for_good() {
    let mut deps = setup();
    run(&mut deps, ADMIN, ExecuteMsg::ProposeAdmin { new_admin: NEW_ADMIN.into() }).unwrap();
    run(&mut deps, ADMIN, ExecuteMsg::RenounceAdmin {}).unwrap();
    // renouncing also drops the pending proposal, so nobody can pick the role up afterwards
    assert_eq!(run(&mut deps, NEW_ADMIN, ExecuteMsg::AcceptAdmin {}).unwrap_err(), ContractError::NoAdminTransfer);
    let refused = run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: "home-1".into(), oracles: vec![] }).unwrap_err();
    assert_eq!(refused, ContractError::NoAdmin { action: "add_site" });
    assert_eq!(run(&mut deps, ADMIN, ExecuteMsg::RenounceAdmin {}).unwrap_err(), ContractError::NoAdmin { action: "renounce_admin" });
    let config: Config = ask(&deps, QueryMsg::Config {});
    assert_eq!(config.admin, None);
}

#[test]
fn the_governance_pointer_is_wired_once_then_moves_only_through_governance() {
    let mut deps = setup();
    let wire = |g: &str| ExecuteMsg::UpdateConfig { admin: None, operator: None, governance: Some(g.into()) };
    run(&mut deps, ADMIN, wire(GOVERNANCE)).unwrap();
    let again = run(&mut deps, ADMIN, wire("cosmwasm1rogue")).unwrap_err();
    assert_eq!(again, ContractError::GovernanceLocked { governance: GOVERNANCE.into() });
    let not_governance = run(&mut deps, ADMIN, ExecuteMsg::UpdateGovernance { governance: "cosmwasm1rogue".into() }).unwrap_err();
    assert!(matches!(not_governance, ContractError::Unauthorized { action: "update_governance", .. }), "{}", not_governance);
    run(&mut deps, GOVERNANCE, ExecuteMsg::UpdateGovernance { governance: "cosmwasm1successor".into() }).unwrap();
    assert_eq!(CONFIG.load(&deps.storage).unwrap().governance, Some(Addr::unchecked("cosmwasm1successor")));
    // the operator still changes with update_config
    run(&mut deps, ADMIN, ExecuteMsg::UpdateConfig { admin: None, operator: Some(ALICE.into()), governance: None }).unwrap();
}

#[test]
fn an_oracle_records_only_its_own_sites_nodes() {
    let mut deps = setup();
    run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: "home-1".into(), oracles: vec![HOME_ORACLE.into()] }).unwrap();
    let plant_node = node_at(&mut deps, None);
    let home_node = node_at(&mut deps, Some("home-1"));
    let refused = run(&mut deps, HOME_ORACLE, one_record(plant_node)).unwrap_err();
    assert_eq!(
        refused,
        ContractError::OracleNotForNode {
            index: 0,
            node_id: plant_node,
            interval_start: T0,
            node_site: "plant".into(),
            oracle_site: "home-1".into(),
        }
    );
    let refused = run(&mut deps, ORACLE, one_record(home_node)).unwrap_err();
    assert!(matches!(refused, ContractError::OracleNotForNode { .. }), "{}", refused);
    run(&mut deps, ORACLE, one_record(plant_node)).unwrap();
    run(&mut deps, HOME_ORACLE, one_record(home_node)).unwrap();
    // moving the node hands it to the other site's oracle
    run(&mut deps, OPERATOR, ExecuteMsg::AssignNodeSite { node_id: home_node, site: "plant".into() }).unwrap();
    let site: SiteResponse = ask(&deps, QueryMsg::Site { site: "home-1".into() });
    assert_eq!(site.nodes, 0);
    let node: Node = ask(&deps, QueryMsg::Node { node_id: home_node });
    assert_eq!(node.site.as_deref(), Some("plant"));
}

#[test]
fn a_key_serves_one_site_and_a_site_in_use_stays() {
    let mut deps = setup();
    let taken = run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: "home-1".into(), oracles: vec![ORACLE.into()] }).unwrap_err();
    assert_eq!(taken, ContractError::OracleOfOtherSite { oracle: ORACLE.into(), site: "plant".into() });
    // (on a chain the refused message is rolled back whole; the wasm test checks that)
    run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: "home-2".into(), oracles: vec![HOME_ORACLE.into()] }).unwrap();
    let exists = run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: "home-2".into(), oracles: vec![] }).unwrap_err();
    assert_eq!(exists, ContractError::SiteExists { site: "home-2".into() });
    let wrong = run(&mut deps, ADMIN, ExecuteMsg::UpdateSiteOracles { site: "home-2".into(), add: vec![], remove: vec![ORACLE.into()] });
    assert_eq!(wrong.unwrap_err(), ContractError::OracleNotOfSite { oracle: ORACLE.into(), site: "home-2".into() });
    let in_use = run(&mut deps, ADMIN, ExecuteMsg::RemoveSite { site: "home-2".into() }).unwrap_err();
    assert!(matches!(in_use, ContractError::SiteInUse { .. }), "{}", in_use);
    let default = run(&mut deps, ADMIN, ExecuteMsg::RemoveSite { site: "plant".into() }).unwrap_err();
    assert!(matches!(default, ContractError::SiteInUse { .. }), "{}", default);
    run(&mut deps, ADMIN, ExecuteMsg::UpdateSiteOracles { site: "home-2".into(), add: vec![], remove: vec![HOME_ORACLE.into()] }).unwrap();
    run(&mut deps, ADMIN, ExecuteMsg::RemoveSite { site: "home-2".into() }).unwrap();
    let gone = run(&mut deps, OPERATOR, ExecuteMsg::ApproveNode { node_id: 1, site: Some("home-2".into()) }).unwrap_err();
    assert!(matches!(gone, ContractError::NodeNotFound { .. } | ContractError::SiteNotFound { .. }), "{}", gone);
    let answer: OracleSiteResponse = ask(&deps, QueryMsg::OracleSite { address: HOME_ORACLE.into() });
    assert_eq!(answer.site, None);
}

#[test]
fn sites_are_capped_by_a_counter() {
    let mut deps = setup();
    for i in 1..crate::limits::MAX_SITES {
        run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: format!("s-{}", i), oracles: vec![] }).unwrap();
    }
    let full = run(&mut deps, ADMIN, ExecuteMsg::AddSite { site: "one-more".into(), oracles: vec![] }).unwrap_err();
    assert_eq!(full, ContractError::TooManySites { max: crate::limits::MAX_SITES });
}

#[test]
fn migration_binds_the_old_flat_oracle_list_to_the_default_site() {
    let mut deps = setup();
    // what 0.1 stored: a flat oracle list and no sites
    ORACLE_SITES.remove(&mut deps.storage, &Addr::unchecked(ORACLE));
    SITES.remove(&mut deps.storage, "plant");
    LEGACY_ORACLES.save(&mut deps.storage, &Addr::unchecked(ORACLE), &true).unwrap();
    gridcoop_vm::cw2::set_contract_version(&mut deps.storage, crate::contract::CONTRACT_NAME, "0.1.0").unwrap();
    migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    let answer: OracleSiteResponse = ask(&deps, QueryMsg::OracleSite { address: ORACLE.into() });
    assert_eq!(answer.site.as_deref(), Some("plant"));
    assert!(!LEGACY_ORACLES.has(&deps.storage, &Addr::unchecked(ORACLE)));
}
