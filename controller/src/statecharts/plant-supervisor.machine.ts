import { assign, fromPromise, setup } from 'xstate';

/**
 * The plant as a whole, in words a grid operator uses:
 * - starting: devices are still connecting; nothing is balanced yet.
 * - running: every device in service answers.
 * - degraded: some devices are stale or faulted; the rest keep balancing around them.
 * - failsafe: the grid meter is lost, so the controller cannot see the connection point: no balancing writes;
 *   batteries are told to hold (0 W) and every device reverts by its own timer. Leaving failsafe needs the meter
 *   back for `failsafeRecovery`, so a flapping meter does not flap the plant.
 * - stopping / stopped: the controller is shutting down; drivers are closed and devices revert.
 */
export interface PlantHealth {
  gridMeterOnline: boolean;
  /** Devices in service that are stale or faulted. */
  unhealthyDeviceIds: readonly string[];
  /** Devices still making their first connection. */
  connectingDeviceIds: readonly string[];
}

export interface PlantSupervisorTiming {
  /** How long `starting` waits for slow devices before deciding with what it has. */
  startupTimeoutMs: number;
  /** How long the grid meter must be back before failsafe is left. */
  failsafeRecoveryMs: number;
}

export const defaultPlantSupervisorTiming: PlantSupervisorTiming = {
  startupTimeoutMs: 30_000,
  failsafeRecoveryMs: 5_000,
};

export interface PlantSupervisorContext {
  health: PlantHealth;
  timing: PlantSupervisorTiming;
  shutDown: () => Promise<void>;
}

export type PlantSupervisorEvent = { type: 'HEALTH'; health: PlantHealth } | { type: 'STOP' };

export interface PlantSupervisorInput {
  timing?: Partial<PlantSupervisorTiming>;
  /** Closes every driver; called once in `stopping`. */
  shutDown: () => Promise<void>;
}

const initialHealth: PlantHealth = { gridMeterOnline: false, unhealthyDeviceIds: [], connectingDeviceIds: [] };

export const plantSupervisorMachine = setup({
  types: {
    context: {} as PlantSupervisorContext,
    events: {} as PlantSupervisorEvent,
    input: {} as PlantSupervisorInput,
  },
  actors: {
    shutDownPlant: fromPromise<void, { shutDown: () => Promise<void> }>(({ input }) => input.shutDown()),
  },
  actions: {
    recordHealth: assign((_, params: { health: PlantHealth }) => ({ health: params.health })),
  },
  guards: {
    stillConnecting: (_, params: { health: PlantHealth }) => params.health.connectingDeviceIds.length > 0,
    meterLost: (_, params: { health: PlantHealth }) => !params.health.gridMeterOnline,
    someDevicesUnhealthy: (_, params: { health: PlantHealth }) =>
      params.health.unhealthyDeviceIds.length > 0 || params.health.connectingDeviceIds.length > 0,
    meterLostNow: ({ context }) => !context.health.gridMeterOnline,
    someDevicesUnhealthyNow: ({ context }) =>
      context.health.unhealthyDeviceIds.length > 0 || context.health.connectingDeviceIds.length > 0,
  },
  delays: {
    startupTimeout: ({ context }) => context.timing.startupTimeoutMs,
    failsafeRecovery: ({ context }) => context.timing.failsafeRecoveryMs,
  },
}).createMachine({
  id: 'plant',
  context: ({ input }) => ({
    health: initialHealth,
    timing: { ...defaultPlantSupervisorTiming, ...input.timing },
    shutDown: input.shutDown,
  }),
  initial: 'starting',
  on: { STOP: { target: '.stopping' } },
  states: {
    starting: {
      on: {
        HEALTH: [
          {
            guard: { type: 'stillConnecting', params: ({ event }) => ({ health: event.health }) },
            actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
          },
          {
            target: 'classifying',
            actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
          },
        ],
      },
      after: { startupTimeout: { target: 'classifying' } },
    },
    /** A passing state: picks running, degraded or failsafe from the last health report. */
    classifying: {
      always: [
        { guard: 'meterLostNow', target: 'failsafe' },
        { guard: 'someDevicesUnhealthyNow', target: 'degraded' },
        { target: 'running' },
      ],
    },
    running: {
      on: {
        HEALTH: {
          target: 'classifying',
          actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
        },
      },
    },
    degraded: {
      on: {
        HEALTH: {
          target: 'classifying',
          actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
        },
      },
    },
    failsafe: {
      initial: 'meterLost',
      states: {
        meterLost: {
          on: {
            HEALTH: [
              {
                guard: { type: 'meterLost', params: ({ event }) => ({ health: event.health }) },
                actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
              },
              {
                target: 'meterBack',
                actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
              },
            ],
          },
        },
        meterBack: {
          on: {
            HEALTH: [
              {
                guard: { type: 'meterLost', params: ({ event }) => ({ health: event.health }) },
                target: 'meterLost',
                actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) },
              },
              { actions: { type: 'recordHealth', params: ({ event }) => ({ health: event.health }) } },
            ],
          },
          after: { failsafeRecovery: { target: '#plant.classifying' } },
        },
      },
    },
    stopping: {
      on: { STOP: {} },
      invoke: {
        src: 'shutDownPlant',
        input: ({ context }) => ({ shutDown: context.shutDown }),
        onDone: { target: 'stopped' },
        onError: { target: 'stopped' },
      },
    },
    stopped: { type: 'final' },
  },
});

export type PlantOperatingState = 'starting' | 'running' | 'degraded' | 'failsafe' | 'stopping' | 'stopped';
