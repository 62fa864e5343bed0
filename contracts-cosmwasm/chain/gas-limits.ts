// The gas bounds a CosmWasm chain puts on work, and the values this local chain assumes for the target chains.
// Every contract call runs under one of them, so no request can run a contract for ever:
// - a transaction: its own gas limit (the fee pays for it), and never more than a block's max gas (else code 41);
// - a block: consensus_params.block.max_gas; a tx that would overflow the block being built goes into the next one;
// - a simulation (fee "auto"): wasmd's simulation_gas_limit (wasmd uses the block's max gas when it is not set);
// - a smart query: wasmd's smart_query_gas_limit (default 3,000,000).

export interface GasLimits {
  readonly maxBlockGas: bigint;
  readonly simulationGasLimit: bigint;
  readonly queryGasLimit: bigint;
}

/**
 * Assumed for Neutron and Archway (SDK 0.50, wasmd): blocks of 100,000,000 gas is a common CosmWasm setting, but check
 * `consensus_params` on the target before relying on it; smart queries 3,000,000 (wasmd's default); simulation up to
 * the block's max gas (wasmd's behaviour when simulation_gas_limit is not set).
 */
export const defaultGasLimits: GasLimits = {
  maxBlockGas: 100_000_000n,
  simulationGasLimit: 100_000_000n,
  queryGasLimit: 3_000_000n,
};

/**
 * Gas for each metered block of wasm the JS VM enters, on top of the VM's own per-instruction gas (cosmwasm-vm-js
 * converts with its own GAS_MULTIPLIER of 14,000,000, not checked against a current wasmd here: treat the
 * instruction gas as an estimate). Each entry costs this VM a call from wasm into JS, the dominant cost of a tight
 * loop, so without it a loop could burn a block's budget for half a minute; with 3 gas per entry a block's budget of
 * tight loop lasts about a second here, however the code is shaped. A cw20 transfer enters ~6,300 blocks: +19k gas,
 * 145k in all (measured).
 */
export const gasPerMeteredBlock = 3;
