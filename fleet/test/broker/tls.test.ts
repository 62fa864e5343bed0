import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectAsync, type IClientOptions } from 'mqtt';
import { makeCertificateAuthority, makeSignedCertificate } from '../../src/broker/index.ts';
import { startTestBroker } from '../support/test-broker.ts';

const TIMEOUT = { timeout: 90_000 };

test(
  'sites connect over TLS to a broker whose certificate openssl made; a bad certificate is refused both ways',
  TIMEOUT,
  async () => {
    const pki = mkdtempSync(join(tmpdir(), 'gridcoop-pki-'));
    const ca = makeCertificateAuthority(join(pki, 'ca'), 'GridCoop fleet CA');
    const server = makeSignedCertificate(join(pki, 'broker'), ca, 'broker', {
      subjectAltNames: ['IP:127.0.0.1', 'DNS:localhost'],
    });
    const siteCert = makeSignedCertificate(join(pki, 'sites'), ca, 'home-1');
    const rogueCa = makeCertificateAuthority(join(pki, 'rogue'), 'Rogue CA');
    const rogueClient = makeSignedCertificate(join(pki, 'rogue'), rogueCa, 'home-1');

    const fleet = await startTestBroker(['home-1'], {
      port: null, // TLS only
      tls: { caFile: ca.caCertFile, ...server, requireClientCertificate: true },
    });
    const credential = fleet.credentials.sites['home-1'];
    assert.ok(credential);
    const base: IClientOptions = {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...credential,
    };
    try {
      assert.match(fleet.broker.tlsUrl, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
      const site = await connectAsync(fleet.broker.tlsUrl, {
        ...base,
        ca: readFileSync(ca.caCertFile),
        cert: readFileSync(siteCert.certFile),
        key: readFileSync(siteCert.keyFile),
      });
      await site.publishAsync('spBv1.0/gridcoop/NDATA/home-1', 'over tls', { qos: 1 });
      await site.endAsync();

      // The site does not trust a broker certificate its CA did not sign.
      await assert.rejects(
        connectAsync(fleet.broker.tlsUrl, {
          ...base,
          ca: readFileSync(rogueCa.caCertFile),
          cert: readFileSync(siteCert.certFile),
          key: readFileSync(siteCert.keyFile),
        }),
        /self[- ]signed|unable to verify|certificate/i,
      );
      // The broker does not accept a client certificate the fleet's CA did not sign, even with the right password.
      await assert.rejects(
        connectAsync(fleet.broker.tlsUrl, {
          ...base,
          ca: readFileSync(ca.caCertFile),
          cert: readFileSync(rogueClient.certFile),
          key: readFileSync(rogueClient.keyFile),
        }),
        /unknown ca/,
      );
      await fleet.broker.waitForLog(/OpenSSL Error.*certificate verify failed/);
    } finally {
      await fleet.close();
      rmSync(pki, { recursive: true, force: true });
    }
  },
);
