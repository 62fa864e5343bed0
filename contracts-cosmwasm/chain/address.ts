import { fromBech32 } from '@cosmjs/encoding';
import { SdkCode, SdkError } from './sdk-error.ts';

/** Throws SdkError code 7 unless `address` is bech32 with the chain's prefix. `field` names it in the error. */
export function requireAddress(address: string, prefix: string, field: string): void {
  let decodedPrefix: string;
  try {
    decodedPrefix = fromBech32(address, 256).prefix;
  } catch (error) {
    throw new SdkError(
      SdkCode.invalidAddress,
      'sdk',
      `invalid ${field} address '${address}': ${(error as Error).message}: invalid address`,
    );
  }
  if (decodedPrefix !== prefix) {
    throw new SdkError(
      SdkCode.invalidAddress,
      'sdk',
      `invalid ${field} address '${address}': expected prefix ${prefix}, got ${decodedPrefix}: invalid address`,
    );
  }
}
