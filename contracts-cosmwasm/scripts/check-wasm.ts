// GridCoop's own upload checker: parses a contract's wasm binary and checks it against what a CosmWasm chain
// accepts at upload (shared/notes/chain.md). The JS VM used in tests checks none of this, so the build does.
//   node --import tsx contracts-cosmwasm/scripts/check-wasm.ts artifacts/*.wasm   (exit 1 on any violation)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { BinaryReader, WasmFormatError } from './wasm/binary-reader.ts';
import {
  ALLOWED_IMPORTS,
  MAX_FUNCTION_RESULTS,
  MAX_FUNCTIONS,
  MAX_IMPORTS,
  MAX_LOCALS_PER_FUNCTION,
  MAX_LOCALS_TOTAL,
  MAX_MEMORY_INITIAL_PAGES,
  MAX_TABLE_ELEMENTS,
  MAX_WASM_BYTES,
  REQUIRED_INTERFACE_VERSION,
  type UploadRule,
} from './wasm/upload-rules.ts';

export interface Violation {
  rule: UploadRule;
  detail: string;
}

export interface WasmStats {
  sizeBytes: number;
  /** Size after gunzip when the file was gzipped (what the chain inflates), else equal to sizeBytes. */
  inflatedSizeBytes: number;
  importedFunctions: number;
  definedFunctions: number;
  maxLocalsInOneFunction: number;
  totalLocals: number;
  memoryInitialPages: number | null;
  tableMaxElements: number | null;
  exports: string[];
}

export interface WasmCheckReport {
  name: string;
  ok: boolean;
  violations: Violation[];
  stats: WasmStats;
}

const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;
const EXTERNAL_KIND = ['function', 'table', 'memory', 'global'] as const;

interface Limits {
  min: number;
  max: number | null;
  shared: boolean;
}

function readLimits(reader: BinaryReader): Limits {
  const flags = reader.byte();
  if (flags > 3) throw new WasmFormatError(reader.offset - 1, `unknown limits flag ${flags}`);
  const min = reader.u32();
  const max = flags & 1 ? reader.u32() : null;
  return { min, max, shared: (flags & 2) !== 0 };
}

/** Skips a constant expression (global/element/data initialisers) up to its `end`. */
function skipConstExpr(reader: BinaryReader): void {
  for (;;) {
    const op = reader.byte();
    if (op === 0x0b) return;
    if (op === 0x41) reader.skipSigned(32);
    else if (op === 0x42) reader.skipSigned(64);
    else if (op === 0x43) reader.skip(4);
    else if (op === 0x44) reader.skip(8);
    else if (op === 0x23 || op === 0xd2) reader.u32();
    else if (op === 0xd0) reader.byte();
    else
      throw new WasmFormatError(reader.offset - 1, `unexpected opcode 0x${op.toString(16)} in a constant expression`);
  }
}

const VALUE_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c]);
const FEATURE_VALUE_TYPES: Record<number, string> = {
  0x7b: 'SIMD (v128)',
  0x70: 'reference types (funcref)',
  0x6f: 'reference types (externref)',
};

/**
 * Walks one function body's instructions. Returns the first forbidden feature found (null if none); parsing of
 * the body stops there (the body's size is known, so the caller resumes at the next function).
 */
