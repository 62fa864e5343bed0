import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import {
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
  type SiteBirth,
  type SiteData,
  type SiteDeath,
  type VppTarget,
} from '@gridcoop/fleet-protocol';

export type HostEvent =
  | { type: 'NBIRTH'; siteId: string; birth: SiteBirth }
  | { type: 'NDATA'; siteId: string; data: SiteData }
  | { type: 'NDEATH'; siteId: string; death: SiteDeath };

/**
 * A minimal primary host for tests (the real aggregator is fleet/src/aggregator): it reads every site's births, data
 * and deaths through the protocol's decoders, publishes its STATE, and sends targets and rebirth requests.
 */
export class TestHost {
  readonly events: HostEvent[] = [];
  readonly errors: string[] = [];

  private constructor(
    readonly client: MqttClient,
    readonly hostId: string,
  ) {
    client.on('message', (topic, payload) => {
      try {
        const parsed = parseFleetTopic(topic);
        if (parsed.kind !== 'node') return;
        if (parsed.type === 'NBIRTH') {
          this.events.push({ type: 'NBIRTH', siteId: parsed.siteId, birth: decodeSiteBirth(payload, topic) });
        } else if (parsed.type === 'NDATA') {
          this.events.push({ type: 'NDATA', siteId: parsed.siteId, data: decodeSiteData(payload, topic) });
        } else if (parsed.type === 'NDEATH') {
          this.events.push({ type: 'NDEATH', siteId: parsed.siteId, death: decodeSiteDeath(payload, topic) });
        }
      } catch (error) {
        this.errors.push((error as Error).message);
      }
    });
  }

  /** Connects as the aggregator; with `online`, publishes STATE online (retained) and registers offline as its will. */
  static async connect(
    url: string,
    credential: { username: string; password: string },
    options: { hostId?: string; online?: boolean; timestampMs?: number; clientOptions?: IClientOptions } = {},
  ): Promise<TestHost> {
    const hostId = options.hostId ?? 'aggregator';
    const timestampMs = options.timestampMs ?? Date.now();
    const client = await connectAsync(url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      clientId: `test-host-${Math.random().toString(36).slice(2, 8)}`,
      ...credential,
      ...(options.online === true
        ? {
            will: {
              topic: hostStateTopic(hostId),
              payload: encodeHostState({ online: false, timestampMs }),
              qos: 1,
              retain: true,
            },
          }
        : {}),
      ...options.clientOptions,
    });
    const host = new TestHost(client, hostId);
    await client.subscribeAsync(allSitesTopicFilter(), { qos: 1 });
    if (options.online === true) {
      await client.publishAsync(hostStateTopic(hostId), encodeHostState({ online: true, timestampMs }), {
        qos: 1,
        retain: true,
      });
    }
    return host;
  }

  async sendTarget(siteId: string, target: VppTarget, nowMs: number, messageExpiryS?: number): Promise<void> {
    const payload = encodeSiteCommand({ timestampMs: nowMs, target, rebirth: false });
    await this.client.publishAsync(nodeTopic('NCMD', siteId), Buffer.from(payload), {
      qos: 1,
      properties: { messageExpiryInterval: messageExpiryS ?? targetMessageExpiryS(target, nowMs) },
    });
  }

  async requestRebirth(siteId: string, nowMs: number): Promise<void> {
    const payload = encodeSiteCommand({ timestampMs: nowMs, target: null, rebirth: true });
    await this.client.publishAsync(nodeTopic('NCMD', siteId), Buffer.from(payload), { qos: 1 });
  }

  /** Waits for an event matching `match` after the first `fromIndex` events; returns it. */
  async next<T extends HostEvent['type']>(
    type: T,
    match: (event: Extract<HostEvent, { type: T }>) => boolean = () => true,
    options: { fromIndex?: number; timeoutMs?: number } = {},
  ): Promise<Extract<HostEvent, { type: T }>> {
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    for (;;) {
      const found = this.events
        .slice(options.fromIndex ?? 0)
        .find((event): event is Extract<HostEvent, { type: T }> => event.type === type && match(event as never));
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        throw new Error(`no ${type} within the timeout; saw ${this.events.map((e) => e.type).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
