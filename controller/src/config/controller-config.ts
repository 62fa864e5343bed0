import { z } from 'zod';
import { cycleTimingSchema } from '../cycle/cycle-timing.ts';
import { allocationPolicySchema, defaultAllocationPolicy } from '../policy/allocation-policy.ts';
import { clockConfigSchema } from './clock-config.ts';
import { fleetConfigSchema } from './fleet-config.ts';
import { ledgerConfigSchema } from './ledger-config.ts';

/**
 * The controller's one configuration file. Everything but the plant's devices has a default that runs the demo
 * plant (`npm start` fills the devices from the running simulator, see scripts/config-from-plant.ts). Powers are W, import
 * positive at the connection point; times carry their unit in the name.
 */

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The message for a missing grid cap: what to write, not just "required". */
function capMissing(what: string): (issue: { input: unknown }) => string | undefined {
  return (issue) =>
    issue.input === undefined
      ? `${what} is required: the grid connection's caps are safety limits and are never defaulted (e.g. "grid": { "importCapW": 50000, "exportCapW": 20000 })`
      : undefined;
}

const deviceId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1 to 64 characters)');
const port = z.number().int().min(1).max(65_535);
const unitId = z.number().int().min(1).max(247);

export const sunSpecTcpDriverSchema = z
  .object({
    type: z.literal('sunspec-tcp'),
    host: z.string().min(1),
    port,
    unitId: unitId.default(1),
    /** Where the SunSpec map starts; absent = discover at 40000, 50000, 0. */
    baseAddress: z.union([z.literal(40_000), z.literal(50_000), z.literal(0)]).optional(),
  })
  .strict();

