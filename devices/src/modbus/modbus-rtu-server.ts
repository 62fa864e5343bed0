import { closeSync, openSync, write } from 'node:fs';
import { constants } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { FaultSwitch } from '../faults/fault.ts';
import { ModbusExceptionCode } from './modbus-exception.ts';
import { answerPdu, exceptionPdu } from './modbus-pdu.ts';
import type { ModbusUnits } from './register-bank.ts';
import { encodeRtu, RtuFramer } from './rtu-framer.ts';

export interface ModbusRtuServerOptions {
  /** The serial device, e.g. one end of a `socat pty,raw,echo=0 pty,raw,echo=0` pair (already in raw mode). */
  path: string;
  /** Slaves on this line by address; a request to any other address is not for us and gets no answer. */
  units: ModbusUnits;
  /** One switch for the line: on a serial bus every slave shares the wire. */
  faults: FaultSwitch;
  /** Silence after which a partial frame is dropped. */
  idleResetMs?: number;
  onLineError?: (error: Error) => void;
}

export interface ModbusRtuServer {
  readonly path: string;
  stop(): Promise<void>;
}

/** The serial device could not be opened; names the path. */
export class SerialLineError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`serial line ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SerialLineError';
  }
}

/**
 * A Modbus RTU slave (or several, by address) on a serial device. A serial line has no connections, so
 * 'refuse-connections', 'drop-connection' and 'stop-answering' all make the line silent; 'slow' delays answers,
 * 'exception' answers exception 4.
 */
export async function startModbusRtuServer(options: ModbusRtuServerOptions): Promise<ModbusRtuServer> {
  let fd: number;
  try {
    fd = openSync(options.path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (error) {
    throw new SerialLineError(options.path, error);
  }
  const input = new ReadStream(fd);
  const framer = new RtuFramer();
  const timers = new Set<NodeJS.Timeout>();
  let idleTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const send = (frame: Buffer): void => {
    if (stopped) return;
    write(fd, frame, (error) => {
      if (error) options.onLineError?.(new SerialLineError(options.path, error));
    });
  };

  input.on('error', (error) => options.onLineError?.(new SerialLineError(options.path, error)));
  input.on('data', (chunk: Buffer) => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => framer.reset(), options.idleResetMs ?? 50);
    for (const frame of framer.push(chunk)) {
      const bank = options.units.get(frame.unitId);
      if (bank === undefined) continue; // another slave's request, or a broadcast we do not serve
      const fault = options.faults.current;
      if (fault.kind === 'stop-answering' || fault.kind === 'refuse-connections' || fault.kind === 'drop-connection')
        continue;
      const functionCode = frame.pdu[0] ?? 0;
      const pdu =
        fault.kind === 'exception'
          ? exceptionPdu(functionCode, ModbusExceptionCode.ServerDeviceFailure)
          : answerPdu(frame.pdu, bank);
      const response = encodeRtu(frame.unitId, pdu);
      if (fault.kind === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(response);
        }, fault.delayMs ?? 1000);
        timers.add(timer);
      } else send(response);
    }
  });

  return {
    path: options.path,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(idleTimer);
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        input.once('close', () => resolve());
        input.destroy();
      });
      try {
        closeSync(fd);
      } catch {
        // The stream already closed the descriptor.
      }
    },
  };
}
