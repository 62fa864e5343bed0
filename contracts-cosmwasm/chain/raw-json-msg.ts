import { fromUtf8 } from '@cosmjs/encoding';

/**
 * A contract message as the exact bytes the client signed. cw-simulate's entry points take a JS object and
 * re-serialise it with JSON.stringify, which changes what was signed: a u64 above 2^53 (9007199254740993) comes out
 * as 9007199254740992, and key order or spacing may differ. The VM patch in cw-simulate-fixes.ts writes a RawJsonMsg's
 * bytes into the contract's memory unchanged, so the contract parses what the signer signed, as on wasmd.
 */
export class RawJsonMsg {
  constructor(readonly bytes: Uint8Array) {}

  /** for anything that logs or traces the message: its JSON value (precision as JSON.parse gives it) */
  toJSON(): unknown {
    return JSON.parse(fromUtf8(this.bytes)) as unknown;
  }
}
