import { makeSignDoc, serializeSignDoc, type StdFee } from '@cosmjs/amino';
import { Secp256k1, Secp256k1Signature, sha256 } from '@cosmjs/crypto';
import { toHex } from '@cosmjs/encoding';
import { createWasmAminoConverters } from '@cosmjs/cosmwasm-stargate';
import { makeSignBytes } from '@cosmjs/proto-signing';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { DecodedTx } from './decoded-tx.ts';
import { SdkCode, SdkError } from './sdk-error.ts';

// Signature verification for the two modes wallets use: SIGN_MODE_DIRECT (protobuf SignDoc) and
// SIGN_MODE_LEGACY_AMINO_JSON (the sorted JSON StdSignDoc that Ledger and Keplr's amino path sign). The amino
// document is rebuilt from the protobuf messages with the same AminoTypes converters CosmJS signs with.

const secp256k1HalfOrder = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...createWasmAminoConverters() });

export interface SignerContext {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly pubKey: Uint8Array;
}

function signBytesFor(tx: DecodedTx, mode: SignMode, ctx: SignerContext): Uint8Array {
  if (mode === SignMode.SIGN_MODE_DIRECT) {
    return makeSignBytes({
      bodyBytes: tx.raw.bodyBytes,
      authInfoBytes: tx.raw.authInfoBytes,
      chainId: ctx.chainId,
      accountNumber: ctx.accountNumber,
    });
  }
  if (mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
    const fee = tx.authInfo.fee;
    const stdFee: StdFee = {
      amount: fee?.amount ?? [],
      gas: (fee?.gasLimit ?? 0n).toString(),
      ...(fee?.granter ? { granter: fee.granter } : {}),
      ...(fee?.payer ? { payer: fee.payer } : {}),
    };
    const aminoMsgs = tx.msgs.map((msg) => aminoTypes.toAmino(msg));
    const timeoutHeight = tx.body.timeoutHeight > 0n ? tx.body.timeoutHeight : undefined;
    const doc = makeSignDoc(
      aminoMsgs,
      stdFee,
      ctx.chainId,
      tx.body.memo,
      ctx.accountNumber.toString(),
      ctx.sequence.toString(),
      timeoutHeight,
    );
    return serializeSignDoc(doc);
  }
  throw new SdkError(SdkCode.unauthorized, 'sdk', `unsupported sign mode ${SignMode[mode] ?? mode}: unauthorized`);
}

/** Throws SdkError code 4 ("signature verification failed") unless the tx's only signature is valid for `ctx`. */
export async function verifySignature(tx: DecodedTx, mode: SignMode, ctx: SignerContext): Promise<void> {
  const signature = tx.raw.signatures[0];
  const failed = new SdkError(
    SdkCode.unauthorized,
    'sdk',
    `signature verification failed; please verify account number (${ctx.accountNumber}), sequence (${ctx.sequence}) and chain-id (${ctx.chainId}): unauthorized`,
  );
  if (!signature || signature.length !== 64) throw failed;
  // (r, n - s) is as valid as (r, s) to plain ECDSA; the SDK accepts only the lower S so a relayer cannot re-encode a
  // pending tx under a new hash (malleability)
  if (BigInt('0x' + toHex(signature.slice(32))) > secp256k1HalfOrder) throw failed;
  const digest = sha256(signBytesFor(tx, mode, ctx));
  const ok = await Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(signature), digest, ctx.pubKey);
  if (!ok) throw failed;
}
