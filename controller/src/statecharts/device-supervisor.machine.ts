import { assign, fromPromise, setup } from 'xstate';
import { isDeviceError, type DeviceErrorKind } from '../natures/index.ts';

/**
 * One supervisor per device: is the device reachable, and when do we try again? Modelled on OpenEMS's defective-
 * device handling: a device that keeps failing is retried after a back-off that grows by `backoffStepMs` per failure
 * up to `backoffCapMs`, so a dead device costs the cycle nothing while it waits.
 *
 *   connecting --connected--> online --read failed--> stale --N failures / connection lost--> faulted
 *        ^                     ^--------read ok---------'                                      |
 *        '------------------------------ after retryBackoff (step x failures, capped) ---------'
 *   any --TAKE_OUT_OF_SERVICE--> outOfService --PUT_IN_SERVICE--> connecting
 */
export interface DeviceSupervisorTiming {
  /** Added to the retry delay for every consecutive failure (OpenEMS: 2 s). */
  backoffStepMs: number;
  /** The retry delay never grows beyond this (OpenEMS: 5 min). */
  backoffCapMs: number;
  /** Consecutive failed reads a stale device may have before it counts as faulted. */
  staleReadsBeforeFault: number;
}

export const defaultDeviceSupervisorTiming: DeviceSupervisorTiming = {
  backoffStepMs: 2_000,
  backoffCapMs: 300_000,
  staleReadsBeforeFault: 3,
};

export interface DeviceFailure {
  kind: DeviceErrorKind | 'unexpected';
  message: string;
}

export interface DeviceSupervisorInput {
  deviceId: string;
  /** Connects the driver (with its own timeout); rejects with a DeviceError. */
  connect: () => Promise<void>;
  /** Closes the driver; failures are ignored (the device is being given up on anyway). */
  close: () => Promise<void>;
  timing?: Partial<DeviceSupervisorTiming>;
}

export interface DeviceSupervisorContext {
  deviceId: string;
  connect: () => Promise<void>;
  close: () => Promise<void>;
  timing: DeviceSupervisorTiming;
  /** Consecutive failures (connects and reads); 0 while healthy. */
  failures: number;
  lastFailure: DeviceFailure | null;
}

export type DeviceSupervisorEvent =
  | { type: 'READ_OK' }
  | { type: 'READ_FAILED'; error: unknown }
  | { type: 'TAKE_OUT_OF_SERVICE' }
  | { type: 'PUT_IN_SERVICE' };

/** Errors after which the connection itself is gone: reconnecting is the only cure, so skip the stale phase. */
const connectionLostKinds: readonly DeviceErrorKind[] = ['connection-refused', 'disconnected', 'not-connected'];

function describeFailure(error: unknown): DeviceFailure {
  if (isDeviceError(error)) return { kind: error.kind, message: error.message };
  return { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
}

/** The delay before retry number `failures`, exported so the API can show when the next attempt comes. */
export function retryBackoffMs(timing: DeviceSupervisorTiming, failures: number): number {
  return Math.min(timing.backoffCapMs, timing.backoffStepMs * Math.max(1, failures));
}

export const deviceSupervisorMachine = setup({
  types: {
    context: {} as DeviceSupervisorContext,
    events: {} as DeviceSupervisorEvent,
    input: {} as DeviceSupervisorInput,
  },
  actors: {
    connectDevice: fromPromise<void, { connect: () => Promise<void> }>(({ input }) => input.connect()),
    closeDevice: fromPromise<void, { close: () => Promise<void> }>(async ({ input }) => {
      await input.close().catch(() => undefined);
    }),
  },
  actions: {
    recordFailure: assign(({ context }, params: { error: unknown }) => ({
      failures: context.failures + 1,
      lastFailure: describeFailure(params.error),
    })),
    clearFailures: assign({ failures: 0, lastFailure: null }),
  },
  guards: {
    connectionLost: (_, params: { error: unknown }) =>
      isDeviceError(params.error) && connectionLostKinds.includes(params.error.kind),
    tooManyFailedReads: ({ context }) => context.failures + 1 >= context.timing.staleReadsBeforeFault,
  },
  delays: {
    retryBackoff: ({ context }) => retryBackoffMs(context.timing, context.failures),
  },
}).createMachine({
  id: 'deviceSupervisor',
  context: ({ input }) => ({
    deviceId: input.deviceId,
    connect: input.connect,
    close: input.close,
    timing: { ...defaultDeviceSupervisorTiming, ...input.timing },
    failures: 0,
    lastFailure: null,
  }),
  initial: 'connecting',
  on: {
    TAKE_OUT_OF_SERVICE: { target: '.outOfService' },
  },
  states: {
    connecting: {
      invoke: {
        src: 'connectDevice',
        input: ({ context }) => ({ connect: context.connect }),
        onDone: { target: 'online', actions: 'clearFailures' },
        onError: {
          target: 'faulted',
          actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    online: {
      on: {
        READ_FAILED: [
          {
            guard: { type: 'connectionLost', params: ({ event }) => ({ error: event.error }) },
            target: 'faulted',
            actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) },
          },
          { target: 'stale', actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) } },
        ],
      },
    },
    stale: {
      on: {
        READ_OK: { target: 'online', actions: 'clearFailures' },
        READ_FAILED: [
          {
            guard: { type: 'connectionLost', params: ({ event }) => ({ error: event.error }) },
            target: 'faulted',
            actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) },
          },
          {
            guard: 'tooManyFailedReads',
            target: 'faulted',
            actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) },
          },
          { actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) } },
        ],
      },
    },
    faulted: {
      invoke: { src: 'closeDevice', input: ({ context }) => ({ close: context.close }) },
      after: { retryBackoff: { target: 'connecting' } },
    },
    outOfService: {
      invoke: { src: 'closeDevice', input: ({ context }) => ({ close: context.close }) },
      on: {
        TAKE_OUT_OF_SERVICE: {},
        PUT_IN_SERVICE: { target: 'connecting', actions: 'clearFailures' },
      },
    },
  },
});

export type DeviceSupervisorState = 'connecting' | 'online' | 'stale' | 'faulted' | 'outOfService';
