/**
 * Every refusal of the contracts has words a member understands: a variant added to a contract's error enum without
 * a wording in the UI fails here. The samples are the contracts' own Display texts, as the chain relays them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { GOVERNANCE_ERROR_WORDS, REGISTRY_ERROR_WORDS, errorInWords } from '../src/lib/contracts/error-words.ts';

const CONTRACTS = resolve(import.meta.dirname, '../../contracts-cosmwasm/contracts');

/** The variant names of `pub enum <name>` in a Rust file. */
function variantsOf(file: string, enumName: string): string[] {
  const source = readFileSync(file, 'utf8');
  const start = source.indexOf(`pub enum ${enumName} {`);
  assert.ok(start >= 0, `${file} has no enum ${enumName}`);
  let depth = 0;
  let body = '';
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    const c = source[i]!;
    if (c === '{') depth++;
    if (c === '}') depth--;
    body += c;
    if (depth === 0) break;
  }
  // variants sit at nesting depth 1: walk the body and take identifiers that start an entry there
  const names: string[] = [];
  let level = 0;
  let atEntryStart = true;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '{' || c === '(') level++;
    else if (c === '}' || c === ')') level--;
    else if (c === ',' && level === 1) atEntryStart = true;
    else if (c === '/' && body[i + 1] === '/') i = body.indexOf('\n', i);
    else if (level === 1 && atEntryStart && /[A-Z]/.test(c)) {
      const name = /^[A-Za-z0-9_]+/.exec(body.slice(i))![0];
      names.push(name);
      i += name.length - 1;
      atEntryStart = false;
    } else if (level === 1 && c === '#') i = body.indexOf(']', i);
  }
  return names;
}

describe('every contract error variant maps to words', () => {
  test('governance: every ContractError and PolicyError variant has a wording', () => {
    const file = resolve(CONTRACTS, 'governance/src/error.rs');
    const variants = [...variantsOf(file, 'ContractError'), ...variantsOf(file, 'PolicyError')];
    assert.ok(variants.length >= 15, `found only ${variants.join(', ')}`);
    const missing = variants.filter((v) => !(v in GOVERNANCE_ERROR_WORDS));
    assert.deepEqual(missing, [], `governance error variants without words: ${missing.join(', ')}`);
  });

  test('registry: every ContractError variant has a wording', () => {
    const variants = variantsOf(resolve(CONTRACTS, 'registry/src/error.rs'), 'ContractError');
    assert.ok(variants.length >= 10, `found only ${variants.join(', ')}`);
    const missing = variants.filter((v) => !(v in REGISTRY_ERROR_WORDS));
    assert.deepEqual(missing, [], `registry error variants without words: ${missing.join(', ')}`);
  });

  const wrapped = (text: string): string =>
    `Broadcasting transaction failed with code 5 (codespace: wasm). Log: failed to execute message; message index: 0: ${text}: execute wasm contract failed`;

  test('a policy out of bounds is explained by its field, not as a generic invalid policy', () => {
    assert.equal(
      errorInWords(new Error(wrapped('invalid policy: policy battery_reserve_pct = 95 is outside 5..=80'))),
      'Battery reserve (%) is 95, but must be between 5 and 80.',
    );
  });

  test('a vote on a closed proposal, a claim before settlement and a missing deposit read as sentences', () => {
    assert.equal(
      errorInWords(wrapped('cannot vote on proposal 3: it is rejected, must be open')),
      'Proposal 3 cannot be voted on now: it is rejected, and it must be open.',
    );
    assert.match(
      errorInWords(wrapped('epoch 12 is not settled yet: claims open at 1700000000 s')),
      /^Rewards of epoch 12 cannot be claimed yet: claims open /,
    );
    assert.equal(
      errorInWords(wrapped('proposal deposit must be exactly 1000000ugrid, got nothing')),
      'A proposal needs a deposit of exactly 1000000ugrid (you sent nothing).',
    );
  });

  test('executing a proposal older than the policy in force reads as a refused roll-back', () => {
    assert.equal(
      errorInWords(
        wrapped(
          'cannot execute proposal 2: it passed at 1700000000.000000000, before proposal 3 whose policy (version 3) is in force; executing it would roll the policy back',
        ),
      ),
      'Proposal 2 can no longer be executed: proposal 3 passed after it and its policy (version 3) is in force, so executing 2 would roll the policy back.',
    );
  });

  test('chain refusals and an unreachable chain get words too; unknown text is shown as it is', () => {
    assert.match(errorInWords(new Error('Request rejected')), /declined to sign/);
    assert.match(errorInWords(new TypeError('Failed to fetch')), /not reachable/);
    assert.equal(errorInWords(new Error('something new')), 'something new');
  });
});
