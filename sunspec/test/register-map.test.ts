import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRegisterMap,
  loadModelDef,
  ModelBlock,
  SUNSPEC_MARKER,
  END_MODEL_ID,
  BASE_ADDRESSES,
} from '../src/index.ts';

test('a register map is SunS, each model block in order, then the end marker', () => {
  const common = new ModelBlock(loadModelDef(1));
  common.set('Mn', 'GridCoop');
  const inverter = new ModelBlock(loadModelDef(103));
  const map = buildRegisterMap([common, inverter]);
  assert.deepEqual(Array.from(map.subarray(0, 2)), [0x5375, 0x6e53]);
  assert.deepEqual(SUNSPEC_MARKER, [0x5375, 0x6e53]);
  // Walk it the way a client does: ID, L, skip L.
  const walked: number[] = [];
  let at = 2;
  while (map[at] !== END_MODEL_ID) {
    walked.push(map[at]!);
    at += 2 + map[at + 1]!;
  }
  assert.deepEqual(walked, [1, 103]);
  assert.equal(map[at + 1], 0);
  assert.equal(map.length, at + 2);
  assert.equal(map.length, 2 + 68 + 52 + 2);
});

test('the base addresses are tried in the order 40000, 50000, 0', () => {
  assert.deepEqual(BASE_ADDRESSES, [40000, 50000, 0]);
});
