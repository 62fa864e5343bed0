/**
 * The grid operator's target form on the fleet page, without a browser: kW and minutes become the aggregator's
 * request (PUT /api/target), and each bad field is named as the aggregator would refuse it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetRequestOf } from '../src/lib/fleet/vpp-target-form.ts';

test('kW and minutes become W and seconds; a negative target asks for export; blank validity is the default', () => {
  assert.deepEqual(targetRequestOf({ targetKw: '12.5', validForMin: '10' }).request, {
    targetW: 12_500,
    validForS: 600,
  });
  assert.deepEqual(targetRequestOf({ targetKw: ' -3 ', validForMin: '' }).request, { targetW: -3_000 });
  assert.deepEqual(targetRequestOf({ targetKw: '0', validForMin: '1440' }).request, {
    targetW: 0,
    validForS: 86_400,
  });
});

test('a blank or half-typed target and a validity outside (0, 1440] minutes are named, and nothing is sent', () => {
  const blank = targetRequestOf({ targetKw: '', validForMin: '10' });
  assert.equal(blank.request, null);
  assert.match(blank.problems!.targetKw!, /^Target: a power in kW/);
  const both = targetRequestOf({ targetKw: '12,5', validForMin: '0' });
  assert.deepEqual(Object.keys(both.problems ?? {}).sort(), ['targetKw', 'validForMin']);
  assert.equal(targetRequestOf({ targetKw: '5', validForMin: '1441' }).request, null);
  assert.equal(targetRequestOf({ targetKw: 'Infinity', validForMin: '' }).request, null);
});
