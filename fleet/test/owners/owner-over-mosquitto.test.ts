import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fleetOwnerResponseSchema } from '@gridcoop/controller/api/operator-responses';
import { envelopeRaiseW } from '@gridcoop/fleet-protocol';
import {
  smallPlant,
  startControllerFixture,
  type ControllerFixture,
} from '../../../controller/test/service/controller-fixture.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { TestHost } from '../support/test-host.ts';

// The whole controller as a fleet site through a real Mosquitto, its owner's say set in the configuration and
// changed through the operator API, watched by a minimal primary host.
const SITE = 'owner-site';
const PASSWORD_ENV = 'TEST_FLEET_PASSWORD';
let fleet: TestBroker;
let site: ControllerFixture;
let host: TestHost;

before(async () => {
  fleet = await startTestBroker([SITE]);
  const credential = fleet.credentials.sites[SITE];
  assert.ok(credential);
  host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
  site = await startControllerFixture({
    config: {
      planner: { enabled: false },
      fleet: {
        siteId: SITE,
        zone: 'zone-west',
        brokerUrl: fleet.broker.url,
        passwordEnv: PASSWORD_ENV,
        // A budget of 0 cycles is used from the start: the battery is the owner's alone today.
        owner: { mode: 'min', dailyBatteryCycles: 0 },
      },
    },
    env: { [PASSWORD_ENV]: credential.password },
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

async function nextData() {
  const from = host.events.length;
  await site.cycles(1);
  const { data } = await host.next('NDATA', (e) => e.siteId === SITE, { fromIndex: from });
  return data;
}

function logged(message: RegExp): number {
  return site.logLines.filter((line) => typeof line.msg === 'string' && message.test(line.msg)).length;
}

async function untilLogged(message: RegExp, count: number): Promise<void> {
  for (let attempt = 0; attempt < 800 && logged(message) < count; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.ok(logged(message) >= count, `the controller never logged ${message}`);
}

test("a site at its daily cycle budget publishes no battery flexibility (the owner's config)", async () => {
  const data = await nextData();
  assert.deepEqual([data.envelope.sources.battery.raiseW, data.envelope.sources.battery.lowerW], [0, 0]);
  assert.equal(data.envelope.raiseForS, null);
  assert.equal(data.envelope.lowerForS, null);
  const status = await site.api('/api/status');
  assert.equal(status.body.fleet.owner.mode, 'min');
  assert.equal(status.body.fleet.owner.dailyBatteryCycles, 0);
  assert.equal(status.body.fleet.owner.batteryBudgetUsed, true);
});

test("the owner's say changes only with the operator token and a well-formed body; a refusal changes nothing", async () => {
  const anonymous = await site.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'off' }, token: null });
  assert.equal(anonymous.status, 401);
  const bad = await site.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'sometimes' } });
  assert.equal(bad.status, 400);
  assert.ok(
    bad.body.details.some((d: { path: string }) => d.path === 'mode'),
    JSON.stringify(bad.body),
  );
  const empty = await site.api('/api/fleet/owner', { method: 'PUT', json: {} });
  assert.equal(empty.status, 400);
  const negative = await site.api('/api/fleet/owner', { method: 'PUT', json: { minerMinW: -5 } });
  assert.equal(negative.status, 400);
  assert.ok(negative.body.details.some((d: { path: string }) => d.path === 'minerMinW'));
  const status = await site.api('/api/status');
  assert.equal(status.body.fleet.owner.mode, 'min');
  assert.equal(status.body.fleet.owner.minerMinW, 0);
});

