import { z } from 'zod';
import { ownerLimitsSchema } from '../fleet/owner-limits.ts';

const fleetId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, '-' or '_'");

/**
 * The site's link to a fleet (a VPP aggregator over MQTT 5). Optional: without it the site runs on its own as
 * before. Secrets are never in the file: the password comes from an environment variable or a file of its own.
 */
export const fleetConfigSchema = z
  .object({
    /** This site's id in the fleet: its Sparkplug edge node id and its broker user name. */
    siteId: fleetId,
    /** The grid zone (congestion area) of the site's connection point. */
    zone: z.string().min(1).max(64),
    brokerUrl: z.string().regex(/^mqtts?:\/\/[^/]+$/, 'must be mqtt://host:port or mqtts://host:port'),
    /** Default: siteId (what `npm run fleet-credentials` issues). */
    username: z.string().min(1).optional(),
    /** The environment variable that holds the broker password. */
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable')
      .default('GRIDCOOP_FLEET_PASSWORD'),
    /** Or a file that holds only the password (read at start; takes precedence over passwordEnv). */
    passwordFile: z.string().min(1).optional(),
    /** For mqtts://: the CA that signed the broker's certificate; this site's certificate if the broker asks. */
    tls: z
      .object({
        caFile: z.string().min(1),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
        message: 'certFile and keyFile go together',
      })
      .optional(),
    /** The aggregator's Sparkplug host id (its STATE topic). */
    hostId: fleetId.default('aggregator'),
    /** Publish state and envelope at most this often; 0 = every cycle. */
    publishEveryMs: z.number().int().min(0).max(60_000).default(0),
    /** The longest a VPP target may stay valid, whatever it asks: the site's own bound on a silent aggregator. */
    maxTargetValidityS: z.number().positive().max(3_600).default(300),
    /** How far ahead of this site's clock a target's issue time may be. */
    clockSkewMs: z.number().int().min(0).max(60_000).default(2_000),
    /** How long the broker keeps the site's session (its queued commands) while it is away. */
    sessionExpiryS: z.number().int().min(0).default(3_600),
    /**
     * A file (in the controller's data directory) where the link keeps its Sparkplug bdSeq, so a restarted controller
     * births with the next one, as Sparkplug expects. null: every start begins at 0.
     */
    bdSeqPath: z.string().min(1).nullable().default(null),
    /**
     * A file (in the controller's data directory) where the link keeps the owner's say as last set through
     * PUT /api/fleet/owner and the day's battery cycles, so a restart neither opts an owner back in nor forgets the
     * cycles used. When it exists it wins over `owner` below (it is the newer say); delete it to go back to `owner`.
     * null: every start begins from `owner` and 0 cycles.
     */
    ownerStatePath: z.string().min(1).nullable().default(null),
    /**
     * The owner's say over what the fleet may use (changeable at run time: PUT /api/fleet/owner). mode: off (opted
     * out), min (minimums kept, VPP on the rest), pv (only the site's surplus), now (follow the VPP fully).
     */
    owner: z
      .object({
        mode: ownerLimitsSchema.shape.mode.default('min'),
        /** Equivalent full battery cycles per UTC day; once used, the site offers no battery flexibility. */
        dailyBatteryCycles: ownerLimitsSchema.shape.dailyBatteryCycles.default(null),
        /** The miners' power the owner wants kept (modes min and pv), W. */
        minerMinW: ownerLimitsSchema.shape.minerMinW.default(0),
      })
      .strict()
      .default({ mode: 'min', dailyBatteryCycles: null, minerMinW: 0 }),
  })
  .strict();

export type FleetConfig = z.output<typeof fleetConfigSchema>;
