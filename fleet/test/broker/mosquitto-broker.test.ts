import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { connectAsync } from 'mqtt';
import { MosquittoBroker, pickFreePort } from '../../src/broker/index.ts';
import { nodeTopic } from '@gridcoop/fleet-protocol';
import { startTestBroker } from '../support/test-broker.ts';

const TIMEOUT = { timeout: 60_000 };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('the broker starts on a free port, refuses a wrong password and stops with stop()', TIMEOUT, async () => {
  const fleet = await startTestBroker(['home-1']);
  try {
    const pid = fleet.broker.pid ?? 0;
    assert.ok(isAlive(pid));
    const site = await fleet.connect('home-1');
    await site.endAsync();
    await assert.rejects(
      connectAsync(fleet.broker.url, { protocolVersion: 5, reconnectPeriod: 0, username: 'home-1', password: 'no' }),
      /Bad User Name or Password|Not authorized/,
    );
    await assert.rejects(connectAsync(fleet.broker.url, { protocolVersion: 5, reconnectPeriod: 0 }));
    // The secrets are readable by their owner only.
    assert.equal(statSync(`${fleet.dir}/credentials/passwd`).mode & 0o777, 0o600);
    assert.equal(statSync(`${fleet.dir}/credentials/credentials.json`).mode & 0o777, 0o600);
    assert.doesNotMatch(readFileSync(`${fleet.dir}/credentials/passwd`, 'utf8'), /home-1:[^$]/);
    await fleet.broker.stop();
    assert.equal(isAlive(pid), false);
  } finally {
    await fleet.close();
  }
});

test(
  'a picked port that another process takes first is a clash: the broker retries on a new port',
  TIMEOUT,
  async () => {
    const takenPort = await pickFreePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(takenPort, '127.0.0.1', resolve));
    const picked: number[] = [];
    // The first pick is the taken port, as if another process had grabbed it between our pick and Mosquitto's bind.
    const pickPort = async (host: string): Promise<number> => {
      const port = picked.length === 0 ? takenPort : await pickFreePort(host);
      picked.push(port);
      return port;
    };
    const fleet = await startTestBroker(['home-1'], { pickPort });
    try {
      assert.equal(picked.length, 2);
      assert.equal(fleet.broker.port, picked[1]);
      assert.ok(fleet.broker.recentLog().some((line) => /Address already in use/.test(line)));
      const site = await fleet.connect('home-1');
      await site.endAsync();
      // A fixed port that is taken fails every attempt, with the reason in the error.
      await assert.rejects(
        MosquittoBroker.start({
          dir: `${fleet.dir}/second`,
          passwordFile: `${fleet.dir}/credentials/passwd`,
          aclFile: `${fleet.dir}/credentials/acl`,
          port: takenPort,
          maxAttempts: 2,
        }),
        /could not start in 2 attempts: .*Address already in use/s,
      );
    } finally {
      await fleet.close();
      blocker.close();
    }
  },
);

test(
  "a site publishing on another site's topic gets MQTT 5 PUBACK 135, and the broker logs the denial",
  TIMEOUT,
  async () => {
    const fleet = await startTestBroker(['home-1', 'home-2'], { logDebug: true });
    try {
      const aggregator = await fleet.connect('aggregator');
      await aggregator.subscribeAsync('spBv1.0/gridcoop/+/+', { qos: 1 });
      const received: string[] = [];
      aggregator.on('message', (topic) => received.push(topic));
      const intruder = await fleet.connect('home-2');
      await assert.rejects(
        intruder.publishAsync(nodeTopic('NDATA', 'home-1'), 'spoof', { qos: 1 }),
        (
          error: Error & {
            code?: number;
          },
        ) => error.code === 135,
      );
      // Its own topic passes, on the same connection (the refusal did not close it).
      await intruder.publishAsync(nodeTopic('NDATA', 'home-2'), 'ok', { qos: 1 });
      // Nor may a site command anyone, itself included.
      await assert.rejects(intruder.publishAsync(nodeTopic('NCMD', 'home-1'), 'x', { qos: 1 }), /135|Not authorized/);
      await fleet.broker.waitForLog(/Denied PUBLISH from home-2-\w+ .*spBv1.0\/gridcoop\/NDATA\/home-1/);
      await until(() => received.includes(nodeTopic('NDATA', 'home-2')), 'the allowed message');
      assert.deepEqual(received, [nodeTopic('NDATA', 'home-2')]);
      await intruder.endAsync();
      await aggregator.endAsync();
    } finally {
      await fleet.close();
    }
  },
);

