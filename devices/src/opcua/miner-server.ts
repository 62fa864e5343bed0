import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageSecurityMode, nodesets, OPCUACertificateManager, OPCUAServer, SecurityPolicy } from 'node-opcua';
import type { FaultKind, FaultSetting, FaultSwitch } from '../faults/fault.ts';
import type { MinerModel } from '../models/miner.ts';
import type { SimClock } from '../sim/clock.ts';
import { ConnectionFaultProxy } from './connection-fault-proxy.ts';
import { addMinerDeviceObject, MINER_NAMESPACE_URI } from './miner-device-object.ts';

export interface MinerServer {
  /** opc.tcp://127.0.0.1:PORT, the same across restart(). */
  endpointUrl: string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port, with a fresh address space: clients lose their sessions. */
  restart(): Promise<void>;
  /** The server's own certificate (DER): what a client puts in its trust list. */
  certificate(): Buffer;
  /** Adds a client's certificate (DER) to the server's trust list; with security on, others are refused. */
  trustClientCertificate(certificate: Buffer): Promise<void>;
  /** The server's PKI folder: untrusted client certificates land in its rejected/ folder. */
  readonly pkiFolder: string;
}

/** Security as a real gateway would run it: signed or encrypted channels, trusted clients only, named users. */
export interface MinerServerSecurity {
  /** Default both Sign and SignAndEncrypt; None is never offered when security is set. */
  modes?: Array<'Sign' | 'SignAndEncrypt'>;
  /** Default Basic256Sha256 and Aes256_Sha256_RsaPss. */
  policies?: Array<'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss'>;
  /** The user name tokens the server accepts; anonymous sessions are refused. */
  users: Array<{ userName: string; password: string }>;
}

export interface MinerServerOptions {
  miners: Array<{ model: MinerModel; faults: FaultSwitch }>;
  clock: SimClock;
  /** 0 (the default) = the OS picks. */
  port?: number;
  /** Where the server keeps its certificate and PKI folders; defaults under os.tmpdir(), never the home directory. */
  pkiDir?: string;
  /** Absent: security None and anonymous sessions, as the demo plant runs on 127.0.0.1. */
  security?: MinerServerSecurity;
}

export class MinerServerConfigError extends Error {
  override readonly name = 'MinerServerConfigError';
}

/** Faults a TCP relay applies to all of the server's connections; the others act on one miner's values or model. */
const CONNECTION_FAULTS: ReadonlySet<FaultKind> = new Set([
  'refuse-connections',
  'drop-connection',
  'stop-answering',
  'slow',
]);

/**
 * Starts one OPC UA server, a fleet gateway, hosting every given miner as a DI device under Objects/DeviceSet.
 * Each miner's FaultSwitch acts on its own values and methods (exception, sentinels, out-of-range, device-fault);
 * connection faults (refuse-connections, drop-connection, stop-answering, slow) act on the whole server's
 * connections, because one TCP connection carries every miner: any miner's connection fault applies to all of them.
 * Without `security` it offers security None and anonymous sessions; with it, only Sign/SignAndEncrypt channels
 * from trusted client certificates and sessions of its named users.
 */
export async function startMinerServer(options: MinerServerOptions): Promise<MinerServer> {
  const ids = options.miners.map((m) => m.model.id);
  if (ids.length === 0) throw new MinerServerConfigError('a miner server needs at least one miner');
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined)
    throw new MinerServerConfigError(`miner id ${duplicate} is given twice: browse names must be unique`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MinerServerConfigError(`port ${port} is not a TCP port`);
  const security = options.security;
  if (security && security.users.length === 0)
    throw new MinerServerConfigError('security needs at least one user: anonymous sessions are refused with it');
  const server = new MinerFleetServer(options, port);
  await server.start();
  return server;
}

class MinerFleetServer implements MinerServer {
  private opcua: OPCUAServer | null = null;
  private proxy: ConnectionFaultProxy | null = null;
  private readonly unsubscribes: Array<() => void> = [];
  private readonly pkiDir: string;
  private serverCertificates: OPCUACertificateManager | null = null;

  constructor(
    private readonly options: MinerServerOptions,
    private port: number,
  ) {
    this.pkiDir = options.pkiDir ?? join(tmpdir(), 'gridcoop-opcua-pki');
    for (const miner of options.miners) {
      let previous: FaultKind = 'none';
      const apply = (setting: FaultSetting): void => {
        this.applyModelFault(miner, previous, setting.kind);
        previous = setting.kind;
        // Re-opening the port can fail if another process took it meanwhile: the port then stays closed, which a
        // client sees as refused connections; a fault switch must never crash the simulator.
        this.proxy?.setFault(this.connectionFault()).catch(() => undefined);
      };
      this.unsubscribes.push(miner.faults.onChange(apply));
      apply(miner.faults.current);
    }
  }

  get endpointUrl(): string {
    return `opc.tcp://127.0.0.1:${this.port}`;
  }

  get pkiFolder(): string {
    return join(this.pkiDir, 'server');
  }

  certificate(): Buffer {
    if (!this.opcua) throw new Error('the miner server is not running');
    return this.opcua.getCertificate();
  }

