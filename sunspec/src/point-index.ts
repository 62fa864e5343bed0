import { SunSpecError } from './sunspec-error.ts';
import type { ModelDef, PointDef } from './model-def.ts';

/** Point lookup by name for a model definition, built once per definition. */
const indexes = new WeakMap<ModelDef, Map<string, PointDef>>();

export function pointIndex(def: ModelDef): Map<string, PointDef> {
  let index = indexes.get(def);
  if (!index) {
    index = new Map(def.points.map((p) => [p.name, p]));
    indexes.set(def, index);
  }
  return index;
}

export function findPoint(def: ModelDef, name: string): PointDef {
  const point = pointIndex(def).get(name);
  if (!point) throw new SunSpecError('unknown-point', def.id, name, `model ${def.id} (${def.name}) has no such point`);
  return point;
}

/**
 * The scale-factor point a point refers to. A point inside a group may name a scale factor of its own group or of
 * any enclosing one (705's Crv[0].Pt[2].V uses the top-level V_SF): the nearest enclosing group wins.
 */
const scaleFactorPoints = new WeakMap<ModelDef, Map<string, PointDef>>();

export function scaleFactorPoint(def: ModelDef, point: PointDef): PointDef | undefined {
  if (typeof point.sf !== 'string') return undefined;
  // Decoding asks this for every scaled value of every read: resolve each point's scale factor once per definition.
  let resolved = scaleFactorPoints.get(def);
  if (!resolved) {
    resolved = new Map();
    scaleFactorPoints.set(def, resolved);
  }
  const known = resolved.get(point.name);
  if (known) return known;
  const found = findScaleFactorPoint(def, point, point.sf);
  resolved.set(point.name, found);
  return found;
}

function findScaleFactorPoint(def: ModelDef, point: PointDef, sf: string): PointDef {
  const index = pointIndex(def);
  const parts = point.name.split('.');
  for (let depth = parts.length - 1; depth >= 0; depth -= 1) {
    const prefix = parts.slice(0, depth).join('.');
    const candidate = index.get(prefix === '' ? sf : `${prefix}.${sf}`);
    if (candidate) return candidate;
  }
  throw new SunSpecError('unknown-point', def.id, point.name, `its scale factor ${sf} is not in the model`);
}
