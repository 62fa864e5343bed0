import { randomUUID } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Scheduler, TimerHandle } from '@gridcoop/controller/cycle/scheduler';
import {
  FleetProtocolError,
  allSitesTopicFilter,
  decodeSiteBirth,
  decodeSiteData,
  decodeSiteDeath,
  encodeHostState,
  encodeSiteCommand,
  hostStateTopic,
  nodeTopic,
  parseFleetTopic,
  targetMessageExpiryS,
  type VppTarget,
} from '@gridcoop/fleet-protocol';
import { FleetDispatcher, type DispatchResult, type SiteFlexibility, type ZoneLimit } from './dispatch/index.ts';
import { AggregatorMetrics } from './aggregator-metrics.ts';
import { FleetSites, type SiteEvent } from './fleet-sites.ts';
import type { FleetSnapshot, SiteView, ZoneView } from './fleet-snapshot.ts';
import { MissedShareWatch, type MissedShareOptions } from './missed-share-watch.ts';
import type { RegisteredConnection } from './site-bounds.ts';
import { VppTargetBook } from './vpp-target-book.ts';

export interface AggregatorTiming {
  /** One dispatch per cycle. Default 1 s. */
  cyclePeriodMs: number;
  /** How long a site's target is valid (issue time + this = its expiry and the MQTT message expiry). Default 10 s. */
  targetTtlMs: number;
  /** A share is sent again when it moves by more than this, or when half its validity has passed. Default 50 W. */
  resendDeadbandW: number;
  /** A site that sent nothing for this long is silent and not dispatched. Default 10 s. */
  staleAfterMs: number;
  /** At most one rebirth request per site in this long. Default 5 s. */
  rebirthIntervalMs: number;
}

export const defaultAggregatorTiming: AggregatorTiming = {
  cyclePeriodMs: 1_000,
  targetTtlMs: 10_000,
  resendDeadbandW: 50,
  staleAfterMs: 10_000,
  rebirthIntervalMs: 5_000,
};

export const defaultMissedShare: MissedShareOptions = {
  toleranceW: 200,
  tolerancePct: 5,
  graceMs: 10_000,
  cycles: 3,
  holdMs: 60_000,
};

export interface AggregatorOptions {
  brokerUrl: string;
  username: string;
  password: string;
  /** The Sparkplug primary host id (its STATE topic); must match the broker's ACL. */
  hostId: string;
  groupId?: string;
  scheduler: Scheduler;
  logger: Logger;
  timing?: Partial<AggregatorTiming>;
  missedShare?: Partial<MissedShareOptions>;
  zoneLimits?: ZoneLimit[];
  /** Connection caps the aggregator trusts over the sites' own births (e.g. from the registry). */
  registered?: Record<string, RegisteredConnection>;
  /** TLS and other connection options for mqtt.js (ca, rejectUnauthorized, ...). */
  mqtt?: Partial<IClientOptions>;
}

/**
 * The VPP aggregator: the fleet's Sparkplug primary host. It tracks every site from its births, data and deaths (a
 * seq gap gets a rebirth request), splits the grid operator's target for the whole fleet across the online sites
 * each cycle with the dispatch LP, and sends each site its share with an issue time and an expiry (also the MQTT 5
 * message expiry), so a share that is not refreshed lapses and the site returns to its local policy. It records
 * nothing on chain.
 */
export class AggregatorService {
  readonly targets = new VppTargetBook();
  readonly metrics = new AggregatorMetrics();
  readonly sites: FleetSites;
  readonly #timing: AggregatorTiming;
  readonly #missed: MissedShareWatch;
  readonly #log: Logger;
  readonly #listeners = new Set<(snapshot: FleetSnapshot) => void>();
  #client: MqttClient | null = null;
  #dispatcher: FleetDispatcher | null = null;
  #timer: TimerHandle | null = null;
  #running: Promise<FleetSnapshot> | null = null;
  #queued: Promise<FleetSnapshot> | null = null;
  #stopped = false;
  #cycle = 0;
  #lastDispatch: DispatchResult | null = null;
  #snapshot: FleetSnapshot;
  #birthTimestampMs = 0;

  constructor(private readonly options: AggregatorOptions) {
    this.#timing = { ...defaultAggregatorTiming, ...options.timing };
    this.#missed = new MissedShareWatch({ ...defaultMissedShare, ...options.missedShare });
    this.#log = options.logger.child({ component: 'aggregator' });
    this.sites = new FleetSites({
      staleAfterMs: this.#timing.staleAfterMs,
      rebirthIntervalMs: this.#timing.rebirthIntervalMs,
      ...(options.registered ? { registered: options.registered } : {}),
    });
    this.#snapshot = this.#buildSnapshot(null, null);
  }

