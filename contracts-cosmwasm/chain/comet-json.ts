import { sha256 } from '@cosmjs/crypto';
import { toBase64, toHex, toUtf8 } from '@cosmjs/encoding';
import type { CommittedBlock, IndexedTx } from './block-store.ts';
import type { TxResult } from './tx-runner.ts';

// CometBFT 0.38's JSON shapes for blocks and transaction results: heights and counts as strings, `index` as a
// number, bytes as base64 (tx, data) or upper-case hex (hashes), times as RFC 3339.

export const cometVersion = '0.38.17';

/** A fixed single validator: this chain has no consensus, but clients expect a proposer and a validator set. */
export function validatorIdentity(chainId: string) {
  const pubKey = sha256(toUtf8(`gridcoop validator ${chainId}`));
  return {
    address: toHex(sha256(pubKey).slice(0, 20)).toUpperCase(),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(pubKey) },
    voting_power: '10',
    proposer_priority: '0',
  };
}

export function rfc3339(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

export function txResultJson(result: TxResult) {
  return {
    code: result.code,
    data: toBase64(result.data),
    log: result.log,
    info: '',
    gas_wanted: result.gasWanted.toString(),
    gas_used: result.gasUsed.toString(),
    events: result.events,
    codespace: result.codespace,
  };
}

export function indexedTxJson(tx: IndexedTx) {
  return {
    hash: tx.hashHex,
    height: String(tx.height),
    index: tx.index,
    tx_result: txResultJson(tx.result),
    tx: toBase64(tx.bytes),
  };
}

function blockIdJson(hashHex: string) {
  return hashHex ? { hash: hashHex, parts: { total: 1, hash: hashHex } } : { hash: '', parts: { total: 0, hash: '' } };
}

export function blockJson(chainId: string, block: CommittedBlock) {
  const validator = validatorIdentity(chainId);
  const emptyHash = toHex(sha256(new Uint8Array())).toUpperCase();
  return {
    block_id: blockIdJson(block.hashHex),
    block: {
      header: {
        version: { block: '11', app: '0' },
        chain_id: chainId,
        height: String(block.height),
        time: rfc3339(block.timeMs),
        last_block_id: blockIdJson(block.lastBlockHashHex),
        last_commit_hash: emptyHash,
        data_hash: block.dataHashHex,
        validators_hash: emptyHash,
        next_validators_hash: emptyHash,
        consensus_hash: emptyHash,
        app_hash: block.appHashHex,
        last_results_hash: emptyHash,
        evidence_hash: emptyHash,
        proposer_address: validator.address,
      },
      data: { txs: block.txs.map((t) => toBase64(t.bytes)) },
      evidence: { evidence: [] },
      last_commit: {
        height: String(block.height - 1),
        round: 0,
        block_id: blockIdJson(block.lastBlockHashHex),
        signatures: [],
      },
    },
  };
}

export function blockMetaJson(chainId: string, block: CommittedBlock) {
  const full = blockJson(chainId, block);
  return { block_id: full.block_id, block_size: '1', header: full.block.header, num_txs: String(block.txs.length) };
}
