import { z } from 'zod';
import { ownerLimitsSchema } from '../fleet/owner-limits.ts';

/** A target at the connection point, named as everywhere in the API (operator-views.ts). */
const gridTargetW = z
  .number()
  .finite()
  .meta({ description: 'Power to hold at the connection point in W, import positive (export negative)' });

/** PUT /api/grid-setpoint: hold `gridTargetW` at the connection point for `validForS`, then lapse. */
export const gridSetpointRequestSchema = z
  .object({
    gridTargetW,
    validForS: z
      .number()
      .positive()
      .optional()
      .meta({ description: 'Seconds the target holds unless sent again; absent = operatorSetpoint.defaultValidForS' }),
  })
  .strict();

const scheduleEntrySchema = z
  .object({
    fromMs: z.number().int().nonnegative().meta({ description: 'Window start, epoch ms' }),
    toMs: z.number().int().nonnegative().meta({ description: 'Window end (exclusive), epoch ms' }),
    gridTargetW,
  })
  .strict();

/** PUT /api/schedule: the whole schedule, replacing the one in force. */
export const scheduleRequestSchema = z
  .array(scheduleEntrySchema)
  .meta({ description: 'Windows that do not overlap; an empty list clears the schedule' });

/**
 * POST /api/devices/:id/service. Taking the grid meter out of service puts the plant into failsafe: it needs
 * `force: true`.
 */
export const serviceRequestSchema = z
  .object({
    inService: z.boolean(),
    force: z.boolean().optional().meta({ description: 'Needed to take the grid meter out of service (failsafe)' }),
  })
  .strict();

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

/**
 * GET /api/energy?from=&to= (epoch ms): what each device's lifetime energy counters counted over the span, from the
 * controller's stored minutes. Defaults: the last 24 h.
 */
export const energyQuerySchema = historyQuerySchema.omit({ step: true });

/** POST /api/ledger/requeue-rejected: `{}` requeues every rejected record, `{ "nodeId": 3 }` those of one node. */
export const requeueRequestSchema = z.object({ nodeId: z.number().int().positive().optional() }).strict();

/** PUT /api/fleet/owner: the owner's say over the fleet link; fields left out stay as they are. */
export const fleetOwnerRequestSchema = z
  .object({
    mode: ownerLimitsSchema.shape.mode.optional().meta({
      description:
        'off = opted out (no flexibility, VPP targets refused); min = minimums kept, VPP on the rest; ' +
        'pv = only the surplus (raise up to 0 W, release curtailed PV); now = follow the VPP fully',
    }),
    dailyBatteryCycles: ownerLimitsSchema.shape.dailyBatteryCycles.optional().meta({
      description: 'Equivalent full battery cycles per UTC day; once used, no battery flexibility. null = no cap',
    }),
    minerMinW: ownerLimitsSchema.shape.minerMinW
      .optional()
      .meta({ description: "The miners' power the owner wants kept in modes min and pv, W" }),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, {
    message: 'give at least one of mode, dailyBatteryCycles, minerMinW',
  });
