import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelDef, ModelBlock, decodeModel, SunSpecError } from '../src/index.ts';

function isSunSpecError(kind: string) {
  return (e: unknown) => e instanceof SunSpecError && e.kind === kind;
}

test('a new block holds ID and L and every point reads as not implemented', () => {
  const block = new ModelBlock(loadModelDef(103));
  assert.equal(block.registers.length, 52);
  assert.deepEqual([block.registers[0], block.registers[1]], [103, 50]);
  const values = decodeModel(block.def, block.registers);
  for (const [name, value] of Object.entries(values)) {
    if (name === 'ID' || name === 'L') continue;
    assert.equal(value, null, name);
  }
});

test('every sentinel type reads as null, never as a number', () => {
  const cases: Array<[model: number, point: string, registers: number[]]> = [
    [103, 'W', [0x8000]], // int16
    [103, 'A', [0xffff]], // uint16
    [103, 'W_SF', [0x8000]], // sunssf
    [103, 'St', [0xffff]], // enum16
    [103, 'WH', [0, 0]], // acc32
    [103, 'Evt1', [0xffff, 0xffff]], // bitfield32
    [802, 'NCyc', [0xffff, 0xffff]], // uint32
    [704, 'WSet', [0x8000, 0]], // int32
    [701, 'TotWhInj', [0xffff, 0xffff, 0xffff, 0xffff]], // uint64
    [203, 'TotWhImp', [0, 0]], // acc32 in a meter
    [124, 'StorCtl_Mod', [0xffff]], // bitfield16
    [111, 'W', [0x7fc0, 0]], // float32 NaN
    [1, 'Mn', new Array<number>(16).fill(0)], // string
    [1, 'Pad', [0x8000]], // pad
  ];
  for (const [model, pointName, raw] of cases) {
    const block = new ModelBlock(loadModelDef(model));
    const point = block.def.points.find((p) => p.name === pointName)!;
    // Give the point a valid scale factor so that only the sentinel itself can make it unknown.
    const sfName = typeof point.sf === 'string' ? point.sf : undefined;
    if (sfName) block.set(sfName, 0);
    block.registers.set(raw, point.offset);
    assert.equal(block.get(pointName), null, `model ${model} ${pointName} (${point.type})`);
    assert.equal(decodeModel(block.def, block.registers)[pointName], null);
  }
});

test('a scale factor outside -10..10 or unset makes the scaled point unknown', () => {
  const block = new ModelBlock(loadModelDef(103));
  block.setRaw('W_SF', 0);
  block.setRaw('W', 1200);
  assert.equal(block.get('W'), 1200);
  block.setRaw('W_SF', 11);
  assert.equal(block.get('W_SF'), null);
  assert.equal(block.get('W'), null);
  block.set('W_SF', null);
  assert.equal(block.get('W'), null);
});

test('scale factors are applied both ways and keep decimals exact', () => {
  const block = new ModelBlock(loadModelDef(103));
  block.set('W_SF', -1);
  block.set('W', 1234.5);
  assert.equal(block.getRaw('W'), 12345);
  assert.equal(block.get('W'), 1234.5);
  block.set('Hz_SF', -2);
  block.set('Hz', 50.01);
  assert.equal(block.getRaw('Hz'), 5001);
  assert.equal(block.get('Hz'), 50.01);
  block.set('WH_SF', 3);
  block.set('WH', 7_000_000);
  assert.equal(block.getRaw('WH'), 7000);
  assert.equal(block.get('WH'), 7_000_000);
  block.set('W', -250.2);
  assert.equal(block.get('W'), -250.2);
});

test('acc32 and uint32 span two registers high word first', () => {
  const block = new ModelBlock(loadModelDef(103));
  block.set('WH_SF', 0);
  block.set('WH', 0x12345678);
  const offset = block.def.points.find((p) => p.name === 'WH')!.offset;
  assert.deepEqual([block.registers[offset], block.registers[offset + 1]], [0x1234, 0x5678]);
  assert.equal(decodeModel(block.def, Array.from(block.registers)).WH, 0x12345678);
  block.set('WH', 4_000_000_000);
  assert.equal(block.get('WH'), 4_000_000_000);
});

test('int16, int32, uint64 and float32 values round-trip through registers', () => {
  const der = new ModelBlock(loadModelDef(704));
  der.set('WSet_SF', 0);
  der.set('WSet', -123456);
  assert.equal(der.get('WSet'), -123456);
  const measure = new ModelBlock(loadModelDef(701));
  measure.set('TotWh_SF', 0);
  measure.setRaw('TotWhInj', 2n ** 60n + 7n);
  assert.equal(measure.getRaw('TotWhInj'), 2n ** 60n + 7n);
  measure.set('TotWhInj', 9_007_199_254_740_000);
  assert.equal(measure.get('TotWhInj'), 9_007_199_254_740_000);
  const float = new ModelBlock(loadModelDef(111));
  float.set('W', 4321.5);
  assert.equal(float.get('W'), 4321.5);
  float.set('Hz', -0.25);
  assert.equal(float.get('Hz'), -0.25);
});