export const sunSpecRtuDriverSchema = z
  .object({
    type: z.literal('sunspec-rtu'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    unitId,
    baseAddress: z.union([z.literal(40_000), z.literal(50_000), z.literal(0)]).optional(),
  })
  .strict();

/** OPC UA channel security, trust lists and user (see drivers/opcua/opcua-security.ts); absent = None, anonymous. */
export const opcUaSecuritySchema = z
  .object({
    mode: z.enum(['None', 'Sign', 'SignAndEncrypt']),
    policy: z.enum(['Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss']).default('Basic256Sha256'),
    /** own/, trusted/certs/, rejected/; default <GRIDCOOP_DATA_DIR or .gridcoop>/opcua-pki. */
    pkiDir: z.string().min(1).optional(),
    userName: z.string().min(1).optional(),
    /** The environment variable that holds the password: never the password itself in the file. */
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable')
      .optional(),
  })
  .strict()
  .refine((s) => (s.userName === undefined) === (s.passwordEnv === undefined), {
    message: 'userName and passwordEnv go together (a user name token needs both)',
  });

export const opcUaDriverSchema = z
  .object({
    type: z.literal('opcua'),
    endpointUrl: z.string().regex(/^opc\.tcp:\/\/.+/, 'must start with opc.tcp://'),
    browseName: z.string().min(1),
    security: opcUaSecuritySchema.optional(),
  })
  .strict();

const sunSpecDriverSchema = z.discriminatedUnion('type', [sunSpecTcpDriverSchema, sunSpecRtuDriverSchema]);

/** Ratings the device cannot tell reliably (nameplates, installer settings); readings can only make them stricter. */
const pvInverterDeviceSchema = z
  .object({
    nature: z.literal('pv-inverter'),
    id: deviceId,
    driver: sunSpecDriverSchema,
    ratedPowerW: z.number().positive(),
    /** Never 0 %: several inverters go to standby on 0 %. */
    minPowerLimitPct: z.number().min(1).max(100).default(10),
    /** Overrides reversion.pvInverterS for this device. */
    reversionS: z.number().int().min(1).max(3600).optional(),
  })
  .strict();

const batteryDeviceSchema = z
  .object({
    nature: z.literal('battery'),
    id: deviceId,
    driver: sunSpecDriverSchema,
    capacityWh: z.number().positive(),
    maxChargeW: z.number().positive(),
    maxDischargeW: z.number().positive(),
    minReservePct: z.number().min(0).max(100).default(5),
    maxSocPct: z.number().min(1).max(100).default(100),
    rampWPerS: z.number().positive().default(5_000),
    /** For the planner's energy balance. */
    roundTripEfficiency: z.number().gt(0).max(1).default(0.9),
    reversionS: z.number().int().min(1).max(3600).optional(),
  })
  .strict();

const flexibleLoadDeviceSchema = z
  .object({
    nature: z.literal('flexible-load'),
    id: deviceId,
    driver: opcUaDriverSchema,
    minPowerW: z.number().positive(),
    maxPowerW: z.number().positive(),
    minOnS: z.number().min(0).default(300),
    minOffS: z.number().min(0).default(300),
  })
  .strict();

const meterDeviceSchema = z.object({ nature: z.literal('meter'), id: deviceId, driver: sunSpecDriverSchema }).strict();

export const deviceConfigSchema = z.discriminatedUnion('nature', [
  pvInverterDeviceSchema,
  batteryDeviceSchema,
  flexibleLoadDeviceSchema,
  meterDeviceSchema,
]);

const hourlyPrices = z.union([z.number().finite(), z.array(z.number().finite()).length(24)]);

export const controllerConfigSchema = z
  .object({
    plant: z
      .object({
        /** The meter at the connection point; without it the plant goes failsafe. */
        gridMeterId: deviceId.default('meter-1'),
        devices: z.array(deviceConfigSchema).min(1, 'the plant needs at least its grid meter'),
      })
      .strict(),
    /**
     * Hard limits of the grid connection: local configuration, never from the DAO, and never defaulted. They are
     * safety limits: a plant whose file leaves them out would run to somebody else's numbers.
     */
    grid: z
      .object(
        {
          importCapW: z.number({ error: capMissing('importCapW') }).min(0),
          exportCapW: z.number({ error: capMissing('exportCapW') }).min(0),
        },
        { error: capMissing('grid') },
      )
      .strict(),
    cycle: cycleTimingSchema.prefault({}),
    /** How a device that keeps failing is retried (OpenEMS: +2 s per failure, up to 5 min). */
    deviceRetry: z
      .object({
        backoffStepMs: z.number().int().min(1).default(2_000),
        backoffCapMs: z.number().int().min(1).default(300_000),
        staleReadsBeforeFault: z.number().int().min(1).default(3),
      })
      .strict()
      .prefault({}),
    /** Device-side reversion: with no refresh within this time a device falls back to its own safe default. */
    reversion: z
      .object({
        pvInverterS: z.number().int().min(1).max(3600).default(60),
        batteryS: z.number().int().min(1).max(3600).default(30),
      })
      .strict()
      .prefault({}),
    /** Operator setpoints at the connection point lapse unless refreshed (OpenEMS's API timeout). */
    operatorSetpoint: z
      .object({
        defaultValidForS: z.number().positive().default(60),
        maxValidForS: z.number().positive().default(3_600),
        maxAbsGridW: z.number().positive().default(1e7),
        maxScheduleEntries: z.number().int().positive().default(2_000),
      })
      .strict()
      .prefault({}),
    /** evcc-style hysteresis of the miners' on/off switch (min on/off times are per miner). */
    miners: z
      .object({
        enableDelayMs: z.number().int().min(0).default(60_000),
        disableDelayMs: z.number().int().min(0).default(180_000),
        enableMarginW: z.number().min(0).default(0),
        disableMarginW: z.number().min(0).default(0),
      })
      .strict()
      .prefault({}),
    /** The allocation policy in force until the chain provides one (version 0 = local). */
    policy: allocationPolicySchema.default(() => structuredClone(defaultAllocationPolicy)),
    planner: z
      .object({
        enabled: z.boolean().default(true),
        everyMs: z.number().int().min(60_000).default(900_000),
        horizonMs: z
          .number()
          .int()
          .min(3_600_000)
          .max(7 * 86_400_000)
          .default(86_400_000),
        stepMs: z.number().int().min(60_000).default(900_000),
        /** A flat price or 24 prices by local hour of day. */
        importPricePerKWh: hourlyPrices.default(0.3),
        exportPricePerKWh: hourlyPrices.default(0.05),
        minerValuePerKWh: z.number().min(0).default(0.1),
      })
      .strict()
      .prefault({}),
    forecasting: z
      .object({
        /** The site's time zone, for local hours (prices, seasonal naive). */
        timeZone: z
          .string()
          .min(1)
          .refine(isKnownTimeZone, 'not a time zone this Node.js knows (e.g. Australia/Melbourne)')
          .default('Australia/Melbourne'),
        /** Folder of neural model files (site-load.json, pv.json, from `npm run train`); null = seasonal naive only. */
        modelDir: z.string().min(1).nullable().default(null),
        /**
         * Where the plant is: the clear-sky PV shape a fresh plant plans with until it has history (zero at night).
         * The default is the demo's Melbourne.
         */
        location: z
          .object({
            latitudeDeg: z.number().min(-90).max(90),
            longitudeDeg: z.number().min(-180).max(180),
          })
          .strict()
          .default({ latitudeDeg: -37.81, longitudeDeg: 144.96 }),
        /** SQLite file of the measured hourly history; null keeps it in memory. */
        historyPath: z.string().min(1).nullable().default(null),
        /**
         * A weather forecast for the load (temperature) and PV (cloud cover) models, refreshed hourly with the
         * retrain check; open-meteo uses `location`. null = calendar models only. When the provider is down or
         * its forecast is older than 6 h, the calendar models answer (the forecast status says why).
         */
        weather: z
          .discriminatedUnion('provider', [
            z
              .object({
                provider: z.literal('open-meteo'),
                baseUrl: z.string().url().default('https://api.open-meteo.com/v1/forecast'),
              })
              .strict(),
            z
              .object({
                provider: z.literal('csv'),
                path: z.string().min(1),
              })
              .strict(),
          ])
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    api: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        /** 0 = the OS picks. */
        port: z.number().int().min(0).max(65_535).default(8080),
        /** The operator's bearer token; GRIDCOOP_API_TOKEN in the environment wins over this. */
        token: z.string().min(16, 'a token must have at least 16 characters').optional(),
        /** JSON-lines file of every operator write and plant-state change; null = the structured log only. */
        auditLogPath: z.string().min(1).nullable().default(null),
        /** Origins of the UI allowed to call the API from a browser. */
        corsOrigins: z
          .array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin is scheme://host[:port]'))
          .default(['http://127.0.0.1:5173', 'http://localhost:5173']),
      })
      .strict()
      .prefault({}),
    /** The controller's own per-device time series (power, SoC, energy per minute), served at /api/history. */
    history: z
      .object({
        /** SQLite file; null keeps it in memory (lost at restart). */
        path: z.string().min(1).nullable().default(null),
        /** How long minutes are kept: at least a week. */
        retentionDays: z.number().min(7).max(3_660).default(8),
      })
      .strict()
      .prefault({}),
    maintenance: z
      .object({
        /** JSON-lines file of every new or escalated maintenance alert; null keeps them in memory (API only). */
        logPath: z.string().min(1).nullable().default(null),
      })
      .strict()
      .prefault({}),
    ledger: ledgerConfigSchema,
    /** null = the wall clock; a sped-up simulated clock only to run against a simulator on the same clock. */
    clock: clockConfigSchema,
    logging: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
    /** The site's link to a fleet's VPP aggregator over MQTT (config/fleet-config.ts); absent = a site on its own. */
    fleet: fleetConfigSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.plant.devices.forEach((device, index) => {
      const first = seen.get(device.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['plant', 'devices', index, 'id'],
          message: `device id ${device.id} is already used by plant.devices.${first}`,
        });
      } else seen.set(device.id, index);
      if (device.nature === 'flexible-load' && device.minPowerW > device.maxPowerW) {
        ctx.addIssue({
          code: 'custom',
          path: ['plant', 'devices', index, 'minPowerW'],
          message: 'minPowerW must not exceed maxPowerW',
        });
      }
      if (device.nature === 'battery' && device.minReservePct >= device.maxSocPct) {
        ctx.addIssue({
          code: 'custom',
          path: ['plant', 'devices', index, 'minReservePct'],
          message: 'minReservePct must be below maxSocPct',
        });
      }
    });
    const meter = config.plant.devices.find((d) => d.id === config.plant.gridMeterId);
    if (!meter || meter.nature !== 'meter') {
      ctx.addIssue({
        code: 'custom',
        path: ['plant', 'gridMeterId'],
        message: `${config.plant.gridMeterId} is not a meter of plant.devices`,
      });
    }
    if (config.operatorSetpoint.defaultValidForS > config.operatorSetpoint.maxValidForS) {
      ctx.addIssue({
        code: 'custom',
        path: ['operatorSetpoint', 'defaultValidForS'],
        message: 'must not exceed maxValidForS',
      });
    }
    if (config.ledger.mode !== 'off') {
      const ids = new Set(config.plant.devices.map((d) => d.id));
      for (const deviceId of Object.keys(config.ledger.nodes)) {
        if (!ids.has(deviceId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['ledger', 'nodes', deviceId],
            message: `${deviceId} is not a device of plant.devices`,
          });
        }
      }
      if (config.ledger.retryInitialMs > config.ledger.retryMaxMs) {
        ctx.addIssue({ code: 'custom', path: ['ledger', 'retryInitialMs'], message: 'must not exceed retryMaxMs' });
      }
    }
    if (config.planner.horizonMs % config.planner.stepMs !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['planner', 'horizonMs'],
        message: 'must be a whole number of planner.stepMs',
      });
    }
  });

/** What a file may contain: every field with a default may be left out. */
export type ControllerConfigInput = z.input<typeof controllerConfigSchema>;
/** A validated configuration with every default filled in. */
export type ControllerConfig = z.output<typeof controllerConfigSchema>;
export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DriverConfig = DeviceConfig['driver'];
