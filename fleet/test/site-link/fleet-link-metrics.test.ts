import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startControllerFixture, type ControllerFixture } from '../../../controller/test/service/controller-fixture.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { TestHost } from '../support/test-host.ts';

// The fleet link on the controller's /metrics, as a site operator's Prometheus scrapes it: the whole controller as a
// fleet site through a real Mosquitto, a primary host that says it is online and sends a VPP target.
const SITE = 'site-metrics';
const PASSWORD_ENV = 'TEST_FLEET_PASSWORD';
let fleet: TestBroker;
let site: ControllerFixture;
let host: TestHost;

before(async () => {
  fleet = await startTestBroker([SITE]);
  host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator, { online: true });
  site = await startControllerFixture({
    config: {
      planner: { enabled: false },
      fleet: {
        siteId: SITE,
        zone: 'z',
        brokerUrl: fleet.broker.url,
        passwordEnv: PASSWORD_ENV,
        owner: { mode: 'pv', dailyBatteryCycles: 1.5 },
      },
    },
    env: { [PASSWORD_ENV]: fleet.credentials.sites[SITE]!.password },
  });
  await site.untilOnline();
  await site.cycles(2);
  await host.next('NBIRTH', (e) => e.siteId === SITE);
});

after(async () => {
  await site?.stop();
  await host?.close();
  await fleet?.close();
});

async function scrape(): Promise<string> {
  await site.cycles(1);
  const { status, body } = await site.api('/metrics', { token: null });
  assert.equal(status, 200);
  return body as string;
}

/** A sample's value, or null when the series is absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

async function untilSample(series: string, wanted: number): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const text = await scrape();
    if (sample(text, series) === wanted) return text;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${series} never became ${wanted}`);
}

test("the link's state, the host's, the owner's mode and budget are on /metrics, and promtool finds no problem", async () => {
  const text = await untilSample('gridcoop_fleet_host_online', 1);
  assert.equal(sample(text, 'gridcoop_fleet_link_connected'), 1);
  assert.equal(sample(text, 'gridcoop_fleet_owner_mode{mode="pv"}'), 1);
  for (const other of ['off', 'min', 'now'])
    assert.equal(sample(text, `gridcoop_fleet_owner_mode{mode="${other}"}`), 0);
  assert.equal(sample(text, 'gridcoop_fleet_battery_budget_used'), 0);
  assert.ok((sample(text, 'gridcoop_fleet_battery_cycles_today') ?? -1) >= 0);
  assert.equal(sample(text, 'gridcoop_fleet_births'), 1);
  assert.equal(sample(text, 'gridcoop_fleet_following_vpp'), 0);
  assert.equal(sample(text, 'gridcoop_fleet_vpp_target_watts'), null, 'no target: no target series');
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(`${run.stdout}${run.stderr}`.trim(), '', 'promtool reports no problem');
  assert.equal(run.status, 0);
});

test('a VPP target followed shows as such, with its power; one refused while opted out counts', async () => {
  const nowMs = site.scheduler.now();
  const mode = await site.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'now' } });
  assert.equal(mode.status, 200);
  await host.sendTarget(
    SITE,
    { targetId: 'm-1', gridTargetW: 1_234, issuedAtMs: nowMs, expiresAtMs: nowMs + 60_000 },
    nowMs,
  );
  const following = await untilSample('gridcoop_fleet_following_vpp', 1);
  assert.equal(sample(following, 'gridcoop_fleet_vpp_target_watts'), 1_234);
  assert.equal(sample(following, 'gridcoop_fleet_owner_mode{mode="now"}'), 1);

  const off = await site.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'off' } });
  assert.equal(off.status, 200);
  const released = await untilSample('gridcoop_fleet_following_vpp', 0);
  assert.equal(sample(released, 'gridcoop_fleet_vpp_target_watts'), null);
  const later = site.scheduler.now();
  await host.sendTarget(
    SITE,
    { targetId: 'm-2', gridTargetW: 2_000, issuedAtMs: later, expiresAtMs: later + 60_000 },
    later,
  );
  await untilSample('gridcoop_fleet_refused_commands', 1);
});

test('a controller without a fleet section shows no fleet series', async () => {
  const alone = await startControllerFixture({ config: { planner: { enabled: false } } });
  try {
    await alone.cycles(1);
    const { body } = await alone.api('/metrics', { token: null });
    assert.doesNotMatch(body as string, /gridcoop_fleet_/);
    assert.match(body as string, /gridcoop_grid_power_watts/, 'the scrape itself is there');
  } finally {
    await alone.stop();
  }
});
