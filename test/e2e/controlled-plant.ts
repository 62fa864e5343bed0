/**
 * Test fixture: the simulated plant (real Modbus TCP and OPC UA servers on 127.0.0.1, ports the OS picks) and the
 * real control cycle with the real SunSpec and OPC UA drivers talking to it over those sockets. Plant physics, the
 * cycle's deadlines, the statecharts' delays and the drivers' setpoint refreshes all run on one ManualScheduler, so a
 * simulated day takes as long as its cycles' socket round trips, never as long as a day.
 */
import {
  startPlant,
  parsePlantConfig,
  type PlantConfigInput,
  type PlantEndpoint,
  type RunningPlant,
} from '@gridcoop/devices/plant/index';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import { ControlCycle, type CycleReport } from '@gridcoop/controller/cycle/control-cycle';
import { ManualScheduler } from '@gridcoop/controller/cycle/manual-scheduler';
import type { CycleTiming } from '@gridcoop/controller/cycle/cycle-timing';
import type { ControlTuning } from '@gridcoop/controller/control/control-inputs';
import type { DeviceSupervisorTiming } from '@gridcoop/controller/statecharts/device-supervisor.machine';
import type { MinerSwitchTiming } from '@gridcoop/controller/statecharts/miner-switch.machine';
import type { ModbusEndpoint } from '@gridcoop/controller/drivers/modbus/index';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '@gridcoop/controller/drivers/sunspec/index';
import type { Battery, FlexibleLoad, Meter, MeterReading, PvInverter } from '@gridcoop/controller/natures/index';
import { pairDevices } from '@gridcoop/controller/plant/plant-device';
import { parsePlantSpec, type PlantSpec } from '@gridcoop/controller/plant/plant-spec';
import type { PolicyInForce } from '@gridcoop/controller/policy/allocation-policy';

export interface ControlledPlantOptions {
  /** Simulation start (epoch ms); the profiles are Melbourne's, so pick the hour with care. */
  startMs: number;
  /** The simulated plant; the demo plant when left out. */
  plant?: PlantConfigInput;
  /** Hard limits of the grid connection, as a site's local configuration gives them. */
  importCapW: number;
  exportCapW: number;
  timing?: Partial<CycleTiming>;
  tuning?: Partial<ControlTuning>;
  policy?: PolicyInForce;
  supervisorTiming?: Partial<DeviceSupervisorTiming>;
  minerTiming?: Partial<Omit<MinerSwitchTiming, 'minOnMs' | 'minOffMs'>>;
  /** Written with every setpoint; the device reverts to its safe default if not refreshed within it. */
  pvReversionS?: number;
  batteryReversionS?: number;
  /** The controller's own minimum on/off times for miners. */
  minerMinOnS?: number;
  minerMinOffS?: number;
  /**
   * Real time to wait after each clock advance before the cycle reads. OPC UA miners report by subscription, sampled
   * and published every 200 ms of real time: without this wait a cycle would read what they said a jump ago.
   */
  subscriptionSettleMs?: number;
  /** Lowest PV limit ever written (never 0 %). */
  pvMinPowerLimitPct?: number;
  /** Builds each miner's driver instead of the OPC UA one (the balancing benchmark reaches the models in-process). */
  minerDriver?: (plant: RunningPlant, deviceId: string) => FlexibleLoad;
}

export interface ControlledPlant {
  plant: RunningPlant;
  cycle: ControlCycle;
  scheduler: ManualScheduler;
  spec: PlantSpec;
  /** Runs one cycle now; if it waits on a device deadline, simulated time moves on until the deadline fires. */
  runCycle(): Promise<CycleReport>;
  /** Moves simulated time by `ms` (firing due timers), then runs one cycle. */
  step(ms: number): Promise<CycleReport>;
  /** Grid power the controller's meter read in a report (import positive). */
  gridW(report: CycleReport): number;
  stop(): Promise<void>;
}

/** How long a stalled cycle waits for real socket I/O before simulated time moves on by the same amount. */
const STALL_SLICE_MS = 50;
/** Bounds a broken test: a cycle that does not end within this much simulated time is a bug, not a slow device. */
const MAX_CYCLE_SIMULATED_MS = 120_000;

function modbusEndpoint(endpoints: readonly PlantEndpoint[], id: string): ModbusEndpoint {
  const found = endpoints.find((e) => e.id === id);
  if (!found || found.protocol !== 'modbus-tcp' || found.host === undefined || found.port === undefined) {
    throw new Error(`device ${id}: no Modbus TCP endpoint in the plant`);
  }
  return { transport: 'tcp', host: found.host, port: found.port, unitId: found.unitId ?? 1 };
}

function realDelay(ms: number): Promise<'waited'> {
  return new Promise((resolve) => setTimeout(() => resolve('waited'), ms));
}

