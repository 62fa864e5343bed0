import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import type { Logger } from 'pino';
import type { MaintenanceAlert } from '../maintenance/maintenance-alert.ts';
import type { MaintenanceRecorder } from '../maintenance/maintenance-log.ts';

type Executor = Pick<SigningCosmWasmClient, 'execute'>;

/** The registry's note limit (contracts/registry/src/limits.rs MAX_NOTE_BYTES). */
const MAX_NOTE_BYTES = 512;

/**
 * Appends each new or escalated maintenance alert to its node's maintenance log in the registry (`log_maintenance`;
 * the key must be the plant operator's or the node owner's). The local JSON-lines log is the durable record; the
 * chain copy is sent in order, one at a time, and a failed send is retried with the next alert or `flush()`, so an
 * outage delays the chain copy without losing it.
 */
export class MaintenanceOnChain implements MaintenanceRecorder {
  private readonly queue: Array<{ nodeId: number; note: string }> = [];
  private sending: Promise<void> | null = null;
  lastError: string | null = null;

  constructor(
    private readonly client: Executor,
    private readonly sender: () => Promise<string>,
    private readonly registryAddress: string,
    private readonly nodes: Readonly<Record<string, number>>,
    private readonly logger: Logger,
  ) {}

  record(alert: MaintenanceAlert): void {
    const nodeId = this.nodes[alert.deviceId];
    if (nodeId === undefined) return; // not a registered node (the grid meter, an unmapped device)
    this.queue.push({ nodeId, note: noteOf(alert) });
    void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued, oldest first; resolves when the queue is empty or a send failed (kept for later). */
  flush(): Promise<void> {
    this.sending ??= (async () => {
      try {
        while (this.queue.length > 0) {
          const next = this.queue[0]!;
          await this.client.execute(
            await this.sender(),
            this.registryAddress,
            { log_maintenance: { node_id: next.nodeId, note: next.note } },
            'auto',
          );
          this.queue.shift();
          this.lastError = null;
        }
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn(
          { err: error, pending: this.queue.length },
          'maintenance note not on chain yet (kept, retried later)',
        );
      } finally {
        this.sending = null;
      }
    })();
    return this.sending;
  }
}

/** `severity kind: suggested action (evidence)`, cut to the registry's limit on a character boundary. */
export function noteOf(alert: MaintenanceAlert): string {
  const evidence = Object.entries(alert.evidence)
    .map(([key, value]) => `${key}=${Number(value.toPrecision(4))}`)
    .join(', ');
  let note = `${alert.severity} ${alert.kind} at ${new Date(alert.raisedAtMs).toISOString()}: ${alert.suggestedAction} (${evidence})`;
  while (Buffer.byteLength(note) > MAX_NOTE_BYTES) note = note.slice(0, -1);
  return note;
}
