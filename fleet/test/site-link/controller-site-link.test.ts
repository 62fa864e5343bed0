import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { envelopeLowerW, envelopeRaiseW, SequenceGapDetector } from '@gridcoop/fleet-protocol';
import { startControllerFixture, type ControllerFixture } from '../../../controller/test/service/controller-fixture.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { TestHost } from '../support/test-host.ts';

// The whole controller (simulated plant over Modbus TCP and OPC UA, manual clock) as a fleet site, through a real
// Mosquitto and a TCP proxy the test can cut, watched by a minimal primary host that speaks the fleet protocol.
const SITE = 'site-a';
const PASSWORD_ENV = 'TEST_FLEET_PASSWORD';
let fleet: TestBroker;
let proxy: TcpProxy;
let site: ControllerFixture;
let host: TestHost;

before(async () => {
  fleet = await startTestBroker([SITE]);
  proxy = await TcpProxy.start(fleet.broker.port ?? 0);
  const credential = fleet.credentials.sites[SITE];
  assert.ok(credential);
  host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
  site = await startControllerFixture({
    config: {
      planner: { enabled: false },
      fleet: { siteId: SITE, zone: 'zone-north', brokerUrl: proxy.url, passwordEnv: PASSWORD_ENV },
    },
    env: { [PASSWORD_ENV]: credential.password },
  });
  await site.untilOnline();
});

after(async () => {
  await site?.stop();
  await host?.close();
  await proxy?.close();
  await fleet?.close();
});

function logged(message: RegExp): Array<Record<string, unknown>> {
  return site.logLines.filter((line) => typeof line.msg === 'string' && message.test(line.msg));
}

