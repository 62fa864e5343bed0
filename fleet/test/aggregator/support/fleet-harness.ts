import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { ManualScheduler } from '@gridcoop/controller/cycle/manual-scheduler';
import { AggregatorService, type AggregatorOptions } from '../../../src/aggregator/aggregator-service.ts';
import type { FleetSnapshot } from '../../../src/aggregator/fleet-snapshot.ts';
import { startTestBroker, type TestBroker } from '../../support/test-broker.ts';
import { SimulatedSite, type SimulatedSiteSpec } from './simulated-site.ts';

/** Polls until `condition` holds; the limit is generous headroom for a loaded machine, never a measured time. */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface FleetHarness {
  broker: TestBroker;
  scheduler: ManualScheduler;
  aggregator: AggregatorService;
  sites: SimulatedSite[];
  logLines: string[];
  site(id: string): SimulatedSite;
  /**
   * One cycle on the simulated clock: the aggregator dispatches, every connected site gets its share, steps and
   * reports, and the aggregator has seen every report. Returns the aggregator's snapshot of this cycle.
   */
  cycle(): Promise<FleetSnapshot>;
  close(): Promise<void>;
}

export async function startFleet(
  specs: SimulatedSiteSpec[],
  options: Partial<AggregatorOptions> = {},
): Promise<FleetHarness> {
  const broker = await startTestBroker(specs.map((spec) => spec.siteId));
  const scheduler = new ManualScheduler(Date.UTC(2026, 11, 2, 17, 0, 0));
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger: Logger = pino({ level: 'info' }, sink);
  const credential = broker.credentials.aggregator;
  const aggregator = new AggregatorService({
    brokerUrl: broker.broker.url,
    username: credential.username,
    password: credential.password,
    hostId: broker.credentials.hostId,
    scheduler,
    logger,
    mqtt: { reconnectPeriod: 0 },
    ...options,
  });
  await aggregator.start({ tick: false });
  const sites = specs.map((spec) => new SimulatedSite(spec, broker, scheduler, broker.credentials.hostId));
  for (const site of sites) await site.connect();
  await waitUntil(
    () => sites.every((site) => aggregator.sites.get(site.siteId)?.status === 'online'),
    'every site born at the aggregator',
  );
  const harness: FleetHarness = {
    broker,
    scheduler,
    aggregator,
    sites,
    logLines,
    site: (id) => sites.find((site) => site.siteId === id)!,
    async cycle() {
      const snapshot = await aggregator.runOnce();
      const connected = sites.filter((site) => site.client !== null);
      await waitUntil(
        () =>
          connected.every((site) => {
            const sent = snapshot.sites.find((view) => view.siteId === site.siteId)?.target;
            return !sent || site.target?.targetId === sent.targetId;
          }),
        'every connected site to receive its share',
      );
      await scheduler.advance(aggregator.timing.cyclePeriodMs);
      for (const site of connected) await site.step();
      await waitUntil(
        () =>
          connected.every((site) => {
            const tracked = aggregator.sites.get(site.siteId);
            return tracked?.status !== 'online' || tracked.state?.gridPowerW === site.gridPowerW;
          }),
        'the aggregator to see every report',
      );
      return snapshot;
    },
    async close() {
      for (const site of sites) await site.close().catch(() => undefined);
      await aggregator.stop().catch(() => undefined);
      await broker.close();
    },
  };
  return harness;
}