  get scheduler(): Scheduler {
    return this.options.scheduler;
  }

  get timing(): AggregatorTiming {
    return this.#timing;
  }

  get zoneLimits(): ZoneLimit[] {
    return this.options.zoneLimits ?? [];
  }

  /** Connects as the primary host (STATE online, retained, with an offline will) and subscribes to every site. */
  async start(options: { tick?: boolean } = {}): Promise<void> {
    this.#dispatcher = await FleetDispatcher.create();
    this.#birthTimestampMs = this.scheduler.now();
    const stateTopic = hostStateTopic(this.options.hostId);
    const client = await connectAsync(this.options.brokerUrl, {
      protocolVersion: 5,
      clientId: `${this.options.hostId}-${randomUUID().slice(0, 8)}`,
      username: this.options.username,
      password: this.options.password,
      clean: true,
      reconnectPeriod: 2_000,
      connectTimeout: 10_000,
      will: {
        topic: stateTopic,
        payload: encodeHostState({ online: false, timestampMs: this.#birthTimestampMs }),
        qos: 1,
        retain: true,
      },
      ...this.options.mqtt,
    });
    this.#client = client;
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    client.on('error', (error) => this.#log.warn({ err: error }, 'MQTT error'));
    client.on('connect', () => {
      // a reconnect: Sparkplug's host announces itself again, and the broker's retained STATE says so to new sites
      void this.#announce().catch((error: unknown) => this.#log.warn({ err: error }, 'STATE announce failed'));
    });
    await this.#announce();
    this.#log.info(
      { broker: this.options.brokerUrl, hostId: this.options.hostId },
      'aggregator online as primary host',
    );
    if (options.tick !== false) this.#schedule();
  }

  async #announce(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    // Births and deaths at QoS 1; data at QoS 0, as Sparkplug has it: QoS 1 deliveries count against the broker's
    // in-flight window (Mosquitto: 20) and queue (1,000) for this one client, and a burst of 500 sites' data while a
    // dispatch holds the event loop overflowed that queue, dropped messages and set off rebirth storms. Over one TCP
    // connection QoS 0 loses nothing while the connection lives; a real loss still shows as a seq gap.
    const [births, data, deaths] = allSitesTopicFilter(this.options.groupId);
    await client.subscribeAsync({ [births!]: { qos: 1 }, [data!]: { qos: 0 }, [deaths!]: { qos: 1 } });
    await client.publishAsync(
      hostStateTopic(this.options.hostId),
      encodeHostState({ online: true, timestampMs: this.#birthTimestampMs }),
      { qos: 1, retain: true },
    );
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.scheduler.setTimeout(() => {
      // a tick that finds a cycle running is skipped (and counted): the next tick comes soon enough
      if (this.#running) {
        this.metrics.skippedCycles.inc();
        this.#schedule();
      } else void this.runOnce().finally(() => this.#schedule());
    }, this.#timing.cyclePeriodMs);
  }

  onSnapshot(listener: (snapshot: FleetSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): FleetSnapshot {
    return this.#snapshot;
  }

  /** The last cycle's dispatch (shares with their envelopes and zone sums); null when there was no target. */
  get lastDispatch(): DispatchResult | null {
    return this.#lastDispatch;
  }

  /**
   * One cycle: silent sites dropped, due rebirths asked, the target split over the online sites, and each share that
   * changed (or is half-way to expiry) sent. Called while a cycle runs (a new target from the API), it runs once more
   * right after that cycle, so a change never waits for the next tick; calls meanwhile share that one extra cycle.
   */
  runOnce(): Promise<FleetSnapshot> {
    if (this.#running) {
      this.#queued ??= this.#running.then(
        () => this.#startCycle(),
        () => this.#startCycle(),
      );
      return this.#queued;
    }
    return this.#startCycle();
  }

  #startCycle(): Promise<FleetSnapshot> {
    this.#queued = null;
    const cycle = this.#cycleOnce().finally(() => {
      if (this.#running === cycle) this.#running = null;
    });
    this.#running = cycle;
    return cycle;
  }

  async #cycleOnce(): Promise<FleetSnapshot> {
    const stopTimer = this.metrics.cycleDuration.startTimer();
    try {
      const nowMs = this.scheduler.now();
      this.#cycle += 1;
      for (const siteId of this.sites.expire(nowMs)) this.#log.warn({ siteId }, 'site silent: not dispatched');
      for (const siteId of this.sites.rebirthsDue(nowMs)) this.#sendRebirth(siteId);
      for (const site of this.sites.online()) {
        if (this.#missed.observe(site.siteId, site.state?.gridPowerW ?? null, nowMs, this.#timing.targetTtlMs)) {
          this.metrics.missedShares.inc();
          this.#log.warn(
            { siteId: site.siteId, deliveredW: site.state?.gridPowerW ?? null },
            'site is not delivering its share: held at what it delivers, the others re-dispatched',
          );
        }
      }
      const target = this.targets.at(nowMs);
      let dispatch: DispatchResult | null = null;
      if (target && this.#dispatcher) {
        const flexibilities = this.#flexibilities(nowMs);
        const endDispatch = this.metrics.dispatchDuration.startTimer();
        dispatch = await this.#dispatcher.dispatch({
          targetW: target.targetW,
          sites: flexibilities,
          zoneLimits: this.zoneLimits,
          toleranceW: Math.max(1, flexibilities.length * 0.5),
        });
        endDispatch();
        if (dispatch.status !== 'met' && dispatch.status !== this.#lastDispatch?.status)
          this.#log.warn({ status: dispatch.status, notes: dispatch.notes }, 'VPP target not met by the dispatch');
        this.#send(dispatch, nowMs);
      }
      this.#lastDispatch = dispatch;
      this.#snapshot = this.#buildSnapshot(target ? this.targets.at(nowMs) : null, dispatch);
      this.metrics.update(this.#snapshot);
      for (const listener of this.#listeners) listener(this.#snapshot);
      return this.#snapshot;
    } finally {
      stopTimer();
    }
  }

  #flexibilities(nowMs: number): SiteFlexibility[] {
    return this.sites.online().map((site) => {
      const bounded = site.bounded!;
      const held = this.#missed.held(site.siteId, nowMs);
      if (held !== null) {
        const atW = Math.min(bounded.maxW, Math.max(bounded.minW, held));
        return { siteId: site.siteId, zone: site.zone, baselineW: atW, minW: atW, maxW: atW };
      }
      return {
        siteId: site.siteId,
        zone: site.zone,
        baselineW: bounded.baselineW,
        minW: bounded.minW,
        maxW: bounded.maxW,
      };
    });
  }

  #send(dispatch: DispatchResult, nowMs: number): void {
    const client = this.#client;
    if (!client) return;
    for (const share of dispatch.shares) {
      const last = this.#missed.lastSent(share.siteId);
      const fresh =
        last !== undefined &&
        Math.abs(last.targetW - share.targetW) <= this.#timing.resendDeadbandW &&
        nowMs - last.sentAtMs < this.#timing.targetTtlMs / 2;
      if (fresh) continue;
      const target: VppTarget = {
        targetId: randomUUID(),
        gridTargetW: Math.round(share.targetW),
        issuedAtMs: nowMs,
        expiresAtMs: nowMs + this.#timing.targetTtlMs,
      };
      const payload = encodeSiteCommand({ timestampMs: nowMs, target, rebirth: false });
      client.publish(
        nodeTopic('NCMD', share.siteId, this.options.groupId),
        Buffer.from(payload),
        { qos: 1, properties: { messageExpiryInterval: targetMessageExpiryS(target, nowMs) } },
        (error) => {
          if (error) this.#log.warn({ err: error, siteId: share.siteId }, 'target not sent');
        },
      );
      this.#missed.sent(share.siteId, target.targetId, target.gridTargetW, nowMs);
      this.metrics.commands.inc({ kind: 'target' });
    }
  }

