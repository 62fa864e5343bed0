import { z } from 'zod';

/**
 * One validated description of a simulated plant. Every field has a default, so `{}` is the demo plant: a grid meter,
 * a site load of 30 kW peak, three PV inverters (10-20 kW), two batteries (10 and 20 kWh) and three 3 kW miners.
 * `nodes: N` replaces the device lists by N generated energy nodes (each a PV inverter and a battery, plus a miner
 * if `minersPerNode` is 1) for big plants.
 */
const port = z.number().int().min(0).max(65_535).describe('TCP port; 0 or absent = the OS picks');
const unitId = z.number().int().min(1).max(247);
const baseAddress = z.union([z.literal(40_000), z.literal(50_000), z.literal(0)]);
const modbusProtocol = z.enum(['modbus-tcp', 'modbus-rtu']);
const deviceId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1 to 64)');

const modbusFace = {
  protocol: modbusProtocol.default('modbus-tcp'),
  port: port.optional(),
  unitId: unitId.default(1),
  baseAddress: baseAddress.optional(),
};

export const pvInverterConfigSchema = z.object({
  id: deviceId,
  ratedPowerW: z.number().positive().max(1_000_000),
  stringLossFraction: z.number().min(0).lt(1).default(0.03),
  limitRampPctPerS: z.number().positive().default(10),
  /** Lifetime energy already on the counter: a device in service for a while (a counter at 0 reads as the SunSpec
   *  acc32 "not implemented" value). Default: about a year at a Victorian capacity factor. */
  initialEnergyWh: z.number().min(0).optional(),
  ...modbusFace,
});

export const batteryConfigSchema = z
  .object({
    id: deviceId,
    capacityWh: z.number().positive().max(10_000_000),
    maxChargeW: z.number().positive().max(1_000_000),
    maxDischargeW: z.number().positive().max(1_000_000),
    initialSocPct: z.number().min(0).max(100).default(50),
    roundTripEfficiency: z.number().gt(0).max(1).default(0.9),
    minReservePct: z.number().min(0).lt(100).default(10),
    rampWPerS: z.number().positive().optional(),
    /** Lifetime energy counters already counted (default: about 300 full cycles each way). */
    initialEnergyInWh: z.number().min(0).optional(),
    initialEnergyOutWh: z.number().min(0).optional(),
    ...modbusFace,
  })
  .refine((b) => b.initialSocPct >= b.minReservePct, {
    message: 'initialSocPct must not be below minReservePct',
    path: ['initialSocPct'],
  });

export const minerPlantConfigSchema = z
  .object({
    id: deviceId,
    minPowerW: z.number().positive().default(1000),
    maxPowerW: z.number().positive().default(3000),
  })
  .refine((m) => m.minPowerW <= m.maxPowerW, { message: 'minPowerW must not exceed maxPowerW', path: ['minPowerW'] });

const demoInverters = [
  { id: 'pv-1', ratedPowerW: 10_000 },
  { id: 'pv-2', ratedPowerW: 15_000 },
  { id: 'pv-3', ratedPowerW: 20_000 },
];
const demoBatteries = [
  { id: 'battery-1', capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000 },
  { id: 'battery-2', capacityWh: 20_000, maxChargeW: 10_000, maxDischargeW: 10_000 },
];
const demoMiners = [{ id: 'miner-1' }, { id: 'miner-2' }, { id: 'miner-3' }];

