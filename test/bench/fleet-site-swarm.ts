// A swarm of simulated sites for the fleet-dispatch benchmark, in its own process (so the aggregator's CPU is its
// own): each site is one MQTT 5 connection with its own credentials, publishes its birth (with its death as will)
// and then its state and envelope every `dataPeriodMs`, and follows its VPP target at once. Every share received is
// reported to the parent over IPC as [siteIndex, targetW, receivedAtMs]; the parent and the swarm share the wall
// clock of one machine.
//   node --import tsx test/bench/fleet-site-swarm.ts <json: { url, credentialsFile, siteIds, dataPeriodMs }>
import { readFileSync } from 'node:fs';
import { connect, type MqttClient } from 'mqtt';
import {
  SequenceCounter,
  decodeSiteCommand,
  encodeSiteBirth,
  encodeSiteData,
  encodeSiteDeath,
  nodeTopic,
  type FlexibilityEnvelope,
  type SiteState,
} from '@gridcoop/fleet-protocol';

interface SwarmConfig {
  url: string;
  credentialsFile: string;
  siteIds: string[];
  dataPeriodMs: number;
}

const config = JSON.parse(process.argv[2]!) as SwarmConfig;
const credentials = JSON.parse(readFileSync(config.credentialsFile, 'utf8')) as {
  sites: Record<string, { username: string; password: string }>;
};
const none = { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null };
let published = 0;
let received = 0;
let pending: [number, number, number][] = [];

class SwarmSite {
  readonly seq = new SequenceCounter();
  gridPowerW: number;
  targetW: number | null = null;
  client!: MqttClient;
  constructor(
    readonly index: number,
    readonly siteId: string,
    readonly baselineW: number,
    readonly roomW: number,
  ) {
    this.gridPowerW = baselineW;
  }

  envelope(): FlexibilityEnvelope {
    return {
      baselineW: this.baselineW,
      minGridW: this.baselineW - this.roomW,
      maxGridW: this.baselineW + this.roomW,
      raiseForS: 3_600,
      lowerForS: 3_600,
      sources: {
        battery: { raiseW: this.roomW, lowerW: this.roomW, raiseForS: 3_600, lowerForS: 3_600 },
        miners: none,
        pvCurtailment: none,
      },
      battery: null,
      forecast: [],
    };
  }

  state(): SiteState {
    return {
      gridPowerW: this.gridPowerW,
      socPct: 50,
      plantState: 'running',
      control: this.targetW === null ? 'local' : 'vpp',
      followedTargetW: this.targetW,
      followedTargetId: null,
    };
  }

  async start(): Promise<void> {
    const credential = credentials.sites[this.siteId]!;
    this.client = connect(config.url, {
      protocolVersion: 5,
      clientId: `swarm-${this.siteId}`,
      username: credential.username,
      password: credential.password,
      reconnectPeriod: 1_000,
      connectTimeout: 30_000,
      clean: true,
      will: {
        topic: nodeTopic('NDEATH', this.siteId),
        payload: Buffer.from(encodeSiteDeath({ bdSeq: 0 }, Date.now())),
        qos: 1,
        retain: false,
      },
    });
    this.client.on('message', (topic, payload) => {
      received += 1;
      const command = decodeSiteCommand(payload, topic);
      if (command.rebirth) void this.birth();
      if (command.target) {
        this.targetW = command.target.gridTargetW;
        this.gridPowerW = this.targetW;
        pending.push([this.index, command.target.gridTargetW, Date.now()]);
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.client.once('connect', () => resolve());
      this.client.once('error', reject);
    });
    await this.client.subscribeAsync(nodeTopic('NCMD', this.siteId), { qos: 1 });
    await this.birth();
  }

  async birth(): Promise<void> {
    const payload = encodeSiteBirth({
      timestampMs: Date.now(),
      bdSeq: 0,
      seq: this.seq.birth(),
      profile: {
        zone: `zone-${this.index % 10}`,
        importLimitW: 50_000,
        exportLimitW: 50_000,
        capacity: { batteryEnergyWh: 2 * this.roomW, batteryPowerW: this.roomW, pvPeakW: 0, minerPowerW: 0 },
      },
      state: this.state(),
      envelope: this.envelope(),
    });
    published += 1;
    await this.client.publishAsync(nodeTopic('NBIRTH', this.siteId), Buffer.from(payload), { qos: 1 });
  }

  report(): void {
    if (!this.client.connected) return;
    published += 1;
    const payload = encodeSiteData({
      timestampMs: Date.now(),
      seq: this.seq.next(),
      state: this.state(),
      envelope: this.envelope(),
    });
    this.client.publish(nodeTopic('NDATA', this.siteId), Buffer.from(payload), { qos: 1 });
  }
}

const sites = config.siteIds.map(
  (siteId, index) => new SwarmSite(index, siteId, 500 + (index % 7) * 200, 2_000 + (index % 5) * 1_000),
);
for (let i = 0; i < sites.length; i += 50) await Promise.all(sites.slice(i, i + 50).map((site) => site.start()));
process.send!({ kind: 'ready' });
// each site reports once per period, spread over the period as real sites would be
sites.forEach((site, index) => {
  setTimeout(() => setInterval(() => site.report(), config.dataPeriodMs), (index * config.dataPeriodMs) / sites.length);
});
setInterval(() => {
  if (pending.length > 0) process.send!({ kind: 'shares', shares: pending });
  pending = [];
}, 50);
process.on('message', (message: { kind: string }) => {
  if (message.kind === 'counts') process.send!({ kind: 'counts', published, received, cpu: process.cpuUsage() });
  if (message.kind === 'stop') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
