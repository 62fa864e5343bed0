/**
 * @gridcoop/devices: the simulated plant. Controller tests, benchmarks and `npm start` use the plant API; models,
 * faults and clocks are exported for tests that drive physics directly.
 */
export { startPlant, UnknownDeviceError, type PlantEndpoint, type RunningPlant } from './plant/start-plant.ts';
export {
  parsePlantConfig,
  plantConfigSchema,
  PlantConfigError,
  type PlantConfig,
  type PlantConfigInput,
} from './plant/plant-config.ts';
export { FaultSwitch, type FaultKind, type FaultSetting } from './faults/fault.ts';
export { ManualClock, ScaledClock, type SimClock } from './sim/clock.ts';
export type { DeviceModel } from './models/device-model.ts';
export { PvInverterModel, PvInverterCommandError, type PvInverterState } from './models/pv-inverter.ts';
export { BatteryModel, BatteryCommandError, type BatteryState } from './models/battery.ts';
export { GridMeterModel } from './models/grid-meter.ts';
export { SiteLoadModel } from './models/site-load.ts';
export { openPtyPair, type PtyPair } from './modbus/pty-pair.ts';
