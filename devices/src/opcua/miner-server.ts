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
}

export interface MinerServerOptions {
  miners: Array<{ model: MinerModel; faults: FaultSwitch }>;
  clock: SimClock;
  /** 0 (the default) = the OS picks. */
  port?: number;
  /** Where the server keeps its certificate and PKI folders; defaults under os.tmpdir(), never the home directory. */
  pkiDir?: string;
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
 * Security is None only: this is a simulator on 127.0.0.1.
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
  const server = new MinerFleetServer(options, port);
  await server.start();
  return server;
}

class MinerFleetServer implements MinerServer {
  private opcua: OPCUAServer | null = null;
  private proxy: ConnectionFaultProxy | null = null;
  private readonly unsubscribes: Array<() => void> = [];
  private readonly pkiDir: string;

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

  async start(): Promise<void> {
    const proxy = await ConnectionFaultProxy.start({ port: this.port });
    this.port = proxy.port;
    let opcua: OPCUAServer | null = null;
    try {
      opcua = new OPCUAServer({
        host: '127.0.0.1',
        hostname: '127.0.0.1',
        port: 0,
        // Clients reach the server through the fault relay, so that is the endpoint it must advertise.
        advertisedEndpoints: this.endpointUrl,
        nodeset_filename: [nodesets.standard, nodesets.di],
        serverCertificateManager: new OPCUACertificateManager({
          rootFolder: join(this.pkiDir, 'server'),
          automaticallyAcceptUnknownCertificate: true,
        }),
        // Both managers get explicit folders: left out, node-opcua writes its PKI under the home directory.
        userCertificateManager: new OPCUACertificateManager({
          rootFolder: join(this.pkiDir, 'user'),
          automaticallyAcceptUnknownCertificate: true,
        }),
        securityModes: [MessageSecurityMode.None],
        securityPolicies: [SecurityPolicy.None],
        allowAnonymous: true,
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
      proxy.upstreamPort = opcua.endpoints[0]?.port ?? 0;
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
