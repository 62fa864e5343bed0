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
export function scaleFactorPoint(def: ModelDef, point: PointDef): PointDef | undefined {
  if (typeof point.sf !== 'string') return undefined;
  const index = pointIndex(def);
  const parts = point.name.split('.');
  for (let depth = parts.length - 1; depth >= 0; depth -= 1) {
    const prefix = parts.slice(0, depth).join('.');
    const candidate = index.get(prefix === '' ? point.sf : `${prefix}.${point.sf}`);
    if (candidate) return candidate;
  }
  throw new SunSpecError('unknown-point', def.id, point.name, `its scale factor ${point.sf} is not in the model`);
}
