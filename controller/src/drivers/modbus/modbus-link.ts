import ModbusSerial from 'modbus-serial';
import { DeviceError, type DeviceErrorKind } from '../../natures/device-error.ts';
import { DEFAULT_RTU_BAUD_RATE, describeEndpoint, type ModbusEndpoint } from './modbus-endpoint.ts';
import { classifyModbusFailure, ModbusDeviceError } from './modbus-device-error.ts';
import { MbapTcpClient } from './mbap-tcp-client.ts';

// modbus-serial is CommonJS: its module object is the client class, also reachable as `.default` (typed there).
const ModbusRTU = ModbusSerial.default;
export type ModbusSerialClient = InstanceType<typeof ModbusRTU>;

/** One request as the link runs it: FC3 reads `count` registers, FC16 writes `values` (count of them). */
export interface LinkRequest {
  deviceId: string;
  unitId: number;
  timeoutMs: number;
  functionCode: 3 | 16;
  address: number;
  count: number;
  values?: number[];
}

/** The request on the wire and how to settle it; exactly one settles it (answer, failure, timeout or drop). */
interface InFlight {
  request: LinkRequest;
  resolve: (registers: ArrayLike<number>) => void;
  reject: (error: ModbusDeviceError) => void;
  timer: NodeJS.Timeout;
}

/**
 * One client on one transport: a TCP connection (MbapTcpClient), or a serial line (modbus-serial) that several
 * devices (unit ids) share, as on RS485. Requests go one at a time, each with its own unit id and timeout; a dropped connection
 * fails the request in flight as 'disconnected' and is re-opened by the next request. No socket or serial-port
 * event can crash the process.
 */
export class ModbusLink {
  /** Our own lean client on TCP (the read path's hot loop); modbus-serial on serial lines. */
  private client: MbapTcpClient | ModbusSerialClient | undefined;
  /** A request is on the wire (or opening the connection); later ones wait in `waiting`, first come first served. */
  private busy = false;
  private readonly waiting: Array<() => void> = [];
  private opening: Promise<void> | undefined;
  private destroyed = false;
  /** The request on the wire: failed by a timeout or by the connection dropping under it. */
  private inFlight: InFlight | undefined;
  /** One timeout handler for every request (a closure per request showed in profiles). */
  private readonly timedOut = (): void => {
    const entry = this.inFlight;
    if (entry) this.fail(entry, 'timeout', `no answer within ${entry.request.timeoutMs} ms`);
  };

  constructor(readonly endpoint: ModbusEndpoint) {}

  get isOpen(): boolean {
    return this.client?.isOpen === true;
  }

  /** Opens the transport if it is not open; `deviceId` and `timeoutMs` are the asking device's. */
  async ensureOpen(deviceId: string, timeoutMs: number): Promise<void> {
    if (this.destroyed)
      throw new DeviceError(deviceId, 'not-connected', `the link to ${describeEndpoint(this.endpoint)} was closed`);
    if (this.isOpen) return;
    this.opening ??= this.open(deviceId, timeoutMs).finally(() => {
      this.opening = undefined;
    });
    await this.opening;
  }

  /**
   * Runs one request after the ones before it. An idle link runs it at once: a device reads every cycle, and a
   * promise chain per request (the old queue) cost more than the decoding of what came back.
   */
  async request(request: LinkRequest): Promise<ArrayLike<number>> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy = true;
    try {
      return await this.run(request);
    } finally {
      // Hand the link straight to the next request (busy stays true), so that no newcomer overtakes it.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  /** Closes the transport for good (the last device on it has closed). */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.dropClient('the connection was closed');
  }

  private async run(request: LinkRequest): Promise<ArrayLike<number>> {
    if (this.destroyed || !this.isOpen) await this.ensureOpen(request.deviceId, request.timeoutMs);
    const client = this.client!;
    return await new Promise<ArrayLike<number>>((resolve, reject) => {
      const entry: InFlight = { request, resolve, reject, timer: setTimeout(this.timedOut, request.timeoutMs) };
      this.inFlight = entry;
      const { unitId, functionCode, address, count, values } = request;
      let sent: Promise<ArrayLike<number>>;
      if (client instanceof MbapTcpClient) {
        sent =
          functionCode === 3
            ? client.readHoldingRegisters(unitId, address, count)
            : client.writeRegisters(unitId, address, values ?? []);
      } else {
        client.setID(unitId);
        client.setTimeout(request.timeoutMs);
        sent =
          functionCode === 3
            ? client.readHoldingRegisters(address, count).then((answer) => answer.data)
            : client.writeRegisters(address, values ?? []).then(() => []);
      }
      sent.then(
        (answer) => {
          if (this.settle(entry)) resolve(answer);
        },
        (error: unknown) => {
          const { kind, exceptionCode, reason } = classifyModbusFailure(error);
          this.fail(entry, kind, reason, exceptionCode, error);
        },
      );
    });
  }

