import { assign, setup } from 'xstate';

/**
 * The operating state of one battery, after OpenEMS's battery state machine. Only `running` lets the controller
 * charge or discharge it; every other state holds it at 0 W. A fault stops it, and it leaves `error` only when the
 * fault is gone AND an operator has acknowledged it (an acknowledgement while the fault is still there is refused:
 * the operator must see it cleared first).
 *
 *   standby --healthy reading--> running --STOP--> stopped --START--> standby
 *   any (but stopped's START) --FAULT_DETECTED--> error.faultPresent --healthy reading--> error.awaitingAcknowledge
 *   error.awaitingAcknowledge --ACKNOWLEDGE--> standby;  --FAULT_DETECTED--> error.faultPresent
 */
export interface BatteryContext {
  deviceId: string;
  faultReason: string | null;
  /** Acknowledgements refused because the fault was still present; shown to the operator. */
  refusedAcknowledgements: number;
}

export type BatteryEvent =
  | { type: 'HEALTHY_READING' }
  | { type: 'FAULT_DETECTED'; reason: string }
  | { type: 'ACKNOWLEDGE' }
  | { type: 'STOP' }
  | { type: 'START' };

export const batteryMachine = setup({
  types: {
    context: {} as BatteryContext,
    events: {} as BatteryEvent,
    input: {} as { deviceId: string },
  },
  actions: {
    recordFault: assign((_, params: { reason: string }) => ({ faultReason: params.reason })),
    clearFault: assign({ faultReason: null }),
    countRefusedAcknowledgement: assign(({ context }) => ({
      refusedAcknowledgements: context.refusedAcknowledgements + 1,
    })),
  },
}).createMachine({
  id: 'battery',
  context: ({ input }) => ({ deviceId: input.deviceId, faultReason: null, refusedAcknowledgements: 0 }),
  initial: 'standby',
  states: {
    standby: {
      on: {
        HEALTHY_READING: { target: 'running' },
        STOP: { target: 'stopped' },
      },
    },
    running: {
      on: { STOP: { target: 'stopped' } },
    },
    stopped: {
      on: { START: { target: 'standby' } },
    },
    error: {
      initial: 'faultPresent',
      states: {
        faultPresent: {
          on: {
            HEALTHY_READING: { target: 'awaitingAcknowledge' },
            ACKNOWLEDGE: { actions: 'countRefusedAcknowledgement' },
          },
        },
        awaitingAcknowledge: {
          on: {
            ACKNOWLEDGE: { target: '#battery.standby', actions: 'clearFault' },
          },
        },
      },
    },
  },
  on: {
    FAULT_DETECTED: {
      target: '.error.faultPresent',
      actions: { type: 'recordFault', params: ({ event }) => ({ reason: event.reason }) },
    },
  },
});

/** The battery's state as a flat name for APIs and controllers. */
export type BatteryOperatingState = 'standby' | 'running' | 'stopped' | 'error';