/** Starts plant and controller; the devices are online when it returns. Stop it in an `after`/`finally`. */
export async function startControlledPlant(options: ControlledPlantOptions): Promise<ControlledPlant> {
  const scheduler = new ManualScheduler(options.startMs);
  const config = parsePlantConfig(options.plant ?? {});
  const plant = await startPlant(config, { clock: scheduler });
  let cycle: ControlCycle | undefined;
  try {
    const pvReversionS = options.pvReversionS ?? 60;
    const batteryReversionS = options.batteryReversionS ?? 30;
    const spec = parsePlantSpec({
      gridMeterId: config.meter.id,
      importCapW: options.importCapW,
      exportCapW: options.exportCapW,
      devices: [
        { kind: 'meter', id: config.meter.id },
        ...config.pvInverters.map((d) => ({
          kind: 'pv-inverter',
          id: d.id,
          ratedPowerW: d.ratedPowerW,
          minPowerLimitPct: options.pvMinPowerLimitPct ?? 10,
          reversionS: pvReversionS,
        })),
        ...config.batteries.map((d) => ({
          kind: 'battery',
          id: d.id,
          capacityWh: d.capacityWh,
          maxChargeW: d.maxChargeW,
          maxDischargeW: d.maxDischargeW,
          minReservePct: d.minReservePct,
          // The model's own ramp (its default is half the rating per second): the controller must not outrun it.
          rampWPerS: (plant.model(d.id) as BatteryModel).rampWPerS,
          reversionS: batteryReversionS,
        })),
        ...config.miners.map((d) => ({
          kind: 'flexible-load',
          id: d.id,
          minPowerW: d.minPowerW,
          maxPowerW: d.maxPowerW,
          minOnS: options.minerMinOnS ?? 300,
          minOffS: options.minerMinOffS ?? 300,
        })),
      ],
    });
    const sunSpec = { timer: scheduler, timeoutMs: 2_000 };
    const minerEndpoints = plant.endpoints.filter((e) => e.kind === 'miner');
    // node-opcua takes seconds to load: a plant without miners does not pay for it.
    const opcUaMiner =
      minerEndpoints.length > 0 && !options.minerDriver
        ? (await import('@gridcoop/controller/drivers/opcua/opcua-miner')).opcUaMiner
        : null;
    const drivers: Array<PvInverter | Battery | FlexibleLoad | Meter> = [
      sunSpecMeter(config.meter.id, modbusEndpoint(plant.endpoints, config.meter.id), sunSpec),
      ...config.pvInverters.map((d) =>
        sunSpecPvInverter(d.id, modbusEndpoint(plant.endpoints, d.id), {
          ...sunSpec,
          minPowerLimitPct: options.pvMinPowerLimitPct ?? 10,
        }),
      ),
      ...config.batteries.map((d) => sunSpecBattery(d.id, modbusEndpoint(plant.endpoints, d.id), sunSpec)),
      ...minerEndpoints.map((e) =>
        options.minerDriver
          ? options.minerDriver(plant, e.id)
          : opcUaMiner!(e.id, { endpointUrl: e.endpointUrl!, browseName: e.browseName!, timeoutMs: 10_000 }),
      ),
    ];
    const controlCycle = new ControlCycle({
      plant: spec,
      devices: pairDevices(spec.devices, drivers),
      scheduler,
      ...(options.timing ? { timing: options.timing } : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.supervisorTiming ? { supervisorTiming: options.supervisorTiming } : {}),
      ...(options.minerTiming ? { minerTiming: options.minerTiming } : {}),
    });
    cycle = controlCycle;
    controlCycle.start({ tick: false });
    // Connecting is real socket I/O (and OPC UA browsing); the clock stands still meanwhile.
    for (let i = 0; i < 600 && !spec.devices.every((d) => controlCycle.deviceState(d.id) === 'online'); i++)
      await realDelay(50);
    const notOnline = spec.devices
      .filter((d) => controlCycle.deviceState(d.id) !== 'online')
      .map((d) => `${d.id} ${controlCycle.deviceState(d.id)}`);
    if (notOnline.length > 0) throw new Error(`devices not online after connecting: ${notOnline.join(', ')}`);

    const runCycle = async (): Promise<CycleReport> => {
      const running = controlCycle.runOnce();
      let movedMs = 0;
      for (;;) {
        const outcome = await Promise.race([running, realDelay(STALL_SLICE_MS)]);
        if (outcome !== 'waited') return outcome;
        if (movedMs >= MAX_CYCLE_SIMULATED_MS)
          throw new Error(`a cycle did not end within ${MAX_CYCLE_SIMULATED_MS} ms simulated`);
        await scheduler.advance(STALL_SLICE_MS);
        movedMs += STALL_SLICE_MS;
      }
    };
    return {
      plant,
      cycle: controlCycle,
      scheduler,
      spec,
      runCycle,
      async step(ms) {
        await scheduler.advance(ms);
        if (options.subscriptionSettleMs) await realDelay(options.subscriptionSettleMs);
        return runCycle();
      },
      gridW(report) {
        const reading = report.image.devices[spec.gridMeterId]?.reading as MeterReading | null | undefined;
        if (reading?.powerW == null) throw new Error(`cycle ${report.cycleIndex}: no grid meter reading`);
        return reading.powerW;
      },
      async stop() {
        await controlCycle.stop();
        await plant.stop();
      },
    };
  } catch (error) {
    await cycle?.stop().catch(() => undefined);
    await plant.stop();
    throw error;
  }
}
