import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyChainFailure, classifyRefusal, type RefusalKind } from '../../src/ledger/index.ts';

// The texts below are what an unmodified CosmJS client reports for the registry's refusals on the local chain
// (simulation for fee "auto", broadcast for a fixed fee); recording-on-chain.test.ts meets them on the real wasm.
const prefix = 'Query failed with (5): failed to execute message; message index: 0: ';
const suffix = ': execute wasm contract failed';
const cases: [string, RefusalKind, { nodeId: number; intervalStartS: number } | null][] = [
  [
    'record 0 (node 1, interval 1796177700) refused: interval ends after the block time 1796178337 s',
    'not-yet',
    { nodeId: 1, intervalStartS: 1796177700 },
  ],
  [
    'unauthorized: record_intervals may only be called by an authorised oracle (sender gridcoop1fupek6cr3ftwetlnerqv5gzzxk3r3vwe47pp9y)',
    'unauthorised',
    null,
  ],
  [
    'record 3 (node 2, interval 1796175900) conflicts with the record already stored for that interval',
    'conflict',
    { nodeId: 2, intervalStartS: 1796175900 },
  ],
  [
    'record 0 (node 1, interval 1796175000) refused: energy_out_wh 9999 exceeds rated power 4000 W x 900 s',
    'final',
    { nodeId: 1, intervalStartS: 1796175000 },
  ],
  [
    'record 1 (node 4, interval 1800) refused: counter_out_wh 100 is below 120 recorded for the earlier interval 900',
    'final',
    { nodeId: 4, intervalStartS: 1800 },
  ],
  [
    'record 0 (node 5, interval 900) refused: node is pending: not bound to the plant yet',
    'later',
    { nodeId: 5, intervalStartS: 900 },
  ],
  ['record 0 (node 5, interval 900) refused: node is suspended', 'later', { nodeId: 5, intervalStartS: 900 }],
  // a flexibility claim's refusals (flexibility.rs): the claim is dropped or waited for, never the record rejected,
  // even where the wording is a final one's ("exceeds rated power", "counter")
  [
    'record 2 (node 7, interval 8100) refused: delivered_wh 9000 exceeds rated power x interval',
    'flexibility',
    { nodeId: 7, intervalStartS: 8100 },
  ],
  [
    "record 0 (node 7, interval 8100) refused: baseline_wh 625 differs from the median 500 of the node's 8 intervals before the request at 7200",
    'flexibility',
    { nodeId: 7, intervalStartS: 8100 },
  ],
  [
    'record 0 (node 7, interval 8100) refused: delivered_wh 301 differs from 300 (baseline 500 Wh, energy_in_wh 200)',
    'flexibility',
    { nodeId: 7, intervalStartS: 8100 },
  ],
  [
    'record 0 (node 7, interval 8100) refused: the baseline needs the 8 intervals from 0 to 7200 recorded, 7 are',
    'flexibility',
    { nodeId: 7, intervalStartS: 8100 },
  ],
  [
    'record 0 (node 8, interval 8100) refused: flexibility is recorded for flexible loads only, node is pv',
    'flexibility',
    { nodeId: 8, intervalStartS: 8100 },
  ],
  [
    'record 0 (node 7, interval 8100) refused: request_start 7201 must be aligned, at or before the interval and less than 86400 s before it',
    'flexibility',
    { nodeId: 7, intervalStartS: 8100 },
  ],
  ['record 0 (node 9, interval 900) refused: node not found', 'later', { nodeId: 9, intervalStartS: 900 }],
  ['record 0 (node 6, interval 900) refused: node is retired', 'final', { nodeId: 6, intervalStartS: 900 }],
  ['some refusal a later registry adds', 'later', null],
];

for (const [text, kind, record] of cases) {
  test(`the registry's "${text.slice(0, 60)}…" is a ${kind} refusal`, () => {
    const failure = classifyChainFailure(new Error(`${prefix}${text}${suffix}`));
    assert.equal(failure.name, 'BatchRefusedError');
    assert.deepEqual(classifyRefusal(`${prefix}${text}${suffix}`), { kind, record });
  });
}

test('a broadcast refusal (fixed fee, code 5) is classified like a simulated one', () => {
  const text =
    'Error when broadcasting tx 4D21 at height 20. Code: 5; Raw log: failed to execute message; message index: 0: ' +
    'record 0 (node 1, interval 1796177700) refused: interval ends after the block time 1796178337 s: execute wasm contract failed';
  const failure = classifyChainFailure(new Error(text));
  assert.ok('refusal' in failure);
  assert.equal(failure.refusal.kind, 'not-yet');
});

test('network, fee and sequence trouble is not a refusal: the batch is simply sent again', () => {
  for (const text of ['fetch failed', 'account sequence mismatch, expected 7, got 6', 'insufficient fees'])
    assert.equal(classifyChainFailure(new Error(text)).name, 'ChainUnavailableError');
});
