import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadModelDef, statedModelLength, modelDefFromRegisters, SunSpecError } from '../src/index.ts';

const vendoredIds = readdirSync(new URL('../models/', import.meta.url))
  .map((f) => /^model_(\d+)\.json$/.exec(f)?.[1])
  .filter((id): id is string => id !== undefined)
  .map(Number);

test('model 103 puts W at offset 14 and its scale factor W_SF right after it', () => {
  const def = loadModelDef(103);
  const w = def.points.find((p) => p.name === 'W');
  assert.deepEqual(
    { offset: w?.offset, type: w?.type, sf: w?.sf, units: w?.units, mandatory: w?.mandatory },
    { offset: 14, type: 'int16', sf: 'W_SF', units: 'W', mandatory: true },
  );
  assert.equal(def.points.find((p) => p.name === 'W_SF')?.offset, 15);
  assert.equal(def.points.find((p) => p.name === 'WH')?.type, 'acc32');
});

test('ID is offset 0, L offset 1 and points follow without gaps in every vendored model', () => {
  assert.ok(vendoredIds.length >= 26);
  for (const id of vendoredIds) {
    const def = loadModelDef(id);
    assert.equal(def.points[0]?.name, 'ID');
    assert.equal(def.points[1]?.offset, 1);
    let expected = 0;
    for (const point of def.points) {
      assert.equal(point.offset, expected, `model ${id} point ${point.name}`);
      expected += point.size;
    }
    assert.equal(def.length, expected - 2, `model ${id} length`);
  }
});

test('the model length equals the L the JSON states wherever it states one', () => {
  let checked = 0;
  for (const id of vendoredIds) {
    const stated = statedModelLength(id);
    if (stated === undefined) continue;
    assert.equal(loadModelDef(id).length, stated, `model ${id}`);
    checked += 1;
  }
  assert.ok(checked >= 5, '701, 702, 704, 713 and 715 state their L');
  // Lengths every SunSpec reader knows by heart.
  assert.deepEqual(
    [1, 103, 120, 123, 124, 203, 802].map((id) => loadModelDef(id).length),
    [66, 50, 26, 24, 24, 105, 62],
  );
});

test('controls carry access RW and enumerations carry their symbols', () => {
  const def = loadModelDef(123);
  const limit = def.points.find((p) => p.name === 'WMaxLimPct');
  assert.equal(limit?.access, 'RW');
  assert.equal(limit?.sf, 'WMaxLimPct_SF');
  assert.deepEqual(def.points.find((p) => p.name === 'WMaxLim_Ena')?.symbols, { DISABLED: 0, ENABLED: 1 });
  assert.equal(loadModelDef(103).points.find((p) => p.name === 'St')?.symbols?.THROTTLED, 5);
});

test('repeating groups are flattened as Group[i].Point, nested ones too, and grow L', () => {
  const one = loadModelDef(160);
  const four = loadModelDef(160, { module: 4 });
  const perModule = one.length - loadModelDef(160, { module: 0 }).length;
  assert.equal(perModule, 20);
  assert.equal(four.length, one.length + 3 * perModule);
  const dcw3 = four.points.find((p) => p.name === 'module[3].DCW');
  assert.equal(dcw3?.offset, (one.points.find((p) => p.name === 'module[0].DCW')?.offset ?? NaN) + 3 * perModule);
  const voltVar = loadModelDef(705, { Crv: 2, Pt: 3 });
  assert.ok(voltVar.points.some((p) => p.name === 'Crv[1].Pt[2].Var'));
  assert.ok(!voltVar.points.some((p) => p.name === 'Crv[2].ActPt'));
});

test('sync groups without a count are named Group.Point', () => {
  const names = loadModelDef(704).points.map((p) => p.name);
  assert.ok(names.includes('PFWInj.PF'));
  assert.ok(names.includes('PFWAbsRvrt.Ext'));
});

test('repeat counts are recovered from registers read off a device', () => {
  const six = loadModelDef(160, { module: 6 });
  const registers = new Array<number>(six.length + 2).fill(0);
  registers[0] = 160;
  registers[1] = six.length;
  assert.equal(modelDefFromRegisters(160, registers).points.filter((p) => p.name.endsWith('.DCW')).length, 6);
  registers[1] = six.length + 1;
  assert.throws(
    () => modelDefFromRegisters(160, registers),
    (e: unknown) => e instanceof SunSpecError && e.kind === 'malformed-registers',
  );
});

test('an unknown model id or a non-numeric one is a typed error naming the model', () => {
  assert.throws(
    () => loadModelDef(9999),
    (e: unknown) => e instanceof SunSpecError && e.kind === 'unknown-model' && e.modelId === 9999,
  );
  assert.throws(
    () => loadModelDef(1.5),
    (e: unknown) => e instanceof SunSpecError && e.kind === 'unknown-model',
  );
});
