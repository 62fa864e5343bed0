import { cometCall, fromBase64 } from '../chain/comet-rpc.ts';

export interface TxEvent {
  type: string;
  attributes: { key: string; value: string }[];
}

/** A committed transaction as the `tx` RPC gives it, with its block's time. */
export interface TxView {
  hash: string;
  height: number;
  blockTimeMs: number | null;
  code: number;
  codespace: string;
  log: string;
  gasWanted: number;
  gasUsed: number;
  events: TxEvent[];
  /** the signed transaction bytes (TxRaw), decoded on the page */
  bytes: Uint8Array;
}

export const TX_HASH_SHAPE = /^[0-9A-Fa-f]{64}$/;

function hexToBase64(hex: string): string {
  const bytes = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
  return btoa(String.fromCharCode(...bytes));
}

/** Reads one transaction by its hash (the JSON-RPC `tx` method takes the hash as base64) and its block's time. */
export async function readTx(rpcUrl: string, hashHex: string): Promise<TxView> {
  const tx = await cometCall<{
    hash: string;
    height: string;
    tx: string;
    tx_result: {
      code: number;
      codespace?: string;
      log: string;
      gas_wanted: string;
      gas_used: string;
      events: TxEvent[];
    };
  }>(rpcUrl, 'tx', { hash: hexToBase64(hashHex), prove: false });
  let blockTimeMs: number | null = null;
  try {
    const block = await cometCall<{ block: { header: { time: string } } }>(rpcUrl, 'block', { height: tx.height });
    blockTimeMs = Date.parse(block.block.header.time);
  } catch {
    blockTimeMs = null; // a pruned node may have dropped the block; the transaction still shows
  }
  return {
    hash: tx.hash.toUpperCase(),
    height: Number(tx.height),
    blockTimeMs,
    code: tx.tx_result.code,
    codespace: tx.tx_result.codespace ?? '',
    log: tx.tx_result.log,
    gasWanted: Number(tx.tx_result.gas_wanted),
    gasUsed: Number(tx.tx_result.gas_used),
    events: tx.tx_result.events,
    bytes: fromBase64(tx.tx),
  };
}

export interface DecodedMessage {
  typeUrl: string;
  /** for MsgExecuteContract */
  sender?: string;
  contract?: string;
  /** the contract message, pretty-printed JSON */
  json?: string;
  funds?: { denom: string; amount: string }[];
}

export interface DecodedTx {
  messages: DecodedMessage[];
  memo: string;
  fee: { denom: string; amount: string }[];
  gasLimit: string;
}

/** Decodes the transaction bytes with CosmJS, loaded here only: the page that needs protobuf is the one that pays. */
export async function decodeTx(bytes: Uint8Array): Promise<DecodedTx> {
  const [{ decodeTxRaw }, { MsgExecuteContract }] = await Promise.all([
    import('@cosmjs/proto-signing'),
    import('cosmjs-types/cosmwasm/wasm/v1/tx'),
  ]);
  const raw = decodeTxRaw(bytes);
  const messages = raw.body.messages.map((any): DecodedMessage => {
    if (any.typeUrl !== '/cosmwasm.wasm.v1.MsgExecuteContract') return { typeUrl: any.typeUrl };
    const msg = MsgExecuteContract.decode(any.value);
    const text = new TextDecoder().decode(msg.msg);
    let json = text;
    try {
      json = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: shown as it is
    }
    return {
      typeUrl: any.typeUrl,
      sender: msg.sender,
      contract: msg.contract,
      json,
      funds: msg.funds.map((c) => ({ denom: c.denom, amount: c.amount })),
    };
  });
  return {
    messages,
    memo: raw.body.memo,
    fee: (raw.authInfo.fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount })),
    gasLimit: String(raw.authInfo.fee?.gasLimit ?? ''),
  };
}