  async trustClientCertificate(certificate: Buffer): Promise<void> {
    if (!this.serverCertificates) throw new Error('the miner server is not running');
    await this.serverCertificates.trustCertificate(certificate);
  }

  async start(): Promise<void> {
    const proxy = await ConnectionFaultProxy.start({ port: this.port });
    this.port = proxy.port;
    let opcua: OPCUAServer | null = null;
    const security = this.options.security;
    try {
      // With security on, only clients whose certificate is in the trust list get a channel.
      const serverCertificates = new OPCUACertificateManager({
        rootFolder: this.pkiFolder,
        automaticallyAcceptUnknownCertificate: !security,
      });
      this.serverCertificates = serverCertificates;
      opcua = new OPCUAServer({
        host: '127.0.0.1',
        hostname: '127.0.0.1',
        port: 0,
        // Clients reach the server through the fault relay, so that is the endpoint it must advertise.
        advertisedEndpoints: this.endpointUrl,
        nodeset_filename: [nodesets.standard, nodesets.di],
        serverCertificateManager: serverCertificates,
        // Both managers get explicit folders: left out, node-opcua writes its PKI under the home directory.
        userCertificateManager: new OPCUACertificateManager({
          rootFolder: join(this.pkiDir, 'user'),
          automaticallyAcceptUnknownCertificate: true,
        }),
        ...securitySettings(security),
        maxConnectionsPerEndpoint: 200,
        serverInfo: {
          applicationUri: 'urn:gridcoop:miner-fleet-gateway',
          productUri: 'urn:gridcoop:devices',
          applicationName: { text: 'GridCoop miner fleet gateway' },
        },
      });
      await opcua.initialize();
      const addressSpace = opcua.engine.addressSpace;
      if (!addressSpace) throw new Error('node-opcua initialised without an address space');
      addressSpace.registerNamespace(MINER_NAMESPACE_URI);
      for (const miner of this.options.miners) addMinerDeviceObject(addressSpace, miner, this.options.clock);
      await opcua.start();
      this.opcua = opcua;
      const upstreamPort = opcua.endpoints[0]?.port ?? 0;
      hideListeningEndpoints(opcua, upstreamPort);
      proxy.upstreamPort = upstreamPort;
      this.proxy = proxy;
      await proxy.setFault(this.connectionFault());
    } catch (error) {
      this.proxy = null;
      this.opcua = null;
      await proxy.stop();
      await opcua?.shutdown(0).catch(() => undefined);
      throw error;
    }
  }

  async restart(): Promise<void> {
    await this.shutdown();
    await this.start();
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    const { proxy, opcua } = this;
    this.proxy = null;
    this.opcua = null;
    await proxy?.stop();
    await opcua?.shutdown(0);
  }

  private connectionFault(): FaultSetting {
    const faulty = this.options.miners.find((m) => CONNECTION_FAULTS.has(m.faults.current.kind));
    return faulty ? faulty.faults.current : { kind: 'none' };
  }

  private applyModelFault(miner: { model: MinerModel }, previous: FaultKind, next: FaultKind): void {
    if (next === previous) return;
    if (next === 'device-fault' || previous === 'device-fault') {
      miner.model.advanceTo(this.options.clock.now());
      miner.model.setFault(next === 'device-fault');
    }
  }
}

type SecuritySettings = Pick<
  ConstructorParameters<typeof OPCUAServer>[0] & object,
  'securityModes' | 'securityPolicies' | 'allowAnonymous' | 'userManager'
>;

function securitySettings(security: MinerServerSecurity | undefined): SecuritySettings {
  if (!security)
    return { securityModes: [MessageSecurityMode.None], securityPolicies: [SecurityPolicy.None], allowAnonymous: true };
  const users = new Map(security.users.map((user) => [user.userName, user.password]));
  return {
    securityModes: (security.modes ?? ['Sign', 'SignAndEncrypt']).map((mode) => MessageSecurityMode[mode]),
    securityPolicies: (security.policies ?? ['Basic256Sha256', 'Aes256_Sha256_RsaPss']).map(
      (policy) => SecurityPolicy[policy],
    ),
    allowAnonymous: false,
    userManager: { isValidUser: (userName: string, password: string) => users.get(userName) === password },
  };
}

/**
 * Drops the endpoint descriptions of node-opcua's own listener, which sits behind the fault relay: a client told
 * about it (GetEndpoints, FindServers, CreateSession) could connect past the relay and its faults. Only the relay's
 * endpoints, the advertised ones, remain. node-opcua 2.182 has no option to listen without advertising, and
 * endpointDescriptions() is the live list it answers from.
 */
function hideListeningEndpoints(opcua: OPCUAServer, listeningPort: number): void {
  for (const endpoint of opcua.endpoints) {
    const descriptions = endpoint.endpointDescriptions();
    for (let index = descriptions.length - 1; index >= 0; index -= 1) {
      if (new URL(descriptions[index]?.endpointUrl ?? 'opc.tcp://x').port === String(listeningPort))
        descriptions.splice(index, 1);
    }
  }
}
