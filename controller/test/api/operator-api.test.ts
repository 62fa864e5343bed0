import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startControllerFixture, type ControllerFixture } from '../service/controller-fixture.ts';

const CONTROLLERS = new Set([
  'safety',
  'grid-limits',
  'operator-setpoint',
  'allocation-policy',
  'plan-following',
  'dispatcher',
]);

describe('the operator API in front of a controller running a simulated plant over Modbus and OPC UA', () => {
  let f: ControllerFixture;

  before(async () => {
    f = await startControllerFixture();
    await f.untilOnline();
    await f.cycles(3);
  });
  after(async () => {
    await f?.stop();
  });

  test('GET /api/status reports the plant state, the policy version in force and cycle statistics', async () => {
    const { status, body } = await f.api('/api/status', { token: null });
    assert.equal(status, 200);
    assert.equal(body.plantState, 'running');
    assert.deepEqual(body.policy, { version: 0, source: 'local-config' });
    assert.ok(body.cycle.cycles >= 3);
    assert.equal(typeof body.cycle.p50Ms, 'number');
    assert.equal(body.cycle.periodMs, 1000);
    assert.equal(body.devices.online, 4);
    assert.equal(typeof body.powers.gridW, 'number');
    // Device powers are generation positive: the miners' consumption is a negative number, like in /api/setpoints.
    const minersDrawW = f.controller.service
      .devices()
      .filter((d) => d.nature === 'flexible-load')
      .reduce((sum, d) => sum + ((d.reading as { powerW: number | null } | null)?.powerW ?? 0), 0);
    assert.ok(minersDrawW > 0, 'the miner runs');
    assert.ok(Math.abs(body.powers.minersW + minersDrawW) < 1, `minersW ${body.powers.minersW} = -${minersDrawW}`);
  });

  test('GET /api/devices lists every device with its state and last values; one device by id; an unknown id is a 404', async () => {
    const list = await f.api('/api/devices', { token: null });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((d: { id: string }) => d.id).sort(), ['battery-1', 'meter-1', 'miner-1', 'pv-1']);
    const battery = list.body.find((d: { id: string }) => d.id === 'battery-1');
    assert.equal(battery.state, 'online');
    assert.equal(battery.batteryState, 'running');
    assert.equal(typeof battery.reading.socPct, 'number');
    assert.deepEqual(Object.keys(battery.retry).sort(), ['backoffCapMs', 'backoffStepMs', 'cyclesWithoutFreshReading']);
    const pv = await f.api('/api/devices/pv-1', { token: null });
    assert.equal(pv.status, 200);
    assert.equal(pv.body.nature, 'pv-inverter');
    assert.ok(pv.body.reading.powerW > 0, 'the sun is up at 13:00 in Melbourne');
    const missing = await f.api('/api/devices/pv-9', { token: null });
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /pv-9/);
  });

  test('GET /api/setpoints says for every setpoint which controller bound it and why, and the grid target follows an operator setpoint', async () => {
    const put = await f.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: 1500, validForS: 120 } });
    assert.equal(put.status, 200);
    await f.cycles(1);
    const { status, body } = await f.api('/api/setpoints', { token: null });
    assert.equal(status, 200);
    assert.equal(body.grid.gridTargetW, 1500);
    assert.equal(body.grid.decidedBy, 'operator-setpoint');
    assert.equal(body.grid.operatorTarget.source, 'live');
    assert.ok(body.devices.length >= 3);
    for (const device of body.devices) {
      assert.ok(CONTROLLERS.has(device.decidedBy), `${device.deviceId} decided by ${device.decidedBy}`);
      assert.ok(device.reason.length > 0);
      assert.ok(device.trail.length > 0 && device.trail[0].controller === 'safety', 'safety narrows first');
    }
  });

  test('writes without the token or with a wrong one are refused with 401 and change nothing', async () => {
    const before = (await f.api('/api/status', { token: null })).body.operatorTarget;
    const scheduleBefore = f.controller.service.schedule();
    const noToken = await f.api('/api/grid-setpoint', { method: 'PUT', token: null, json: { gridTargetW: -7000 } });
    assert.equal(noToken.status, 401);
    assert.match(noToken.body.error, /token/);
    const wrong = await f.api('/api/grid-setpoint', {
      method: 'PUT',
      token: 'not-the-operator-token-at-all',
      json: { gridTargetW: -7000 },
    });
    assert.equal(wrong.status, 401);
    const schedule = await f.api('/api/schedule', {
      method: 'PUT',
      token: null,
      json: [{ fromMs: 0, toMs: 1, gridTargetW: 0 }],
    });
    assert.equal(schedule.status, 401);
    const service = await f.api('/api/devices/pv-1/service', {
      method: 'POST',
      token: 'wrong-token-wrong-token',
      json: { inService: false },
    });
    assert.equal(service.status, 401);
    assert.deepEqual((await f.api('/api/status', { token: null })).body.operatorTarget, before);
    assert.equal(f.controller.service.schedule(), scheduleBefore);
    assert.equal(f.controller.service.device('pv-1').inService, true);
  });

  test('bad input gets a 4xx JSON error naming the field, and the state before and after is the same', async () => {
    // What an operator write could change: the target, the schedule, which devices are in service, battery states.
    const operatorState = () => ({
      target: f.controller.service.status().operatorTarget,
      schedule: f.controller.service.schedule(),
      devices: f.controller.service.devices().map((d) => [d.id, d.inService, d.batteryState]),
    });
    const before = operatorState();
    const cases: Array<{
      path: string;
      method: string;
      json?: unknown;
      body?: string;
      contentType?: string;
      status: number;
      field?: string;
    }> = [
      { path: '/api/grid-setpoint', method: 'PUT', json: { gridTargetW: 'a lot' }, status: 400, field: 'gridTargetW' },
      { path: '/api/grid-setpoint', method: 'PUT', json: { gridTargetW: 5e9 }, status: 400, field: 'gridTargetW' },
      // The field's name before the API settled on one convention: refused, not taken as a target of 0.
      { path: '/api/grid-setpoint', method: 'PUT', json: { targetW: 1000 }, status: 400 },
      {
        path: '/api/grid-setpoint',
        method: 'PUT',
        json: { gridTargetW: 1000, validForS: -5 },
        status: 400,
        field: 'validForS',
      },
      {
        path: '/api/grid-setpoint',
        method: 'PUT',
        json: { gridTargetW: 1000, validForS: 999_999 },
        status: 400,
        field: 'validForS',
      },
      {
        path: '/api/grid-setpoint',
        method: 'PUT',
        json: { gridTargetW: 1000, extra: true },
        status: 400,
        field: '(body)',
      },
      {
        path: '/api/grid-setpoint',
        method: 'PUT',
        body: '{"gridTargetW": 10',
        contentType: 'application/json',
        status: 400,
      },
      { path: '/api/grid-setpoint', method: 'PUT', body: 'gridTargetW=10', contentType: 'text/plain', status: 415 },
      { path: '/api/schedule', method: 'PUT', json: [{ fromMs: 0, gridTargetW: 10 }], status: 400, field: '0.toMs' },
      {
        path: '/api/schedule',
        method: 'PUT',
        json: [
          { fromMs: 0, toMs: 2000, gridTargetW: 0 },
          { fromMs: 1000, toMs: 3000, gridTargetW: 0 },
        ],
        status: 400,
      },
      { path: '/api/devices/pv-1/service', method: 'POST', json: { inService: 'no' }, status: 400, field: 'inService' },
      { path: '/api/devices/nope/service', method: 'POST', json: { inService: false }, status: 404 },
      { path: '/api/devices/pv-1/acknowledge', method: 'POST', json: {}, status: 409 },
      { path: '/api/devices/battery-1/acknowledge', method: 'POST', status: 415 },
      { path: '/api/devices/battery-1/service', method: 'POST', body: '{"inService":false}', status: 415 },
      { path: '/api/status', method: 'PUT', json: {}, status: 405 },
    ];
    for (const c of cases) {
      const headers: Record<string, string> = {};
      if (c.contentType) headers['content-type'] = c.contentType;
      const response = await f.api(c.path, {
        method: c.method,
        headers,
        ...(c.json !== undefined ? { json: c.json } : {}),
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      assert.equal(
        response.status,
        c.status,
        `${c.method} ${c.path} ${JSON.stringify(c.json ?? c.body)}: ${JSON.stringify(response.body)}`,
      );
      assert.equal(typeof response.body.error, 'string');
      assert.ok(Array.isArray(response.body.details));
      if (c.field)
        assert.ok(
          response.body.details.some((d: { path: string }) => d.path === c.field),
          `${JSON.stringify(response.body.details)} names ${c.field}`,
        );
    }
    const overlap = await f.api('/api/schedule', {
      method: 'PUT',
      json: [
        { fromMs: 0, toMs: 2000, gridTargetW: 0 },
        { fromMs: 1000, toMs: 3000, gridTargetW: 0 },
      ],
    });
    assert.match(JSON.stringify(overlap.body.details), /overlap/);
    await f.cycles(1);
    assert.deepEqual(operatorState(), before);
  });

  test('a schedule put through the API replaces the schedule in force', async () => {
    const now = f.scheduler.now();
    const entries = [
      { fromMs: now + 3_600_000, toMs: now + 7_200_000, gridTargetW: -3000 },
      { fromMs: now + 7_200_000, toMs: now + 10_800_000, gridTargetW: 2000 },
    ];
    const put = await f.api('/api/schedule', { method: 'PUT', json: entries });
    assert.equal(put.status, 200);
    assert.deepEqual(
      put.body.schedule.map((e: { gridTargetW: number }) => e.gridTargetW),
      [-3000, 2000],
    );
    const read = await f.api('/api/schedule', { token: null });
    assert.deepEqual(read.body.schedule, put.body.schedule);
  });

  test('taking a device out of service through the API stops its reads; putting it back reconnects it', async () => {
    const out = await f.api('/api/devices/miner-1/service', { method: 'POST', json: { inService: false } });
    assert.equal(out.status, 200);
    assert.equal(out.body.state, 'outOfService');
    const report = await f.cycles(1);
    assert.equal(report.image.devices['miner-1']!.health, 'outOfService');
    assert.equal(report.image.devices['miner-1']!.fresh, false);
    const back = await f.api('/api/devices/miner-1/service', { method: 'POST', json: { inService: true } });
    assert.equal(back.status, 200);
    await f.untilOnline(['miner-1']);
    assert.equal((await f.cycles(1)).image.devices['miner-1']!.fresh, true);
  });

  test('a battery fault is acknowledged through the API only once the fault is gone', async () => {
    f.plant.fault('battery-1').inject({ kind: 'device-fault' });
    await f.cycles(2);
    assert.equal(f.controller.service.device('battery-1').batteryState, 'error');
    const early = await f.api('/api/devices/battery-1/acknowledge', { method: 'POST', json: {} });
    assert.equal(early.status, 409, 'refused while the fault is present');
    assert.match(early.body.error, /battery-1 still reports its fault/);
    assert.equal(f.controller.service.device('battery-1').batteryState, 'error');
    f.plant.fault('battery-1').clear();
    await f.untilOnline(['battery-1']);
    await f.cycles(2);
    assert.equal(
      f.controller.service.device('battery-1').batteryState,
      'error',
      'a cleared fault still waits for the operator',
    );
    const ack = await f.api('/api/devices/battery-1/acknowledge', { method: 'POST', json: {} });
    assert.equal(ack.status, 200);
    assert.equal(ack.body.batteryState, 'standby');
    await f.cycles(2);
    assert.equal(f.controller.service.device('battery-1').batteryState, 'running');
  });

  test("GET /api/stream delivers each cycle's process image as Server-Sent Events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${f.controller.api.url}/api/stream`, { signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const nextCycle = f.controller.service.lastReport()!.cycleIndex + 1;
    let text = '';
    const seen: number[] = [];
    const cycling = f.cycles(2);
    while (!seen.includes(nextCycle + 1)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const event = text.slice(0, end);
        text = text.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (/^event: process-image$/m.test(event) && data) {
          const image = JSON.parse(data);
          assert.ok(image.image.devices['meter-1'], 'the image holds every device');
          seen.push(image.cycleIndex);
        }
      }
    }
    await cycling;
    controller.abort();
    assert.ok(seen.includes(nextCycle) && seen.includes(nextCycle + 1), `cycles seen: ${seen.join(', ')}`);
  });

  test('GET /metrics exposes cycle time, device states, grid power and deviation, setpoints and alerts', async () => {
    const response = await fetch(`${f.controller.api.url}/metrics`);
    assert.equal(response.status, 200);
    const text = await response.text();
    for (const series of [
      'gridcoop_cycle_duration_seconds_bucket',
      'gridcoop_device_state{device="battery-1",state="online"} 1',
      'gridcoop_grid_power_watts',
      'gridcoop_grid_deviation_watts',
      'gridcoop_grid_target_watts',
      'gridcoop_device_setpoint_watts{device="battery-1"}',
      'gridcoop_maintenance_alerts{severity="critical"}',
    ]) {
      assert.ok(text.includes(series), `missing ${series}`);
    }
  });

  test('GET /api/plan, /api/policy, /api/cycle, /api/forecast and /api/alerts answer with JSON', async () => {
    f.controller.service.replan();
    const plan = await f.api('/api/plan', { token: null });
    assert.equal(plan.status, 200);
    assert.equal(plan.body.plan.steps.length, 96);
    // Device powers are generation positive in the API: the plan's miners draw, so their power is never above 0, and
    // it is the planner's draw with the sign turned.
    const planned = f.controller.service.plan().plan!.steps;
    plan.body.plan.steps.forEach((step: { minerPowerW: number }, i: number) => {
      assert.ok(step.minerPowerW <= 0, `step ${i}: ${step.minerPowerW}`);
      assert.equal(step.minerPowerW, -planned[i]!.minerPowerW || 0);
    });
    assert.equal(
      plan.body.sources.load,
      'seasonal-load-shape (scaled to the latest measurement)',
      'no week of history yet: the fallback says so',
    );
    assert.match(plan.body.sources.pv, /^clear-sky-pv/);
    const policy = await f.api('/api/policy', { token: null });
    assert.equal(policy.body.version, 0);
    assert.equal(policy.body.policy.battery_reserve_pct, 20);
    assert.equal((await f.api('/api/cycle', { token: null })).body.periodMs, 1000);
    const forecast = await f.api('/api/forecast', { token: null });
    assert.ok(Array.isArray(forecast.body.steps));
    assert.equal(forecast.body.models.load.active, 'seasonal-naive', 'no model file configured');
    assert.equal(forecast.body.models.pv.reason, 'no model trained yet');
    assert.deepEqual((await f.api('/api/alerts', { token: null })).body, []);
  });

  test('CORS: the configured UI origin may call the API from a browser, another origin may not', async () => {
    const allowed = await fetch(`${f.controller.api.url}/api/grid-setpoint`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' },
    });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    const other = await fetch(`${f.controller.api.url}/api/grid-setpoint`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' },
    });
    assert.equal(other.status, 403);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('logs are structured JSON lines carrying the device id and the cycle number', () => {
    const deviceLine = f.logLines.find((l) => l.deviceId === 'battery-1' && typeof l.cycle === 'number');
    assert.ok(deviceLine, 'a line about battery-1 in a cycle (its fault)');
    assert.equal(deviceLine.service, 'gridcoop-controller');
    assert.ok(f.logLines.some((l) => l.msg === 'operator grid setpoint'));
  });
});