test('strings are stored two characters per register and read back without padding', () => {
  const block = new ModelBlock(loadModelDef(1));
  block.set('Mn', 'GridCoop');
  block.set('SN', 'PV-0001');
  const mn = block.def.points.find((p) => p.name === 'Mn')!;
  assert.equal(block.registers[mn.offset], 0x4772); // 'Gr'
  assert.equal(block.get('Mn'), 'GridCoop');
  assert.equal(decodeModel(block.def, block.registers).SN, 'PV-0001');
  block.set('Mn', 'x'.repeat(32));
  assert.equal(block.get('Mn'), 'x'.repeat(32));
  block.set('Mn', null);
  assert.equal(block.get('Mn'), null);
});

test('enumerations and bitfields take their raw numbers, unscaled', () => {
  const block = new ModelBlock(loadModelDef(103));
  block.set('St', 5);
  assert.equal(block.get('St'), 5);
  block.set('Evt1', 0b1000_0001);
  assert.equal(block.get('Evt1'), 129);
});

test('a value out of its type range is a typed error and leaves every register unchanged', () => {
  const block = new ModelBlock(loadModelDef(103));
  block.set('W_SF', 0);
  block.set('W', 1500);
  block.set('A_SF', 0);
  block.set('A', 10);
  block.set('WH_SF', 0);
  const before = Uint16Array.from(block.registers);
  const bad: Array<[string, number | string | null, string]> = [
    ['W', 40000, 'value-out-of-range'], // above int16
    ['W', -32768, 'value-out-of-range'], // the int16 sentinel itself
    ['A', -1, 'value-out-of-range'], // below uint16
    ['A', 65535, 'value-out-of-range'], // the uint16 sentinel
    ['W', Number.NaN, 'value-out-of-range'],
    ['W', Number.POSITIVE_INFINITY, 'value-out-of-range'],
    ['W', 'lots', 'wrong-type'],
    ['St', 70000, 'value-out-of-range'],
    ['NoSuchPoint', 1, 'unknown-point'],
    ['ID', 1, 'wrong-type'],
    ['WH', -5, 'value-out-of-range'],
  ];
  for (const [point, value, kind] of bad) {
    assert.throws(
      () => block.set(point, value),
      (e: unknown) => {
        assert.ok(e instanceof SunSpecError, `${point} ${String(value)}`);
        assert.equal(e.kind, kind, `${point} ${String(value)}`);
        assert.equal(e.modelId, 103);
        assert.match(e.message, new RegExp(`model 103 point ${point}`));
        return true;
      },
    );
  }
  assert.deepEqual(block.registers, before);
  assert.equal(block.get('W'), 1500);
});

test('setting a scaled point before its scale factor is a typed error that writes nothing', () => {
  const block = new ModelBlock(loadModelDef(103));
  const before = Uint16Array.from(block.registers);
  assert.throws(() => block.set('W', 100), isSunSpecError('missing-scale-factor'));
  assert.deepEqual(block.registers, before);
});

test('a string too long for its point is a typed error that keeps the old string', () => {
  const block = new ModelBlock(loadModelDef(1));
  block.set('Vr', '1.0.0');
  assert.throws(() => block.set('Vr', 'a'.repeat(17)), isSunSpecError('value-out-of-range'));
  assert.throws(() => block.set('Vr', 42), isSunSpecError('wrong-type'));
  assert.equal(block.get('Vr'), '1.0.0');
});

test('setRaw refuses bigints for narrow types and raw numbers for strings', () => {
  const block = new ModelBlock(loadModelDef(1));
  assert.throws(() => block.setRaw('DA', 5n), isSunSpecError('wrong-type'));
  assert.throws(() => block.setRaw('Mn', 5), isSunSpecError('wrong-type'));
  assert.throws(() => block.getRaw('Mn'), isSunSpecError('wrong-type'));
  block.setRaw('DA', 0xffff); // the sentinel is allowed raw: that is how a device says "not implemented"
  assert.equal(block.get('DA'), null);
});

test("decoding too few registers or another model's registers is a typed error", () => {
  const def = loadModelDef(103);
  const block = new ModelBlock(def);
  assert.throws(() => decodeModel(def, block.registers.subarray(0, 30)), isSunSpecError('malformed-registers'));
  const other = new ModelBlock(loadModelDef(101));
  assert.throws(() => decodeModel(def, other.registers), isSunSpecError('malformed-registers'));
});

test('points in repeated groups use the top-level scale factor', () => {
  const block = new ModelBlock(loadModelDef(160, { module: 2 }));
  block.set('N', 2);
  block.set('DCW_SF', 1);
  block.set('module[1].DCW', 3450);
  assert.equal(block.getRaw('module[1].DCW'), 345);
  assert.equal(decodeModel(block.def, block.registers)['module[1].DCW'], 3450);
  assert.equal(block.get('module[0].DCW'), null);
});
