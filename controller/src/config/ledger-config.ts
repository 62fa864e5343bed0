import { z } from 'zod';

/** Where the controller's oracle key comes from: never from the file, always from the environment. */
export const ORACLE_MNEMONIC_ENV = 'GRIDCOOP_ORACLE_MNEMONIC';

const chainSchema = z
  .object({
    /** CometBFT RPC of the node (a real chain or `npm run chain`). */
    rpcUrl: z.string().url(),
    chainId: z.string().min(1),
    /** Bech32 prefix of addresses: "neutron", "archway", "kava", "gridcoop" for the local chain. */
    prefix: z.string().regex(/^[a-z]{1,20}$/, 'lower-case letters'),
    /** Minimum gas price the node accepts, e.g. "0.025ugrid". */
    gasPrice: z.string().regex(/^\d+(\.\d+)?[a-z][a-z0-9/]{1,127}$/, 'an amount and a denom, e.g. 0.025untrn'),
    /** How often CosmJS looks for a broadcast transaction in a block. */
    broadcastPollIntervalMs: z.number().int().min(10).max(60_000).default(1_000),
  })
  .strict();

const recording = {
  /** The durable outbox (SQLite). Closed intervals are stored here before anything else happens with them. */
  outboxPath: z.string().min(1).default('.gridcoop/outbox.sqlite'),
  /** Metering interval; must equal the registry's interval_s (Kava: any length the operator publishes). */
  intervalS: z.number().int().min(60).max(86_400).default(900),
  /**
   * The most records per transaction. CosmWasm: they go as record_intervals messages of at most 100 (the registry's
   * limit) in one all-or-nothing transaction, sized down to `txGasShare` of the block gas limit. One transaction is in
   * flight at a time, so this bounds records per block: 500 with the default share leaves ~240 plain records per tx.
   */
  batchSize: z.number().int().min(1).max(1_000).default(500),
  retryInitialMs: z.number().int().min(10).default(1_000),
  retryMaxMs: z.number().int().min(10).default(60_000),
  /** Which registry node each metered device is: device id -> node id. Devices not listed are not recorded. */
  nodes: z.record(z.string().min(1), z.number().int().positive()).default({}),
};

/**
 * On-chain recording: off, a CosmWasm chain (registry + governance contracts), or Kava (no CosmWasm: each batch is
 * anchored by a bank-send memo; batches are served by the API).
 */
export const ledgerConfigSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('off') }).strict(),
    z
      .object({
        mode: z.literal('cosmwasm'),
        chain: chainSchema,
        registryAddress: z.string().min(1),
        /** The governance contract the controller follows for the allocation policy; null = local policy only. */
        governanceAddress: z.string().min(1).nullable().default(null),
        policyPollMs: z.number().int().min(100).default(30_000),
        /** Also append maintenance alerts to the nodes' maintenance logs in the registry (the key must be the
         *  plant operator's or the node owner's). */
        maintenanceOnChain: z.boolean().default(false),
        /** The chain's block gas limit (consensus_params.block.max_gas; 100,000,000 is common on CosmWasm chains:
         *  check the target). A recording transaction is sized to `txGasShare` of it. */
        blockGasLimit: z.number().int().min(1_000_000).default(100_000_000),
        /** Share of the block gas limit one recording transaction may use, before fee "auto"'s margin (x1.3-1.4):
         *  0.5 leaves room in the block for others and for the margin. */
        txGasShare: z.number().gt(0).max(0.7).default(0.5),
        ...recording,
      })
      .strict(),
    z
      .object({
        mode: z.literal('kava'),
        chain: chainSchema,
        /** The denom of the 1-unit self-send that carries each anchor memo ("ukava" on Kava). */
        denom: z.string().min(1),
        ...recording,
      })
      .strict(),
  ])
  .default({ mode: 'off' });

export type LedgerConfig = z.output<typeof ledgerConfigSchema>;
export type ChainConfig = z.output<typeof chainSchema>;
