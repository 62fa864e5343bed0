import type { CycleReport } from '../cycle/control-cycle.ts';
import { EventStream } from './event-stream.ts';

/** What each Server-Sent Event carries: the frozen process image of one cycle and what was decided on it. */
export function streamEventOf(report: CycleReport): string {
  const body = {
    cycleIndex: report.cycleIndex,
    atMs: report.atMs,
    plantState: report.plantState,
    gridTargetW: report.decision?.dispatch.gridTargetW ?? null,
    image: report.image,
  };
  return `id: ${report.cycleIndex}\nevent: process-image\ndata: ${JSON.stringify(body)}\n\n`;
}

/**
 * GET /api/stream: every cycle's process image as Server-Sent Events (`event: process-image`). A new client gets the
 * latest image at once; a client that cannot keep up skips images.
 */
export class ProcessImageStream extends EventStream<CycleReport> {
  constructor() {
    super(streamEventOf);
  }
}