  #sendRebirth(siteId: string): void {
    const client = this.#client;
    if (!client) return;
    const nowMs = this.scheduler.now();
    client.publish(
      nodeTopic('NCMD', siteId, this.options.groupId),
      Buffer.from(encodeSiteCommand({ timestampMs: nowMs, target: null, rebirth: true })),
      { qos: 1, properties: { messageExpiryInterval: Math.ceil(this.#timing.rebirthIntervalMs / 1000) } },
      (error) => {
        if (error) this.#log.warn({ err: error, siteId }, 'rebirth request not sent');
      },
    );
    this.metrics.commands.inc({ kind: 'rebirth' });
  }

  #onMessage(topic: string, payload: Buffer): void {
    const nowMs = this.scheduler.now();
    try {
      const parsed = parseFleetTopic(topic);
      if (parsed.kind !== 'node') return;
      this.metrics.messages.inc({ type: parsed.type });
      let event: SiteEvent;
      if (parsed.type === 'NBIRTH') event = this.sites.birth(parsed.siteId, decodeSiteBirth(payload, topic), nowMs);
      else if (parsed.type === 'NDATA') event = this.sites.data(parsed.siteId, decodeSiteData(payload, topic), nowMs);
      else if (parsed.type === 'NDEATH') {
        event = this.sites.death(parsed.siteId, decodeSiteDeath(payload, topic), nowMs);
        if (event.fleetChanged) this.#missed.forget(parsed.siteId);
      } else return;
      for (const line of event.log) this.#log.warn({ siteId: parsed.siteId }, line);
      if (event.rebirth) this.#sendRebirth(parsed.siteId);
    } catch (error) {
      this.metrics.badMessages.inc();
      if (error instanceof FleetProtocolError)
        this.#log.warn({ topic, problem: error.message }, 'bad fleet message dropped');
      else this.#log.error({ err: error, topic }, 'fleet message failed');
    }
  }

  #buildSnapshot(target: FleetSnapshot['target'], dispatch: DispatchResult | null): FleetSnapshot {
    const nowMs = this.scheduler.now();
    const shareOf = new Map(dispatch?.shares.map((share) => [share.siteId, share.targetW]) ?? []);
    const sites: SiteView[] = this.sites.all().map((site) => {
      const sent = this.#missed.lastSent(site.siteId);
      return {
        siteId: site.siteId,
        zone: site.zone,
        status: site.status,
        heldAtW: this.#missed.held(site.siteId, nowMs),
        lastSeenMs: site.lastSeenMs,
        plantState: site.state?.plantState ?? null,
        control: site.state?.control ?? null,
        socPct: site.state?.socPct ?? null,
        deliveredW: site.state?.gridPowerW ?? null,
        envelope:
          site.bounded && site.envelope
            ? {
                baselineW: site.bounded.baselineW,
                minW: site.bounded.minW,
                maxW: site.bounded.maxW,
                raiseForS: site.envelope.raiseForS,
                lowerForS: site.envelope.lowerForS,
              }
            : null,
        boundedBy: site.bounded?.cuts ?? [],
        target: sent && site.status === 'online' && nowMs - sent.sentAtMs < this.#timing.targetTtlMs ? sent : null,
      };
    });
    const zoneNames = [...new Set([...sites.map((s) => s.zone), ...this.zoneLimits.map((l) => l.zone)])].sort();
    const zones: ZoneView[] = zoneNames.map((zone) => {
      const inZone = sites.filter((site) => site.zone === zone);
      const online = inZone.filter((site) => site.status === 'online');
      const limit = this.zoneLimits.find((l) => l.zone === zone);
      return {
        zone,
        sites: inZone.length,
        online: online.length,
        deliveredW: online.reduce((sum, site) => sum + (site.deliveredW ?? 0), 0),
        targetW: dispatch ? online.reduce((sum, site) => sum + (shareOf.get(site.siteId) ?? 0), 0) : null,
        importLimitW: limit?.importLimitW ?? null,
        exportLimitW: limit?.exportLimitW ?? null,
      };
    });
    return {
      cycle: this.#cycle,
      atMs: nowMs,
      target,
      dispatch: dispatch
        ? {
            status: dispatch.status,
            dispatchedW: dispatch.dispatchedW,
            shortfallW: dispatch.shortfallW,
            notes: dispatch.notes,
          }
        : null,
      deliveredW: sites
        .filter((site) => site.status === 'online')
        .reduce((sum, site) => sum + (site.deliveredW ?? 0), 0),
      sites,
      zones,
    };
  }

  /** Clean stop: STATE offline (retained), then disconnect. Sites' targets lapse on their own. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) this.scheduler.clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    try {
      if (client.connected)
        await client.publishAsync(
          hostStateTopic(this.options.hostId),
          encodeHostState({ online: false, timestampMs: this.#birthTimestampMs }),
          { qos: 1, retain: true },
        );
    } finally {
      await client.endAsync();
    }
  }

  /** Drops the connection without a DISCONNECT, as a crash would: the broker publishes the STATE will. For tests. */
  crash(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.scheduler.clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = null;
    client?.stream.destroy();
    client?.end(true);
  }
}
