import { DeviceError } from '../../natures/device-error.ts';
import type { ModbusEndpoint } from '../modbus/modbus-endpoint.ts';
import { SunSpecClient } from './sunspec-client.ts';
import { realTimer, REFRESH_FRACTION_OF_REVERSION, SetpointRefresher } from './setpoint-refresher.ts';
import type { SunSpecDriverOptions } from './sunspec-driver-options.ts';

/**
 * What every SunSpec nature driver shares: the client, connect/close, and the refresher that re-sends the last
 * setpoint while connected. Nature drivers add only their register-to-nature translation.
 */
export class SunSpecDevice {
  readonly client: SunSpecClient;
  private readonly refresher: SetpointRefresher;
  private connected = false;

  constructor(
    readonly deviceId: string,
    endpoint: ModbusEndpoint,
    options: SunSpecDriverOptions,
    /** Models the nature cannot work without: at least one of each inner list. */
    private readonly requiredModels: ReadonlyArray<readonly number[]>,
  ) {
    this.client = new SunSpecClient(deviceId, endpoint, options);
    this.refresher = new SetpointRefresher(
      deviceId,
      options.timer ?? realTimer,
      options.onRefreshError ?? (() => undefined),
    );
  }

  /** The last refresh failure, cleared by the next successful refresh. */
  get lastRefreshError(): DeviceError | undefined {
    return this.refresher.lastError;
  }

  async connect(): Promise<void> {
    const map = await this.client.connect();
    for (const alternatives of this.requiredModels) {
      if (!alternatives.some((id) => map.models.some((m) => m.id === id))) {
        throw new DeviceError(
          this.deviceId,
          'missing-model',
          `needs SunSpec model ${alternatives.join(' or ')}; the device has ${map.models.map((m) => m.id).join(', ')}`,
        );
      }
    }
    this.connected = true;
  }

  /** Reads are allowed after connect(); a dropped connection is re-opened by the next request. */
  requireConnected(): void {
    if (!this.connected) throw new DeviceError(this.deviceId, 'not-connected', 'call connect() first');
  }

  /** Sends a setpoint now, then again every 40 % of its reversion time until close() or the next setpoint. */
  async sendAndKeepFresh(reversionS: number, send: () => Promise<void>): Promise<void> {
    this.refresher.stop();
    await send();
    if (this.connected) this.refresher.start(reversionS * 1000 * REFRESH_FRACTION_OF_REVERSION, send);
  }

  /**
   * Runs a driver operation so that it rejects only with a DeviceError: anything else (a bug, a library throwing
   * something unexpected) is wrapped with the device and the operation named.
   */
  async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DeviceError) throw error;
      throw new DeviceError(this.deviceId, 'bad-value', `${operation} failed: ${String(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.connected = false;
    this.refresher.stop();
    await this.client.close();
  }
}

/** Checks a reversion time before anything is sent: the device must always be able to fall back by itself. */
export function checkReversion(deviceId: string, reversionS: number, maxS: number): void {
  if (!Number.isInteger(reversionS) || reversionS < 1 || reversionS > maxS) {
    throw new DeviceError(
      deviceId,
      'write-rejected',
      `reversion time ${reversionS} s must be a whole number of seconds in 1..${maxS}; nothing written`,
    );
  }
}

/**
 * A SunSpec device as a nature's driver: every call guarded (typed errors naming the device and the operation), and
 * the last failed setpoint refresh visible. The natures differ only in how they read and write.
 */
export function guardedDriver<Nature extends string, Reading, Setpoint>(
  device: SunSpecDevice,
  nature: Nature,
  read: () => Promise<Reading>,
  write: (setpoint: Setpoint) => Promise<void>,
): {
  deviceId: string;
  nature: Nature;
  connect(): Promise<void>;
  read(): Promise<Reading>;
  write(setpoint: Setpoint): Promise<void>;
  close(): Promise<void>;
  readonly lastRefreshError: DeviceError | undefined;
} {
  return {
    deviceId: device.deviceId,
    nature,
    connect: () => device.guard('connect', () => device.connect()),
    read: () => device.guard('read', read),
    write: (setpoint) => device.guard('write', () => write(setpoint)),
    close: () => device.guard('close', () => device.close()),
    get lastRefreshError() {
      return device.lastRefreshError;
    },
  };
}
