import { createActor, waitFor, type Actor } from 'xstate';
import type { Decision } from '../control/decide.ts';
import type { BatteryReading, FlexibleLoadReading, MeterReading } from '../natures/index.ts';
import type { PlantDevice } from '../plant/plant-device.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import { batteryMachine, type BatteryOperatingState } from '../statecharts/battery.machine.ts';
import {
  deviceSupervisorMachine,
  type DeviceFailure,
  type DeviceSupervisorState,
  type DeviceSupervisorTiming,
} from '../statecharts/device-supervisor.machine.ts';
import {
  minerSwitchMachine,
  type MinerSwitchPosition,
  type MinerSwitchTiming,
} from '../statecharts/miner-switch.machine.ts';
import {
  plantSupervisorMachine,
  type PlantOperatingState,
  type PlantSupervisorTiming,
} from '../statecharts/plant-supervisor.machine.ts';
import type { ReadOutcome } from './cycle-reading.ts';
import type { ProcessImage } from './process-image.ts';
import type { Scheduler } from './scheduler.ts';
import { withDeadline } from './with-deadline.ts';

export interface SupervisionOptions {
  plant: PlantSpec;
  devices: readonly PlantDevice[];
  scheduler: Scheduler;
  connectTimeoutMs: number;
  supervisorTiming?: Partial<DeviceSupervisorTiming> | undefined;
  plantTiming?: Partial<PlantSupervisorTiming> | undefined;
  /** Hysteresis of the miners' on/off switch; min on/off times come from each miner's spec. */
  minerTiming: Partial<Omit<MinerSwitchTiming, 'minOnMs' | 'minOffMs'>>;
}

/**
 * The supervision side of the cycle: a statechart per device (connect, online, stale, offline, out of service), per
 * battery (running, stopped, error awaiting acknowledge), per miner's on/off switch and one for the plant. All their
 * delays run on the injected Scheduler. The cycle tells them what it read and decided; they tell it what may run.
 */
export class CycleSupervision {
  private readonly supervisors = new Map<string, Actor<typeof deviceSupervisorMachine>>();
  private readonly batteries = new Map<string, Actor<typeof batteryMachine>>();
  private readonly minerSwitches = new Map<string, Actor<typeof minerSwitchMachine>>();
  private readonly plantSupervisor: Actor<typeof plantSupervisorMachine>;
  private readonly everConnected = new Set<string>();

  constructor(private readonly options: SupervisionOptions) {
    const clock = options.scheduler;
    for (const device of options.devices) {
      const { driver } = device;
      const deviceId = device.spec.id;
      this.supervisors.set(
        deviceId,
        createActor(deviceSupervisorMachine, {
          clock,
          input: {
            deviceId,
            connect: () =>
              withDeadline(() => driver.connect(), options.connectTimeoutMs, clock, {
                deviceId,
                action: 'connect',
              }),
            close: () => driver.close(),
            ...(options.supervisorTiming ? { timing: options.supervisorTiming } : {}),
          },
        }),
      );
      if (device.spec.kind === 'battery') {
        this.batteries.set(deviceId, createActor(batteryMachine, { clock, input: { deviceId } }));
      }
    }
    this.plantSupervisor = createActor(plantSupervisorMachine, {
      clock,
      input: {
        ...(options.plantTiming ? { timing: options.plantTiming } : {}),
        shutDown: async () => {
          await Promise.all(options.devices.map((d) => d.driver.close().catch(() => undefined)));
        },
      },
    });
  }

  /** Starts the statecharts: devices begin connecting. */
  start(): void {
    for (const actor of this.supervisors.values()) {
      actor.subscribe((snapshot) => {
        if (snapshot.value === 'online') this.everConnected.add(snapshot.context.deviceId);
      });
      actor.start();
    }
    for (const actor of this.batteries.values()) actor.start();
    this.plantSupervisor.start();
  }

  /** Lets the plant supervisor close every driver (devices then revert by their timers), then stops the charts. */
  async stop(): Promise<void> {
    this.plantSupervisor.send({ type: 'STOP' });
    await waitFor(this.plantSupervisor, (s) => s.status === 'done');
    for (const actor of [...this.supervisors.values(), ...this.batteries.values(), ...this.minerSwitches.values()])
      actor.stop();
  }

  /** Tells a device's supervisor how its read went; returns its verdict for the process image. */
  recordRead(
    deviceId: string,
    outcome: ReadOutcome,
  ): { health: DeviceSupervisorState; lastFailure: DeviceFailure | null } {
    const supervisor = this.supervisorActor(deviceId);
    if (outcome.ok === true) {
      // An online device ignores READ_OK; not sending it saves an XState macrostep per device per cycle.
      if (supervisor.getSnapshot().value !== 'online') supervisor.send({ type: 'READ_OK' });
    } else if (outcome.ok === false) {
      supervisor.send({ type: 'READ_FAILED', error: outcome.error });
    }
    const supervision = supervisor.getSnapshot();
    return { health: supervision.value as DeviceSupervisorState, lastFailure: supervision.context.lastFailure };
  }

  acknowledgeBatteryFault(deviceId: string): void {
    this.batteryActor(deviceId).send({ type: 'ACKNOWLEDGE' });
  }

  stopBattery(deviceId: string): void {
    this.batteryActor(deviceId).send({ type: 'STOP' });
  }

  startBattery(deviceId: string): void {
    this.batteryActor(deviceId).send({ type: 'START' });
  }

  takeOutOfService(deviceId: string): void {
    this.supervisorActor(deviceId).send({ type: 'TAKE_OUT_OF_SERVICE' });
  }

  putInService(deviceId: string): void {
    this.supervisorActor(deviceId).send({ type: 'PUT_IN_SERVICE' });
  }

