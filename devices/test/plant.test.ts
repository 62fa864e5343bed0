import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { GridMeterModel } from '../src/models/grid-meter.ts';
import type { MinerModel } from '../src/models/miner.ts';
import { startPlant, UnknownDeviceError } from '../src/plant/start-plant.ts';
import { ManualClock } from '../src/sim/clock.ts';
import { SUMMER_NOON_MS } from './support/plant-fixture.ts';

test('the demo plant starts every device, miners on OPC UA, and its meter balances all of them', async () => {
  const clock = new ManualClock(SUMMER_NOON_MS);
  const plant = await startPlant({}, { clock });
  try {
    const kinds = plant.endpoints.map((e) => `${e.kind}/${e.protocol}`);
    assert.deepEqual(kinds.filter((k) => k === 'pv-inverter/modbus-tcp').length, 3);
    assert.deepEqual(kinds.filter((k) => k === 'battery/modbus-tcp').length, 2);
    assert.deepEqual(kinds.filter((k) => k === 'meter/modbus-tcp').length, 1);
    const miners = plant.endpoints.filter((e) => e.kind === 'miner');
    assert.equal(miners.length, 3);
    for (const miner of miners) {
      assert.match(miner.endpointUrl ?? '', /^opc\.tcp:\/\/127\.0\.0\.1:\d+/);
      assert.equal(miner.browseName, miner.id);
    }
    clock.advance(60_000);
    plant.advance();
    const meter = plant.model('meter-1') as GridMeterModel;
    const minersW = miners.reduce((sum, m) => sum + (plant.model(m.id) as MinerModel).powerW, 0);
    assert.ok(minersW > 0, 'miners draw power');
    const devicesW = plant.endpoints
      .filter((e) => e.kind !== 'meter')
      .reduce((sum, e) => sum + plant.model(e.id).acPowerW, 0);
    assert.ok(Math.abs(meter.powerW - (plant.siteLoad.demandW - devicesW)) < 1e-6);
    assert.throws(() => plant.model('nope'), UnknownDeviceError);
    assert.throws(() => plant.fault('nope'), UnknownDeviceError);
  } finally {
    await plant.stop();
  }
});

test('npm run plant prints every endpoint of the configured plant and stops on SIGTERM', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-plant-cli-'));
  const configPath = join(dir, 'plant.json');
  writeFileSync(
    configPath,
    JSON.stringify({ miners: [], pvInverters: [{ id: 'roof', ratedPowerW: 12_000 }], batteries: [] }),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'devices/src/cli/plant.ts', '--config', configPath, '--speed', '60'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let signalled = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    output += text;
    if (!signalled && output.includes('Ctrl-C stops it.')) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, output);
  assert.match(output, /meter-1\s+modbus-tcp:\/\/127\.0\.0\.1:\d+ unit 1 SunSpec base 40000/);
  assert.match(output, /roof\s+modbus-tcp:\/\/127\.0\.0\.1:\d+/);
  assert.match(output, /SIGTERM: stopping the plant/);
  rmSync(dir, { recursive: true, force: true });
});

test('npm run plant refuses an invalid config, naming the field, and exits 1', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const configPath = join(mkdtempSync(join(tmpdir(), 'gridcoop-plant-cli-')), 'bad.json');
  writeFileSync(configPath, JSON.stringify({ pvInverters: [{ id: 'roof', ratedPowerW: -3 }] }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'devices/src/cli/plant.ts', '--config', configPath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 1);
  assert.match(stderr, /pvInverters\.0\.ratedPowerW/);
  rmSync(dirname(configPath), { recursive: true, force: true });
});

test('a port given in the config is the port the device listens on; absent ports come from the OS', async () => {
  const free = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
  const plant = await startPlant(
    {
      miners: [],
      batteries: [],
      pvInverters: [
        { id: 'fixed', ratedPowerW: 5000, port: free },
        { id: 'picked', ratedPowerW: 5000 },
      ],
    },
    { clock: new ManualClock(SUMMER_NOON_MS) },
  );
  try {
    assert.equal(plant.endpoints.find((e) => e.id === 'fixed')?.port, free);
    const picked = plant.endpoints.find((e) => e.id === 'picked')?.port ?? 0;
    assert.ok(picked > 0 && picked !== free);
  } finally {
    await plant.stop();
  }
});