test('a site reads only its own commands; the aggregator commands every site', TIMEOUT, async () => {
  const fleet = await startTestBroker(['home-1', 'home-2']);
  try {
    const home1 = await fleet.connect('home-1');
    const seen: string[] = [];
    home1.on('message', (topic) => seen.push(topic));
    await home1.subscribeAsync('spBv1.0/gridcoop/NCMD/+', { qos: 1 }); // "succeeds", but only its own arrive
    const aggregator = await fleet.connect('aggregator');
    await aggregator.publishAsync(nodeTopic('NCMD', 'home-2'), 'for 2', { qos: 1 });
    await aggregator.publishAsync(nodeTopic('NCMD', 'home-1'), 'for 1', { qos: 1 });
    await until(() => seen.length > 0, 'home-1 command');
    // The first command was published first: had it been delivered, it would have come first.
    assert.deepEqual(seen, [nodeTopic('NCMD', 'home-1')]);
    await home1.endAsync();
    await aggregator.endAsync();
  } finally {
    await fleet.close();
  }
});

test('the broker stops with its owner even when the owner is SIGKILLed', TIMEOUT, async () => {
  const script = `
    import { MosquittoBroker, writeFleetCredentials } from './src/broker/index.ts';
    import { mkdtempSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    const dir = mkdtempSync(join(tmpdir(), 'gridcoop-owner-'));
    const files = writeFleetCredentials({ dir, siteIds: ['home-1'] });
    const broker = await MosquittoBroker.start({ dir, passwordFile: files.passwordFile, aclFile: files.aclFile });
    console.log(JSON.stringify({ pid: broker.pid }));
    setInterval(() => {}, 1000);
  `;
  const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(owner.stdout, 'data')) as [Buffer];
  const { pid } = JSON.parse(line.toString()) as { pid: number };
  assert.ok(isAlive(pid));
  owner.kill('SIGKILL');
  await once(owner, 'exit');
  await until(() => !isAlive(pid), 'the broker to stop with its owner');
});

test(
  'with persistence a restart on the same port keeps retained messages; without it they are gone',
  TIMEOUT,
  async () => {
    for (const persistence of [true, false]) {
      const fleet = await startTestBroker(['home-1'], { persistence });
      try {
        const aggregator = await fleet.connect('aggregator');
        await aggregator.publishAsync('spBv1.0/STATE/aggregator', '{"online":true,"timestamp":1}', {
          qos: 1,
          retain: true,
        });
        await aggregator.endAsync();
        const portBefore = fleet.broker.port;
        await fleet.broker.restart();
        assert.equal(fleet.broker.port, portBefore);
        const site = await fleet.connect('home-1');
        const retained: string[] = [];
        site.on('message', (_topic, payload) => retained.push(payload.toString()));
        await site.subscribeAsync('spBv1.0/STATE/+', { qos: 1 });
        // A marker published after the subscription arrives after any retained message: then the answer is complete.
        const marker = await fleet.connect('aggregator');
        await marker.publishAsync('spBv1.0/STATE/aggregator', 'marker', { qos: 1 });
        await until(() => retained.includes('marker'), 'the marker');
        assert.deepEqual(
          retained,
          persistence ? ['{"online":true,"timestamp":1}', 'marker'] : ['marker'],
          `persistence ${persistence}`,
        );
        await marker.endAsync();
        await site.endAsync();
      } finally {
        await fleet.close();
      }
    }
  },
);
