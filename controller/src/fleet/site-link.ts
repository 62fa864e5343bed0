import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import {
  FleetProtocolError,
  SequenceCounter,
  decodeHostState,
  decodeSiteCommand,
  encodeSiteBirth,
  encodeSiteData,
  encodeSiteDeath,
  hostStateTopic,
  nextSequenceNumber,
  nodeTopic,
  type FlexibilityEnvelope,
  type SiteProfile,
  type SiteState,
  type VppTarget,
} from '@gridcoop/fleet-protocol';
import type { OperatorTarget } from '../control/operator-setpoints.ts';
import { BatteryCycleCounter, type BatteryCycleDay } from './battery-cycle-counter.ts';
import { applyOwnerLimits, batteryBudgetUsed, type OwnerLimits } from './owner-limits.ts';
import type { OwnerState } from './owner-state-file.ts';
import { VppTargetFollower } from './vpp-target-follower.ts';

/** What the control cycle knows about the site each cycle; the link adds which policy is in control. */
export interface SiteSnapshot {
  gridPowerW: number | null;
  socPct: number | null;
  plantState: string;
  envelope: FlexibilityEnvelope;
  /** The miners' power under the local policy, W >= 0: what the owner's mining minimum is judged against. */
  minersBaselineW?: number;
  /** The batteries' measured output, W (discharge positive), for the daily cycle count; null when not read. */
  batteryPowerW?: number | null;
}

/** The owner's say as in force, with what the cycle budget is judged on. */
export interface OwnerStatus extends OwnerLimits {
  batteryCyclesToday: number;
  batteryBudgetUsed: boolean;
}

export interface SiteLinkLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface SiteLinkOptions {
  siteId: string;
  /** mqtt://host:port or mqtts://host:port */
  brokerUrl: string;
  username: string;
  password: string;
  /** For mqtts: the CA that signed the broker's certificate, and this site's own certificate if the broker asks. */
  tls?: { ca: Buffer | string; cert?: Buffer | string; key?: Buffer | string };
  /** The aggregator's Sparkplug host id: its STATE says whether a target giver is online. */
  hostId: string;
  profile: SiteProfile;
  /** The controller's clock (epoch ms): target validity is judged on it. */
  now: () => number;
  logger: SiteLinkLogger;
  /** Publish NDATA at most this often; 0 = every cycle. */
  publishEveryMs?: number;
  /** The longest a VPP target may stay valid, whatever it asks. Default 300 s. */
  maxTargetValidityS?: number;
  /** How far ahead of this site's clock a target's issue time may be. Default 2 s. */
  clockSkewMs?: number;
  /** How long the broker keeps this site's session (its command subscription and queued commands). Default 1 h. */
  sessionExpiryS?: number;
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
  keepaliveS?: number;
  /** The owner's mode and limits at start (changeable with setOwner). Default: mode min, no limits. */
  owner?: OwnerLimits;
  /** First bdSeq (0-255); a site that keeps it across restarts passes the next one. Default 0. */
  initialBdSeq?: number;
  /** Told each session's bdSeq before its CONNECT, to keep it across restarts (BdSeqFile). */
  onBdSeq?: (bdSeq: number) => void;
  /** Today's battery cycles as kept by an earlier run (restored when it is still that UTC day). */
  keptBatteryCycles?: BatteryCycleDay | null;
  /**
   * Told the owner's say and the day's battery cycles when the owner changes them and at most once a minute as the
   * cycles grow, and at stop, to keep them across restarts (OwnerStateFile).
   */
  onOwnerState?: (state: OwnerState) => void;
}

/** The day's battery cycles are handed to onOwnerState at most this often while they grow. */
const OWNER_STATE_EVERY_MS = 60_000;

export interface SiteLinkStatus {
  connected: boolean;
  /** An NBIRTH of this session has been published. */
  born: boolean;
  bdSeq: number;
  births: number;
  /** The primary host's last STATE: null until it is known. */
  hostOnline: boolean | null;
  target: VppTarget | null;
  /** Commands refused (expired, from the future, older, malformed, while opted out) since start. */
  refusedCommands: number;
  owner: OwnerStatus;
}

