import type { SunSpecModelLocation } from './sunspec-map.ts';

/** One contiguous register range to read. */
export interface ReadSpan {
  address: number;
  count: number;
}

/**
 * Reading a few registers between two models costs less than another round trip (about 20 ms on a real network):
 * models closer than this are read in one span.
 */
const MAX_GAP_REGISTERS = 32;

/** The fewest contiguous spans that cover the given models (ID register through the last of L registers). */
export function planReads(models: readonly SunSpecModelLocation[]): ReadSpan[] {
  const sorted = [...models].sort((a, b) => a.address - b.address);
  const spans: ReadSpan[] = [];
  for (const model of sorted) {
    const end = model.address + 2 + model.length;
    const last = spans[spans.length - 1];
    if (last && model.address - (last.address + last.count) <= MAX_GAP_REGISTERS) {
      last.count = Math.max(last.count, end - last.address);
    } else {
      spans.push({ address: model.address, count: end - model.address });
    }
  }
  return spans;
}
