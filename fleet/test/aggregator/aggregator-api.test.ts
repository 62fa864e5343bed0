import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { ManualScheduler } from '@gridcoop/controller/cycle/manual-scheduler';
import { startAggregator, type RunningAggregator } from '../../src/aggregator/start-aggregator.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { SimulatedSite } from './support/simulated-site.ts';
import { waitUntil } from './support/fleet-harness.ts';

const TOKEN = 'grid-operator-test-token';

describe("the aggregator's API: fleet reads, the grid operator's writes behind a token, stream, metrics, advisor", () => {
  let broker: TestBroker;
  let running: RunningAggregator;
  let site: SimulatedSite;
  const scheduler = new ManualScheduler(Date.UTC(2026, 11, 2, 17, 0, 0));
  const url = (path: string) => `${running.api.url}${path}`;
  const put = (path: string, body: unknown, token: string | null = TOKEN) =>
    fetch(url(path), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  before(async () => {
    broker = await startTestBroker(['home-1']);
    running = await startAggregator({
      brokerUrl: broker.broker.url,
      username: broker.credentials.aggregator.username,
      password: broker.credentials.aggregator.password,
      hostId: broker.credentials.hostId,
      api: { host: '127.0.0.1', port: 0, token: TOKEN, corsOrigins: [] },
      defaultTargetValidForS: 300,
      zoneLimits: [{ zone: 'north', importLimitW: 20_000 }],
      logger: pino({ level: 'silent' }),
      scheduler,
    });
    site = new SimulatedSite(
      { siteId: 'home-1', zone: 'north', baselineW: 1_000, minW: -4_000, maxW: 6_000 },
      broker,
      scheduler,
      broker.credentials.hostId,
    );
    await site.connect();
    await waitUntil(() => running.service.sites.get('home-1')?.status === 'online', 'the site born');
  });
  after(async () => {
    await site.close();
    await running.stop();
    await broker.close();
  });

  test('a write without the token, with a wrong one or with a bad body is refused with the reason and changes nothing', async () => {
    const anonymous = await put('/api/target', { targetW: -2_000 }, null);
    assert.equal(anonymous.status, 401);
    assert.match(((await anonymous.json()) as { error: string }).error, /needs an operator token/);
    assert.equal((await put('/api/target', { targetW: -2_000 }, 'wrong')).status, 401);
    const bad = await put('/api/target', { targetW: '-2000', validForS: -1 });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { details: { path: string }[] };
    assert.deepEqual(body.details.map((d) => d.path).sort(), ['targetW', 'validForS']);
    const overlap = await put('/api/schedule', [
      { fromMs: 0, toMs: 2_000, targetW: 1 },
      { fromMs: 1_000, toMs: 3_000, targetW: 2 },
    ]);
    assert.equal(overlap.status, 400);
    assert.equal(((await overlap.json()) as { details: { path: string }[] }).details[0]!.path, '[1].fromMs');
    const target = (await (await fetch(url('/api/target'))).json()) as { active: unknown; schedule: unknown[] };
    assert.equal(target.active, null);
    assert.deepEqual(target.schedule, []);
  });

  test('a live VPP target is taken, dispatched and shown with the fleet, its zones and the site', async () => {
    const response = await put('/api/target', { targetW: -2_000, validForS: 600 });
    assert.equal(response.status, 200);
    const { active } = (await response.json()) as { active: { targetW: number; source: string } };
    assert.deepEqual([active.targetW, active.source], [-2_000, 'live']);
    await running.service.runOnce();
    await waitUntil(() => site.target !== null, 'the share at the site');
    await scheduler.advance(1_000);
    await site.step();
    await waitUntil(() => running.service.sites.get('home-1')?.state?.gridPowerW === -2_000, 'the report');
    await running.service.runOnce();
    const fleet = (await (await fetch(url('/api/fleet'))).json()) as {
      deliveredW: number;
      target: { targetW: number };
      sites: { siteId: string; envelope: { minW: number }; target: { targetW: number }; deliveredW: number }[];
      zones: { zone: string; importLimitW: number }[];
    };
    assert.equal(fleet.target.targetW, -2_000);
    assert.equal(fleet.deliveredW, -2_000);
    assert.equal(fleet.sites[0]!.siteId, 'home-1');
    assert.equal(fleet.sites[0]!.envelope.minW, -4_000);
    assert.equal(fleet.sites[0]!.target.targetW, -2_000);
    assert.deepEqual(
      fleet.zones.map((z) => [z.zone, z.importLimitW]),
      [['north', 20_000]],
    );
    assert.equal((await fetch(url('/api/sites/home-1'))).status, 200);
    const missing = await fetch(url('/api/sites/nope'));
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /no site nope/);
  });

  test('the stream sends the fleet at once and after every cycle', async () => {
    const controller = new AbortController();
    const response = await fetch(url('/api/stream'), { signal: controller.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const events = () =>
      [...text.matchAll(/event: fleet\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as { cycle: number });
    const readUntil = async (count: number) => {
      while (events().length < count) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil(1);
    const first = events()[0]!.cycle;
    await running.service.runOnce();
    await readUntil(2);
    assert.equal(events()[1]!.cycle, first + 1);
    controller.abort();
  });

  test('metrics and the advisor’s draft are served; the draft is never submitted', async () => {
    const metrics = await (await fetch(url('/metrics'))).text();
    assert.match(metrics, /gridcoop_fleet_target_watts -2000/);
    assert.match(metrics, /gridcoop_fleet_sites\{status="online"\} 1/);
    assert.match(metrics, /gridcoop_fleet_messages_total\{type="NBIRTH"\} 1/);
    const draft = (await (await fetch(url('/api/advisor/proposal'))).json()) as {
      changes: boolean;
      notes: string[];
      proposeMessage: { propose: { policy: unknown } };
    };
    assert.equal(draft.changes, false);
    assert.ok(draft.notes.some((note) => note.includes('never submits')));
    assert.ok(draft.proposeMessage.propose.policy);
    const chart = await fetch(url('/api/advisor/chart.svg'));
    assert.equal(chart.headers.get('content-type'), 'image/svg+xml');
    assert.match(await chart.text(), /^<svg/);
  });

  test('clearing the live target is a write too', async () => {
    const anonymous = await fetch(url('/api/target'), { method: 'DELETE' });
    assert.equal(anonymous.status, 401);
    const cleared = await fetch(url('/api/target'), {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(cleared.status, 200);
    assert.equal(((await cleared.json()) as { active: unknown }).active, null);
  });

  test('the history serves the completed minutes of the fleet: start, delivered and target', async () => {
    type History = { stepMs: number; points: Array<[number, number, number | null]> };
    const history = async () => (await (await fetch(url('/api/history'))).json()) as History;
    const before = (await history()).points.length;
    await running.service.runOnce();
    await scheduler.advance(60_000);
    await running.service.runOnce(); // a new minute: the one before is complete
    const after = await history();
    assert.equal(after.stepMs, 60_000);
    assert.ok(after.points.length > before, `${after.points.length} minutes, ${before} before`);
    const [minuteStartMs, deliveredW, targetW] = after.points.at(-1)!;
    assert.equal(minuteStartMs % 60_000, 0);
    assert.ok(minuteStartMs < scheduler.now());
    assert.equal(typeof deliveredW, 'number');
    assert.ok(targetW === null || typeof targetW === 'number');
  });
});