/**
 * The site's link to the fleet: a Sparkplug B edge node over MQTT 5. It registers its NDEATH (with the session's
 * bdSeq) as its will, publishes an NBIRTH with every metric on each connection and on request, then NDATA with its
 * state and flexibility envelope; it keeps a persistent session so QoS 1 commands wait for it through short outages
 * (MQTT 5 message expiry drops the stale ones, and the payload's own expiry is checked again here); it follows the
 * VPP target through VppTargetFollower and lets go of it when the aggregator's STATE says it is offline. The site's
 * safety never depends on any of this: without a valid target the local policy decides.
 */
export class SiteLink {
  readonly #follower: VppTargetFollower;
  readonly #seq = new SequenceCounter();
  #client: MqttClient | null = null;
  #bdSeq: number;
  #born = false;
  /** The broker refused our birth (wrong credentials for this site id): not retried every cycle. */
  #birthRefused = false;
  #births = 0;
  #snapshot: SiteSnapshot | null = null;
  #lastDataAtMs = -Infinity;
  #hostOnline: boolean | null = null;
  #hostTimestampMs = -Infinity;
  #refused = 0;
  #lastError = '';
  #bornWaiters: Array<() => void> = [];
  #owner: OwnerLimits;
  /** The grid range the owner's limits cut from the envelope last cycle; null when they cut nothing. */
  #ownerRange: { minW: number; maxW: number } | null = null;
  readonly #cycles: BatteryCycleCounter;
  #ownerStateAtMs = -Infinity;

