import { latestBlockTimeS } from '../ledger/batch-sender.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { GovernanceQueryClient } from '@gridcoop/contracts';
import type { DeviceConfig } from '../config/controller-config.ts';
import { ORACLE_MNEMONIC_ENV, type LedgerConfig } from '../config/ledger-config.ts';
import type { ProcessImage } from '../cycle/process-image.ts';
import { anchorMemo, batchDigest } from '../ledger/batch-digest.ts';
import type { BatchSender } from '../ledger/batch-sender.ts';
import { ChainConnection } from '../ledger/chain-connection.ts';
import { KavaAnchorSender } from '../ledger/kava-anchor-sender.ts';
import { MaintenanceOnChain } from '../ledger/maintenance-on-chain.ts';
import type { MaintenanceRecorder } from '../maintenance/maintenance-log.ts';
import { MeteringRecorder, type RequestedPowersW } from '../ledger/metering-recorder.ts';
import { Outbox, type OutboxCounts, type OutboxRecord, type OutboxStatus } from '../ledger/outbox.ts';
import { OutboxSubmitter, type SubmitterStatus } from '../ledger/outbox-submitter.ts';
import { RegistrySender } from '../ledger/registry-sender.ts';
import type { PolicyInForce } from '../policy/allocation-policy.ts';
import { PolicyWatcher, type PolicyWatcherStatus } from '../policy/policy-watcher.ts';

export interface LedgerView {
  mode: LedgerConfig['mode'];
  chainId: string | null;
  oracleAddress: string | null;
  intervalS: number | null;
  /** device id -> registry node id */
  nodes: Record<string, number>;
  outbox: OutboxCounts | null;
  submitter: SubmitterStatus | null;
  policy: PolicyWatcherStatus | null;
  /** The last metering or outbox error, if any: nothing is dropped silently. */
  lastMeteringError: string | null;
  /** Maintenance notes waiting for the chain (null when they are not sent there). */
  maintenanceNotes: { pending: number; lastError: string | null } | null;
}

/** A Kava anchor batch as the API serves it, so anyone can recompute the digest and compare with the memo on chain. */
export interface AnchoredBatch {
  txHash: string;
  digest: string;
  memo: string;
  records: OutboxRecord[];
}

export class LedgerConfigurationError extends Error {
  override readonly name = 'LedgerConfigurationError';
}

/**
 * The controller's on-chain recording: each cycle's process image goes to the interval meters, closed intervals into
 * the durable outbox, and the submitter sends them to the registry (or anchors them on Kava); the policy watcher
 * follows the governance contract. Off by default; everything here survives a chain that is down.
 */
export class LedgerRecording {
  private readonly outbox: Outbox | null = null;
  private readonly recorder: MeteringRecorder | null = null;
  private readonly submitter: OutboxSubmitter | null = null;
  private readonly watcher: PolicyWatcher | null = null;
  private readonly connection: ChainConnection | null = null;
  private readonly maintenance: MaintenanceOnChain | null = null;
  private oracleAddress: string | null = null;
  private lastMeteringError: string | null = null;

  constructor(
    private readonly config: LedgerConfig,
    private readonly logger: Logger,
    applyPolicy: (policy: PolicyInForce) => void,
    env: NodeJS.ProcessEnv = process.env,
    /** Each metered device's rating (W), as registered: no interval is given more than it allows. */
    ratedPowerW: ReadonlyMap<string, number> = new Map(),
  ) {
    if (config.mode === 'off') return;
    const mnemonic = env[ORACLE_MNEMONIC_ENV];
    if (!mnemonic)
      throw new LedgerConfigurationError(`ledger.mode ${config.mode} needs the oracle key in ${ORACLE_MNEMONIC_ENV}`);
    this.connection = new ChainConnection(config.chain, mnemonic);
    mkdirSync(dirname(config.outboxPath), { recursive: true });
    this.outbox = new Outbox(config.outboxPath);
    const nodes = Object.entries(config.nodes).map(([deviceId, nodeId]) => {
      const rating = ratedPowerW.get(deviceId);
      return rating === undefined ? { deviceId, nodeId } : { deviceId, nodeId, ratedPowerW: rating };
    });
    this.recorder = new MeteringRecorder(this.outbox, nodes, config.intervalS);
    const calls = this.connection.calls;
    const connection = this.connection;
    const sender: BatchSender =
      config.mode === 'cosmwasm'
        ? lazySender(
            'cosmwasm',
            async () => new RegistrySender(calls, await connection.address(), config.registryAddress),
          )
        : lazySender('kava', async () => new KavaAnchorSender(calls, await connection.address(), config.denom));
    this.submitter = new OutboxSubmitter(this.outbox, sender, {
      batchSize: config.batchSize,
      // CosmWasm: transactions sized to a share of the block gas; a Kava anchor costs the same at any size
      txGasBudget: config.mode === 'cosmwasm' ? Math.floor(config.blockGasLimit * config.txGasShare) : null,
      retryInitialMs: config.retryInitialMs,
      retryMaxMs: config.retryMaxMs,
      onRejected: (record, reason) =>
        logger.error(
          { nodeId: record.nodeId, intervalStartS: record.intervalStartS, reason },
          'the chain refused an interval record for good: kept as rejected; fix the cause, then requeue it',
        ),
      onFlexibilityRefused: (record, reason) =>
        logger.warn(
          { nodeId: record.nodeId, intervalStartS: record.intervalStartS, reason },
          'the chain refused a flexibility claim: the interval record goes without it',
        ),
    });
    if (config.mode === 'cosmwasm' && config.maintenanceOnChain) {
      this.maintenance = new MaintenanceOnChain(
        calls,
        () => connection.address(),
        config.registryAddress,
        config.nodes,
        logger,
      );
    }
    if (config.mode === 'cosmwasm' && config.governanceAddress) {
      const governance = new GovernanceQueryClient(calls, config.governanceAddress);
      const source = {
        policy: () => governance.policy(),
        pendingPolicy: () => governance.pendingPolicy(),
        latestBlockTimeMs: async () => (await latestBlockTimeS(calls)) * 1000,
      };
      this.watcher = new PolicyWatcher(source, (policy) => {
        logger.info({ policyVersion: policy.version }, 'allocation policy from chain in force');
        applyPolicy(policy);
      });
    }
  }

