// Builds small wasm binaries by hand for the upload checker's tests: a minimal valid contract, and the same
// contract with exactly one rule broken.

export const I32 = 0x7f;
export const I64 = 0x7e;

export interface ModuleSpec {
  types: { params: number[]; results: number[] }[];
  imports: { module: string; name: string; kind: 'function' | 'memory' | 'global'; type?: number }[];
  functions: { type: number; locals?: [count: number, valueType: number][]; body?: number[] }[];
  tables: { min: number; max?: number }[];
  memories: { min: number; max?: number }[];
  exports: { name: string; kind: 'function' | 'table' | 'memory'; index: number }[];
  start?: number;
  dataCount?: boolean;
  passiveData?: boolean;
  customBytes?: number;
}

const uleb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
};
const name = (text: string): number[] => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const limits = (l: { min: number; max?: number }): number[] =>
  l.max === undefined ? [0x00, ...uleb(l.min)] : [0x01, ...uleb(l.min), ...uleb(l.max)];
const KIND = { function: 0, table: 1, memory: 2, global: 3 } as const;

export function buildModule(spec: ModuleSpec): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Sections can be large (size tests): append with a loop, not push(...spread), which is bounded by the stack.
  const append = (bytes: number[]) => {
    for (const b of bytes) out.push(b);
  };
  if (spec.customBytes) append(section(0, [...name('padding'), ...new Array<number>(spec.customBytes).fill(0)]));
  append(
    section(1, vec(spec.types.map((t) => [0x60, ...vec(t.params.map((p) => [p])), ...vec(t.results.map((r) => [r]))]))),
  );
  if (spec.imports.length) {
    append(
      section(
        2,
        vec(
          spec.imports.map((i) => {
            const desc =
              i.kind === 'function' ? uleb(i.type ?? 0) : i.kind === 'memory' ? limits({ min: 1 }) : [I32, 0x00];
            return [...name(i.module), ...name(i.name), KIND[i.kind], ...desc];
          }),
        ),
      ),
    );
  }
  append(section(3, vec(spec.functions.map((f) => uleb(f.type)))));
  if (spec.tables.length) append(section(4, vec(spec.tables.map((t) => [0x70, ...limits(t)]))));
  if (spec.memories.length) append(section(5, vec(spec.memories.map(limits))));
  append(section(7, vec(spec.exports.map((e) => [...name(e.name), KIND[e.kind], ...uleb(e.index)]))));
  if (spec.start !== undefined) append(section(8, uleb(spec.start)));
  if (spec.dataCount) append(section(12, uleb(spec.passiveData ? 1 : 0)));
  append(
    section(
      10,
      vec(
        spec.functions.map((f) => {
          const body = [
            ...vec((f.locals ?? []).map(([count, type]) => [...uleb(count), type])),
            ...(f.body ?? []),
            0x0b,
          ];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  );
  if (spec.passiveData) append(section(11, vec([[0x01, ...uleb(1), 0x2a]])));
  return new Uint8Array(out);
}

/** The smallest module a chain accepts: allocate, deallocate, interface_version_8, one memory, one table. */
export function validContract(): ModuleSpec {
  return {
    types: [
      { params: [], results: [] },
      { params: [I32], results: [I32] },
      { params: [I32], results: [] },
    ],
    imports: [{ module: 'env', name: 'db_read', kind: 'function', type: 1 }],
    functions: [
      { type: 1, body: [0x41, 0x00] }, // allocate: i32.const 0
      { type: 2 }, // deallocate
      { type: 0 }, // interface_version_8
    ],
    tables: [{ min: 1, max: 1 }],
    memories: [{ min: 17 }],
    exports: [
      { name: 'memory', kind: 'memory', index: 0 },
      { name: 'allocate', kind: 'function', index: 1 },
      { name: 'deallocate', kind: 'function', index: 2 },
      { name: 'interface_version_8', kind: 'function', index: 3 },
    ],
  };
}
