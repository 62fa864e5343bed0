import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import {
  MosquittoBroker,
  writeFleetCredentials,
  type FleetCredentials,
  type MosquittoOptions,
} from '../../src/broker/index.ts';

export interface TestBroker {
  broker: MosquittoBroker;
  credentials: FleetCredentials;
  dir: string;
  /** An MQTT 5 client logged in as `user` (a site id or the aggregator's user), never reconnecting on its own. */
  connect(user: string, options?: IClientOptions): Promise<MqttClient>;
  /** Stops the broker and removes its files. */
  close(): Promise<void>;
}

/** A real Mosquitto on a free 127.0.0.1 port with credentials and the ACL for `siteIds` and an aggregator. */
export async function startTestBroker(
  siteIds: string[],
  options: Partial<Omit<MosquittoOptions, 'passwordFile' | 'aclFile'>> = {},
): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-mqtt-'));
  const files = writeFleetCredentials({ dir: join(dir, 'credentials'), siteIds });
  const broker = await MosquittoBroker.start({
    dir: join(dir, 'broker'),
    passwordFile: files.passwordFile,
    aclFile: files.aclFile,
    ...options,
  });
  const credentialOf = (user: string): { username: string; password: string } => {
    const credential =
      user === files.credentials.aggregator.username ? files.credentials.aggregator : files.credentials.sites[user];
    if (credential === undefined) throw new Error(`no credentials for ${user}`);
    return credential;
  };
  return {
    broker,
    credentials: files.credentials,
    dir,
    connect: (user, clientOptions = {}) =>
      connectAsync(broker.url, {
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        clientId: `${user}-${Math.random().toString(36).slice(2, 8)}`,
        ...credentialOf(user),
        ...clientOptions,
      }),
    close: async () => {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