function scanInstructions(reader: BinaryReader): string | null {
  while (!reader.atEnd) {
    const at = reader.offset;
    const op = reader.byte();
    switch (true) {
      case op === 0x02 || op === 0x03 || op === 0x04: {
        const blockType = reader.byte();
        if (FEATURE_VALUE_TYPES[blockType]) return `${FEATURE_VALUE_TYPES[blockType]} block type at byte ${at}`;
        if (blockType !== 0x40 && !VALUE_TYPES.has(blockType)) {
          // A type index as block type is the multi-value proposal.
          return `multi-value block type at byte ${at}`;
        }
        break;
      }
      case op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x24):
        reader.u32();
        break;
      case op === 0x0e: {
        const count = reader.u32();
        for (let i = 0; i <= count; i++) reader.u32();
        break;
      }
      case op === 0x11: {
        reader.u32();
        // MVP encodes the table index as the single byte 0x00; the reference-types encoding (what Rust >= 1.82
        // emits) is a multi-byte LEB128 or a non-zero table, which cosmwasm-vm 2.x rejects.
        const table = reader.byte();
        if (table !== 0x00)
          return `call_indirect with reference-types table encoding (0x${table.toString(16)}) at byte ${at}`;
        break;
      }
      case op === 0x1c:
        return `typed select (reference types) at byte ${at}`;
      case op === 0x25 || op === 0x26:
        return `table.get/table.set (reference types) at byte ${at}`;
      case op >= 0x28 && op <= 0x3e:
        reader.u32();
        reader.u32();
        break;
      case op === 0x3f || op === 0x40:
        if (reader.byte() !== 0x00) return `multi-memory at byte ${at}`;
        break;
      case op === 0x41:
        reader.skipSigned(32);
        break;
      case op === 0x42:
        reader.skipSigned(64);
        break;
      case op === 0x43:
        reader.skip(4);
        break;
      case op === 0x44:
        reader.skip(8);
        break;
      case op === 0x00 || op === 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b:
        break;
      case op >= 0x45 && op <= 0xc4: // numeric instructions, including sign-extension (0xc0..0xc4), allowed
        break;
      case op === 0xd0 || op === 0xd1 || op === 0xd2:
        return `reference instruction 0x${op.toString(16)} (reference types) at byte ${at}`;
      case op === 0x06 || op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18 || op === 0x19:
        return `exception-handling instruction 0x${op.toString(16)} at byte ${at}`;
      case op === 0x12 || op === 0x13:
        return `tail call instruction 0x${op.toString(16)} at byte ${at}`;
      case op === 0xfc: {
        const sub = reader.u32();
        if (sub <= 7) break; // saturating float-to-int conversions are accepted
        if (sub <= 11) return `bulk-memory instruction 0xfc ${sub} at byte ${at}`;
        return `table instruction 0xfc ${sub} (bulk memory / reference types) at byte ${at}`;
      }
      case op === 0xfd:
        return `SIMD instruction at byte ${at}`;
      case op === 0xfe:
        return `threads (atomic) instruction at byte ${at}`;
      default:
        return `unknown opcode 0x${op.toString(16)} at byte ${at}`;
    }
  }
  return null;
}

/** Checks one wasm binary (raw or gzipped) against the chain's upload rules. Never throws on bad input. */
export function checkWasm(input: Uint8Array, name = 'contract.wasm'): WasmCheckReport {
  const violations: Violation[] = [];
  const flag = (rule: UploadRule, detail: string) => violations.push({ rule, detail });
  let bytes = input;
  if (input[0] === 0x1f && input[1] === 0x8b) {
    try {
      bytes = gunzipSync(input);
    } catch (error) {
      flag('format', `gzip data cannot be inflated: ${(error as Error).message}`);
      bytes = new Uint8Array();
    }
  }
  const stats: WasmStats = {
    sizeBytes: input.length,
    inflatedSizeBytes: bytes.length,
    importedFunctions: 0,
    definedFunctions: 0,
    maxLocalsInOneFunction: 0,
    totalLocals: 0,
    memoryInitialPages: null,
    tableMaxElements: null,
    exports: [],
  };
  if (input.length > MAX_WASM_BYTES) flag('size', `${input.length} bytes exceed ${MAX_WASM_BYTES}`);
  if (bytes !== input && bytes.length > MAX_WASM_BYTES)
    flag('size', `${bytes.length} bytes after gunzip exceed ${MAX_WASM_BYTES}`);
  try {
    parseModule(bytes, stats, flag);
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
    flag('format', error.message);
  }
  return { name, ok: violations.length === 0, violations, stats };
}

