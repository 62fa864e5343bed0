import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { PlantEndpoint } from '@gridcoop/devices/plant/index';
import {
  ControllerConfigError,
  loadControllerConfigFile,
  parseControllerConfig,
  plantSpecOf,
  resolveApiToken,
  type ControllerConfigInput,
} from '../../src/config/index.ts';
import { configFromPlant } from '../../../scripts/config-from-plant.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const minimal = (): ControllerConfigInput => ({
  plant: {
    devices: [
      { nature: 'meter', id: 'meter-1', driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1502 } },
      {
        nature: 'pv-inverter',
        id: 'pv-1',
        driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1503 },
        ratedPowerW: 10_000,
      },
      {
        nature: 'battery',
        id: 'battery-1',
        driver: { type: 'sunspec-rtu', path: '/dev/ttyUSB0', unitId: 3 },
        capacityWh: 10_000,
        maxChargeW: 5_000,
        maxDischargeW: 5_000,
      },
      {
        nature: 'flexible-load',
        id: 'miner-1',
        driver: { type: 'opcua', endpointUrl: 'opc.tcp://127.0.0.1:4840/', browseName: 'miner-1' },
        minPowerW: 1_000,
        maxPowerW: 3_000,
      },
    ],
  },
  grid: { importCapW: 50_000, exportCapW: 20_000 },
});

/** Parses and returns the issues of a refused configuration (fails the test if it was accepted). */
function issuesOf(input: unknown): ReadonlyArray<{ path: string; message: string }> {
  try {
    parseControllerConfig(input);
  } catch (error) {
    assert.ok(error instanceof ControllerConfigError, String(error));
    return error.issues;
  }
  assert.fail('the configuration was accepted');
}

test('a configuration with only the devices and the grid caps gets defaults for everything else (the demo settings)', () => {
  const config = parseControllerConfig(minimal());
  assert.equal(config.plant.gridMeterId, 'meter-1');
  assert.deepEqual(config.grid, { importCapW: 50_000, exportCapW: 20_000 });
  assert.equal(config.cycle.periodMs, 1_000);
  assert.equal(config.cycle.readTimeoutMs, 400);
  assert.equal(config.planner.everyMs, 900_000);
  assert.equal(config.planner.horizonMs, 86_400_000);
  assert.equal(config.policy.battery_reserve_pct, 20);
  assert.equal(config.api.host, '127.0.0.1');
  assert.equal(config.logging.level, 'info');
  assert.equal(config.operatorSetpoint.defaultValidForS, 60);
  assert.equal(config.miners.enableDelayMs, 60_000);
  const battery = config.plant.devices[2]!;
  assert.equal(
    battery.nature === 'battery' && battery.driver.type === 'sunspec-rtu' ? battery.driver.baudRate : null,
    9600,
  );
});

