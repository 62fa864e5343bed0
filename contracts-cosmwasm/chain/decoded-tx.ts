import { sha256 } from '@cosmjs/crypto';
import { toHex } from '@cosmjs/encoding';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  MsgClearAdmin,
  MsgExecuteContract,
  MsgInstantiateContract,
  MsgMigrateContract,
  MsgStoreCode,
  MsgUpdateAdmin,
} from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { SdkCode, SdkError } from './sdk-error.ts';

// Decoding of a broadcast transaction into the messages this chain supports. An unknown type URL is refused as the
// SDK's decoder refuses it ("unable to resolve type URL ...: tx parse error", code 2).

export type ChainMsg =
  | { typeUrl: '/cosmos.bank.v1beta1.MsgSend'; value: MsgSend }
  | { typeUrl: '/cosmwasm.wasm.v1.MsgStoreCode'; value: MsgStoreCode }
  | { typeUrl: '/cosmwasm.wasm.v1.MsgInstantiateContract'; value: MsgInstantiateContract }
  | { typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract'; value: MsgExecuteContract }
  | { typeUrl: '/cosmwasm.wasm.v1.MsgMigrateContract'; value: MsgMigrateContract }
  | { typeUrl: '/cosmwasm.wasm.v1.MsgUpdateAdmin'; value: MsgUpdateAdmin }
  | { typeUrl: '/cosmwasm.wasm.v1.MsgClearAdmin'; value: MsgClearAdmin };

export interface DecodedTx {
  readonly raw: TxRaw;
  readonly bytes: Uint8Array;
  /** upper-case hex of sha256(tx bytes), as CometBFT names transactions */
  readonly hashHex: string;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly msgs: ChainMsg[];
}

function decodeMsg(typeUrl: string, value: Uint8Array): ChainMsg {
  switch (typeUrl) {
    case '/cosmos.bank.v1beta1.MsgSend':
      return { typeUrl, value: MsgSend.decode(value) };
    case '/cosmwasm.wasm.v1.MsgStoreCode':
      return { typeUrl, value: MsgStoreCode.decode(value) };
    case '/cosmwasm.wasm.v1.MsgInstantiateContract':
      return { typeUrl, value: MsgInstantiateContract.decode(value) };
    case '/cosmwasm.wasm.v1.MsgExecuteContract':
      return { typeUrl, value: MsgExecuteContract.decode(value) };
    case '/cosmwasm.wasm.v1.MsgMigrateContract':
      return { typeUrl, value: MsgMigrateContract.decode(value) };
    case '/cosmwasm.wasm.v1.MsgUpdateAdmin':
      return { typeUrl, value: MsgUpdateAdmin.decode(value) };
    case '/cosmwasm.wasm.v1.MsgClearAdmin':
      return { typeUrl, value: MsgClearAdmin.decode(value) };
    default:
      throw new SdkError(SdkCode.txDecode, 'sdk', `unable to resolve type URL ${typeUrl}: tx parse error`);
  }
}

/** The address that must sign `msg` (its sender). */
export function msgSigner(msg: ChainMsg): string {
  return msg.typeUrl === '/cosmos.bank.v1beta1.MsgSend' ? msg.value.fromAddress : msg.value.sender;
}

export function txHashHex(txBytes: Uint8Array): string {
  return toHex(sha256(txBytes)).toUpperCase();
}

export function decodeTx(txBytes: Uint8Array): DecodedTx {
  let raw: TxRaw;
  let body: TxBody;
  let authInfo: AuthInfo;
  try {
    raw = TxRaw.decode(txBytes);
    body = TxBody.decode(raw.bodyBytes);
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch (error) {
    throw new SdkError(SdkCode.txDecode, 'sdk', `tx parse error: ${(error as Error).message}`);
  }
  if (body.messages.length === 0)
    throw new SdkError(SdkCode.invalidRequest, 'sdk', 'must contain at least one message: invalid request');
  const msgs = body.messages.map((any) => {
    try {
      return decodeMsg(any.typeUrl, any.value);
    } catch (error) {
      if (error instanceof SdkError) throw error;
      throw new SdkError(
        SdkCode.txDecode,
        'sdk',
        `cannot decode ${any.typeUrl}: ${(error as Error).message}: tx parse error`,
      );
    }
  });
  return { raw, bytes: txBytes, hashHex: txHashHex(txBytes), body, authInfo, msgs };
}

/** The gas limit a tx asks for, or 0 when its bytes are not a tx (the ante handler then refuses it). */
export function gasWantedOf(txBytes: Uint8Array): bigint {
  try {
    return AuthInfo.decode(TxRaw.decode(txBytes).authInfoBytes).fee?.gasLimit ?? 0n;
  } catch {
    return 0n;
  }
}
