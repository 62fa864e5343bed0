import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SiteLink, type SiteLinkLogger } from '@gridcoop/controller/fleet/site-link';
import { makeCertificateAuthority, makeSignedCertificate } from '../../src/broker/index.ts';
import { sampleEnvelope, sampleProfile } from '@gridcoop/fleet-protocol/testing/sample-site';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { TestHost } from '../support/test-host.ts';

const TIMEOUT = { timeout: 90_000 };

/** A logger that keeps what it is told, for tests to read. */
function recordingLogger(): SiteLinkLogger & { lines: Array<{ level: string; msg: string; fields: object }> } {
  const lines: Array<{ level: string; msg: string; fields: object }> = [];
  const at = (level: string) => (fields: object, msg: string) => lines.push({ level, msg, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function siteLinkFor(
  fleet: TestBroker,
  siteId: string,
  overrides: Partial<ConstructorParameters<typeof SiteLink>[0]> = {},
): { link: SiteLink; logger: ReturnType<typeof recordingLogger>; clock: { nowMs: number } } {
  const credential = fleet.credentials.sites[siteId];
  assert.ok(credential);
  const logger = recordingLogger();
  const clock = { nowMs: Date.now() };
  const link = new SiteLink({
    siteId,
    brokerUrl: overrides.brokerUrl ?? fleet.broker.url,
    ...credential,
    hostId: 'aggregator',
    profile: sampleProfile,
    now: () => clock.nowMs,
    logger,
    reconnectPeriodMs: 200,
    ...overrides,
  });
  return { link, logger, clock };
}

const snapshot = { gridPowerW: -1_250.5, socPct: 63.2, plantState: 'running', envelope: sampleEnvelope };

test(
  'a site process killed with SIGKILL: its will, the NDEATH with the bdSeq of its birth, reaches the host',
  TIMEOUT,
  async () => {
    const fleet = await startTestBroker(['home-1']);
    const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
    const credential = fleet.credentials.sites['home-1'];
    assert.ok(credential);
    const script = `
    import { SiteLink } from '@gridcoop/controller/fleet/site-link';
    import { sampleEnvelope, sampleProfile } from '@gridcoop/fleet-protocol/testing/sample-site';
    const quiet = { info() {}, warn() {}, error() {} };
    const link = new SiteLink({ siteId: 'home-1', brokerUrl: process.env.URL, username: 'home-1',
      password: process.env.PASSWORD, hostId: 'aggregator', profile: sampleProfile, now: () => Date.now(),
      logger: quiet, initialBdSeq: 41 });
    link.start();
    setInterval(() => link.observe({ gridPowerW: 0, socPct: 50, plantState: 'running', envelope: sampleEnvelope }), 50);
    await link.whenBorn();
    console.log('born');
  `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, URL: fleet.broker.url, PASSWORD: credential.password },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await once(child.stdout, 'data');
      const { birth } = await host.next('NBIRTH', (e) => e.siteId === 'home-1');
      assert.equal(birth.bdSeq, 41);
      await host.next('NDATA', (e) => e.siteId === 'home-1');
      child.kill('SIGKILL');
      const { death } = await host.next('NDEATH', (e) => e.siteId === 'home-1');
      assert.equal(death.bdSeq, 41);
    } finally {
      child.kill('SIGKILL');
      await host.close();
      await fleet.close();
    }
  },
);

test('a clean stop publishes the death certificate itself (a clean DISCONNECT sends no will)', TIMEOUT, async () => {
  const fleet = await startTestBroker(['home-1']);
  const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
  const { link } = siteLinkFor(fleet, 'home-1', { initialBdSeq: 255 });
  try {
    link.start();
    link.observe(snapshot);
    await link.whenBorn();
    assert.equal((await host.next('NBIRTH')).birth.bdSeq, 255);
    await link.stop();
    assert.equal((await host.next('NDEATH')).death.bdSeq, 255);
  } finally {
    await link.stop();
    await host.close();
    await fleet.close();
  }
});

test(
  'a site whose credentials belong to another site is refused by the ACL (PUBACK 135) and says so',
  TIMEOUT,
  async () => {
    const fleet = await startTestBroker(['home-1', 'home-2'], { logDebug: true });
    const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
    const credential = fleet.credentials.sites['home-2'];
    assert.ok(credential);
    // Configured as home-1, logging in as home-2.
    const { link, logger } = siteLinkFor(fleet, 'home-1', { ...credential });
    try {
      link.start();
      link.observe(snapshot);
      const refusal = await until(
        () => logger.lines.find((line) => /refused the birth certificate/.test(line.msg)),
        'the refusal to be logged',
      );
      assert.equal(refusal.level, 'error');
      assert.equal((refusal.fields as { reasonCode?: number }).reasonCode, 135);
      await fleet.broker.waitForLog(/Denied PUBLISH from gridcoop-site-home-1 .*NBIRTH\/home-1/);
      for (let n = 0; n < 5; n += 1) link.observe(snapshot);
      // Not retried every cycle, and nothing reached the host.
      assert.equal(logger.lines.filter((line) => /refused the birth/.test(line.msg)).length, 1);
      assert.equal(host.events.length, 0);
    } finally {
      await link.stop();
      await host.close();
      await fleet.close();
    }
  },
);

test(
  'a site links over TLS with certificates openssl made, and refuses a broker its CA did not sign',
  TIMEOUT,
  async () => {
    const pki = mkdtempSync(join(tmpdir(), 'gridcoop-site-pki-'));
    const ca = makeCertificateAuthority(join(pki, 'ca'), 'GridCoop fleet CA');
    const server = makeSignedCertificate(join(pki, 'broker'), ca, 'broker', { subjectAltNames: ['IP:127.0.0.1'] });
    const rogue = makeCertificateAuthority(join(pki, 'rogue'), 'Rogue CA');
    const fleet = await startTestBroker(['home-1'], { port: null, tls: { caFile: ca.caCertFile, ...server } });
    const { link } = siteLinkFor(fleet, 'home-1', {
      brokerUrl: fleet.broker.tlsUrl,
      tls: { ca: readFileSync(ca.caCertFile) },
    });
    const { link: fooled, logger } = siteLinkFor(fleet, 'home-1', {
      brokerUrl: fleet.broker.tlsUrl,
      tls: { ca: readFileSync(rogue.caCertFile) },
    });
    try {
      link.start();
      link.observe(snapshot);
      await link.whenBorn();
      assert.equal(link.status().connected, true);
      fooled.start();
      const error = await until(() => logger.lines.find((line) => /fleet link error/.test(line.msg)), 'a TLS error');
      assert.match(String((error.fields as { err: string }).err), /self[- ]signed|unable to verify|certificate/i);
      assert.equal(fooled.status().connected, false);
    } finally {
      await fooled.stop();
      await link.stop();
      await fleet.close();
      rmSync(pki, { recursive: true, force: true });
    }
  },
);

test(
  'the aggregator going offline (its STATE will) releases the VPP target at once: local policy decides',
  TIMEOUT,
  async () => {
    const fleet = await startTestBroker(['home-1']);
    const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator, { online: true });
    const { link, logger, clock } = siteLinkFor(fleet, 'home-1');
    try {
      link.start();
      link.observe(snapshot);
      await link.whenBorn();
      await until(() => link.status().hostOnline === true, 'the host to be seen online');
      await host.sendTarget(
        'home-1',
        { targetId: 'a', gridTargetW: 2_000, issuedAtMs: clock.nowMs, expiresAtMs: clock.nowMs + 60_000 },
        clock.nowMs,
      );
      await until(() => link.targetAt(clock.nowMs) !== null, 'the target to be followed');
      assert.deepEqual(link.targetAt(clock.nowMs), { gridW: 2_000, source: 'vpp', untilMs: clock.nowMs + 60_000 });
      host.client.stream.destroy(); // killed: no DISCONNECT, so the broker publishes its offline will
      await until(() => link.status().hostOnline === false, 'the host to be seen offline');
      assert.equal(link.targetAt(clock.nowMs), null);
      assert.ok(logger.lines.some((line) => /aggregator is offline: following the local policy/.test(line.msg)));
    } finally {
      await link.stop();
      await host.client.endAsync(true);
      await fleet.close();
    }
  },
);

