// The controller's /metrics as Prometheus and Grafana see it: promtool's own check passes on a scrape, and every
// metric the Grafana dashboard in the repo reads exists on that scrape. The controller records to a chain that is
// not there, so metering intervals stay pending and the oldest-pending gauge is present too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ORACLE_MNEMONIC_ENV } from '../../src/config/index.ts';
import { smallPlant, startControllerFixture, type ControllerFixture } from '../service/controller-fixture.ts';
import { metricNamesOf, sampleNamesOf } from './promql-metric-names.ts';

const DASHBOARD = new URL('../../observability/grafana-dashboard.json', import.meta.url);
/** BIP-39's well-known test phrase: a valid key that owns nothing anywhere. */
const TEST_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

/** A port nothing listens on: picked by the OS, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function dashboardExpressions(): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return dashboard.panels
    .filter((p) => p.type !== 'row')
    .flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

describe('the controller metrics as Prometheus and Grafana read them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-metrics-'));
  let f: ControllerFixture;
  let scrape: string;

  before(async () => {
    f = await startControllerFixture({
      plant: smallPlant,
      config: {
        planner: { enabled: false },
        ledger: {
          mode: 'cosmwasm',
          chain: {
            rpcUrl: `http://127.0.0.1:${await closedPort()}`,
            chainId: 'nowhere-1',
            prefix: 'gridcoop',
            gasPrice: '0.025ugrid',
          },
          registryAddress: 'gridcoop1registrynotdeployed',
          intervalS: 60,
          outboxPath: join(dir, 'outbox.sqlite'),
          nodes: { 'pv-1': 1, 'battery-1': 2 },
        },
      },
      env: { [ORACLE_MNEMONIC_ENV]: TEST_MNEMONIC },
    });
    await f.untilOnline();
    // Past one whole interval on the manual clock: its records wait in the outbox for a chain that never answers.
    for (let i = 0; i < 400 && (f.controller.service.ledger().outbox?.pending ?? 0) === 0; i++) await f.cycles(1);
    assert.ok((f.controller.service.ledger().outbox?.pending ?? 0) > 0, 'metering intervals are pending');
    await f.cycles(1);
    const response = await f.api('/metrics', { token: null });
    assert.equal(response.status, 200);
    scrape = response.body as string;
  });
  after(async () => {
    await f?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('promtool check metrics passes on a scrape of a running controller', () => {
    const run = spawnSync('promtool', ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
      assert.fail("promtool is not installed: `npm run setup` installs Debian's prometheus package, which has it");
    assert.equal(`${run.stdout}${run.stderr}`.trim(), '', 'promtool reports no problem');
    assert.equal(run.status, 0);
  });

  test('promtool does find problems in an exposition that has them (so the check above can fail)', () => {
    const bad = '# HELP odd_total a gauge named like a counter\n# TYPE odd_total gauge\nodd_total 1\n';
    const run = spawnSync('promtool', ['check', 'metrics'], { input: bad, encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    assert.match(`${run.stdout}${run.stderr}`, /odd_total/);
  });

  test('the scrape has what the issue asks for, the oldest pending interval included while records pend', () => {
    const names = sampleNamesOf(scrape);
    for (const name of [
      'gridcoop_device_power_watts',
      'gridcoop_battery_soc_percent',
      'gridcoop_device_energy_joules',
      'gridcoop_grid_power_watts',
      'gridcoop_grid_target_watts',
      'gridcoop_plant_state',
      'gridcoop_cycle_dropped_ticks',
      'gridcoop_event_loop_lag_seconds',
      'gridcoop_last_cycle_timestamp_seconds',
      'gridcoop_outbox_oldest_pending_interval_seconds',
    ])
      assert.ok(names.has(name), `${name} is on /metrics`);
  });

  test('every metric a panel of the Grafana dashboard reads exists on /metrics', () => {
    const expressions = dashboardExpressions();
    assert.ok(expressions.length >= 15, `${expressions.length} expressions`);
    const onMetrics = sampleNamesOf(scrape);
    const missing: string[] = [];
    let checked = 0;
    for (const { panel, expr } of expressions) {
      const names = metricNamesOf(expr);
      assert.ok(names.length > 0, `"${panel}": ${expr} reads a metric`);
      for (const name of names) {
        checked++;
        if (!onMetrics.has(name)) missing.push(`"${panel}": ${name}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(checked >= expressions.length);
  });

  test('a dashboard expression naming a metric the controller does not have is caught', () => {
    const onMetrics = sampleNamesOf(scrape);
    const names = metricNamesOf(
      'sum by (device) (rate(gridcoop_device_power_watts_total[5m])) / gridcoop_grid_power_watts',
    );
    assert.deepEqual(
      names.filter((n) => !onMetrics.has(n)),
      ['gridcoop_device_power_watts_total'],
    );
  });
});