async function untilLogged(message: RegExp, count = 1): Promise<Array<Record<string, unknown>>> {
  for (let attempt = 0; attempt < 800; attempt += 1) {
    const lines = logged(message);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the controller never logged ${message}`);
}

test('the site is born with every metric and its bdSeq, then publishes state and envelope in sequence', async () => {
  await site.cycles(2);
  const { birth } = await host.next('NBIRTH', (e) => e.siteId === SITE);
  assert.equal(birth.bdSeq, 0);
  assert.equal(birth.seq, 0);
  assert.equal(birth.profile.zone, 'zone-north');
  assert.equal(birth.profile.importLimitW, site.controller.service.plant.importCapW);
  assert.equal(birth.profile.exportLimitW, site.controller.service.plant.exportCapW);
  assert.equal(birth.profile.capacity.batteryEnergyWh, 20_000);
  assert.equal(birth.profile.capacity.pvPeakW, 15_000);
  assert.equal(birth.state.control, 'local');
  const status = await site.api('/api/status');
  assert.equal(status.body.fleet.connected, true);
  assert.equal(status.body.fleet.born, true);
  assert.equal(status.body.fleet.bdSeq, 0);
  assert.equal(status.body.fleet.target, null);

  const from = host.events.length;
  await site.cycles(3);
  const seqs: number[] = [];
  for (let n = 0; n < 3; n += 1) {
    const { data } = await host.next('NDATA', (e) => e.siteId === SITE && !seqs.includes(e.data.seq), {
      fromIndex: from,
    });
    seqs.push(data.seq);
  }
  assert.deepEqual(seqs, [seqs[0], (seqs[0]! + 1) % 256, (seqs[0]! + 2) % 256]);
  const last = host.events.at(-1);
  assert.ok(last?.type === 'NDATA');
  const { state, envelope } = last.data;
  // Envelope: inside the connection's caps, around the local baseline, with the battery's room in it.
  assert.ok(envelope.minGridW >= -site.controller.service.plant.exportCapW);
  assert.ok(envelope.maxGridW <= site.controller.service.plant.importCapW);
  assert.ok(envelope.minGridW <= envelope.baselineW && envelope.baselineW <= envelope.maxGridW);
  assert.ok(envelopeRaiseW(envelope) > 0 && envelopeLowerW(envelope) > 0, JSON.stringify(envelope));
  assert.ok(envelope.battery !== null && envelope.battery.energyCapacityWh === 20_000);
  assert.equal(state.socPct !== null && state.socPct > 0, true);
  assert.equal(state.plantState, 'running');
});

test('a VPP target is followed within the caps, and one not refreshed expires back to the local policy', async () => {
  const nowMs = site.scheduler.now();
  const last = host.events.filter((e) => e.type === 'NDATA').at(-1);
  assert.ok(last?.type === 'NDATA');
  // Halfway between the baseline and the most the site can raise: a target the site can actually hold.
  const gridTargetW = Math.round(last.data.envelope.baselineW + envelopeRaiseW(last.data.envelope) / 2);
  await host.sendTarget(SITE, { targetId: 't-1', gridTargetW, issuedAtMs: nowMs, expiresAtMs: nowMs + 20_000 }, nowMs);
  await untilLogged(/VPP target accepted/);
  let report = await site.cycles(1);
  assert.equal(report.inputs?.operatorTarget?.source, 'vpp');
  assert.equal(report.decision?.dispatch.gridTargetW, gridTargetW);
  const from = host.events.length;
  await site.cycles(1);
  const { data } = await host.next('NDATA', (e) => e.siteId === SITE, { fromIndex: from });
  assert.equal(data.state.control, 'vpp');
  assert.equal(data.state.followedTargetId, 't-1');
  assert.equal((await site.api('/api/status')).body.fleet.target.targetId, 't-1');
  // The envelope stays measured from the local baseline, not from the target being followed.
  assert.notEqual(data.envelope.baselineW, gridTargetW);

  // No refresh: 20 s later the target has lapsed and the local policy decides again, without any message.
  report = await site.cycles(20);
  assert.equal(report.inputs?.operatorTarget, null);
  assert.notEqual(report.decision?.dispatch.gridTargetW, gridTargetW);
  await untilLogged(/VPP target expired without a refresh: back to the local policy/);
});

test("the site's own operator setpoint wins over the VPP target, and the connection's caps win over both", async () => {
  const nowMs = site.scheduler.now();
  const importCapW = site.controller.service.plant.importCapW;
  await host.sendTarget(
    SITE,
    { targetId: 't-caps', gridTargetW: importCapW * 3, issuedAtMs: nowMs, expiresAtMs: nowMs + 30_000 },
    nowMs,
  );
  await untilLogged(/VPP target accepted/, 2);
  let report = await site.cycles(1);
  assert.equal(report.inputs?.operatorTarget?.source, 'vpp');
  assert.ok((report.decision?.dispatch.gridTargetW ?? Infinity) <= importCapW, 'held at the import cap');
  const setpoint = await site.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: 1_000, validForS: 5 } });
  assert.equal(setpoint.status, 200, JSON.stringify(setpoint.body));
  report = await site.cycles(1);
  assert.equal(report.inputs?.operatorTarget?.source, 'live');
  report = await site.cycles(40); // both lapse
  assert.equal(report.inputs?.operatorTarget, null);
});

test('a cut connection sends the death certificate; the site is reborn with the next bdSeq', async () => {
  const { birth } = await host.next('NBIRTH', (e) => e.siteId === SITE);
  const from = host.events.length;
  proxy.cut();
  const { death } = await host.next('NDEATH', (e) => e.siteId === SITE, { fromIndex: from });
  assert.equal(death.bdSeq, birth.bdSeq);
  proxy.restore();
  // The link retries every 2 s of real time; cycles keep running on the local policy meanwhile.
  let reborn;
  for (let attempt = 0; attempt < 100 && reborn === undefined; attempt += 1) {
    await site.cycles(1);
    reborn = host.events.slice(from).find((e) => e.type === 'NBIRTH' && e.siteId === SITE);
    if (reborn === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(reborn?.type === 'NBIRTH', 'a new birth after the network came back');
  assert.equal(reborn.birth.bdSeq, (birth.bdSeq + 1) % 256);
  assert.equal(reborn.birth.seq, 0);
});

test('a target queued for the site during an outage is delivered late and never applied', async () => {
  const from = host.events.length;
  proxy.cut();
  await host.next('NDEATH', (e) => e.siteId === SITE, { fromIndex: from });
  const nowMs = site.scheduler.now();
  // The broker keeps it for the site's persistent session (its MQTT expiry is generous here on purpose): only the
  // target's own expiry, judged on the site's clock, stands between it and the plant.
  await host.sendTarget(
    SITE,
    { targetId: 't-late', gridTargetW: 5_000, issuedAtMs: nowMs, expiresAtMs: nowMs + 10_000 },
    nowMs,
    600,
  );
  await site.cycles(15); // the outage outlasts the target
  proxy.restore();
  const refused = await untilLogged(/VPP target refused/);
  assert.match(String(refused.at(-1)?.reason), /t-late expired \d+ ms ago .*never applied late/);
  const report = await site.cycles(1);
  assert.equal(report.inputs?.operatorTarget, null);
  assert.ok(logged(/VPP target accepted/).every((line) => (line.target as { targetId: string }).targetId !== 't-late'));
});

test('a sequence gap seen by the host leads to a rebirth request, answered by a new birth', async () => {
  const detector = new SequenceGapDetector();
  const lastBirth = host.events.filter((e) => e.type === 'NBIRTH').at(-1);
  assert.ok(lastBirth?.type === 'NBIRTH');
  detector.birth(SITE, lastBirth.birth.seq);
  // Replay what the host has seen since that birth, in order: all in sequence so far.
  const since = host.events.slice(host.events.indexOf(lastBirth) + 1);
  for (const event of since)
    if (event.type === 'NDATA') assert.equal(detector.data(SITE, event.data.seq).kind, 'in-order');
  // The host misses NDATA (QoS 0) while it is away.
  await host.client.unsubscribeAsync('spBv1.0/gridcoop/NDATA/+');
  await site.cycles(3);
  await host.client.subscribeAsync('spBv1.0/gridcoop/NDATA/+', { qos: 1 });
  const from = host.events.length;
  await site.cycles(1);
  const { data } = await host.next('NDATA', (e) => e.siteId === SITE, { fromIndex: from });
  const check = detector.data(SITE, data.seq);
  assert.equal(check.kind, 'gap');
  await host.requestRebirth(SITE, site.scheduler.now());
  const { birth } = await host.next('NBIRTH', (e) => e.siteId === SITE, { fromIndex: from });
  assert.equal(birth.seq, 0);
  assert.equal(birth.bdSeq, lastBirth.birth.bdSeq, 'same session, same bdSeq');
  detector.birth(SITE, birth.seq);
  const next = host.events.length;
  await site.cycles(1);
  const after = await host.next('NDATA', (e) => e.siteId === SITE, { fromIndex: next });
  assert.equal(detector.data(SITE, after.data.seq).kind, 'in-order');
  assert.deepEqual(host.errors, []);
});
