// The build's own upload checker (scripts/check-wasm.ts) against hand-made wasm binaries that each break one
// rule of what a CosmWasm chain accepts, at and past each bound; and against the real registry build.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { checkWasm, formatVerdict } from '../scripts/check-wasm.ts';
import { buildModule, I32, I64, validContract, type ModuleSpec } from './registry-wasm-builder.ts';
import { registryWasm } from './registry-fixture.ts';

// The WebAssembly global is not in this project's TypeScript libs (ES2023 + node types); it is there at run time.
const { WebAssembly } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };

function verdict(change: (spec: ModuleSpec) => void): ReturnType<typeof checkWasm> {
  const spec = validContract();
  change(spec);
  const bytes = buildModule(spec);
  return checkWasm(bytes, 'hand-made.wasm');
}

function assertViolation(change: (spec: ModuleSpec) => void, rule: string, detail: RegExp): void {
  const report = verdict(change);
  assert.equal(report.ok, false, `expected a ${rule} violation`);
  assert.ok(
    report.violations.some((v) => v.rule === rule && detail.test(v.detail)),
    `expected [${rule}] ${detail}, got ${JSON.stringify(report.violations)}`,
  );
}

function assertPasses(change: (spec: ModuleSpec) => void): void {
  const spec = validContract();
  change(spec);
  const bytes = buildModule(spec);
  assert.ok(WebAssembly.validate(bytes), 'the hand-made module is valid wasm');
  const report = checkWasm(bytes);
  assert.deepEqual(report.violations, []);
}

const withFunctionBody = (body: number[]) => (spec: ModuleSpec) => {
  spec.functions.push({ type: 0, body });
};

