import { checkModelRegisters, decodePointValue } from './point-value.ts';
import { SunSpecError } from './sunspec-error.ts';
import type { ModelDef } from './model-def.ts';

/**
 * Every point of one model from its registers (starting at the ID register), sentinels as null and scale factors
 * applied. Throws a typed error when the registers are too few or do not start with this model's ID.
 */
export function decodeModel(def: ModelDef, registers: ArrayLike<number>): Record<string, number | string | null> {
  checkModelRegisters(def, registers);
  if (registers[0] !== def.id) {
    throw new SunSpecError('malformed-registers', def.id, 'ID', `the registers start with model ID ${registers[0]}`);
  }
  const values: Record<string, number | string | null> = {};
  for (const point of def.points) values[point.name] = decodePointValue(def, point, registers);
  return values;
}
