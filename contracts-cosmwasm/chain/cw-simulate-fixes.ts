import { VMInstance } from '@oraichain/cosmwasm-vm-js';

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
