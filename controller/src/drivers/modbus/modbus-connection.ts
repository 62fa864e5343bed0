import ModbusSerial from 'modbus-serial';
import { DeviceError } from '../../natures/device-error.ts';
import { DEFAULT_RTU_BAUD_RATE, describeEndpoint, type ModbusEndpoint } from './modbus-endpoint.ts';
import { classifyModbusFailure, ModbusDeviceError } from './modbus-device-error.ts';

/** Most registers one FC3 read may return (Modbus application protocol 6.3). */
export const MAX_READ_REGISTERS = 125;
/** Most registers one FC16 write may carry (Modbus application protocol 6.12). */
export const MAX_WRITE_REGISTERS = 123;
export const DEFAULT_TIMEOUT_MS = 1000;

export interface ModbusConnectionOptions {
  /** How long to wait for a connection or an answer before giving up with a 'timeout' DeviceError. */
  timeoutMs?: number;
}

// modbus-serial is CommonJS: its module object is the client class, also reachable as `.default` (typed there).
const ModbusRTU = ModbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;
type State = 'idle' | 'open' | 'lost' | 'closed';

/**
 * One Modbus client connection to one device (TCP or RTU), through modbus-serial. Requests go one at a time, each
 * with its own timeout; a dropped connection fails the request in flight as 'disconnected' and is re-opened by the
 * next request. Every failure is a DeviceError naming the device, the endpoint and the registers involved; no
 * socket or serial-port event can crash the process.
 */
export class ModbusConnection {
  readonly timeoutMs: number;
  private client: Client | undefined;
  private state: State = 'idle';
  private queue: Promise<unknown> = Promise.resolve();
  private opening: Promise<void> | undefined;
  /** Fails the request in flight when the connection drops under it. */
  private onLost: ((error: DeviceError) => void) | undefined;

