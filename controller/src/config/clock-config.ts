import { z } from 'zod';

/**
 * Where the controller's time comes from: null (the default) is the wall clock. A sped-up simulated clock lets the
 * controller run against a simulator on the same clock, e.g. a plant started with the same anchor in another
 * process (simulated now = simStartMs + (wall clock - realStartMs) x speed). Never for real devices.
 */
export const clockConfigSchema = z
  .object({
    /** Simulated ms per real ms: 60 runs a simulated hour per real minute. */
    speed: z.number().positive().max(10_000),
    /** Epoch ms of simulated time at the anchor. */
    simStartMs: z.number().int().min(0),
    /** Wall-clock epoch ms of the anchor; absent = the moment the controller starts. Give the plant's to share it. */
    realStartMs: z.number().int().min(0).optional(),
  })
  .strict()
  .nullable()
  .default(null);

export type ClockConfig = z.output<typeof clockConfigSchema>;
