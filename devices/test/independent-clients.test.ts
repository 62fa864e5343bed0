import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startTestPlant } from './support/plant-fixture.ts';

const run = promisify(execFile);
let fixture: Awaited<ReturnType<typeof startTestPlant>>;
before(async () => {
  fixture = await startTestPlant({ pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000, unitId: 3 }], batteries: [] });
});
after(async () => {
  await fixture.stop();
});

test("Debian's mbpoll reads the inverter's SunS marker and model 1 header (1-based reference 40001)", async () => {
  const port = String(fixture.endpoint('pv-1').port);
  const { stdout } = await run('mbpoll', [
    '-m',
    'tcp',
    '-a',
    '3',
    '-r',
    '40001',
    '-c',
    '4',
    '-t',
    '4:hex',
    '-1',
    '-p',
    port,
    '127.0.0.1',
  ]);
  assert.match(stdout, /\[40001\]:\s+0x5375/);
  assert.match(stdout, /\[40002\]:\s+0x6E53/);
  assert.match(stdout, /\[40003\]:\s+0x0001/);
  assert.match(stdout, /\[40004\]:\s+0x0042/); // L = 66
});

test('python3-pymodbus reads the map and gets exception 2 writing a measurement', async () => {
  const port = fixture.endpoint('pv-1').port as number;
  const script = [
    'import sys',
    'from pymodbus.client import ModbusTcpClient',
    `c = ModbusTcpClient('127.0.0.1', port=${port})`,
    'assert c.connect()',
    'r = c.read_holding_registers(40000, 4, slave=3)',
    'print(" ".join(str(v) for v in r.registers))',
    'w = c.write_register(40000 + 2 + 68 + 14, 5, slave=3)', // model 103 W
    'print("exception", w.exception_code)',
    'c.close()',
  ].join('\n');
  const { stdout } = await run('/usr/bin/python3', ['-c', script]);
  assert.match(stdout, /^21365 28243 1 66$/m);
  assert.match(stdout, /^exception 2$/m);
});
