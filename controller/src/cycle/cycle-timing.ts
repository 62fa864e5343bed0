import { z } from 'zod';

export const cycleTimingSchema = z
  .object({
    /** How often the cycle runs (OpenEMS: 1 s). */
    periodMs: z.number().int().min(10).max(60_000).default(1_000),
    /** A device read not answered within this is a timeout for that device; the cycle goes on without it. */
    readTimeoutMs: z.number().int().min(1).default(400),
    writeTimeoutMs: z.number().int().min(1).default(300),
    connectTimeoutMs: z.number().int().min(1).default(5_000),
    /** Cycles over which the uncontrolled load is averaged for balancing. */
    loadAveragingCycles: z.number().int().min(1).max(60).default(3),
  })
  .refine((t) => t.readTimeoutMs + t.writeTimeoutMs < t.periodMs, {
    message: 'readTimeoutMs + writeTimeoutMs must leave room within periodMs',
  });

export type CycleTiming = z.infer<typeof cycleTimingSchema>;

/** Bad cycle timing; `issues` names each bad field. */
export class CycleTimingError extends Error {
  override readonly name = 'CycleTimingError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid cycle timing: ${issues.join('; ')}`);
  }
}

export function parseCycleTiming(input: unknown): CycleTiming {
  const result = cycleTimingSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new CycleTimingError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}