  constructor(private readonly options: SiteLinkOptions) {
    this.#bdSeq = options.initialBdSeq ?? 0;
    this.#owner = options.owner ?? { mode: 'min', dailyBatteryCycles: null, minerMinW: 0 };
    this.#cycles = new BatteryCycleCounter(options.profile.capacity.batteryEnergyWh, options.keptBatteryCycles ?? null);
    this.#follower = new VppTargetFollower({
      maxValidityMs: (options.maxTargetValidityS ?? 300) * 1000,
      clockSkewMs: options.clockSkewMs ?? 2_000,
    });
  }

  /** Connects in the background (and keeps reconnecting); the controller runs on its local policy meanwhile. */
  start(): void {
    if (this.#client !== null) return;
    const { siteId } = this.options;
    const clientOptions: IClientOptions = {
      protocolVersion: 5,
      clientId: `gridcoop-site-${siteId}`,
      username: this.options.username,
      password: this.options.password,
      clean: false,
      properties: { sessionExpiryInterval: this.options.sessionExpiryS ?? 3_600 },
      keepalive: this.options.keepaliveS ?? 30,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 2_000,
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      // Nothing stale is sent after an outage: the new NBIRTH says it all.
      queueQoSZero: false,
      will: this.#will(),
      ...(this.options.tls === undefined ? {} : { ...this.options.tls, rejectUnauthorized: true }),
    };
    this.#keepBdSeq();
    const client = connect(this.options.brokerUrl, clientOptions);
    this.#client = client;
    client.on('connect', () => this.#onConnect());
    // Each new CONNECT is a new bdSeq (Sparkplug): the will registered with it, and the birth after it, carry it.
    client.on('reconnect', () => {
      this.#bdSeq = nextSequenceNumber(this.#bdSeq);
      this.#keepBdSeq();
      client.options.will = this.#will();
    });
    client.on('close', () => {
      if (this.#born) this.options.logger.warn({ siteId }, 'fleet link lost: following the local policy');
      this.#born = false;
    });
    client.on('error', (error) => {
      // A refused login or an unreachable broker repeats on every retry: log each new reason once.
      if (error.message === this.#lastError) return;
      this.#lastError = error.message;
      this.options.logger.warn({ siteId, err: error.message }, 'fleet link error (retrying)');
    });
    client.on('message', (topic, payload, packet) => this.#onMessage(topic, payload, packet));
  }

  /**
   * Publishes a death certificate itself (a clean DISCONNECT sends no will), then disconnects. The VPP target is
   * dropped: the site is on its local policy from the next cycle.
   */
  async stop(): Promise<void> {
    this.#keepOwnerState(this.options.now());
    const client = this.#client;
    this.#client = null;
    this.#follower.release();
    if (client === null) return;
    if (client.connected) {
      try {
        await client.publishAsync(nodeTopic('NDEATH', this.options.siteId), this.#deathPayload(), { qos: 1 });
      } catch (error) {
        this.options.logger.warn({ err: (error as Error).message }, 'fleet link: the death certificate was not sent');
      }
    }
    await client.endAsync();
    this.#born = false;
  }

  /** The control cycle's source of VPP targets (see OperatorSetpoints.followFleet). */
  targetAt(nowMs: number): OperatorTarget | null {
    if (this.#owner.mode === 'off') return null;
    const target = this.#follower.targetAt(nowMs);
    const range = this.#ownerRange;
    if (target === null || range === null) return target;
    // The owner's limits hold even against an aggregator that ignores the envelope: a target beyond what the owner
    // lends is followed only as far as the owner's range (as last published) reaches.
    return { ...target, gridW: Math.min(range.maxW, Math.max(range.minW, target.gridW)) };
  }

  /** The owner's mode and limits in force, and today's battery cycles. */
  owner(): OwnerStatus {
    const cycles = this.#cycles.cyclesOn(this.options.now());
    return { ...this.#owner, batteryCyclesToday: cycles, batteryBudgetUsed: batteryBudgetUsed(this.#owner, cycles) };
  }

  /**
   * Changes the owner's say at run time (the operator API). Opting out drops the VPP target at once; the envelope
   * follows from the next cycle's publication.
   */
  setOwner(change: Partial<OwnerLimits>): OwnerStatus {
    const before = this.#owner;
    this.#owner = { ...before, ...change };
    if (this.#owner.mode === 'off' && before.mode !== 'off') {
      const dropped = this.#follower.release();
      this.options.logger.info(
        { siteId: this.options.siteId, droppedTargetId: dropped?.targetId ?? null },
        'owner opted out of the fleet: following the local policy',
      );
    }
    this.options.logger.info({ siteId: this.options.siteId, before, owner: this.#owner }, 'owner limits changed');
    this.#keepOwnerState(this.options.now());
    return this.owner();
  }

  /** Hands the owner's say and the day's cycles to onOwnerState; a failure to keep them is logged, never thrown. */
  #keepOwnerState(nowMs: number): void {
    const keep = this.options.onOwnerState;
    if (!keep) return;
    this.#ownerStateAtMs = nowMs;
    try {
      keep({ owner: { ...this.#owner }, batteryCycles: this.#cycles.kept() });
    } catch (error) {
      this.options.logger.warn(
        { siteId: this.options.siteId, err: (error as Error).message },
        "fleet link: the owner's say could not be kept (a restart would go back to the last one kept)",
      );
    }
  }

  /** Each cycle: the latest state and envelope; publishes NDATA when due (and the birth if none is out yet). */
  observe(measured: SiteSnapshot): void {
    const nowMs = this.options.now();
    this.#cycles.observe(nowMs, measured.batteryPowerW ?? null);
    if (nowMs - this.#ownerStateAtMs >= OWNER_STATE_EVERY_MS) this.#keepOwnerState(nowMs);
    // What the fleet sees is what the owner lends it: the envelope narrowed by the owner's mode and limits.
    const snapshot: SiteSnapshot = {
      ...measured,
      envelope: applyOwnerLimits(measured.envelope, this.#owner, {
        batteryCyclesToday: this.#cycles.cyclesOn(nowMs),
        minersBaselineW: measured.minersBaselineW ?? 0,
      }),
    };
    this.#snapshot = snapshot;
    const lent = snapshot.envelope;
    const narrowed = lent.minGridW > measured.envelope.minGridW || lent.maxGridW < measured.envelope.maxGridW;
    this.#ownerRange = narrowed ? { minW: lent.minGridW, maxW: lent.maxGridW } : null;
    const lapsed = this.#follower.takeExpired(nowMs);
    if (lapsed !== null) {
      this.options.logger.info(
        { siteId: this.options.siteId, targetId: lapsed.targetId, gridTargetW: lapsed.gridTargetW },
        'VPP target expired without a refresh: back to the local policy',
      );
    }
    const client = this.#client;
    if (client === null || !client.connected) return;
    if (!this.#born) {
      if (!this.#birthRefused) this.#publishBirth();
      return;
    }
    if (nowMs - this.#lastDataAtMs < (this.options.publishEveryMs ?? 0)) return;
    this.#lastDataAtMs = nowMs;
    let payload: Uint8Array;
    try {
      payload = encodeSiteData({
        timestampMs: nowMs,
        seq: this.#seq.peek(),
        state: this.#state(snapshot, nowMs),
        envelope: snapshot.envelope,
      });
    } catch (error) {
      // A value the protocol refuses (NaN from a strange reading): this cycle is not published, the cycle goes on.
      this.options.logger.error(
        { siteId: this.options.siteId, err: (error as Error).message },
        'fleet link: data not published',
      );
      return;
    }
    this.#seq.next();
    // Sparkplug's NDATA is QoS 0: a lost one shows as a seq gap and the host asks for a rebirth.
    client.publish(nodeTopic('NDATA', this.options.siteId), Buffer.from(payload), { qos: 0 });
  }

  status(): SiteLinkStatus {
    return {
      connected: this.#client?.connected ?? false,
      born: this.#born,
      bdSeq: this.#bdSeq,
      births: this.#births,
      hostOnline: this.#hostOnline,
      target: this.#follower.current(this.options.now()),
      refusedCommands: this.#refused,
      owner: this.owner(),
    };
  }

  /** Resolves once an NBIRTH of the current connection has been accepted by the broker. */
  whenBorn(): Promise<void> {
    if (this.#born) return Promise.resolve();
    return new Promise((resolve) => this.#bornWaiters.push(resolve));
  }

  #onConnect(): void {
    const client = this.#client;
    if (client === null) return;
    const { siteId, hostId } = this.options;
    this.#lastError = '';
    this.#born = false;
    this.#birthRefused = false;
    client
      .subscribeAsync({ [nodeTopic('NCMD', siteId)]: { qos: 1 }, [hostStateTopic(hostId)]: { qos: 1 } })
      .catch((error: Error) =>
        this.options.logger.error({ siteId, err: error.message }, 'fleet link: subscribe failed'),
      );
    if (this.#snapshot !== null) this.#publishBirth();
  }

  #publishBirth(): void {
    const client = this.#client;
    const snapshot = this.#snapshot;
    if (client === null || snapshot === null) return;
    const nowMs = this.options.now();
    let payload: Uint8Array;
    try {
      payload = encodeSiteBirth({
        timestampMs: nowMs,
        bdSeq: this.#bdSeq,
        seq: 0,
        profile: this.options.profile,
        state: this.#state(snapshot, nowMs),
        envelope: snapshot.envelope,
      });
    } catch (error) {
      this.options.logger.error(
        { siteId: this.options.siteId, err: (error as Error).message },
        'fleet link: birth not published',
      );
      return;
    }
    this.#seq.birth();
    this.#born = true; // NDATA may follow at once: the broker keeps one client's messages in order
    this.#lastDataAtMs = nowMs;
    const bdSeq = this.#bdSeq;
    client
      .publishAsync(nodeTopic('NBIRTH', this.options.siteId), Buffer.from(payload), { qos: 1 })
      .then(() => {
        this.#births += 1;
        this.options.logger.info({ siteId: this.options.siteId, bdSeq }, 'fleet link: birth certificate published');
        for (const resolve of this.#bornWaiters.splice(0)) resolve();
      })
      .catch((error: Error & { code?: number }) => {
        this.#born = false;
        this.#birthRefused = true;
        // PUBACK 135: the broker's ACL refuses this site's own topic, i.e. the credentials belong to another site.
        this.options.logger.error(
          { siteId: this.options.siteId, reasonCode: error.code, err: error.message },
          'fleet link: the broker refused the birth certificate',
        );
      });
  }

  #onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const { siteId, logger } = this.options;
    try {
      if (topic === hostStateTopic(this.options.hostId)) {
        this.#onHostState(payload, topic);
        return;
      }
      if (topic !== nodeTopic('NCMD', siteId)) return;
      const command = decodeSiteCommand(payload, topic);
      if (command.rebirth) {
        logger.info({ siteId }, 'fleet link: rebirth requested');
        this.#publishBirth();
      }
      if (command.target === null) return;
      if (this.#owner.mode === 'off') {
        this.#refused += 1;
        logger.warn({ siteId, target: command.target }, 'VPP target refused: the owner has opted out');
        return;
      }
      const nowMs = this.options.now();
      const offer = this.#follower.offer(command.target, nowMs);
      const messageExpiryS = packet.properties?.messageExpiryInterval;
      if (offer.accepted) {
        logger.info(
          { siteId, target: offer.target, clampedExpiry: offer.clampedExpiry, messageExpiryS },
          'VPP target accepted',
        );
      } else {
        this.#refused += 1;
        logger.warn({ siteId, target: command.target, messageExpiryS, reason: offer.reason }, 'VPP target refused');
      }
    } catch (error) {
      this.#refused += 1;
      // Nothing a message holds may take the link (or the controller) down: log it and carry on.
      if (error instanceof FleetProtocolError) {
        logger.warn({ siteId, topic, err: error.message }, 'fleet link: malformed message dropped');
      } else {
        logger.error({ siteId, topic, err: (error as Error).message }, 'fleet link: a message could not be handled');
      }
    }
  }

  #onHostState(payload: Buffer, topic: string): void {
    const state = decodeHostState(payload, topic);
    // An older session's offline will arriving late must not undo a newer online (Sparkplug 3.0's timestamp rule).
    if (state.timestampMs < this.#hostTimestampMs) return;
    const wasOnline = this.#hostOnline;
    const newerSession = state.timestampMs > this.#hostTimestampMs;
    this.#hostTimestampMs = state.timestampMs;
    this.#hostOnline = state.online;
    const { siteId, hostId, logger } = this.options;
    if (!state.online) {
      const dropped = this.#follower.release();
      logger.warn(
        { siteId, hostId, droppedTargetId: dropped?.targetId ?? null },
        'the VPP aggregator is offline: following the local policy',
      );
    } else if (wasOnline === false || (wasOnline === true && newerSession)) {
      // A host that (re)starts has lost our birth: give it one without waiting to be asked.
      logger.info({ siteId, hostId }, 'the VPP aggregator is online again');
      if (this.#client?.connected === true) this.#publishBirth();
    }
  }

  #state(snapshot: SiteSnapshot, nowMs: number): SiteState {
    const target = this.#follower.current(nowMs);
    return {
      gridPowerW: snapshot.gridPowerW,
      socPct: snapshot.socPct,
      plantState: snapshot.plantState,
      control: target === null ? 'local' : 'vpp',
      followedTargetW: target?.gridTargetW ?? null,
      followedTargetId: target?.targetId ?? null,
    };
  }

  #keepBdSeq(): void {
    try {
      this.options.onBdSeq?.(this.#bdSeq);
    } catch (error) {
      // Not kept, the link still works: only a restart would reuse this bdSeq.
      this.options.logger.error(
        { siteId: this.options.siteId, bdSeq: this.#bdSeq, err: (error as Error).message },
        'fleet link: bdSeq not saved',
      );
    }
  }

  #deathPayload(): Buffer {
    return Buffer.from(encodeSiteDeath({ bdSeq: this.#bdSeq }, this.options.now()));
  }

  #will(): NonNullable<IClientOptions['will']> {
    return { topic: nodeTopic('NDEATH', this.options.siteId), payload: this.#deathPayload(), qos: 1, retain: false };
  }
}
