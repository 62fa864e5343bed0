import { createRequire } from 'node:module';
import { VMInstance } from '@oraichain/cosmwasm-vm-js';
import { RawJsonMsg } from './raw-json-msg.ts';

/**
 * cw-simulate's VM sizes a string's memory region by its UTF-16 length, so any message with a non-ASCII character
 * (an "é" in a proposal title) fails with "offset is out of bounds". A chain passes UTF-8 bytes; so do we, by
 * patching the one method, once per process, for every VM (the local chain's and the tests').
 */
export function allocateStringsAsUtf8(): void {
  const proto = VMInstance.prototype as unknown as {
    allocate_str(text: string): unknown;
    allocate_bytes(bytes: Uint8Array): unknown;
    gridcoopUtf8?: true;
  };
  if (proto.gridcoopUtf8) return;
  proto.allocate_str = function allocateUtf8(this: typeof proto, text: string) {
    return this.allocate_bytes(new TextEncoder().encode(text));
  };
  proto.gridcoopUtf8 = true;
}

/** Makes the VM write a RawJsonMsg's bytes as they are, instead of JSON.stringify of an object (see raw-json-msg.ts). */
export function passRawJsonMessages(): void {
  const proto = VMInstance.prototype as unknown as {
    allocate_json(value: unknown): unknown;
    allocate_bytes(bytes: Uint8Array): unknown;
    gridcoopRawJson?: true;
  };
  if (proto.gridcoopRawJson) return;
  const allocateJson = proto.allocate_json;
  proto.allocate_json = function allocateRawOrJson(this: typeof proto, value: unknown) {
    return value instanceof RawJsonMsg ? this.allocate_bytes(value.bytes) : allocateJson.call(this, value);
  };
  proto.gridcoopRawJson = true;
}

/**
 * The VM orders storage keys with a compare that calls a key equal to the same key plus one byte ("site-1" and
 * "site-10" are one entry: a write to one overwrites the other, a read of one finds the other). A chain's store
 * orders bytes lexicographically; so does this, by replacing the helper every sorted map and range scan calls
 * (they look it up on the module at each call), once per process, before any app is made.
 */
export function compareKeysLikeAChain(): void {
  const helpers = createRequire(import.meta.url)('@oraichain/cosmwasm-vm-js/dist/helpers/byte-array.js') as {
    compare(a: Uint8Array, b: Uint8Array): number;
    gridcoopLexicographic?: true;
  };
  if (helpers.gridcoopLexicographic) return;
  helpers.compare = (a: Uint8Array, b: Uint8Array): number => {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) {
      if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  };
  helpers.gridcoopLexicographic = true;
}
