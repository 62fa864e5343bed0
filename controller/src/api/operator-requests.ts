import { z } from 'zod';

/** PUT /api/grid-setpoint: hold `targetW` at the connection point (import positive) for `validForS`, then lapse. */
export const gridSetpointRequestSchema = z
  .object({
    targetW: z.number().finite(),
    /** Absent = the configured default (operatorSetpoint.defaultValidForS). */
    validForS: z.number().positive().optional(),
  })
  .strict();

const scheduleEntrySchema = z
  .object({
    fromMs: z.number().int().nonnegative(),
    toMs: z.number().int().nonnegative(),
    targetW: z.number().finite(),
  })
  .strict();

/** PUT /api/schedule: the whole schedule, replacing the one in force. */
export const scheduleRequestSchema = z.array(scheduleEntrySchema);

/** POST /api/devices/:id/service. */
export const serviceRequestSchema = z.object({ inService: z.boolean() }).strict();

export type GridSetpointRequest = z.infer<typeof gridSetpointRequestSchema>;
export type ScheduleRequest = z.infer<typeof scheduleRequestSchema>;
