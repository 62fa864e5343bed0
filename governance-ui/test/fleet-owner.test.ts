/**
 * The site owner's form on the plant page, without a browser: the say in force as the form shows it, and each field
 * checked as the controller checks it (PUT /api/fleet/owner), so a half-typed number is named, never sent as 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OWNER_MODES, ownerChangeOf, ownerFormOf } from '../src/lib/plant/fleet-owner.ts';

const status = {
  mode: 'pv',
  dailyBatteryCycles: 1.5,
  minerMinW: 2_500,
  batteryCyclesToday: 0.2,
  batteryBudgetUsed: false,
} as const;

test('the form shows the say in force: limits in the units the owner types, no cap as blank', () => {
  assert.deepEqual(ownerFormOf(status), { mode: 'pv', dailyBatteryCycles: '1.5', minerMinKw: '2.5' });
  assert.equal(ownerFormOf({ ...status, dailyBatteryCycles: null }).dailyBatteryCycles, '');
  assert.deepEqual(
    OWNER_MODES.map((m) => m.mode),
    ['off', 'min', 'pv', 'now'],
    "the controller's four modes, in evcc's order from none to all",
  );
});

test('a well-formed form becomes the change the controller takes; blank cycles mean no cap', () => {
  assert.deepEqual(ownerChangeOf({ mode: 'off', dailyBatteryCycles: ' 2 ', minerMinKw: '1.25' }).change, {
    mode: 'off',
    dailyBatteryCycles: 2,
    minerMinW: 1_250,
  });
  assert.deepEqual(ownerChangeOf({ mode: 'now', dailyBatteryCycles: '', minerMinKw: '' }).change, {
    mode: 'now',
    dailyBatteryCycles: null,
    minerMinW: 0,
  });
});

test('each bad field is named in words and nothing is sent', () => {
  const bad = ownerChangeOf({ mode: 'now', dailyBatteryCycles: 'two', minerMinKw: '-1' });
  assert.equal(bad.change, null);
  assert.deepEqual(Object.keys(bad.problems ?? {}).sort(), ['dailyBatteryCycles', 'minerMinKw']);
  assert.match(bad.problems!.dailyBatteryCycles!, /^Battery cycles per day: a number from 0 to 100/);
  assert.equal(ownerChangeOf({ mode: 'now', dailyBatteryCycles: '101', minerMinKw: '0' }).change, null);
  assert.equal(ownerChangeOf({ mode: 'now', dailyBatteryCycles: '100', minerMinKw: '0' }).problems, null);
  const mode = ownerChangeOf({ mode: 'sometimes' as 'now', dailyBatteryCycles: '', minerMinKw: '0' });
  assert.match(mode.problems!.mode!, /^Mode: one of off, min, pv, now/);
});
