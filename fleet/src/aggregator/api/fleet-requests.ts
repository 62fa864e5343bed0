import { z } from 'zod';

/** PUT /api/target: hold the sum of all sites' grid power at `targetW` (import positive) for `validForS`. */
export const liveTargetRequestSchema = z
  .object({
    targetW: z.number().finite(),
    /** Absent = the aggregator's default validity. */
    validForS: z.number().positive().max(86_400).optional(),
  })
  .strict();

const scheduleEntrySchema = z
  .object({
    fromMs: z.number().int().nonnegative(),
    toMs: z.number().int().nonnegative(),
    targetW: z.number().finite(),
  })
  .strict();

/** PUT /api/schedule: the whole schedule for the fleet, replacing the one in force (at most two days of minutes). */
export const vppScheduleRequestSchema = z.array(scheduleEntrySchema).max(2_880);
