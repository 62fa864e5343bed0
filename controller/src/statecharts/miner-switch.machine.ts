import { setup } from 'xstate';

/**
 * Whether one miner mines or is paused, with evcc-style hysteresis: it resumes only after the surplus offered to it
 * has stayed at or above its minimum power for `enableDelay` (default 1 min), and pauses only after it has stayed
 * below for `disableDelay` (default 3 min). Minimum on and off times (safety) are states of their own, so no event
 * can cut them short. When the plant is short (PLANT_SHORT: import beyond target that batteries cannot cover), a
 * miner past its minimum on time pauses at once instead of waiting for `disableDelay`.
 *
 *   off.minOffTime --after minOffTime--> off.idle --enough--> off.enablePending --after enableDelay--> on.minOnTime
 *   on.minOnTime --after minOnTime--> on.running --too little--> on.disablePending --after disableDelay--> off
 *   on.running / on.disablePending --PLANT_SHORT--> off
 */
export interface MinerSwitchTiming {
  enableDelayMs: number;
  disableDelayMs: number;
  minOnMs: number;
  minOffMs: number;
  /** Surplus beyond the miner's minimum power needed before it counts as enough to resume. */
  enableMarginW: number;
  /** How far below its minimum power the surplus may sag before it counts as too little. */
  disableMarginW: number;
}

export const defaultMinerSwitchTiming: Omit<MinerSwitchTiming, 'minOnMs' | 'minOffMs'> = {
  enableDelayMs: 60_000,
  disableDelayMs: 180_000,
  enableMarginW: 0,
  disableMarginW: 0,
};

export interface MinerSwitchInput {
  deviceId: string;
  minPowerW: number;
  timing: Partial<MinerSwitchTiming> & Pick<MinerSwitchTiming, 'minOnMs' | 'minOffMs'>;
  /** A miner found mining at start-up is taken over as on (its minimum on time starts now). */
  initiallyOn?: boolean;
}

export interface MinerSwitchContext {
  deviceId: string;
  minPowerW: number;
  timing: MinerSwitchTiming;
  initiallyOn: boolean;
}

export type MinerSwitchEvent = { type: 'SURPLUS'; availableW: number } | { type: 'PLANT_SHORT' };

export const minerSwitchMachine = setup({
  types: {
    context: {} as MinerSwitchContext,
    events: {} as MinerSwitchEvent,
    input: {} as MinerSwitchInput,
  },
  guards: {
    enoughToResume: ({ context }, params: { availableW: number }) =>
      params.availableW >= context.minPowerW + context.timing.enableMarginW,
    tooLittleToRun: ({ context }, params: { availableW: number }) =>
      params.availableW < context.minPowerW - context.timing.disableMarginW,
    notEnoughToResume: ({ context }, params: { availableW: number }) =>
      params.availableW < context.minPowerW + context.timing.enableMarginW,
    enoughToKeepRunning: ({ context }, params: { availableW: number }) =>
      params.availableW >= context.minPowerW - context.timing.disableMarginW,
    startsOn: ({ context }) => context.initiallyOn,
  },
  delays: {
    enableDelay: ({ context }) => context.timing.enableDelayMs,
    disableDelay: ({ context }) => context.timing.disableDelayMs,
    minOnTime: ({ context }) => context.timing.minOnMs,
    minOffTime: ({ context }) => context.timing.minOffMs,
  },
}).createMachine({
  id: 'minerSwitch',
  context: ({ input }) => ({
    deviceId: input.deviceId,
    minPowerW: input.minPowerW,
    timing: { ...defaultMinerSwitchTiming, ...input.timing },
    initiallyOn: input.initiallyOn ?? false,
  }),
  initial: 'deciding',
  states: {
    deciding: {
      always: [{ guard: 'startsOn', target: 'on' }, { target: 'off' }],
    },
    off: {
      initial: 'minOffTime',
      states: {
        minOffTime: {
          after: { minOffTime: { target: 'idle' } },
        },
        idle: {
          on: {
            SURPLUS: {
              guard: { type: 'enoughToResume', params: ({ event }) => ({ availableW: event.availableW }) },
              target: 'enablePending',
            },
          },
        },
        enablePending: {
          on: {
            SURPLUS: {
              guard: { type: 'notEnoughToResume', params: ({ event }) => ({ availableW: event.availableW }) },
              target: 'idle',
            },
          },
          after: { enableDelay: { target: '#minerSwitch.on' } },
        },
      },
    },
    on: {
      initial: 'minOnTime',
      states: {
        minOnTime: {
          after: { minOnTime: { target: 'running' } },
        },
        running: {
          on: {
            SURPLUS: {
              guard: { type: 'tooLittleToRun', params: ({ event }) => ({ availableW: event.availableW }) },
              target: 'disablePending',
            },
            PLANT_SHORT: { target: '#minerSwitch.off' },
          },
        },
        disablePending: {
          on: {
            SURPLUS: {
              guard: { type: 'enoughToKeepRunning', params: ({ event }) => ({ availableW: event.availableW }) },
              target: 'running',
            },
            PLANT_SHORT: { target: '#minerSwitch.off' },
          },
          after: { disableDelay: { target: '#minerSwitch.off' } },
        },
      },
    },
  },
});

/** What the safety controller needs to know of a miner's switch. */
export type MinerSwitchPosition = 'off-locked' | 'off' | 'on-locked' | 'on';