function parseModule(bytes: Uint8Array, stats: WasmStats, flag: (rule: UploadRule, detail: string) => void): void {
  const reader = new BinaryReader(bytes);
  const magic = reader.take(4);
  if (magic[0] !== 0x00 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    throw new WasmFormatError(0, 'missing the \\0asm magic number');
  }
  const version = reader.take(4);
  if (version[0] !== 1 || version[1] !== 0 || version[2] !== 0 || version[3] !== 0)
    throw new WasmFormatError(4, 'wasm version is not 1');

  const typeResults: number[] = [];
  const memories: Limits[] = [];
  const tables: Limits[] = [];
  const exports: { name: string; kind: string; index: number }[] = [];
  let lastSectionId = 0;

  while (!reader.atEnd) {
    const sectionAt = reader.offset;
    const id = reader.byte();
    const body = reader.sub(reader.u32());
    if (id !== SECTION.custom) {
      if (id > SECTION.dataCount) throw new WasmFormatError(sectionAt, `unknown section id ${id}`);
      if (id !== SECTION.dataCount && id <= lastSectionId && lastSectionId !== SECTION.dataCount) {
        throw new WasmFormatError(sectionAt, `section ${id} out of order`);
      }
      lastSectionId = id;
    }
    switch (id) {
      case SECTION.type: {
        const count = body.u32();
        for (let i = 0; i < count; i++) {
          if (body.byte() !== 0x60) throw new WasmFormatError(body.offset - 1, 'function type must start with 0x60');
          const params = body.u32();
          for (let p = 0; p < params; p++) body.byte();
          const results = body.u32();
          for (let r = 0; r < results; r++) body.byte();
          typeResults.push(results);
          if (results > MAX_FUNCTION_RESULTS)
            flag('results', `type ${i} has ${results} results (at most ${MAX_FUNCTION_RESULTS}: no multi-value)`);
        }
        break;
      }
      case SECTION.import: {
        const count = body.u32();
        if (count > MAX_IMPORTS) flag('imports', `${count} imports exceed ${MAX_IMPORTS}`);
        for (let i = 0; i < count; i++) {
          const module = body.name();
          const field = body.name();
          const kind = body.byte();
          const kindName = EXTERNAL_KIND[kind] ?? `kind ${kind}`;
          if (kind === 0) {
            body.u32();
            stats.importedFunctions += 1;
          } else if (kind === 1) {
            body.byte();
            tables.push(readLimits(body));
          } else if (kind === 2) {
            memories.push(readLimits(body));
          } else if (kind === 3) {
            body.byte();
            body.byte();
          } else throw new WasmFormatError(body.offset - 1, `unknown import kind ${kind}`);
          if (kind !== 0) flag('imports', `import ${module}.${field} is a ${kindName}: only functions may be imported`);
          else if (module !== 'env' || !ALLOWED_IMPORTS.has(field))
            flag('imports', `import ${module}.${field} is not an allowed host function`);
        }
        break;
      }
      case SECTION.function:
        stats.definedFunctions = body.u32();
        if (stats.definedFunctions > MAX_FUNCTIONS)
          flag('functions', `${stats.definedFunctions} functions exceed ${MAX_FUNCTIONS}`);
        break;
      case SECTION.table: {
        const count = body.u32();
        for (let i = 0; i < count; i++) {
          const refType = body.byte();
          if (refType !== 0x70)
            flag('features', `table ${i} of element type 0x${refType.toString(16)} (reference types)`);
          tables.push(readLimits(body));
        }
        break;
      }
      case SECTION.memory: {
        const count = body.u32();
        for (let i = 0; i < count; i++) memories.push(readLimits(body));
        break;
      }
      case SECTION.export: {
        const count = body.u32();
        for (let i = 0; i < count; i++) {
          const name = body.name();
          const kind = body.byte();
          const index = body.u32();
          exports.push({ name, kind: EXTERNAL_KIND[kind] ?? `kind ${kind}`, index });
        }
        break;
      }
      case SECTION.start:
        flag('start', `start section calls function ${body.u32()}: it would run before gas is set and trap`);
        break;
      case SECTION.element: {
        const count = body.u32();
        for (let i = 0; i < count; i++) {
          const flags = body.u32();
          if (flags !== 0) {
            flag('features', `element segment ${i} uses flags ${flags} (bulk memory / reference types)`);
            break;
          }
          skipConstExpr(body);
          const functions = body.u32();
          for (let f = 0; f < functions; f++) body.u32();
        }
        break;
      }
      case SECTION.code:
        checkCode(body, stats, flag);
        break;
      case SECTION.data: {
        const count = body.u32();
        for (let i = 0; i < count; i++) {
          const flags = body.u32();
          if (flags !== 0) {
            flag('features', `data segment ${i} uses flags ${flags} (passive/explicit memory: bulk memory)`);
            break;
          }
          skipConstExpr(body);
          body.skip(body.u32());
        }
        break;
      }
      case SECTION.dataCount:
        flag('features', 'data count section (bulk memory)');
        break;
      default:
        break;
    }
  }

  stats.exports = exports.map((e) => e.name);
  checkExports(exports, flag);
  checkMemory(memories, exports, stats, flag);
  checkTables(tables, stats, flag);
}

