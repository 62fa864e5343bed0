import ModbusSerial from 'modbus-serial';
import { DeviceError } from '../../natures/device-error.ts';
import { DEFAULT_RTU_BAUD_RATE, describeEndpoint, type ModbusEndpoint } from './modbus-endpoint.ts';
import { classifyModbusFailure, ModbusDeviceError } from './modbus-device-error.ts';

// modbus-serial is CommonJS: its module object is the client class, also reachable as `.default` (typed there).
const ModbusRTU = ModbusSerial.default;
export type ModbusSerialClient = InstanceType<typeof ModbusRTU>;

/** One request as the link runs it. */
export interface LinkRequest<T> {
  deviceId: string;
  unitId: number;
  timeoutMs: number;
  functionCode: 3 | 16;
  address: number;
  count: number;
  send: (client: ModbusSerialClient) => Promise<T>;
}

/**
 * One modbus-serial client on one transport: a TCP connection, or a serial line that several devices (unit ids)
 * share, as on RS485. Requests go one at a time, each with its own unit id and timeout; a dropped connection
 * fails the request in flight as 'disconnected' and is re-opened by the next request. No socket or serial-port
 * event can crash the process.
 */
export class ModbusLink {
  private client: ModbusSerialClient | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private opening: Promise<void> | undefined;
  private destroyed = false;
  /** Fails the request in flight when the connection drops under it. */
  private onLost: ((detail: string) => void) | undefined;

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

  /** Runs one request after the ones before it. */
  request<T>(request: LinkRequest<T>): Promise<T> {
    const run = () => this.run(request);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Closes the transport for good (the last device on it has closed). */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.dropClient('the connection was closed');
  }

  private async run<T>({
    deviceId,
    unitId,
    timeoutMs,
    functionCode,
    address,
    count,
    send,
  }: LinkRequest<T>): Promise<T> {
    await this.ensureOpen(deviceId, timeoutMs);
    const client = this.client!;
    client.setID(unitId);
    client.setTimeout(timeoutMs);
    // Built only when a request fails: a cycle of hundreds of successful requests should not format messages.
    const what = (): string =>
      `FC${functionCode} ${count} register(s) at ${address} (${describeEndpoint({ ...this.endpoint, unitId })})`;
    const info = { functionCode, address, count };
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        reject(new ModbusDeviceError(deviceId, 'timeout', `${what()}: no answer within ${timeoutMs} ms`, info));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.onLost = undefined;
      };
      this.onLost = (detail) => {
        finish();
        reject(new ModbusDeviceError(deviceId, 'disconnected', `${what()}: ${detail}`, info));
      };
      send(client).then(
        (value) => {
          finish();
          resolve(value);
        },
        (error: unknown) => {
          finish();
          const { kind, exceptionCode, reason } = classifyModbusFailure(error);
          reject(new ModbusDeviceError(deviceId, kind, `${what()}: ${reason}`, info, exceptionCode, { cause: error }));
        },
      );
    });
  }

  private async open(deviceId: string, timeoutMs: number): Promise<void> {
    await this.dropClient('the connection was replaced');
    const client = new ModbusRTU();
    // modbus-serial re-emits serial-port errors; without a listener an 'error' event would end the process.
    client.on('error', () => this.connectionLost(client, 'the port reported an error'));
    client.on('close', () => this.connectionLost(client, 'the connection closed'));
    this.client = client;
    const target = describeEndpoint(this.endpoint);
    const opening =
      this.endpoint.transport === 'tcp'
        ? client.connectTCP(this.endpoint.host, { port: this.endpoint.port, timeout: timeoutMs })
        : client.connectRTUBuffered(this.endpoint.path, { baudRate: this.endpoint.baudRate ?? DEFAULT_RTU_BAUD_RATE });
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

  private connectionLost(client: ModbusSerialClient, why: string): void {
    if (client !== this.client) return;
    this.onLost?.(why);
  }

  /**
   * Lets go of the client. A TCP socket is destroyed at once; a serial port must be closed (modbus-serial's RTU
   * port has no destroy) and is waited for, since the port stays locked until it is.
   */
  private async dropClient(why: string): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    this.onLost?.(why);
    if (this.endpoint.transport === 'tcp' || !client.isOpen) {
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
