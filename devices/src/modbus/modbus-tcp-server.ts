import { createServer, type Server, type Socket } from 'node:net';
import type { FaultSetting, FaultSwitch } from '../faults/fault.ts';
import { encodeMbap, MbapFramer, MbapFramingError } from './mbap-framer.ts';
import { ModbusExceptionCode } from './modbus-exception.ts';
import { answerPdu, exceptionPdu } from './modbus-pdu.ts';
import type { ModbusUnits } from './register-bank.ts';

export interface ModbusTcpServerOptions {
  units: ModbusUnits;
  faults: FaultSwitch;
  host?: string;
  /** 0 (default) lets the OS pick. */
  port?: number;
  /** Called with what went wrong on a connection (garbage framing, socket errors); the server keeps running. */
  onConnectionError?: (error: Error) => void;
}

export interface ModbusTcpServer {
  readonly host: string;
  readonly port: number;
  /** Open client connections right now. */
  readonly connectionCount: number;
  stop(): Promise<void>;
}

/**
 * The one unit of a server that serves one device: on TCP a device is addressed by its IP address, so unit id 0 and
 * 255 (the Modbus TCP spec's "not used" values) reach it. A server with several units is a gateway and needs the id.
 */
function directlyAddressed(units: ModbusUnits, unitId: number) {
  if ((unitId !== 0 && unitId !== 255) || units.size !== 1) return undefined;
  return units.values().next().value;
}

/**
 * A Modbus TCP server (MBAP over node:net) answering FC 3/4/6/16 from register banks by unit id, with the
 * connection-level faults of its FaultSwitch applied as they switch: refuse connections (stops listening, so connect
 * gets ECONNREFUSED), drop connections, stop answering, answer slowly, answer exception 4. Data-level faults
 * (sentinels, out-of-range, device fault) belong to the faces and models behind the banks.
 */
export async function startModbusTcpServer(options: ModbusTcpServerOptions): Promise<ModbusTcpServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const { faults } = options;
  let listening = false;
  let stopped = false;

  const server: Server = createServer({ noDelay: true }, (socket) => {
    if (faults.current.kind === 'drop-connection' || faults.current.kind === 'refuse-connections') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => options.onConnectionError?.(error));
    const framer = new MbapFramer();
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = framer.push(chunk);
      } catch (error) {
        if (error instanceof MbapFramingError) options.onConnectionError?.(error);
        socket.destroy(); // a stream that lost its framing cannot be resynchronised
        return;
      }
      for (const frame of frames) {
        const fault = faults.current;
        if (fault.kind === 'stop-answering') continue;
        const bank = options.units.get(frame.unitId) ?? directlyAddressed(options.units, frame.unitId);
        const functionCode = frame.pdu[0] ?? 0;
        let pdu: Buffer;
        if (fault.kind === 'exception') pdu = exceptionPdu(functionCode, ModbusExceptionCode.ServerDeviceFailure);
        else if (bank === undefined) pdu = exceptionPdu(functionCode, ModbusExceptionCode.GatewayTargetFailedToRespond);
        else pdu = answerPdu(frame.pdu, bank);
        const response = encodeMbap(frame.transactionId, frame.unitId, pdu);
        if (fault.kind === 'slow') {
          const timer = setTimeout(() => {
            timers.delete(timer);
            if (!socket.destroyed) socket.write(response);
          }, fault.delayMs ?? 1000);
          timers.add(timer);
        } else socket.write(response);
      }
    });
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });
  const dropAll = (): void => {
    for (const socket of sockets) socket.destroy();
  };

  await listen(options.port ?? 0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`Modbus TCP server on ${host}: no port bound`);
  const port = address.port;

  // Connection faults take effect when switched, not at the next connection.
  let change = Promise.resolve();
  const unsubscribe = faults.onChange((setting: FaultSetting) => {
    change = change
      .then(async () => {
        if (stopped) return;
        if (setting.kind === 'refuse-connections') {
          // close() stops accepting at once but completes only when every open connection has gone: drop them
          const closed = stopListening();
          dropAll();
          await closed;
        } else if (setting.kind === 'drop-connection') dropAll();
        if (setting.kind !== 'refuse-connections' && !listening) await listen(port);
      })
      .catch((error: unknown) =>
        options.onConnectionError?.(error instanceof Error ? error : new Error(String(error))),
      );
  });

  return {
    host,
    port,
    get connectionCount() {
      return sockets.size;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      await change;
      for (const timer of timers) clearTimeout(timer);
      dropAll();
      await stopListening();
    },
  };
}
