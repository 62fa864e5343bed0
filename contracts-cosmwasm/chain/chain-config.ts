import { Bip39, EnglishMnemonic, Sha256 } from '@cosmjs/crypto';
import { toUtf8 } from '@cosmjs/encoding';
import { z } from 'zod';
import { defaultGasLimits } from './gas-limits.ts';

// One validated description of a chain: identity, fee policy and genesis. Defaults run the local demo.

const coinSchema = z.object({
  denom: z.string().min(1),
  amount: z.string().regex(/^\d+$/, 'amount must be an integer string'),
});

export const genesisAccountSchema = z
  .object({
    /** bech32 address; may be left out when a mnemonic is given */
    address: z.string().optional(),
    /** BIP39 mnemonic of a development account (its address is derived with the chain's prefix) */
    mnemonic: z.string().optional(),
    balances: z.array(coinSchema),
  })
  .refine(
    (a) => a.address !== undefined || a.mnemonic !== undefined,
    'a genesis account needs an address or a mnemonic',
  );

export type GenesisAccountConfig = z.infer<typeof genesisAccountSchema>;

export const chainConfigSchema = z.object({
  chainId: z.string().min(1).default('gridcoop-local-1'),
  bech32Prefix: z.string().min(1).default('gridcoop'),
  /** staking and fee denom */
  denom: z.string().min(1).default('ugrid'),
  /** minimum gas price in `denom` per unit of gas, as validators configure `minimum-gas-prices` */
  minGasPrice: z.number().nonnegative().default(0.025),
  blockTimeMs: z.number().int().positive().default(1000),
  /** genesis time of block 1, ms since epoch; fixed at the first start and kept in the data directory */
  genesisTimeMs: z.number().int().positive().optional(),
  accounts: z.array(genesisAccountSchema).default([]),
  /** how many deterministic development accounts to fund (their mnemonics are printed and returned) */
  devAccountCount: z.number().int().nonnegative().default(3),
  devAccountBalance: z.string().regex(/^\d+$/).default('1000000000000'),
  /** consensus_params.block.max_gas (see gas-limits.ts for the values assumed for Neutron and Archway) */
  maxBlockGas: z.number().int().positive().default(Number(defaultGasLimits.maxBlockGas)),
  /** wasmd's simulation_gas_limit */
  simulationGasLimit: z.number().int().positive().default(Number(defaultGasLimits.simulationGasLimit)),
  /** wasmd's smart_query_gas_limit */
  queryGasLimit: z.number().int().positive().default(Number(defaultGasLimits.queryGasLimit)),
  /**
   * Who may store code (wasmd's code_upload_access): "everybody", or a list of addresses (permissioned upload, what
   * Neutron and Archway governance can set). Left out: the deployer only (the first development account).
   */
  codeUploaders: z.union([z.literal('everybody'), z.array(z.string().min(1))]).optional(),
});

export type ChainConfigInput = z.input<typeof chainConfigSchema>;
export type ChainConfig = z.output<typeof chainConfigSchema>;

/**
 * The mnemonic of development account `index`: derived from a fixed seed so every local chain, test and demo has
 * the same dev accounts. Never use these keys on a real chain.
 */
export function devMnemonic(index: number): string {
  const entropy = new Sha256(toUtf8(`gridcoop local chain dev account ${index}`)).digest();
  return Bip39.encode(entropy).toString();
}

export function isValidMnemonic(mnemonic: string): boolean {
  try {
    new EnglishMnemonic(mnemonic);
    return true;
  } catch {
    return false;
  }
}
