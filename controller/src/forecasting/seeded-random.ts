/**
 * Reproducible randomness for training. brain.js 1.6.1 draws its initial weights from Math.random and has no seed
 * option, so training runs inside `withSeededMathRandom`, which swaps Math.random for a seeded generator and always
 * puts the original back.
 */
export type RandomSource = () => number;

/** mulberry32: a small, fast 32-bit generator; plenty for weight init and shuffling (not for cryptography). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function withSeededMathRandom<T>(random: RandomSource, run: () => T): T {
  const original = Math.random;
  Math.random = random;
  try {
    return run();
  } finally {
    Math.random = original;
  }
}

/** Fisher-Yates in place. */
export function shuffleInPlace<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i] as T;
    items[i] = items[j] as T;
    items[j] = swap;
  }
  return items;
}
