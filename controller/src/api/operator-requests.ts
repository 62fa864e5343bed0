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

/**
 * POST /api/devices/:id/service. Taking the grid meter out of service puts the plant into failsafe: it needs
 * `force: true`.
 */
export const serviceRequestSchema = z.object({ inService: z.boolean(), force: z.boolean().optional() }).strict();

/** POST /api/devices/:id/acknowledge: an empty JSON object (the device is in the path). */
export const acknowledgeRequestSchema = z.object({}).strict();

export type GridSetpointRequest = z.infer<typeof gridSetpointRequestSchema>;
export type ScheduleRequest = z.infer<typeof scheduleRequestSchema>;

/** GET /api/ledger/records?nodeId=&status=&limit= (query strings, so numbers arrive as text). */
export const ledgerRecordsQuerySchema = z
  .object({
    nodeId: z.coerce.number().int().positive().optional(),
    status: z.enum(['pending', 'done', 'rejected']).optional(),
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
  })
  .strict();

/**
 * GET /api/history?from=&to=&step= (epoch ms, ms): per-device average power and SoC. Defaults: the last 24 h in
 * 5-minute steps, which is what the UI's day chart draws.
 */
export const historyQuerySchema = z
  .object({
    from: z.coerce.number().int().nonnegative().optional(),
    to: z.coerce.number().int().positive().optional(),
    step: z.coerce.number().int().positive().default(300_000),
  })
  .strict();