  deviceState(deviceId: string): DeviceSupervisorState {
    return this.supervisorActor(deviceId).getSnapshot().value as DeviceSupervisorState;
  }

  batteryState(deviceId: string): BatteryOperatingState {
    const value = this.batteryActor(deviceId).getSnapshot().value;
    return (typeof value === 'string' ? value : 'error') as BatteryOperatingState;
  }

  batteryStates(): Record<string, BatteryOperatingState> {
    const states: Record<string, BatteryOperatingState> = {};
    for (const id of this.batteries.keys()) states[id] = this.batteryState(id);
    return states;
  }

  /** Whether a battery has a fault for an operator to acknowledge: none, still present, or gone and awaiting it. */
  batteryFault(deviceId: string): 'none' | 'present' | 'awaiting-acknowledge' {
    const snapshot = this.batteryActor(deviceId).getSnapshot();
    if (snapshot.matches({ error: 'faultPresent' })) return 'present';
    if (snapshot.matches({ error: 'awaitingAcknowledge' })) return 'awaiting-acknowledge';
    return 'none';
  }

  minerSwitchPosition(deviceId: string): MinerSwitchPosition | null {
    const actor = this.minerSwitches.get(deviceId);
    if (!actor) return null;
    const value = actor.getSnapshot().value as Record<string, string> | string;
    if (typeof value === 'string') return 'off-locked';
    if ('on' in value) return value.on === 'minOnTime' ? 'on-locked' : 'on';
    return value.off === 'minOffTime' ? 'off-locked' : 'off';
  }

  minerPositions(): Record<string, MinerSwitchPosition> {
    const positions: Record<string, MinerSwitchPosition> = {};
    for (const id of this.minerSwitches.keys()) positions[id] = this.minerSwitchPosition(id) ?? 'off-locked';
    return positions;
  }

  plantState(): PlantOperatingState {
    const snapshot = this.plantSupervisor.getSnapshot();
    const value = snapshot.value;
    return (typeof value === 'string' ? value : Object.keys(value)[0]) as PlantOperatingState;
  }

  /** Battery and plant statecharts see the frozen image. */
  observe(image: ProcessImage): void {
    this.updateBatteries(image);
    this.updatePlant(image);
  }

  /** The miners' switches see the decision: surplus on offer, and whether the plant is short. */
  updateMinerSwitches(image: ProcessImage, decision: Decision, plantShortToleranceW: number): void {
    const plantShort = decision.dispatch.shortfallW > plantShortToleranceW;
    for (const spec of this.options.plant.devices) {
      if (spec.kind !== 'flexible-load') continue;
      let actor = this.minerSwitches.get(spec.id);
      const snapshot = image.devices[spec.id];
      if (!actor) {
        // Created at the first fresh reading, so a miner found mining is taken over as on.
        if (!snapshot?.fresh) continue;
        const state = (snapshot.reading as FlexibleLoadReading | null)?.state;
        actor = createActor(minerSwitchMachine, {
          clock: this.options.scheduler,
          input: {
            deviceId: spec.id,
            minPowerW: spec.minPowerW,
            timing: { ...this.options.minerTiming, minOnMs: spec.minOnS * 1000, minOffMs: spec.minOffS * 1000 },
            initiallyOn: state === 'running' || state === 'ramping-up',
          },
        });
        this.minerSwitches.set(spec.id, actor);
        actor.start();
      }
      actor.send({ type: 'SURPLUS', availableW: decision.dispatch.minerOfferW[spec.id] ?? 0 });
      if (plantShort) actor.send({ type: 'PLANT_SHORT' });
    }
  }

  private updateBatteries(image: ProcessImage): void {
    for (const [id, actor] of this.batteries) {
      const snapshot = image.devices[id];
      if (!snapshot) continue;
      const reading = snapshot.reading as BatteryReading | null;
      if (snapshot.fresh && reading?.state === 'fault') {
        actor.send({ type: 'FAULT_DETECTED', reason: 'the battery reports FAULT' });
      } else if (!snapshot.fresh && snapshot.failure?.kind === 'device-fault') {
        actor.send({ type: 'FAULT_DETECTED', reason: snapshot.failure.message });
      } else if (snapshot.fresh && actor.getSnapshot().value !== 'running') {
        actor.send({ type: 'HEALTHY_READING' }); // a running battery ignores it
      }
    }
  }

  private updatePlant(image: ProcessImage): void {
    const meter = image.devices[this.options.plant.gridMeterId];
    const gridMeterOnline = !!meter && meter.fresh && (meter.reading as MeterReading | null)?.powerW != null;
    const unhealthyDeviceIds: string[] = [];
    const connectingDeviceIds: string[] = [];
    for (const snapshot of Object.values(image.devices)) {
      if (snapshot.health === 'outOfService' || snapshot.health === 'online') continue;
      if (snapshot.health === 'connecting' && !this.everConnected.has(snapshot.id))
        connectingDeviceIds.push(snapshot.id);
      else unhealthyDeviceIds.push(snapshot.id);
    }
    this.plantSupervisor.send({ type: 'HEALTH', health: { gridMeterOnline, unhealthyDeviceIds, connectingDeviceIds } });
  }

  private supervisorActor(deviceId: string): Actor<typeof deviceSupervisorMachine> {
    const actor = this.supervisors.get(deviceId);
    if (!actor) throw new RangeError(`no device ${deviceId} in this plant`);
    return actor;
  }

  private batteryActor(deviceId: string): Actor<typeof batteryMachine> {
    const actor = this.batteries.get(deviceId);
    if (!actor) throw new RangeError(`no battery ${deviceId} in this plant`);
    return actor;
  }
}
