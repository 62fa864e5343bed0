import type { ControllerService } from '../service/controller-service.ts';

/**
 * What a person stopping the controller wants to know: how many cycles ran, and whether every metering interval made
 * it to the chain or some wait in the outbox for the next start (they are kept, never dropped).
 */
export function shutdownSummary(
  service: Pick<ControllerService, 'status' | 'ledger'>,
  /** what happens to pending records; the demo, which resets its chain at every start, says its own */
  pendingNote = 'kept; sent at the next start',
): string[] {
  try {
    return summaryLines(service, pendingNote);
  } catch (error) {
    // A summary never stands in the way of stopping.
    return [`controller stopping (no summary: ${(error as Error).message})`];
  }
}

function summaryLines(service: Pick<ControllerService, 'status' | 'ledger'>, pendingNote: string): string[] {
  const status = service.status();
  const lines = [`controller stopped after ${status.cycle.cycles} cycles (${status.cycle.overruns} overruns)`];
  const ledger = service.ledger();
  const outbox = ledger.outbox;
  if (ledger.mode === 'off' || outbox === null) lines.push('ledger off: nothing was recorded on a chain');
  else {
    const where = ledger.chainId ?? ledger.mode;
    lines.push(
      `outbox: ${outbox.done} interval records on chain ${where}, ${outbox.pending} pending` +
        (outbox.pending > 0 ? ` (${pendingNote})` : '') +
        (outbox.rejected > 0 ? `, ${outbox.rejected} rejected (npm run controller -- --requeue-rejected)` : ''),
    );
  }
  return lines;
}
