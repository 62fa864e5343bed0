import { z } from 'zod';

/**
 * What the operator writes (and the schedule read) answer, as zod schemas: the OpenAPI document describes these
 * answers from them, the views in operator-views.ts are typed by them, and the API tests parse real answers with
 * them, so the description and the answers cannot drift apart.
 */
const gridTargetW = z.number().meta({ description: 'Power at the connection point in W, import positive' });

export const operatorTargetViewSchema = z
  .object({
    gridTargetW,
    source: z
      .enum(['live', 'schedule', 'vpp'])
      .meta({ description: "A live call, the operator's schedule, or the fleet aggregator's (VPP) target" }),
    untilMs: z.number().meta({ description: 'When the target stops applying, epoch ms' }),
  })
  .meta({ description: "The operator's target in force" });

export const scheduleEntryViewSchema = z.object({ fromMs: z.number(), toMs: z.number(), gridTargetW });

export const gridSetpointResponseSchema = z.object({
  operatorTarget: operatorTargetViewSchema.meta({ description: 'The target as asked' }),
  applied: z
    .object({ gridTargetW, reason: z.string() })
    .meta({ description: 'What the plant holds for it (a target beyond a grid cap is held at the cap) and why' }),
});

export const scheduleResponseSchema = z.object({ schedule: z.array(scheduleEntryViewSchema) });

export const scheduleReadSchema = z.object({
  operatorTarget: operatorTargetViewSchema.nullable(),
  schedule: z.array(scheduleEntryViewSchema),
});

export const serviceResponseSchema = z.object({
  deviceId: z.string(),
  state: z.enum(['connecting', 'online', 'stale', 'faulted', 'outOfService']),
});

export const acknowledgeResponseSchema = z.object({
  deviceId: z.string(),
  batteryState: z.enum(['standby', 'running', 'stopped', 'error']),
});

export const requeueResponseSchema = z.object({ requeued: z.number().int().nonnegative() });

export const apiIndexSchema = z.object({
  name: z.string(),
  openapi: z.string().meta({ description: 'Path of the OpenAPI 3.1 document' }),
  docs: z.string().meta({ description: 'Path of the interactive docs page' }),
  metrics: z.string(),
  routes: z.array(z.string()).meta({ description: 'Every route, as "METHOD /path/:param"' }),
});

export const fleetOwnerResponseSchema = z.object({
  mode: z.enum(['off', 'min', 'pv', 'now']),
  dailyBatteryCycles: z.number().nullable(),
  minerMinW: z.number(),
  batteryCyclesToday: z
    .number()
    .meta({ description: "Equivalent full cycles so far today (UTC), from the batteries' output" }),
  batteryBudgetUsed: z.boolean().meta({ description: 'True: the site offers no battery flexibility until tomorrow' }),
});

const counterEnergySchema = z.object({
  sinceMs: z.number().meta({
    description: "Where counting starts, epoch ms: the span's start, or the end of the first minute stored after it",
  }),
  risenWh: z.number().meta({ description: 'The rise of the counter since then (a counter that went back counts on)' }),
  lastWh: z.number().meta({ description: "The counter's last stored value, to count on from live readings" }),
  lastAtMs: z.number().meta({ description: 'The end of the minute that value closed, epoch ms' }),
});

export const energyReadSchema = z.object({
  fromMs: z.number(),
  toMs: z.number(),
  devices: z.array(
    z.object({
      deviceId: z.string(),
      kind: z.enum(['pv-inverter', 'battery', 'flexible-load', 'meter']),
      counters: z.record(z.string(), counterEnergySchema).meta({
        description:
          'By reading point: energyWh (PV produced, a flexible load consumed), energyInWh/energyOutWh (battery), ' +
          'energyImportedWh/energyExportedWh (meter)',
      }),
    }),
  ),
});