export const plantConfigSchema = z
  .object({
    site: z
      .object({
        /** The site's own consumption at its peak; defaults to 30 kW, or 10 kW per node when `nodes` is set. */
        loadPeakW: z.number().positive().max(1e9).optional(),
        /** Local time of the site (minutes east of UTC) for the profiles; Melbourne standard time by default. */
        utcOffsetMinutes: z.number().int().min(-720).max(840).default(600),
      })
      .default({ utcOffsetMinutes: 600 }),
    /** Where SunSpec maps start unless a device says otherwise. */
    baseAddress: baseAddress.default(40_000),
    meter: z
      .object({
        id: deviceId.default('meter-1'),
        ...modbusFace,
        /**
         * Lifetime counters the meter starts with, like an installed meter; never 0 by default, since an acc32 of 0
         * reads as "not implemented" in SunSpec.
         */
        initialImportWh: z.number().min(0).optional(),
        initialExportWh: z.number().min(0).optional(),
      })
      .default({ id: 'meter-1', protocol: 'modbus-tcp', unitId: 1 }),
    pvInverters: z
      .array(pvInverterConfigSchema)
      .default(() => demoInverters.map((d) => pvInverterConfigSchema.parse(d))),
    batteries: z.array(batteryConfigSchema).default(() => demoBatteries.map((d) => batteryConfigSchema.parse(d))),
    miners: z.array(minerPlantConfigSchema).default(() => demoMiners.map((d) => minerPlantConfigSchema.parse(d))),
    /** OPC UA port of the miner fleet server; 0 or absent = the OS picks. */
    minerPort: port.optional(),
    nodes: z.number().int().min(1).max(2000).optional(),
    minersPerNode: z.union([z.literal(0), z.literal(1)]).default(0),
  })
  .superRefine((config, ctx) => {
    const ids = [
      config.meter.id,
      ...config.pvInverters.map((d) => d.id),
      ...config.batteries.map((d) => d.id),
      ...config.miners.map((d) => d.id),
    ];
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index)
        ctx.addIssue({ code: 'custom', message: `device id "${id}" is used twice`, path: ['id'] });
    });
    // On one serial line every slave needs its own address.
    const rtu = [config.meter, ...config.pvInverters, ...config.batteries].filter((d) => d.protocol === 'modbus-rtu');
    const seen = new Map<number, string>();
    for (const device of rtu) {
      const other = seen.get(device.unitId);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: `RTU unit id ${device.unitId} is used by ${other} and ${device.id}`,
          path: ['unitId'],
        });
      seen.set(device.unitId, device.id);
    }
    const ports = [config.meter, ...config.pvInverters, ...config.batteries]
      .map((d) => d.port)
      .filter((p): p is number => p !== undefined && p > 0);
    ports.forEach((p, index) => {
      if (ports.indexOf(p) !== index)
        ctx.addIssue({ code: 'custom', message: `port ${p} is given to two devices`, path: ['port'] });
    });
  });

/** What a config file or caller may give (everything optional). */
export type PlantConfigInput = z.input<typeof plantConfigSchema>;
/** A validated config with every default filled in. */
export type PlantConfig = z.output<typeof plantConfigSchema>;

/** A config that does not validate; every problem names the field it is about (e.g. `batteries.1.capacityWh`). */
export class PlantConfigError extends Error {
  constructor(readonly issues: ReadonlyArray<{ path: string; message: string }>) {
    super(`invalid plant config: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'PlantConfigError';
  }
}

export function parsePlantConfig(input: unknown): PlantConfig {
  const result = plantConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new PlantConfigError(
      result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
  return result.data;
}

/** A node of a scaled plant: sizes cycle so a big plant is not a thousand identical devices. */
export function expandNodes(config: PlantConfig): PlantConfig {
  if (config.nodes === undefined) return config;
  const pvInverters = [];
  const batteries = [];
  const miners = [];
  for (let i = 1; i <= config.nodes; i++) {
    pvInverters.push(
      pvInverterConfigSchema.parse({ id: `node-${i}-pv`, ratedPowerW: [10_000, 15_000, 20_000][i % 3] }),
    );
    const big = i % 2 === 0;
    batteries.push(
      batteryConfigSchema.parse({
        id: `node-${i}-battery`,
        capacityWh: big ? 20_000 : 10_000,
        maxChargeW: big ? 10_000 : 5000,
        maxDischargeW: big ? 10_000 : 5000,
      }),
    );
    if (config.minersPerNode === 1) miners.push(minerPlantConfigSchema.parse({ id: `node-${i}-miner` }));
  }
  return {
    ...config,
    site: { ...config.site, loadPeakW: config.site.loadPeakW ?? 10_000 * config.nodes },
    pvInverters,
    batteries,
    miners,
  };
}
