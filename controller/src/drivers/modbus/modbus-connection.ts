import { DeviceError } from '../../natures/device-error.ts';
import { describeEndpoint, type ModbusEndpoint } from './modbus-endpoint.ts';
import { ModbusDeviceError } from './modbus-device-error.ts';
import { acquireLink, releaseLink } from './link-registry.ts';
import type { ModbusLink } from './modbus-link.ts';

/** Most registers one FC3 read may return (Modbus application protocol 6.3). */
export const MAX_READ_REGISTERS = 125;
/** Most registers one FC16 write may carry (Modbus application protocol 6.12). */
export const MAX_WRITE_REGISTERS = 123;
export const DEFAULT_TIMEOUT_MS = 1000;

export interface ModbusConnectionOptions {
  /** How long to wait for a connection or an answer before giving up with a 'timeout' DeviceError. */
  timeoutMs?: number;
}

/**
 * One device's Modbus connection (TCP, or its unit on a shared RTU line). Every failure is a DeviceError naming
 * the device, the endpoint and the registers involved. A dropped connection is re-opened by the next request;
 * after close() requests fail with 'not-connected' until connect() is called again.
 */
export class ModbusConnection {
  readonly timeoutMs: number;
  private link: ModbusLink | undefined;

  constructor(
    readonly deviceId: string,
    readonly endpoint: ModbusEndpoint,
    options: ModbusConnectionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new RangeError(`device ${deviceId}: timeout ${this.timeoutMs} ms must be > 0`);
  }

  get isOpen(): boolean {
    return this.link?.isOpen === true;
  }

  /** Opens the connection. Idempotent. */
  async connect(): Promise<void> {
    this.link ??= acquireLink(this.endpoint);
    await this.link.ensureOpen(this.deviceId, this.timeoutMs);
  }

  async close(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    if (link) await releaseLink(link);
  }

  /** Reads holding registers (FC3), split into requests of at most 125 registers. */
  async readRegisters(address: number, count: number): Promise<Uint16Array> {
    this.checkRange(3, address, count);
    // One request (most reads): the answer's own array, no copy.
    if (count <= MAX_READ_REGISTERS) return asRegisters(await this.readChunk(address, count));
    const result = new Uint16Array(count);
    for (let done = 0; done < count; done += MAX_READ_REGISTERS) {
      result.set(await this.readChunk(address + done, Math.min(MAX_READ_REGISTERS, count - done)), done);
    }
    return result;
  }

  /** One FC3 request; an answer of another length is a 'bad-value' DeviceError. */
  private async readChunk(address: number, count: number): Promise<ArrayLike<number>> {
    const data = await this.linkOrThrow().request({
      deviceId: this.deviceId,
      unitId: this.endpoint.unitId,
      timeoutMs: this.timeoutMs,
      functionCode: 3,
      address,
      count,
    });
    if (data.length !== count) {
      throw new ModbusDeviceError(
        this.deviceId,
        'bad-value',
        `FC3 at ${address} asked ${count} registers and got ${data.length}`,
        { functionCode: 3, address, count },
      );
    }
    return data;
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
    await this.linkOrThrow().request({
      deviceId: this.deviceId,
      unitId: this.endpoint.unitId,
      timeoutMs: this.timeoutMs,
      functionCode: 16,
      address,
      count: words.length,
      values: words,
    });
  }

  private linkOrThrow(): ModbusLink {
    if (!this.link)
      throw new DeviceError(
        this.deviceId,
        'not-connected',
        `no connection to ${describeEndpoint(this.endpoint)}: call connect() first`,
      );
    return this.link;
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
        { functionCode, address, count },
      );
    }
  }
}

function asRegisters(data: ArrayLike<number>): Uint16Array {
  return data instanceof Uint16Array ? data : Uint16Array.from(data);
}
