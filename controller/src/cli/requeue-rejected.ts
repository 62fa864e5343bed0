import { existsSync } from 'node:fs';
import type { ControllerConfig } from '../config/index.ts';
import { Outbox } from '../ledger/outbox.ts';

/** What the operator can fix on the command line (no ledger, no outbox yet): one line, exit code 2. */
export class RequeueUsageError extends Error {
  override readonly name = 'RequeueUsageError';
}

/**
 * `npm run controller -- --config f.json --requeue-rejected [--node N]`: the rejected records of the configured
 * outbox (of one node, or all) become pending again; a running controller sends them at its next submit (SQLite
 * lets both open the file; the update is one transaction). Returns the line to print.
 */
export function requeueRejected(config: ControllerConfig, nodeId: number | undefined): string {
  if (config.ledger.mode === 'off') throw new RequeueUsageError('the configuration records nothing (ledger.mode off)');
  const path = config.ledger.outboxPath;
  if (!existsSync(path)) throw new RequeueUsageError(`no outbox at ${path}: nothing was recorded yet`);
  const outbox = new Outbox(path);
  try {
    const requeued = outbox.requeueRejected(nodeId === undefined ? {} : { nodeId });
    const left = outbox.counts();
    return `requeued ${requeued} rejected record${requeued === 1 ? '' : 's'}${nodeId === undefined ? '' : ` of node ${nodeId}`} in ${path} (now ${left.pending} pending, ${left.rejected} rejected)`;
  } finally {
    outbox.close();
  }
}