  constructor(
    readonly deviceId: string,
    readonly endpoint: ModbusEndpoint,
    options: ModbusConnectionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) {
      throw new DeviceError(deviceId, 'not-connected', `timeout ${this.timeoutMs} ms must be > 0`);
    }
  }

  get isOpen(): boolean {
    return this.state === 'open' && this.client?.isOpen === true;
  }

  /** Opens the connection. Idempotent; after close() it opens again. */
  async connect(): Promise<void> {
    if (this.state === 'closed' || this.state === 'idle') this.state = 'lost';
    await this.ensureOpen();
  }

  /** Closes the connection; requests fail with 'not-connected' until connect() is called again. */
  async close(): Promise<void> {
    this.state = 'closed';
    this.dropClient();
  }

  /** Reads holding registers (FC3), split into requests of at most 125 registers. */
  async readRegisters(address: number, count: number): Promise<Uint16Array> {
    this.checkRange(3, address, count);
    const result = new Uint16Array(count);
    for (let done = 0; done < count; done += MAX_READ_REGISTERS) {
      const chunk = Math.min(MAX_READ_REGISTERS, count - done);
      const data = await this.request(3, address + done, chunk, (client) =>
        client.readHoldingRegisters(address + done, chunk),
      );
      if (!Array.isArray(data.data) || data.data.length !== chunk) {
        throw new ModbusDeviceError(
          this.deviceId,
          'bad-value',
          `FC3 at ${address + done} asked ${chunk} registers and got ${String(data.data?.length)}`,
          {
            functionCode: 3,
            address: address + done,
            count: chunk,
          },
        );
      }
      result.set(data.data, done);
    }
    return result;
  }

  /** Writes holding registers (FC16) in one request: at most 123 registers, so that they change together. */
  async writeRegisters(address: number, values: ArrayLike<number>): Promise<void> {
    this.checkRange(16, address, values.length);
    if (values.length > MAX_WRITE_REGISTERS) {
      throw new ModbusDeviceError(
        this.deviceId,
        'write-rejected',
        `${values.length} registers do not fit one FC16 write (max ${MAX_WRITE_REGISTERS})`,
        {
          functionCode: 16,
          address,
          count: values.length,
        },
      );
    }
    const words = Array.from(values, (v) => v & 0xffff);
    await this.request(16, address, words.length, (client) => client.writeRegisters(address, words));
  }

  private checkRange(functionCode: 3 | 16, address: number, count: number): void {
    if (
      !Number.isInteger(address) ||
      !Number.isInteger(count) ||
      address < 0 ||
      count < 1 ||
      address + count > 0x10000
    ) {
      throw new ModbusDeviceError(
        this.deviceId,
        'bad-value',
        `register range ${address}+${count} is outside 0..65535`,
        {
          functionCode,
          address,
          count,
        },
      );
    }
  }

  /** Runs one request after the ones before it, with a timeout and the connection-lost signal. */
  private request<T>(
    functionCode: 3 | 16,
    address: number,
    count: number,
    send: (client: Client) => Promise<T>,
  ): Promise<T> {
    const run = async (): Promise<T> => {
      await this.ensureOpen();
      const client = this.client!;
      const what = `FC${functionCode} ${count} register(s) at ${address} (${describeEndpoint(this.endpoint)})`;
      const info = { functionCode, address, count };
      return await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          finish();
          reject(
            new ModbusDeviceError(this.deviceId, 'timeout', `${what}: no answer within ${this.timeoutMs} ms`, info),
          );
        }, this.timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          this.onLost = undefined;
        };
        this.onLost = (lost) => {
          finish();
          reject(
            new ModbusDeviceError(this.deviceId, lost.kind, `${what}: ${lost.detail}`, info, undefined, {
              cause: lost,
            }),
          );
        };
        send(client).then(
          (value) => {
            finish();
            resolve(value);
          },
          (error: unknown) => {
            finish();
            const { kind, exceptionCode, reason } = classifyModbusFailure(error);
            reject(
              new ModbusDeviceError(this.deviceId, kind, `${what}: ${reason}`, info, exceptionCode, { cause: error }),
            );
          },
        );
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async ensureOpen(): Promise<void> {
    if (this.state === 'idle' || this.state === 'closed') {
      throw new DeviceError(
        this.deviceId,
        'not-connected',
        `no connection to ${describeEndpoint(this.endpoint)}: call connect() first`,
      );
    }
    if (this.isOpen) return;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    await this.opening;
  }

  private async open(): Promise<void> {
    this.dropClient();
    const client = new ModbusRTU();
    // modbus-serial re-emits serial-port errors; without a listener an 'error' event would end the process.
    client.on('error', () => this.connectionLost(client, 'the port reported an error'));
    client.on('close', () => this.connectionLost(client, 'the connection closed'));
    client.setTimeout(this.timeoutMs);
    client.setID(this.endpoint.unitId);
    this.client = client;
    const target = describeEndpoint(this.endpoint);
    const opening =
      this.endpoint.transport === 'tcp'
        ? client.connectTCP(this.endpoint.host, { port: this.endpoint.port, timeout: this.timeoutMs })
        : client.connectRTUBuffered(this.endpoint.path, { baudRate: this.endpoint.baudRate ?? DEFAULT_RTU_BAUD_RATE });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DeviceError(
              this.deviceId,
              'timeout',
              `connecting to ${target}: no connection within ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([opening, timedOut]);
    } catch (error) {
      opening.catch(() => undefined);
      if (this.client === client) this.dropClient();
      if (error instanceof DeviceError) throw error;
      const { kind, reason } = classifyModbusFailure(error);
      throw new DeviceError(
        this.deviceId,
        kind === 'bad-value' ? 'connection-refused' : kind,
        `connecting to ${target}: ${reason}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    if (this.client !== client) {
      // close() was called while connecting.
      throw new DeviceError(this.deviceId, 'not-connected', `connection to ${target} was closed while it opened`);
    }
    if (this.state === 'lost') this.state = 'open';
  }

  private connectionLost(client: Client, why: string): void {
    if (client !== this.client) return;
    if (this.state === 'open') this.state = 'lost';
    this.onLost?.(new DeviceError(this.deviceId, 'disconnected', why));
  }

  private dropClient(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    this.onLost?.(
      new DeviceError(
        this.deviceId,
        this.state === 'closed' ? 'not-connected' : 'disconnected',
        'the connection was closed',
      ),
    );
    try {
      client.destroy(() => undefined);
    } catch {
      // Destroying a half-open port can throw inside modbus-serial; the port is gone either way.
    }
  }
}
