/** A value that cannot be changed at any depth. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Freezes an object and everything it reaches, so a process image cannot change while controllers read it (a
 * controller that tries throws a TypeError in strict mode instead of silently corrupting what later ones see).
 */
export function deepFreeze<T>(value: T, visited = new WeakSet<object>()): DeepReadonly<T> {
  // An already frozen object may still hold unfrozen children, so recurse anyway; `visited` stops cycles.
  if (value !== null && typeof value === 'object' && !visited.has(value)) {
    visited.add(value);
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key], visited);
  }
  return value as DeepReadonly<T>;
}
