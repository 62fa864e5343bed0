import { cometCall, fromBase64 } from '../chain/comet-rpc.ts';

interface SearchedTx {
  hash: string;
  tx: string;
  tx_result: { events: { type: string; attributes: { key: string; value: string }[] }[] };
}

const found = new Map<string, Promise<string | null>>();

/**
 * The hash of the transaction that stored a record: the registry's `record_intervals` at the record's
 * `recorded_at_height` (tx_search, which the local chain and CometBFT both answer). When several such transactions
 * share the block, the one whose message carries this node's interval is chosen (the message JSON is plain UTF-8
 * inside the transaction bytes). Answers are cached: a stored record never moves.
 */
export function recordTxHash(
  rpcUrl: string,
  registry: string,
  record: { recorded_at_height: number; record: { node_id: number; interval_start: number } },
): Promise<string | null> {
  const key = `${record.recorded_at_height}/${record.record.node_id}/${record.record.interval_start}`;
  let answer = found.get(key);
  if (!answer) {
    answer = searchRecordTx(rpcUrl, registry, record);
    answer.catch(() => found.delete(key)); // a failed search is tried again next time
    found.set(key, answer);
  }
  return answer;
}

async function searchRecordTx(
  rpcUrl: string,
  registry: string,
  record: { recorded_at_height: number; record: { node_id: number; interval_start: number } },
): Promise<string | null> {
  const { txs } = await cometCall<{ txs: SearchedTx[] }>(rpcUrl, 'tx_search', {
    query: `tx.height=${record.recorded_at_height} AND wasm.action='record_intervals'`,
    page: '1',
    per_page: '100',
  });
  const ofRegistry = txs.filter((tx) =>
    tx.tx_result.events.some(
      (e) => e.type === 'wasm' && e.attributes.some((a) => a.key === '_contract_address' && a.value === registry),
    ),
  );
  const candidates = ofRegistry.length > 0 ? ofRegistry : txs;
  if (candidates.length <= 1) return candidates[0]?.hash ?? null;
  const text = (tx: SearchedTx): string => new TextDecoder().decode(fromBase64(tx.tx));
  const carries = candidates.find((tx) => {
    const t = text(tx);
    return (
      t.includes(`"node_id":${record.record.node_id},`) &&
      t.includes(`"interval_start":${record.record.interval_start},`)
    );
  });
  return (carries ?? candidates[0]!).hash;
}