test('bad configurations are refused with the path of the field and the reason', () => {
  // Each case breaks one field of a valid input on purpose, including into the wrong type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: Array<{ change: (c: any) => void; path: string; reason?: RegExp }> = [
    { change: (c) => (c.plant.devices[0].driver.port = 70_000), path: 'plant.devices.0.driver.port' },
    { change: (c) => (c.plant.devices[1].ratedPowerW = -5), path: 'plant.devices.1.ratedPowerW' },
    {
      change: (c) => (c.plant.devices[3].driver.endpointUrl = 'http://127.0.0.1:4840'),
      path: 'plant.devices.3.driver.endpointUrl',
      reason: /opc\.tcp/,
    },
    {
      change: (c) => (c.plant.devices[3].driver = { type: 'sunspec-tcp', host: 'x', port: 1 }),
      path: 'plant.devices.3.driver.type',
    },
    { change: (c) => (c.plant.devices[3].minPowerW = 5_000), path: 'plant.devices.3.minPowerW', reason: /maxPowerW/ },
    { change: (c) => (c.plant.devices[1].id = 'meter-1'), path: 'plant.devices.1.id', reason: /already used/ },
    { change: (c) => (c.plant.gridMeterId = 'pv-1'), path: 'plant.gridMeterId', reason: /not a meter/ },
    { change: (c) => (c.grid = { importCapW: -1 }), path: 'grid.importCapW' },
    {
      change: (c) => (c.cycle = { periodMs: 500, readTimeoutMs: 400, writeTimeoutMs: 300 }),
      path: '',
      reason: /room within periodMs/,
    },
    { change: (c) => (c.api = { port: 'eighty' }), path: 'api.port' },
    { change: (c) => (c.api = { token: 'short' }), path: 'api.token', reason: /16/ },
    { change: (c) => (c.logging = { level: 'loud' }), path: 'logging.level' },
    { change: (c) => (c.policy = { battery_reserve_pct: 2 }), path: 'policy.battery_reserve_pct' },
    { change: (c) => (c.planner = { horizonMs: 4_000_000 }), path: 'planner.horizonMs', reason: /stepMs/ },
    { change: (c) => (c.planner = { importPricePerKWh: [0.1, 0.2] }), path: 'planner.importPricePerKWh' },
    {
      change: (c) => (c.forecasting = { timeZone: 'Mars/Olympus_Mons' }),
      path: 'forecasting.timeZone',
      reason: /time zone/,
    },
    { change: (c) => (c.grdi = {}), path: '', reason: /grdi/ },
  ];
  for (const { change, path, reason } of cases) {
    const input = minimal();
    change(input);
    const issues = issuesOf(input);
    const issue = issues.find((i) => i.path === path || (path === '' && reason?.test(i.message)));
    assert.ok(issue, `expected an issue at "${path}", got ${JSON.stringify(issues)}`);
    if (reason) assert.match(issue.message, reason);
  }
});

test('a configuration file that is missing, not JSON or invalid is refused naming the file and the field', () => {
  assert.throws(
    () => loadControllerConfigFile(join(dir, 'missing.json')),
    (e: unknown) =>
      e instanceof ControllerConfigError && /missing\.json/.test(e.message) && /cannot read/.test(e.message),
  );
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "plant": ');
  assert.throws(
    () => loadControllerConfigFile(broken),
    (e: unknown) => e instanceof ControllerConfigError && /not valid JSON/.test(e.message),
  );
  const invalid = join(dir, 'invalid.json');
  const input = minimal();
  (input.plant.devices[0]!.driver as { port: number }).port = 0;
  writeFileSync(invalid, JSON.stringify(input));
  assert.throws(
    () => loadControllerConfigFile(invalid),
    (e: unknown) =>
      e instanceof ControllerConfigError &&
      e.issues.some((i) => i.path === 'plant.devices.0.driver.port') &&
      e.message.includes(invalid),
  );
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify(minimal()));
  assert.equal(loadControllerConfigFile(good).plant.devices.length, 4);
});

test('the operator token comes from GRIDCOOP_API_TOKEN before the file, and a short one is refused', () => {
  const config = parseControllerConfig({ ...minimal(), api: { token: 'token-from-the-file-0123' } });
  assert.equal(resolveApiToken(config, {}), 'token-from-the-file-0123');
  assert.equal(
    resolveApiToken(config, { GRIDCOOP_API_TOKEN: 'token-from-the-environment' }),
    'token-from-the-environment',
  );
  assert.throws(
    () => resolveApiToken(config, { GRIDCOOP_API_TOKEN: 'short' }),
    (e: unknown) => e instanceof ControllerConfigError && e.issues[0]!.path === 'GRIDCOOP_API_TOKEN',
  );
  assert.equal(resolveApiToken(parseControllerConfig(minimal()), {}), null, 'no token: writes are disabled');
});