test('opted out at run time: the envelope is the baseline alone and a VPP target is refused', async () => {
  // First in the fleet (mode now, no cycle cap) and following a target, so the opt-out has something to drop.
  const joined = await site.api('/api/fleet/owner', {
    method: 'PUT',
    json: { mode: 'now', dailyBatteryCycles: null },
  });
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  assert.equal(joined.body.batteryBudgetUsed, false);
  // The answer is what the OpenAPI document promises (the same zod schema describes it).
  assert.deepEqual(fleetOwnerResponseSchema.parse(joined.body), joined.body);
  const open = await nextData();
  assert.ok(open.envelope.sources.battery.raiseW > 0, JSON.stringify(open.envelope.sources));
  const gridTargetW = Math.round(open.envelope.baselineW + envelopeRaiseW(open.envelope) / 2);
  let nowMs = site.scheduler.now();
  await host.sendTarget(SITE, { targetId: 'o-1', gridTargetW, issuedAtMs: nowMs, expiresAtMs: nowMs + 60_000 }, nowMs);
  await untilLogged(/VPP target accepted/, 1);
  assert.equal((await site.cycles(1)).inputs?.operatorTarget?.source, 'vpp');

  const off = await site.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'off' } });
  assert.equal(off.status, 200);
  assert.equal(off.body.mode, 'off');
  assert.equal(off.body.dailyBatteryCycles, null, 'fields not sent keep their value');
  assert.equal((await site.cycles(1)).inputs?.operatorTarget, null, 'the target was dropped at once');
  // an NDATA of the cycle before the change may still be on its way through the broker: take the first one published
  // after it (the first back on local control), within a few cycles
  let data = await nextData();
  for (let more = 0; data.state.control !== 'local' && more < 5; more++) data = await nextData();
  assert.equal(data.envelope.minGridW, data.envelope.baselineW);
  assert.equal(data.envelope.maxGridW, data.envelope.baselineW);
  assert.equal(data.state.control, 'local');

  nowMs = site.scheduler.now();
  await host.sendTarget(SITE, { targetId: 'o-2', gridTargetW, issuedAtMs: nowMs, expiresAtMs: nowMs + 60_000 }, nowMs);
  await untilLogged(/VPP target refused: the owner has opted out/, 1);
  assert.equal((await site.cycles(1)).inputs?.operatorTarget, null);
  const audit = site.logLines.filter((line) => line.msg === 'owner limits changed');
  assert.equal(audit.length, 2);
});

test("a target beyond what the owner lends is followed only to the edge of the owner's range", async () => {
  const noBattery = await site.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'now', dailyBatteryCycles: 0 } });
  assert.equal(noBattery.status, 200);
  await nextData();
  const nowMs = site.scheduler.now();
  // Far below anything the site offers without its battery: an aggregator that ignored the envelope.
  const gridTargetW = -15_000;
  await host.sendTarget(SITE, { targetId: 'o-3', gridTargetW, issuedAtMs: nowMs, expiresAtMs: nowMs + 60_000 }, nowMs);
  await untilLogged(/VPP target accepted/, 2);
  const lent = await nextData();
  assert.equal(lent.envelope.sources.battery.lowerW, 0);
  const report = await site.cycles(1);
  assert.equal(report.inputs?.operatorTarget?.source, 'vpp');
  assert.equal(report.inputs?.operatorTarget?.gridW, lent.envelope.minGridW);
  assert.ok(lent.envelope.minGridW > gridTargetW);
  // With the battery lent again the owner cuts nothing, and the target is passed on as sent (the caps still win).
  await site.api('/api/fleet/owner', { method: 'PUT', json: { dailyBatteryCycles: null } });
  await site.cycles(1);
  assert.equal((await site.cycles(1)).inputs?.operatorTarget?.gridW, gridTargetW);
});

test('a controller without a fleet section answers 409 and changes nothing', async () => {
  const alone = await startControllerFixture({
    plant: { ...smallPlant, miners: [] },
    config: { planner: { enabled: false } },
  });
  try {
    const answer = await alone.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'off' } });
    assert.equal(answer.status, 409);
    assert.match(answer.body.error, /no fleet section/);
    assert.equal((await alone.api('/api/status')).body.fleet, null);
  } finally {
    await alone.stop();
  }
});
