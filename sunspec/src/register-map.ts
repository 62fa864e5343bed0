import type { ModelBlock } from './model-block.ts';

/** "SunS": the two registers that mark the start of a SunSpec map. */
export const SUNSPEC_MARKER = [0x5375, 0x6e53] as const;
/** The model ID that ends the model list (with L = 0). */
export const END_MODEL_ID = 0xffff;
/** Where a SunSpec map may start, in the order to try them (0-based protocol addresses). */
export const BASE_ADDRESSES = [40000, 50000, 0] as const;

/** A device's whole SunSpec map, to serve from a base address: marker, each model's block, end marker. */
export function buildRegisterMap(blocks: ModelBlock[]): Uint16Array {
  const total = 2 + blocks.reduce((sum, block) => sum + block.registers.length, 0) + 2;
  const map = new Uint16Array(total);
  map.set(SUNSPEC_MARKER, 0);
  let at = 2;
  for (const block of blocks) {
    map.set(block.registers, at);
    at += block.registers.length;
  }
  map[at] = END_MODEL_ID;
  map[at + 1] = 0;
  return map;
}