test('the plant spec takes reversion times from the configuration unless a device sets its own', () => {
  const input = minimal();
  (input.plant.devices[1] as { reversionS?: number }).reversionS = 15;
  const spec = plantSpecOf(
    parseControllerConfig({ ...input, reversion: { batteryS: 20 }, grid: { importCapW: 9_000, exportCapW: 4_000 } }),
  );
  assert.equal(spec.importCapW, 9_000);
  assert.equal(spec.exportCapW, 4_000);
  const pv = spec.devices.find((d) => d.id === 'pv-1');
  const battery = spec.devices.find((d) => d.id === 'battery-1');
  assert.equal(pv?.kind === 'pv-inverter' ? pv.reversionS : null, 15);
  assert.equal(battery?.kind === 'battery' ? battery.reversionS : null, 20);
});

test("a configuration is built from a simulated plant's endpoints with the ratings of its plant configuration", () => {
  const endpoints: PlantEndpoint[] = [
    {
      id: 'meter-1',
      kind: 'meter',
      protocol: 'modbus-tcp',
      host: '127.0.0.1',
      port: 40001,
      unitId: 1,
      baseAddress: 40_000,
    },
    { id: 'pv-1', kind: 'pv-inverter', protocol: 'modbus-rtu', path: '/dev/pts/7', unitId: 2, baseAddress: 50_000 },
    {
      id: 'battery-1',
      kind: 'battery',
      protocol: 'modbus-tcp',
      host: '127.0.0.1',
      port: 40003,
      unitId: 1,
      baseAddress: 40_000,
    },
    {
      id: 'miner-1',
      kind: 'miner',
      protocol: 'opcua',
      endpointUrl: 'opc.tcp://127.0.0.1:48000/',
      browseName: 'miner-1',
    },
  ];
  const plantInput = {
    pvInverters: [{ id: 'pv-1', ratedPowerW: 12_000 }],
    batteries: [{ id: 'battery-1', capacityWh: 8_000, maxChargeW: 4_000, maxDischargeW: 3_000 }],
    miners: [{ id: 'miner-1', minPowerW: 500, maxPowerW: 2_000 }],
  };
  const config = parseControllerConfig(configFromPlant(endpoints, plantInput, { grid: { exportCapW: 5_000 } }));
  assert.equal(config.grid.exportCapW, 5_000);
  const byId = new Map(config.plant.devices.map((d) => [d.id, d]));
  assert.deepEqual(byId.get('pv-1')?.driver, {
    type: 'sunspec-rtu',
    path: '/dev/pts/7',
    baudRate: 9600,
    unitId: 2,
    baseAddress: 50_000,
  });
  const battery = byId.get('battery-1');
  assert.equal(battery?.nature === 'battery' ? battery.maxDischargeW : null, 3_000);
  const miner = byId.get('miner-1');
  assert.equal(miner?.nature === 'flexible-load' ? miner.driver.endpointUrl : null, 'opc.tcp://127.0.0.1:48000/');
  assert.throws(
    () => configFromPlant(endpoints.slice(1), plantInput),
    (e: unknown) => e instanceof ControllerConfigError && e.issues[0]!.path === 'meter-1',
  );
});

test('the example configuration file in the config folder is valid', () => {
  const example = new URL('../../src/config/example.controller.json', import.meta.url).pathname;
  const config = loadControllerConfigFile(example);
  assert.equal(config.plant.devices.length, 4);
  assert.equal(config.api.port, 8080);
});

test('a configuration without grid caps is refused: caps are safety limits and never defaulted', () => {
  const { grid: _grid, ...withoutGrid } = minimal();
  const missing = issuesOf(withoutGrid);
  assert.equal(missing[0]!.path, 'grid');
  assert.match(missing[0]!.message, /grid is required: .* safety limits .* never defaulted/);
  const onlyImport = issuesOf({ ...minimal(), grid: { importCapW: 30_000 } });
  assert.deepEqual(
    onlyImport.map((i) => i.path),
    ['grid.exportCapW'],
  );
  assert.match(onlyImport[0]!.message, /exportCapW is required/);
});
