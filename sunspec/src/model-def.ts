import { readFileSync } from 'node:fs';
import { SunSpecError } from './sunspec-error.ts';
import { isPointType, POINT_TYPES } from './point-types.ts';

/** One point of a model, flattened: offsets count registers from the model's ID register. */
export interface PointDef {
  /** Top-level points by their JSON name; points in groups 'Group.Point', in repeated groups 'Group[i].Point' (0-based). */
  name: string;
  /** uint16, int16, uint32, int32, acc16, acc32, acc64, uint64, enum16, enum32, bitfield16, bitfield32, sunssf, string, float32, pad, count */
  type: string;
  /** Registers the point takes. */
  size: number;
  /** Registers from the model's ID register: ID is 0, L is 1, the first point after L is 2. */
  offset: number;
  /** The scale-factor point's name in the same model, or a literal exponent. */
  sf?: string | number;
  units?: string;
  access: 'R' | 'RW';
  mandatory: boolean;
  /** Enumeration values or bitfield bit numbers by symbol name. */
  symbols?: Record<string, number>;
}

export interface ModelDef {
  id: number;
  name: string;
  /** The model length L: registers after the ID and L registers. */
  length: number;
  /** Every point, ID and L first, in register order. */
  points: PointDef[];
}

// The JSON as the SunSpec repository writes it (only the fields this library reads).
interface JsonPoint {
  name: string;
  type: string;
  size: number;
  sf?: string | number;
  units?: string;
  access?: string;
  mandatory?: string;
  value?: number | string;
  symbols?: Array<{ name: string; value: number }>;
}
interface JsonGroup {
  name: string;
  count?: number | string;
  points?: JsonPoint[];
  groups?: JsonGroup[];
}
interface JsonModel {
  id: number;
  group: JsonGroup;
}

const MODELS_DIR = new URL('../models/', import.meta.url);
const jsonCache = new Map<number, JsonModel>();

function readModelJson(id: number): JsonModel {
  const cached = jsonCache.get(id);
  if (cached) return cached;
  if (!Number.isInteger(id) || id < 1 || id >= 0xffff) {
    throw new SunSpecError('unknown-model', id, undefined, 'a model id is an integer from 1 to 65534');
  }
  let text: string;
  try {
    text = readFileSync(new URL(`model_${id}.json`, MODELS_DIR), 'utf8');
  } catch {
    throw new SunSpecError('unknown-model', id, undefined, `no model_${id}.json in sunspec/models`);
  }
  const json = JSON.parse(text) as JsonModel;
  if (json.id !== id || typeof json.group?.name !== 'string') {
    throw new SunSpecError('unknown-model', id, undefined, `model_${id}.json does not define model ${id}`);
  }
  jsonCache.set(id, json);
  return json;
}

/**
 * How many times a repeating group occurs when the caller does not say: groups with a fixed count use it, groups
 * whose count comes from a point (705's NCrv/NPt) or from the model length (160's modules, count 0) default to 1.
 */
function defaultRepeats(group: JsonGroup): number {
  return typeof group.count === 'number' && group.count > 0 ? group.count : 1;
}

function isRepeating(group: JsonGroup): boolean {
  return group.count !== undefined;
}

function toPointDef(modelId: number, json: JsonPoint, name: string, offset: number): PointDef {
  if (!isPointType(json.type)) {
    throw new SunSpecError('unknown-point', modelId, name, `unsupported point type '${json.type}'`);
  }
  const size = json.type === 'string' ? json.size : POINT_TYPES[json.type].registers;
  if (json.size !== size) {
    throw new SunSpecError('unknown-point', modelId, name, `size ${json.size} does not fit type ${json.type}`);
  }
  const def: PointDef = {
    name,
    type: json.type,
    size,
    offset,
    access: json.access === 'RW' ? 'RW' : 'R',
    mandatory: json.mandatory === 'M',
  };
  if (json.sf !== undefined) {
    // A scale factor is normally another point's name; the specification also allows a literal exponent.
    const literal = typeof json.sf === 'number' ? json.sf : /^-?\d+$/.test(json.sf) ? Number(json.sf) : undefined;
    def.sf = literal ?? json.sf;
  }
  if (json.units !== undefined) def.units = json.units;
  if (json.symbols !== undefined) def.symbols = Object.fromEntries(json.symbols.map((s) => [s.name, s.value]));
  return def;
}