function checkCode(body: BinaryReader, stats: WasmStats, flag: (rule: UploadRule, detail: string) => void): void {
  const count = body.u32();
  if (count !== stats.definedFunctions)
    flag('format', `code section has ${count} bodies for ${stats.definedFunctions} functions`);
  let featureReports = 0;
  for (let i = 0; i < count; i++) {
    const fn = body.sub(body.u32());
    const groups = fn.u32();
    let locals = 0;
    for (let g = 0; g < groups; g++) {
      locals += fn.u32();
      const type = fn.byte();
      if (FEATURE_VALUE_TYPES[type]) flag('features', `function ${i} has a ${FEATURE_VALUE_TYPES[type]} local`);
    }
    stats.totalLocals += locals;
    stats.maxLocalsInOneFunction = Math.max(stats.maxLocalsInOneFunction, locals);
    if (locals > MAX_LOCALS_PER_FUNCTION)
      flag('locals', `function ${i} declares ${locals} locals (at most ${MAX_LOCALS_PER_FUNCTION})`);
    const forbidden = scanInstructions(fn);
    // One report per function, capped, so a file full of SIMD stays readable.
    if (forbidden && featureReports++ < 20) flag('features', `function ${i}: ${forbidden}`);
  }
  if (stats.totalLocals > MAX_LOCALS_TOTAL)
    flag('locals', `${stats.totalLocals} locals in all exceed ${MAX_LOCALS_TOTAL}`);
}

function checkExports(
  exports: { name: string; kind: string }[],
  flag: (rule: UploadRule, detail: string) => void,
): void {
  for (const required of ['allocate', 'deallocate']) {
    if (!exports.some((e) => e.name === required && e.kind === 'function'))
      flag('exports', `missing function export "${required}"`);
  }
  const versions = exports.filter((e) => e.name.startsWith('interface_version_'));
  if (versions.length !== 1)
    flag('exports', `expected exactly one interface_version_* export, found ${versions.length}`);
  else if (versions[0]!.name !== REQUIRED_INTERFACE_VERSION)
    flag('exports', `${versions[0]!.name} is not ${REQUIRED_INTERFACE_VERSION}`);
}

function checkMemory(
  memories: Limits[],
  exports: { name: string; kind: string; index: number }[],
  stats: WasmStats,
  flag: (rule: UploadRule, detail: string) => void,
): void {
  if (memories.length !== 1) {
    flag('memory', `expected exactly one memory, found ${memories.length}`);
    return;
  }
  const memory = memories[0]!;
  stats.memoryInitialPages = memory.min;
  if (memory.max !== null) flag('memory', `memory declares a maximum (${memory.max} pages): the chain requires none`);
  if (memory.shared) flag('features', 'shared memory (threads)');
  if (memory.min > MAX_MEMORY_INITIAL_PAGES)
    flag('memory', `initial memory ${memory.min} pages exceeds ${MAX_MEMORY_INITIAL_PAGES}`);
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory' && e.index === 0))
    flag('memory', 'memory is not exported as "memory"');
}

function checkTables(tables: Limits[], stats: WasmStats, flag: (rule: UploadRule, detail: string) => void): void {
  if (tables.length > 1) flag('table', `${tables.length} tables: at most one`);
  const table = tables[0];
  if (!table) return;
  stats.tableMaxElements = table.max;
  if (table.max === null) flag('table', `table has no maximum (at most ${MAX_TABLE_ELEMENTS} required)`);
  else if (table.max > MAX_TABLE_ELEMENTS) flag('table', `table maximum ${table.max} exceeds ${MAX_TABLE_ELEMENTS}`);
}

export function formatVerdict(report: WasmCheckReport): string {
  const s = report.stats;
  const summary =
    `${s.sizeBytes} bytes` +
    (s.inflatedSizeBytes !== s.sizeBytes ? ` (${s.inflatedSizeBytes} inflated)` : '') +
    `, ${s.importedFunctions} imports, ${s.definedFunctions} functions, locals max ${s.maxLocalsInOneFunction} / total ${s.totalLocals}` +
    `, memory ${s.memoryInitialPages ?? '-'} pages, table max ${s.tableMaxElements ?? '-'}`;
  if (report.ok) return `PASS ${report.name}: ${summary}`;
  const lines = report.violations.map((v) => `  - [${v.rule}] ${v.detail}`);
  return [`FAIL ${report.name}: ${report.violations.length} violation(s); ${summary}`, ...lines].join('\n');
}

function main(files: string[]): number {
  if (files.length === 0) {
    console.error('usage: check-wasm.ts <file.wasm>...');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const report = checkWasm(readFileSync(file), basename(file));
    console.log(formatVerdict(report));
    if (!report.ok) failed += 1;
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv.slice(2));