  async start(): Promise<void> {
    if (!this.connection) return;
    this.oracleAddress = await this.connection.address();
    this.submitter?.start();
    if (this.watcher && this.config.mode === 'cosmwasm') this.watcher.start(this.config.policyPollMs);
    this.logger.info(
      { mode: this.config.mode, oracle: this.oracleAddress, outbox: this.outbox?.counts() },
      'ledger recording started',
    );
  }

  /**
   * Meters one cycle's image; closed intervals are durable when this returns. `requestedW` is what the cycle asked
   * each device to do (its dispatch), from which flexible loads' flexibility claims are made. Never throws into the
   * cycle.
   */
  observe(image: ProcessImage, requestedW: RequestedPowersW = null): void {
    if (!this.recorder) return;
    try {
      const closed = this.recorder.observe(image, requestedW);
      if (closed.length > 0) this.logger.debug({ closed: closed.length }, 'metering intervals closed');
    } catch (error) {
      this.lastMeteringError = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error }, 'metering or outbox failed on this image');
    }
  }

  /** Where maintenance alerts go on chain, when the configuration asks for it. */
  maintenanceRecorder(): MaintenanceRecorder | null {
    return this.maintenance;
  }

  async stop(): Promise<void> {
    await this.maintenance?.flush();
    this.watcher?.stop();
    await this.submitter?.stop();
    await this.connection?.disconnect();
    this.outbox?.close();
  }

  view(): LedgerView {
    const config = this.config;
    return {
      mode: config.mode,
      chainId: config.mode === 'off' ? null : config.chain.chainId,
      oracleAddress: this.oracleAddress,
      intervalS: config.mode === 'off' ? null : config.intervalS,
      nodes: config.mode === 'off' ? {} : config.nodes,
      outbox: this.outbox?.counts() ?? null,
      submitter: this.submitter?.status() ?? null,
      policy: this.watcher?.status() ?? null,
      lastMeteringError: this.lastMeteringError,
      maintenanceNotes: this.maintenance
        ? { pending: this.maintenance.pending, lastError: this.maintenance.lastError }
        : null,
    };
  }

  /** The operator's requeue: rejected records (of one node, or all) become pending and are sent again. */
  requeueRejected(filter: { nodeId?: number } = {}): { requeued: number } {
    if (!this.outbox) throw new LedgerConfigurationError('the ledger is off: there is no outbox to requeue');
    const requeued = this.outbox.requeueRejected(filter);
    this.logger.info({ ...filter, requeued }, 'rejected interval records requeued by the operator');
    return { requeued };
  }

  records(filter: { nodeId?: number; status?: OutboxStatus; limit?: number }): OutboxRecord[] {
    return this.outbox?.records(filter) ?? [];
  }

  batch(txHash: string): AnchoredBatch | null {
    const records = this.outbox?.records({ txHash }) ?? [];
    if (records.length === 0) return null;
    return { txHash, digest: batchDigest(records), memo: anchorMemo(records), records };
  }
}

/**
 * The rating each node is registered with, from the plant configuration: PV rated power, the larger of a battery's
 * charge and discharge limits, a miner's maximum power (the demo registers nodes from the same numbers).
 */
export function ratedPowerOf(devices: readonly DeviceConfig[]): Map<string, number> {
  const ratings = new Map<string, number>();
  for (const device of devices) {
    if (device.nature === 'pv-inverter') ratings.set(device.id, device.ratedPowerW);
    else if (device.nature === 'battery') ratings.set(device.id, Math.max(device.maxChargeW, device.maxDischargeW));
    else if (device.nature === 'flexible-load') ratings.set(device.id, device.maxPowerW);
  }
  return ratings;
}

/** A sender whose chain address is known only once the wallet is open. */
function lazySender(mode: BatchSender['mode'], make: () => Promise<BatchSender>): BatchSender {
  let sender: Promise<BatchSender> | null = null;
  const get = () => (sender ??= make());
  return {
    mode,
    async send(records) {
      return (await get()).send(records);
    },
    async latestBlockTimeS() {
      return (await get()).latestBlockTimeS();
    },
    async storedRecord(nodeId, intervalStartS) {
      const real = await get();
      return real.storedRecord ? real.storedRecord(nodeId, intervalStartS) : null;
    },
  };
}