/** Flattens a group and its subgroups in register order; returns the offset after the last point. */
function flattenGroup(
  modelId: number,
  group: JsonGroup,
  prefix: string,
  startOffset: number,
  repeats: Record<string, number>,
  out: PointDef[],
): number {
  let offset = startOffset;
  for (const point of group.points ?? []) {
    out.push(toPointDef(modelId, point, `${prefix}${point.name}`, offset));
    offset += out[out.length - 1]!.size;
  }
  for (const sub of group.groups ?? []) {
    if (!isRepeating(sub)) {
      offset = flattenGroup(modelId, sub, `${prefix}${sub.name}.`, offset, repeats, out);
      continue;
    }
    const times = repeats[sub.name] ?? defaultRepeats(sub);
    if (!Number.isInteger(times) || times < 0) {
      throw new SunSpecError(
        'value-out-of-range',
        modelId,
        sub.name,
        `repeat count ${times} is not a whole number >= 0`,
      );
    }
    for (let i = 0; i < times; i += 1) {
      offset = flattenGroup(modelId, sub, `${prefix}${sub.name}[${i}].`, offset, repeats, out);
    }
  }
  return offset;
}

const defCache = new Map<string, ModelDef>();

/**
 * The definition of model `id` from the vendored official JSON. `repeats` gives how many times each repeating
 * group occurs, by group name (e.g. { module: 4 } for model 160, { Crv: 3, Pt: 10 } for 705).
 * Returned definitions are shared and frozen: treat them as read-only.
 */
export function loadModelDef(id: number, repeats: Record<string, number> = {}): ModelDef {
  const key = `${id}:${JSON.stringify(Object.entries(repeats).sort())}`;
  const cached = defCache.get(key);
  if (cached) return cached;
  const json = readModelJson(id);
  const points: PointDef[] = [];
  const end = flattenGroup(id, json.group, '', 0, repeats, points);
  if (points[0]?.name !== 'ID' || points[1]?.name !== 'L') {
    throw new SunSpecError('unknown-model', id, undefined, 'the JSON does not start with the ID and L points');
  }
  const def: ModelDef = { id, name: json.group.name, length: end - 2, points };
  for (const point of points) Object.freeze(point);
  Object.freeze(points);
  defCache.set(key, Object.freeze(def));
  return def;
}

/** The fixed length L the JSON states for a model without repeating groups, if it states one. */
export function statedModelLength(id: number): number | undefined {
  const value = readModelJson(id).group.points?.find((p) => p.name === 'L')?.value;
  return typeof value === 'number' ? value : undefined;
}

/**
 * The definition that fits registers read from a device (from the ID register on): repeat counts of repeating
 * groups are taken from their count points (705's NCrv/NPt), or, for a group counted by the model length
 * (160's modules), from L. Used by readers that meet a model whose repeats they cannot know in advance.
 */
export function modelDefFromRegisters(id: number, registers: ArrayLike<number>): ModelDef {
  const json = readModelJson(id);
  const length = registers[1];
  if (registers[0] !== id || length === undefined) {
    throw new SunSpecError('malformed-registers', id, 'ID', `registers start with ID ${registers[0]}, not ${id}`);
  }
  const base = loadModelDef(id);
  const repeats: Record<string, number> = {};
  const lengthCounted: JsonGroup[] = [];
  const visit = (group: JsonGroup): void => {
    for (const sub of group.groups ?? []) {
      if (typeof sub.count === 'string') {
        const countPoint = base.points.find((p) => p.name === sub.count);
        const value = countPoint ? registers[countPoint.offset] : undefined;
        if (value !== undefined) repeats[sub.name] = value;
      } else if (sub.count === 0) {
        lengthCounted.push(sub);
      }
      visit(sub);
    }
  };
  visit(json.group);
  for (const group of lengthCounted) {
    // L = fixed part + n * one group: solve for n from the definitions with 0 and 1 repeats.
    const without = loadModelDef(id, { ...repeats, [group.name]: 0 }).length;
    const withOne = loadModelDef(id, { ...repeats, [group.name]: 1 }).length;
    const per = withOne - without;
    const n = per > 0 ? (length - without) / per : 0;
    if (!Number.isInteger(n) || n < 0) {
      throw new SunSpecError(
        'malformed-registers',
        id,
        'L',
        `L ${length} is not the fixed part plus whole ${group.name} groups`,
      );
    }
    repeats[group.name] = n;
  }
  return loadModelDef(id, repeats);
}