  /** Ends a request's wait; false if something else (a timeout, a drop) already answered it. */
  private settle(entry: InFlight): boolean {
    if (this.inFlight !== entry) return false;
    this.inFlight = undefined;
    clearTimeout(entry.timer);
    return true;
  }

  /** Rejects a request with a ModbusDeviceError naming the device, the registers and the endpoint. */
  private fail(entry: InFlight, kind: DeviceErrorKind, reason: string, exceptionCode?: number, cause?: unknown): void {
    if (!this.settle(entry)) return;
    // Built only when a request fails: a cycle of hundreds of successful requests should not format messages.
    const { deviceId, unitId, functionCode, address, count } = entry.request;
    const what = `FC${functionCode} ${count} register(s) at ${address} (${describeEndpoint({ ...this.endpoint, unitId })})`;
    entry.reject(
      new ModbusDeviceError(
        deviceId,
        kind,
        `${what}: ${reason}`,
        { functionCode, address, count },
        exceptionCode,
        cause === undefined ? undefined : { cause },
      ),
    );
  }

  private async open(deviceId: string, timeoutMs: number): Promise<void> {
    await this.dropClient('the connection was replaced');
    const target = describeEndpoint(this.endpoint);
    let client: MbapTcpClient | ModbusSerialClient;
    let opening: Promise<unknown>;
    if (this.endpoint.transport === 'tcp') {
      const tcp = new MbapTcpClient(this.endpoint.host, this.endpoint.port, (why) => this.connectionLost(tcp, why));
      client = tcp;
      opening = tcp.connect();
    } else {
      const serial = new ModbusRTU();
      // modbus-serial re-emits serial-port errors; without a listener an 'error' event would end the process.
      serial.on('error', () => this.connectionLost(serial, 'the port reported an error'));
      serial.on('close', () => this.connectionLost(serial, 'the connection closed'));
      client = serial;
      opening = serial.connectRTUBuffered(this.endpoint.path, {
        baudRate: this.endpoint.baudRate ?? DEFAULT_RTU_BAUD_RATE,
      });
    }
    this.client = client;
    opening.catch(() => undefined); // it may settle after the timeout below has already answered
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new DeviceError(deviceId, 'timeout', `connecting to ${target}: no connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([opening, timedOut]);
    } catch (error) {
      if (this.client === client) await this.dropClient('the connection could not be opened');
      if (error instanceof DeviceError) throw error;
      const { kind, reason } = classifyModbusFailure(error);
      throw new DeviceError(
        deviceId,
        kind === 'bad-value' ? 'connection-refused' : kind,
        `connecting to ${target}: ${reason}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    if (this.client !== client || this.destroyed) {
      throw new DeviceError(deviceId, 'not-connected', `connection to ${target} was closed while it opened`);
    }
  }

  private connectionLost(client: MbapTcpClient | ModbusSerialClient, why: string): void {
    if (client !== this.client) return;
    if (this.inFlight) this.fail(this.inFlight, 'disconnected', why);
  }

  /**
   * Lets go of the client. A TCP socket is destroyed at once; a serial port must be closed (modbus-serial's RTU
   * port has no destroy) and is waited for, since the port stays locked until it is.
   */
  private async dropClient(why: string): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (this.inFlight) this.fail(this.inFlight, 'disconnected', why);
    if (client instanceof MbapTcpClient) {
      client.destroy();
      return;
    }
    if (!client.isOpen) {
      try {
        client.destroy(() => undefined);
      } catch {
        // Destroying a half-open socket can throw inside modbus-serial; it is gone either way.
      }
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000); // a port that never reports closing must not hang close()
      try {
        client.close(() => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
