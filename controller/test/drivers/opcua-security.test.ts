import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OPCUACertificateManager } from 'node-opcua';
import { FaultSwitch } from '../../../devices/src/faults/fault.ts';
import { MinerModel } from '../../../devices/src/models/miner.ts';
import { startMinerServer, type MinerServer } from '../../../devices/src/opcua/miner-server.ts';
import { ManualClock } from '../../../devices/src/sim/clock.ts';
import { opcUaDriverSchema, opcUaSecuritySchema } from '../../src/config/controller-config.ts';
import { opcUaMiner } from '../../src/drivers/opcua/opcua-miner.ts';
import { opcUaSecurityFromConfig, type OpcUaClientSecurity } from '../../src/drivers/opcua/opcua-security.ts';
import { DeviceError } from '../../src/natures/device-error.ts';
import type { FlexibleLoad } from '../../src/natures/flexible-load.ts';
import { eventually } from './opcua-test-fleet.ts';

/**
 * The controller's OPC UA client against the simulated gateway running with security on (SignAndEncrypt, trusted
 * client certificates only, a named user): each refusal an operator can meet while setting it up gives a
 * connection-refused DeviceError that says what to do, and once both sides trust each other it reads and writes.
 */
/** Generous: the first connect creates the client certificate (an RSA key), slow on 2 busy cores. */
const TIMEOUT_MS = 15_000;
const clock = new ManualClock();
const root = mkdtempSync(join(tmpdir(), 'gridcoop-opcua-security-'));
const clientPki = join(root, 'controller-pki');
const model = new MinerModel({
  id: 'miner-1',
  minPowerW: 1000,
  maxPowerW: 3000,
  pauseRampS: 10,
  resumeRampS: 10,
  minOnS: 0,
  minOffS: 0,
  startMs: clock.now(),
});
let server: MinerServer;
const drivers: FlexibleLoad[] = [];

function driverWith(security: Partial<OpcUaClientSecurity>): FlexibleLoad {
  const driver = opcUaMiner('site-1/miner-1', {
    endpointUrl: server.endpointUrl,
    browseName: 'miner-1',
    timeoutMs: TIMEOUT_MS,
    security: {
      mode: 'SignAndEncrypt',
      policy: 'Basic256Sha256',
      pkiDir: clientPki,
      user: { userName: 'operator', password: 'correct horse' },
      ...security,
    },
  });
  drivers.push(driver);
  return driver;
}

async function refusal(driver: FlexibleLoad): Promise<DeviceError> {
  try {
    await driver.connect();
  } catch (error) {
    assert.ok(error instanceof DeviceError, String(error));
    return error;
  } finally {
    await driver.close();
  }
  assert.fail('connect() was expected to be refused');
}

describe('OPC UA client security against the simulator with security on', () => {
  before(async () => {
    server = await startMinerServer({
      miners: [{ model, faults: new FaultSwitch() }],
      clock,
      pkiDir: join(root, 'gateway-pki'),
      security: { modes: ['SignAndEncrypt'], users: [{ userName: 'operator', password: 'correct horse' }] },
    });
  });
  after(async () => {
    for (const driver of drivers) await driver.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('a server whose certificate the controller does not trust is refused, and the error says where it went', async () => {
    const error = await refusal(driverWith({}));
    assert.equal(error.kind, 'connection-refused');
    assert.match(error.detail, /server's certificate is not trusted/);
    assert.ok(error.detail.includes(join(clientPki, 'trusted', 'certs')), error.detail);
  });

  test('a controller whose certificate the server does not trust is refused, and the error names its certificate', async () => {
    const trust = new OPCUACertificateManager({ rootFolder: clientPki });
    await trust.initialize();
    await trust.trustCertificate(server.certificate());
    const error = await refusal(driverWith({}));
    assert.equal(error.kind, 'connection-refused');
    assert.match(error.detail, /server refused our secure channel/);
    assert.ok(error.detail.includes(join(clientPki, 'own', 'certs', 'client_certificate.pem')), error.detail);
  });

  test('with certificates trusted both ways, a wrong password and an anonymous session are refused', async () => {
    const pem = readFileSync(join(clientPki, 'own', 'certs', 'client_certificate.pem'), 'utf8');
    await server.trustClientCertificate(new X509Certificate(pem).raw);
    const wrong = await refusal(driverWith({ user: { userName: 'operator', password: 'wrong' } }));
    assert.equal(wrong.kind, 'connection-refused', wrong.message);
    assert.match(wrong.detail, /refused user 'operator' \(Bad\w+\): check the user name and password/);
    const anonymous = await refusal(driverWith({ user: undefined }));
    assert.equal(anonymous.kind, 'connection-refused', anonymous.message);
    assert.match(anonymous.detail, /refused an anonymous session/);
  });

  test('with the right user, SignAndEncrypt reads the miner and its power target can be set', async () => {
    const driver = driverWith({});
    await driver.connect();
    const reading = await eventually(
      () => driver.read(),
      (r) => r.powerTargetW !== null,
      10_000,
      'first reading',
    );
    assert.equal(reading.maxPowerW, 3000);
    await driver.write({ kind: 'power-target', powerTargetW: 2000 });
    assert.equal(model.powerTargetW, 2000);
  });

  test('Sign alone is refused by a gateway that offers only SignAndEncrypt', async () => {
    const error = await refusal(driverWith({ mode: 'Sign' }));
    assert.equal(error.kind, 'connection-refused', error.message);
    assert.match(error.detail, /offers no endpoint with security Sign and Basic256Sha256/);
  });
});

describe('OPC UA security from the configuration file', () => {
  const section = { mode: 'SignAndEncrypt', userName: 'operator', passwordEnv: 'MINERS_OPCUA_PASSWORD' };

  test('the password comes from the environment variable the file names, and the PKI defaults under the data dir', () => {
    const parsed = opcUaDriverSchema.parse({
      type: 'opcua',
      endpointUrl: 'opc.tcp://gateway:4840',
      browseName: 'miner-1',
      security: section,
    });
    const security = opcUaSecurityFromConfig('miner-1', parsed.security, {
      GRIDCOOP_DATA_DIR: '/var/lib/gridcoop',
      MINERS_OPCUA_PASSWORD: 'correct horse',
    });
    assert.deepEqual(security, {
      mode: 'SignAndEncrypt',
      policy: 'Basic256Sha256',
      pkiDir: '/var/lib/gridcoop/opcua-pki',
      user: { userName: 'operator', password: 'correct horse' },
    });
  });

  test('an unset password variable, a user without a password variable or an unknown mode is refused by name', () => {
    const parsed = opcUaSecuritySchema.parse(section);
    assert.throws(() => opcUaSecurityFromConfig('miner-1', parsed, {}), /MINERS_OPCUA_PASSWORD, which is not set/);
    const noPassword = opcUaSecuritySchema.safeParse({ mode: 'Sign', userName: 'operator' });
    assert.ok(!noPassword.success);
    assert.match(noPassword.error.issues[0]?.message ?? '', /userName and passwordEnv go together/);
    assert.ok(!opcUaSecuritySchema.safeParse({ mode: 'Encrypt' }).success);
  });
});
