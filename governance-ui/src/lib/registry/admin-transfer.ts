import { cometCall } from '../chain/comet-rpc.ts';

export interface AdminProposal {
  /** the transaction that proposed the pending admin */
  hash: string;
  height: number;
  /** the block time of that transaction, ms since the epoch */
  atMs: number;
}

/**
 * When the pending admin transfer was proposed: the ownership query says only who is proposed, so the newest
 * `propose_admin` of this registry naming that address is looked up (tx_search on the event attributes the contract
 * writes, newest first) and its block's time read. Null when the chain no longer has it (a pruned node).
 */
export async function pendingAdminProposedAt(
  rpcUrl: string,
  registry: string,
  pendingAdmin: string,
): Promise<AdminProposal | null> {
  const { txs } = await cometCall<{ txs: { hash: string; height: string }[] }>(rpcUrl, 'tx_search', {
    query: `wasm._contract_address='${registry}' AND wasm.proposed_admin='${pendingAdmin}'`,
    order_by: 'desc',
    page: '1',
    per_page: '1',
  });
  const tx = txs[0];
  if (!tx) return null;
  const { block } = await cometCall<{ block: { header: { time: string } } }>(rpcUrl, 'block', { height: tx.height });
  // CometBFT writes nanoseconds; Date.parse wants at most milliseconds
  const atMs = Date.parse(block.header.time.replace(/(\.\d{3})\d+/, '$1'));
  return { hash: tx.hash, height: Number(tx.height), atMs };
}
