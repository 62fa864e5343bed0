import { z } from 'zod';

/**
 * The controller's model of the plant: which devices it controls, what each one is (its nature) and the limits the
 * controller must respect. Ratings here come from local configuration (nameplates, installer settings); a device's
 * own readings (e.g. its allowed charge power) can only make them stricter, never looser.
 */

const deviceId = z.string().min(1).max(64);

export const pvInverterSpecSchema = z.object({
  kind: z.literal('pv-inverter'),
  id: deviceId,
  ratedPowerW: z.number().positive(),
  /** The lowest power limit ever written. Never 0 %: several inverters go to standby on 0 % (see notes/devices.md). */
  minPowerLimitPct: z.number().min(1).max(100).default(10),
  reversionS: z.number().int().min(1).max(3600).default(60),
});

export const batterySpecSchema = z.object({
  kind: z.literal('battery'),
  id: deviceId,
  capacityWh: z.number().positive(),
  maxChargeW: z.number().positive(),
  maxDischargeW: z.number().positive(),
  /** The reserve the installer set for this battery; the controller uses the stricter of this and the policy's. */
  minReservePct: z.number().min(0).max(100).default(5),
  /** Never charged above this state of charge. */
  maxSocPct: z.number().min(1).max(100).default(100),
  /** How fast the setpoint may change, in W per second. */
  rampWPerS: z.number().positive(),
  reversionS: z.number().int().min(1).max(3600).default(30),
});

export const minerSpecSchema = z.object({
  kind: z.literal('flexible-load'),
  id: deviceId,
  /** The lowest power the miner runs at while mining (it is either paused at 0 W or in [minPowerW, maxPowerW]). */
  minPowerW: z.number().positive(),
  maxPowerW: z.number().positive(),
  /** Once resumed, it runs at least this long; once paused, it stays paused at least this long. */
  minOnS: z.number().min(0).default(300),
  minOffS: z.number().min(0).default(300),
});

export const meterSpecSchema = z.object({
  kind: z.literal('meter'),
  id: deviceId,
});

export const deviceSpecSchema = z.discriminatedUnion('kind', [
  pvInverterSpecSchema,
  batterySpecSchema,
  minerSpecSchema,
  meterSpecSchema,
]);

export const plantSpecSchema = z
  .object({
    devices: z.array(deviceSpecSchema).min(1),
    /** The meter at the connection point. Without its reading the plant goes to failsafe. */
    gridMeterId: deviceId,
    /** Hard limits of the grid connection (local configuration, never from the DAO). */
    importCapW: z.number().min(0),
    exportCapW: z.number().min(0),
  })
  .superRefine((plant, ctx) => {
    const seen = new Set<string>();
    for (const device of plant.devices) {
      if (seen.has(device.id))
        ctx.addIssue({ code: 'custom', message: `device id ${device.id} appears twice`, path: ['devices'] });
      seen.add(device.id);
      if (device.kind === 'flexible-load' && device.minPowerW > device.maxPowerW) {
        ctx.addIssue({ code: 'custom', message: `miner ${device.id}: minPowerW > maxPowerW`, path: ['devices'] });
      }
    }
    const meter = plant.devices.find((d) => d.id === plant.gridMeterId);
    if (!meter || meter.kind !== 'meter') {
      ctx.addIssue({
        code: 'custom',
        message: `gridMeterId ${plant.gridMeterId} is not a meter of this plant`,
        path: ['gridMeterId'],
      });
    }
  });

export type PvInverterSpec = z.infer<typeof pvInverterSpecSchema>;
export type BatterySpec = z.infer<typeof batterySpecSchema>;
export type MinerSpec = z.infer<typeof minerSpecSchema>;
export type MeterSpec = z.infer<typeof meterSpecSchema>;
export type DeviceSpec = z.infer<typeof deviceSpecSchema>;
export type PlantSpec = z.infer<typeof plantSpecSchema>;
/** What a caller writes: every field with a default may be left out. */
export type PlantSpecInput = z.input<typeof plantSpecSchema>;

/** A plant description that failed validation; `issues` names each bad field. Nothing is half-applied. */
export class PlantSpecError extends Error {
  override readonly name = 'PlantSpecError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid plant spec: ${issues.join('; ')}`);
  }
}

export function parsePlantSpec(input: unknown): PlantSpec {
  const result = plantSpecSchema.safeParse(input);
  if (!result.success) {
    throw new PlantSpecError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
