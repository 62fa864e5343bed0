import { connect, type MqttClient } from 'mqtt';
import type { Scheduler } from '@gridcoop/controller/cycle/scheduler';
import {
  SequenceCounter,
  decodeHostState,
  decodeSiteCommand,
  encodeSiteBirth,
  encodeSiteData,
  encodeSiteDeath,
  hostStateTopic,
  nodeTopic,
  targetStatusAt,
  type FlexibilityEnvelope,
  type SiteProfile,
  type SiteState,
  type VppTarget,
} from '@gridcoop/fleet-protocol';
import type { TestBroker } from '../../support/test-broker.ts';

export interface SimulatedSiteSpec {
  siteId: string;
  zone: string;
  /** Grid power under local policy. */
  baselineW: number;
  minW: number;
  maxW: number;
  /** The envelope the site claims (defaults to the true one): a dishonest site claims more. */
  claimedMinW?: number;
  claimedMaxW?: number;
  /** The site cannot go below this whatever it claims (a site that misses its share). */
  actualMinW?: number;
}

/**
 * A site as the aggregator sees it over MQTT, without a plant: it publishes its birth (with its death as will), its
 * state and envelope on every step, follows a valid VPP target instantly within its envelope, and falls back to its
 * baseline when the target expires. Time is the test's scheduler.
 */
export class SimulatedSite {
  client: MqttClient | null = null;
  target: VppTarget | null = null;
  gridPowerW: number;
  rebirthRequests = 0;
  hostOnline: boolean | null = null;
  readonly #seq = new SequenceCounter();
  #bdSeq = 0;

  constructor(
    readonly spec: SimulatedSiteSpec,
    private readonly broker: TestBroker,
    private readonly scheduler: Scheduler,
    private readonly hostId = 'aggregator',
  ) {
    this.gridPowerW = spec.baselineW;
  }

  get siteId(): string {
    return this.spec.siteId;
  }

  get control(): 'local' | 'vpp' {
    return this.target && targetStatusAt(this.target, this.scheduler.now()).kind === 'valid' ? 'vpp' : 'local';
  }

  async connect(): Promise<void> {
    this.#bdSeq = (this.#bdSeq + 1) % 256;
    const credential = this.broker.credentials.sites[this.siteId]!;
    // connect() rather than connectAsync(): the handler must be in place before the CONNACK, because a resumed
    // session's queued commands can arrive in the same read as the CONNACK
    const client = connect(this.broker.broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      clientId: `site-${this.siteId}`,
      username: credential.username,
      password: credential.password,
      clean: false,
      properties: { sessionExpiryInterval: 300 },
      will: {
        topic: nodeTopic('NDEATH', this.siteId),
        payload: Buffer.from(encodeSiteDeath({ bdSeq: this.#bdSeq }, this.scheduler.now())),
        qos: 1,
        retain: false,
      },
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic === hostStateTopic(this.hostId)) {
        this.hostOnline = decodeHostState(payload).online;
        return;
      }
      const command = decodeSiteCommand(payload, topic);
      if (command.target) this.target = command.target;
      if (command.rebirth) {
        this.rebirthRequests += 1;
        void this.birth();
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync([nodeTopic('NCMD', this.siteId), hostStateTopic(this.hostId)], { qos: 1 });
    await this.birth();
  }

  async birth(): Promise<void> {
    const payload = encodeSiteBirth({
      timestampMs: this.scheduler.now(),
      bdSeq: this.#bdSeq,
      seq: this.#seq.birth(),
      profile: this.profile(),
      state: this.state(),
      envelope: this.envelope(),
    });
    await this.client!.publishAsync(nodeTopic('NBIRTH', this.siteId), Buffer.from(payload), { qos: 1 });
  }

  /** Follows the target (or the local policy) and reports. */
  async step(): Promise<void> {
    this.apply();
    if (!this.client) return;
    const payload = encodeSiteData({
      timestampMs: this.scheduler.now(),
      seq: this.#seq.next(),
      state: this.state(),
      envelope: this.envelope(),
    });
    await this.client.publishAsync(nodeTopic('NDATA', this.siteId), Buffer.from(payload), { qos: 1 });
  }

  /** What the site does this instant, connected or not: a valid target within its reach, else its baseline. */
  apply(): void {
    const { spec } = this;
    if (this.control === 'vpp') {
      const lowest = Math.max(spec.minW, spec.actualMinW ?? -Infinity);
      this.gridPowerW = Math.min(spec.maxW, Math.max(lowest, this.target!.gridTargetW));
    } else this.gridPowerW = spec.baselineW;
  }

  /** Loses one message on the way (its seq is used but nothing is published): the host sees a gap. */
  dropOneMessage(): void {
    this.#seq.next();
  }

  /** Dies without a DISCONNECT, as a killed process would: the broker publishes its will (NDEATH). */
  kill(): void {
    const client = this.client;
    this.client = null;
    client?.stream.destroy();
    client?.end(true);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.endAsync();
  }

  /** Declared capacity that matches the true envelope: a battery for the lowering, PV curtailment for the rest. */
  profile(): SiteProfile {
    const { spec } = this;
    const batteryPowerW = spec.baselineW - spec.minW;
    return {
      zone: spec.zone,
      importLimitW: 50_000,
      exportLimitW: 50_000,
      capacity: {
        batteryEnergyWh: 2 * batteryPowerW,
        batteryPowerW,
        pvPeakW: Math.max(0, spec.maxW - spec.baselineW - batteryPowerW),
        minerPowerW: 0,
      },
    };
  }

  state(): SiteState {
    const vpp = this.control === 'vpp';
    return {
      gridPowerW: this.gridPowerW,
      socPct: 50,
      plantState: 'running',
      control: vpp ? 'vpp' : 'local',
      followedTargetW: vpp ? this.target!.gridTargetW : null,
      followedTargetId: vpp ? this.target!.targetId : null,
    };
  }

  envelope(): FlexibilityEnvelope {
    const { spec } = this;
    const minGridW = spec.claimedMinW ?? spec.minW;
    const maxGridW = spec.claimedMaxW ?? spec.maxW;
    const none = { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null };
    return {
      baselineW: spec.baselineW,
      minGridW,
      maxGridW,
      raiseForS: 3_600,
      lowerForS: 3_600,
      sources: {
        battery: {
          raiseW: maxGridW - spec.baselineW,
          lowerW: spec.baselineW - minGridW,
          raiseForS: 3_600,
          lowerForS: 3_600,
        },
        miners: none,
        pvCurtailment: none,
      },
      battery: null,
      forecast: [],
    };
  }
}
