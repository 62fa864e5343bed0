import type { GasMeter } from './gas-meter.ts';
import { gasPerMeteredBlock } from './gas-limits.ts';
import { OutOfGasError } from './sdk-error.ts';

// The bridge between cw-simulate's VM gas meter (one Environment shared by every contract instance, counting wasm
// instructions and host calls) and the chain's GasMeter: each contract call gets the meter's remaining gas as its VM
// limit, and what it used is charged to the meter afterwards. A call that exhausts the VM's limit is stopped inside
// the wasm (the VM throws "out of gas!" from its metering import) and ends as the SDK's out of gas, code 11.

interface VmGasState {
  data: { gas_state: { gas_limit: number; externally_used_gas: number } };
  readonly gasUsed: number;
  processGasInfo(info: { cost: number; externally_used: number }): void;
  gridcoopBlockGas?: true;
}

/** Adds gasPerMeteredBlock to every charge the VM's metering import makes (one per wasm block entered). */
function chargeBlockEntries(env: VmGasState): void {
  if (env.gridcoopBlockGas) return;
  env.gridcoopBlockGas = true;
  const processGasInfo = env.processGasInfo.bind(env);
  env.processGasInfo = (info) => {
    // the GasInfo is fresh for each call: adding to it avoids an allocation on the VM's hottest path
    if (info.cost > 0) info.externally_used += gasPerMeteredBlock;
    processGasInfo(info);
  };
}

export async function withWasmGas<T>(
  vmEnv: unknown,
  meter: GasMeter,
  location: string,
  call: () => Promise<T> | T,
): Promise<T> {
  const env = vmEnv as VmGasState;
  chargeBlockEntries(env);
  const remaining = meter.limitGas - meter.consumedGas;
  env.data.gas_state.externally_used_gas = 0;
  env.data.gas_state.gas_limit = Number(remaining > 0n ? remaining : 0n);
  try {
    const result = await call();
    return result;
  } finally {
    const used = BigInt(env.gasUsed);
    env.data.gas_state.externally_used_gas = 0;
    if (used > remaining) {
      // eslint-disable-next-line no-unsafe-finally -- running out of gas overrides whatever the call returned
      throw new OutOfGasError(location, meter.limitGas, meter.consumedGas + used);
    }
    meter.consume(used, location);
  }
}
