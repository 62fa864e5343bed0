import { DeviceError } from '../../natures/device-error.ts';

/** The timers a refresher uses; tests pass their own to step time without waiting. */
export interface RefreshTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimer: RefreshTimer = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending refresh must not keep a process alive that has nothing else to do.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Share of the reversion time after which a setpoint is sent again: well before half of it, so that one lost
 * refresh still leaves time for another before the device reverts.
 */
export const REFRESH_FRACTION_OF_REVERSION = 0.4;

/**
 * Re-sends the last setpoint periodically while the driver is connected. A failed refresh never escapes as an
 * unhandled rejection: it goes to `onError` and the next refresh is still scheduled.
 */
export class SetpointRefresher {
  private handle: unknown;
  private generation = 0;
  lastError: DeviceError | undefined;

  constructor(
    private readonly deviceId: string,
    private readonly timer: RefreshTimer,
    private readonly onError: (error: DeviceError) => void,
  ) {}

  /** Starts (or restarts) refreshing with `send` every `intervalMs`. */
  start(intervalMs: number, send: () => Promise<void>): void {
    this.stop();
    const generation = this.generation;
    const schedule = (): void => {
      this.handle = this.timer.setTimeout(() => {
        void send()
          .then(() => {
            this.lastError = undefined;
          })
          .catch((error: unknown) => {
            const deviceError =
              error instanceof DeviceError
                ? error
                : new DeviceError(this.deviceId, 'write-rejected', `setpoint refresh failed: ${String(error)}`, {
                    cause: error,
                  });
            this.lastError = deviceError;
            try {
              this.onError(deviceError);
            } catch {
              // A failing error handler must not stop the refreshes.
            }
          })
          .finally(() => {
            if (generation === this.generation) schedule();
          });
      }, intervalMs);
    };
    schedule();
  }

  stop(): void {
    this.generation += 1;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