describe('upload checker', () => {
  it('passes the minimal valid contract and the real registry build', () => {
    assertPasses(() => {});
    const report = checkWasm(registryWasm(), 'gridcoop_registry.wasm');
    assert.equal(report.ok, true, formatVerdict(report));
    assert.match(formatVerdict(report), /^PASS gridcoop_registry\.wasm: \d+ bytes, 9 imports/);
  });

  it('requires allocate, deallocate and exactly one interface_version_8', () => {
    assertViolation(
      (s) => (s.exports = s.exports.filter((e) => e.name !== 'allocate')),
      'exports',
      /missing function export "allocate"/,
    );
    assertViolation(
      (s) => (s.exports = s.exports.filter((e) => e.name !== 'deallocate')),
      'exports',
      /missing function export "deallocate"/,
    );
    assertViolation(
      (s) => s.exports.push({ name: 'interface_version_7', kind: 'function', index: 3 }),
      'exports',
      /exactly one interface_version_\* export, found 2/,
    );
    assertViolation(
      (s) => (s.exports.find((e) => e.name === 'interface_version_8')!.name = 'interface_version_9'),
      'exports',
      /interface_version_9 is not interface_version_8/,
    );
  });

  it('requires one exported memory without maximum and at most 512 initial pages', () => {
    assertPasses((s) => (s.memories = [{ min: 512 }]));
    assertViolation((s) => (s.memories = [{ min: 513 }]), 'memory', /initial memory 513 pages exceeds 512/);
    assertViolation((s) => (s.memories = [{ min: 17, max: 100 }]), 'memory', /declares a maximum/);
    assertViolation(
      (s) => (s.exports = s.exports.filter((e) => e.name !== 'memory')),
      'memory',
      /not exported as "memory"/,
    );
    assertViolation(
      (s) => ((s.memories = []), (s.exports = s.exports.filter((e) => e.kind !== 'memory'))),
      'memory',
      /exactly one memory, found 0/,
    );
  });

  it('allows at most one table, with a maximum of at most 2500', () => {
    assertPasses((s) => (s.tables = [{ min: 1, max: 2500 }]));
    assertViolation((s) => (s.tables = [{ min: 1, max: 2501 }]), 'table', /table maximum 2501 exceeds 2500/);
    assertViolation((s) => (s.tables = [{ min: 1 }]), 'table', /table has no maximum/);
    assertViolation(
      (s) =>
        (s.tables = [
          { min: 1, max: 1 },
          { min: 1, max: 1 },
        ]),
      'table',
      /2 tables: at most one/,
    );
  });

  it('allows at most 100 imports, functions only, from the host function list', () => {
    const imports = (n: number) =>
      Array.from({ length: n }, () => ({ module: 'env', name: 'db_read', kind: 'function' as const, type: 1 }));
    const shiftExports = (s: ModuleSpec, by: number) =>
      s.exports.forEach((e) => e.kind === 'function' && (e.index += by));
    assertPasses((s) => ((s.imports = imports(100)), shiftExports(s, 99)));
    assertViolation((s) => ((s.imports = imports(101)), shiftExports(s, 100)), 'imports', /101 imports exceed 100/);
    assertViolation(
      (s) => (s.imports[0]!.name = 'gas_refund'),
      'imports',
      /env\.gas_refund is not an allowed host function/,
    );
    assertViolation(
      (s) => (s.imports[0]!.module = 'wasi_snapshot_preview1'),
      'imports',
      /wasi_snapshot_preview1\.db_read is not an allowed/,
    );
    assertViolation(
      (s) => s.imports.push({ module: 'env', name: 'stack_pointer', kind: 'global' }),
      'imports',
      /is a global: only functions may be imported/,
    );
  });

  it('allows at most 20,000 functions, each with at most one result', () => {
    assertPasses((s) => s.functions.push(...Array.from({ length: 20_000 - 3 }, () => ({ type: 0 }))));
    assertViolation(
      (s) => s.functions.push(...Array.from({ length: 20_001 - 3 }, () => ({ type: 0 }))),
      'functions',
      /20001 functions exceed 20000/,
    );
    assertViolation((s) => s.types.push({ params: [], results: [I32, I32] }), 'results', /type 3 has 2 results/);
  });

  it('allows at most 100 locals per function and 10,000 in all', () => {
    assertPasses((s) =>
      s.functions.push({
        type: 0,
        locals: [
          [60, I32],
          [40, I64],
        ],
      }),
    );
    assertViolation(
      (s) =>
        s.functions.push({
          type: 0,
          locals: [
            [60, I32],
            [41, I64],
          ],
        }),
      'locals',
      /declares 101 locals \(at most 100\)/,
    );
    assertPasses((s) =>
      s.functions.push(...Array.from({ length: 100 }, () => ({ type: 0, locals: [[100, I32]] as [number, number][] }))),
    );
    assertViolation(
      (s) =>
        s.functions.push(
          ...Array.from({ length: 100 }, () => ({ type: 0, locals: [[100, I32]] as [number, number][] })),
          { type: 0, locals: [[1, I32]] },
        ),
      'locals',
      /10001 locals in all exceed 10000/,
    );
  });

  it('accepts sign-extension and saturating conversions but no bulk memory, SIMD, threads, exceptions or reference types', () => {
    assertPasses(withFunctionBody([0x41, 0x01, 0xc0, 0x1a])); // i32.const 1; i32.extend8_s; drop
    assertPasses(withFunctionBody([0x43, 0, 0, 0, 0, 0xfc, 0x00, 0x1a])); // f32.const 0; i32.trunc_sat_f32_s; drop
    const zero3 = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00];
    assertViolation(
      withFunctionBody([...zero3, 0xfc, 0x0a, 0x00, 0x00]),
      'features',
      /bulk-memory instruction 0xfc 10/,
    ); // memory.copy
    assertViolation(withFunctionBody([...zero3, 0xfc, 0x0b, 0x00]), 'features', /bulk-memory instruction 0xfc 11/); // memory.fill
    assertViolation(
      withFunctionBody([0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x1a]),
      'features',
      /SIMD instruction/,
    );
    assertViolation(
      withFunctionBody([0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a]),
      'features',
      /threads \(atomic\) instruction/,
    );
    assertViolation(withFunctionBody([0x06, 0x40, 0x0b]), 'features', /exception-handling instruction 0x6/);
    assertViolation(withFunctionBody([0xd0, 0x70, 0x1a]), 'features', /reference instruction 0xd0/);
    // call_indirect type 0 through table 0, encoded the reference-types way (a two-byte LEB128 zero).
    assertViolation(
      withFunctionBody([0x41, 0x00, 0x11, 0x00, 0x80, 0x00]),
      'features',
      /call_indirect with reference-types table encoding/,
    );
    assertPasses(withFunctionBody([0x41, 0x00, 0x11, 0x00, 0x00]));
    assertViolation((s) => (s.dataCount = true), 'features', /data count section \(bulk memory\)/);
    assertViolation((s) => ((s.dataCount = true), (s.passiveData = true)), 'features', /data segment 0 uses flags 1/);
  });

  it('refuses a start section, which would run before gas is set', () => {
    assertViolation((s) => (s.start = 3), 'start', /start section calls function 3/);
  });

  it('allows 800 KiB, raw and after gunzip', () => {
    const padTo = (size: number) => (s: ModuleSpec) => {
      s.customBytes = 0;
      const base = buildModule(s).length;
      s.customBytes = size - base - 12; // section id, 3-byte LEB128 size, name length byte, 'padding'
    };
    const at = validContract();
    padTo(800 * 1024)(at);
    const exactly = buildModule(at);
    assert.equal(exactly.length, 800 * 1024);
    assert.deepEqual(checkWasm(exactly).violations, []);
    assertViolation(padTo(800 * 1024 + 1), 'size', /819201 bytes exceed 819200/);
    const past = validContract();
    padTo(800 * 1024 + 1)(past);
    const gzipped = gzipSync(buildModule(past));
    assert.ok(gzipped.length < 800 * 1024);
    const report = checkWasm(gzipped, 'zipped.wasm.gz');
    assert.deepEqual(
      report.violations.map((v) => v.detail),
      ['819201 bytes after gunzip exceed 819200'],
    );
    assert.deepEqual(checkWasm(gzipSync(exactly)).violations, []);
  });

  it('reports malformed input as a format violation instead of throwing', () => {
    const valid = buildModule(validContract());
    assert.match(checkWasm(valid.subarray(0, valid.length - 3)).violations[0]!.detail, /malformed wasm at byte \d+/);
    assert.match(
      checkWasm(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])).violations[0]!.detail,
      /missing the \\0asm magic number/,
    );
    assert.match(
      checkWasm(new Uint8Array([0x1f, 0x8b, 1, 2, 3])).violations[0]!.detail,
      /gzip data cannot be inflated/,
    );
    assert.match(formatVerdict(checkWasm(new Uint8Array())), /^FAIL contract\.wasm: \d violation/);
  });
});
