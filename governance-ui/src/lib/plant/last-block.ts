import { cometCall } from '../chain/comet-rpc.ts';

/** The block that holds the controller's last recording transaction, read from the chain itself (verifiable). */
export interface LastBlock {
  txHash: string;
  height: number;
}

const known = new Map<string, LastBlock>();

function hexToBase64(hex: string): string {
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
  return btoa(String.fromCharCode(...bytes));
}

/** Asks the chain which block holds a transaction (the JSON-RPC `tx` method takes the hash as base64); cached. */
export async function blockOfTx(rpcUrl: string, txHash: string): Promise<LastBlock> {
  const cached = known.get(txHash);
  if (cached) return cached;
  const tx = await cometCall<{ height: string }>(rpcUrl, 'tx', { hash: hexToBase64(txHash), prove: false });
  const block = { txHash, height: Number(tx.height) };
  known.set(txHash, block);
  return block;
}