test('a malformed command is logged and dropped; the link carries on', TIMEOUT, async () => {
  const fleet = await startTestBroker(['home-1']);
  const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
  const { link, logger, clock } = siteLinkFor(fleet, 'home-1');
  try {
    link.start();
    link.observe(snapshot);
    await link.whenBorn();
    await host.client.publishAsync('spBv1.0/gridcoop/NCMD/home-1', Buffer.from('not sparkplug'), { qos: 1 });
    const dropped = await until(() => logger.lines.find((line) => /malformed message dropped/.test(line.msg)), 'drop');
    assert.match(String((dropped.fields as { err: string }).err), /payload: not a Sparkplug B payload/);
    await host.sendTarget(
      'home-1',
      { targetId: 'ok', gridTargetW: -500, issuedAtMs: clock.nowMs, expiresAtMs: clock.nowMs + 5_000 },
      clock.nowMs,
    );
    await until(() => link.targetAt(clock.nowMs) !== null, 'the next good target');
    assert.equal(link.status().refusedCommands, 1);
  } finally {
    await link.stop();
    await host.close();
    await fleet.close();
  }
});

test(
  'with publishEveryMs the site publishes its data every few seconds of its clock, not every cycle',
  TIMEOUT,
  async () => {
    const fleet = await startTestBroker(['home-1']);
    const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
    const { link, clock } = siteLinkFor(fleet, 'home-1', { publishEveryMs: 5_000 });
    try {
      link.start();
      link.observe(snapshot);
      await link.whenBorn();
      for (let second = 1; second <= 12; second += 1) {
        clock.nowMs += 1_000;
        link.observe(snapshot);
      }
      await link.stop(); // its NDEATH comes after every NDATA it sent: the broker keeps one client's order
      await host.next('NDEATH');
      const data = host.events.filter((event) => event.type === 'NDATA');
      assert.deepEqual(
        data.map((event) => (event.type === 'NDATA' ? event.data.seq : -1)),
        [1, 2],
      );
    } finally {
      await link.stop();
      await host.close();
      await fleet.close();
    }
  },
);

test(
  'a snapshot the protocol refuses (NaN) is logged and skipped without a seq gap; the cycle goes on',
  TIMEOUT,
  async () => {
    const fleet = await startTestBroker(['home-1']);
    const host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
    const { link, logger } = siteLinkFor(fleet, 'home-1');
    try {
      link.start();
      link.observe(snapshot);
      await link.whenBorn();
      link.observe(snapshot);
      assert.doesNotThrow(() => link.observe({ ...snapshot, gridPowerW: Number.NaN }));
      link.observe(snapshot);
      await link.stop();
      await host.next('NDEATH');
      const seqs = host.events.flatMap((event) => (event.type === 'NDATA' ? [event.data.seq] : []));
      assert.deepEqual(seqs, [1, 2]);
      assert.ok(logger.lines.some((line) => line.level === 'error' && /data not published/.test(line.msg)));
    } finally {
      await link.stop();
      await host.close();
      await fleet.close();
    }
  },
);
