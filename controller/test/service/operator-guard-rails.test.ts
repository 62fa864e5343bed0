import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OPERATOR_TOKEN, startControllerFixture, type ControllerFixture } from './controller-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-guard-rails-'));
const auditPath = join(dir, 'audit.jsonl');
const EXPORT_CAP_W = 6_000;
let f: ControllerFixture;

/** A POST with a body but no Content-Type header at all (fetch would add text/plain). */
function postWithoutContentType(path: string, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, f.controller.api.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function auditLines(): Array<Record<string, unknown>> {
  return readFileSync(auditPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('operator writes with guard-rails', () => {
  before(async () => {
    f = await startControllerFixture({
      config: { grid: { exportCapW: EXPORT_CAP_W }, api: { port: 0, auditLogPath: auditPath } },
    });
    await f.untilOnline();
    await f.cycles(3);
  });
  after(async () => {
    await f?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('taking the grid meter out of service is refused unless forced, and every plant-state change is logged', async () => {
    assert.equal(f.controller.service.status().plantState, 'running');
    const refused = await f.api('/api/devices/meter-1/service', { method: 'POST', json: { inService: false } });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error, /meter-1 is the grid meter: .*failsafe.*"force": true/);
    assert.equal((await f.cycles(1)).plantState, 'running', 'nothing changed');
    assert.equal(f.controller.service.device('meter-1').inService, true);

    const forced = await f.api('/api/devices/meter-1/service', {
      method: 'POST',
      json: { inService: false, force: true },
    });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.state, 'outOfService');
    assert.equal((await f.cycles(1)).plantState, 'failsafe');
    const back = await f.api('/api/devices/meter-1/service', { method: 'POST', json: { inService: true } });
    assert.equal(back.status, 200);
    await f.untilOnline(['meter-1']);
    // Failsafe is left once the meter has been back for the recovery time.
    for (let i = 0; i < 30 && f.controller.service.status().plantState !== 'running'; i++) await f.cycles(1);
    assert.equal(f.controller.service.status().plantState, 'running');

    const changes = auditLines().filter((e) => e.kind === 'plant-state');
    assert.deepEqual(
      changes.map((e) => `${e.from}->${e.to}`),
      ['running->failsafe', 'failsafe->running'],
    );
    assert.ok(f.logLines.some((l) => /plant state running -> failsafe/.test(String(l.msg))));
  });

  test('a schedule wholly in the past is refused and the schedule in force stays', async () => {
    const now = f.scheduler.now();
    const inForce = await f.api('/api/schedule', {
      method: 'PUT',
      json: [{ fromMs: now + 3_600_000, toMs: now + 7_200_000, gridTargetW: 1_000 }],
    });
    assert.equal(inForce.status, 200);
    const past = await f.api('/api/schedule', {
      method: 'PUT',
      json: [
        { fromMs: now - 7_200_000, toMs: now - 3_600_000, gridTargetW: -2_000 },
        { fromMs: now - 3_600_000, toMs: now - 1, gridTargetW: -1_000 },
      ],
    });
    assert.equal(past.status, 400);
    assert.match(past.body.error, /every entry ends before now .* wholly in the past/);
    assert.deepEqual((await f.api('/api/schedule', { token: null })).body.schedule, inForce.body.schedule);
    // One that is still running now is fine, and an empty one clears the schedule.
    const running = await f.api('/api/schedule', {
      method: 'PUT',
      json: [{ fromMs: now - 60_000, toMs: now + 60_000, gridTargetW: 500 }],
    });
    assert.equal(running.status, 200);
    assert.equal((await f.api('/api/schedule', { method: 'PUT', json: [] })).status, 200);
    assert.deepEqual(f.controller.service.schedule(), []);
  });

  test('a live target beyond the export cap answers what is actually held and why, naming the held value', async () => {
    const put = await f.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: -9_000, validForS: 120 } });
    assert.equal(put.status, 200);
    assert.equal(put.body.operatorTarget.gridTargetW, -9_000, 'what was asked');
    assert.equal(put.body.applied.gridTargetW, -EXPORT_CAP_W, 'what the plant holds');
    assert.equal(put.body.applied.reason, `-9000 W is beyond the export cap of ${EXPORT_CAP_W} W: holding -6000 W`);
    await f.cycles(2);
    const setpoints = await f.api('/api/setpoints', { token: null });
    const trail = JSON.stringify(setpoints.body);
    assert.match(trail, /operator live target -9000 W is beyond the export cap: holding -6000 W/);
    const within = await f.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: -2_000, validForS: 60 } });
    assert.equal(within.body.applied.gridTargetW, -2_000);
    assert.match(within.body.applied.reason, /^held as asked: -2000 W/);
  });

  test('acknowledging a battery with no fault says there was nothing to acknowledge and changes nothing', async () => {
    const before = f.controller.service.device('battery-1').batteryState;
    const ack = await f.api('/api/devices/battery-1/acknowledge', { method: 'POST', json: {} });
    assert.equal(ack.status, 409);
    assert.match(ack.body.error, /battery-1 has no fault to acknowledge \(it is running\): nothing changed/);
    assert.equal(f.controller.service.device('battery-1').batteryState, before);
  });

  test('acknowledge and service refuse a request without a Content-Type (415) and change nothing', async () => {
    const ack = await postWithoutContentType('/api/devices/battery-1/acknowledge', '{}');
    assert.equal(ack.status, 415);
    assert.match(ack.body, /send the body as application\/json \(got no content type\)/);
    const service = await postWithoutContentType('/api/devices/pv-1/service', '{"inService":false}');
    assert.equal(service.status, 415);
    assert.equal(f.controller.service.device('pv-1').inService, true);
  });

  test('every operator write, applied or refused, is a line of the audit log with what was sent and answered', () => {
    const writes = auditLines().filter((e) => e.kind === 'operator-write');
    const summary = writes.map((e) => `${e.method} ${e.path} ${e.status}`);
    for (const expected of [
      'POST /api/devices/meter-1/service 409',
      'POST /api/devices/meter-1/service 200',
      'PUT /api/schedule 400',
      'PUT /api/grid-setpoint 200',
      'POST /api/devices/battery-1/acknowledge 409',
      'POST /api/devices/battery-1/acknowledge 415',
      'POST /api/devices/pv-1/service 415',
    ]) {
      assert.ok(summary.includes(expected), `${expected} in ${JSON.stringify(summary)}`);
    }
    const forced = writes.find((e) => e.status === 200 && e.path === '/api/devices/meter-1/service');
    assert.deepEqual(forced!.request, { inService: false, force: true });
    assert.equal(forced!.outcome, 'applied');
    const clamped = writes.find((e) => e.path === '/api/grid-setpoint');
    assert.deepEqual((clamped!.response as { applied: unknown }).applied, {
      gridTargetW: -EXPORT_CAP_W,
      reason: `-9000 W is beyond the export cap of ${EXPORT_CAP_W} W: holding -6000 W`,
    });
    assert.ok(writes.every((e) => typeof e.atMs === 'number' && (e.outcome === 'applied' || e.outcome === 'refused')));
  });
});
