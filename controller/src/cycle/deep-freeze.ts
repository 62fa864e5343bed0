/** A value that cannot be changed at any depth. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Freezes an object and everything it reaches, so a process image cannot change while controllers read it (a
 * controller that tries throws a TypeError in strict mode instead of silently corrupting what later ones see).
 * Children are frozen before their parent, so an object this function froze is frozen all the way down: meeting an
 * already frozen object again (e.g. the image inside a cycle report) it stops there, which keeps a cycle of 1,000
 * devices cheap. Meant for plain data (no cycles): nesting deeper than 64 levels is refused.
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  freezeAll(value, 0);
  return value as DeepReadonly<T>;
}

function freezeAll(value: unknown, depth: number): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  if (depth > 64) throw new RangeError('deepFreeze: nesting deeper than 64 levels (a cycle?)');
  for (const key of Object.keys(value)) freezeAll((value as Record<string, unknown>)[key], depth + 1);
  Object.freeze(value);
}
