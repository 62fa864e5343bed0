export type { Measured } from './measured.ts';
export { DeviceError, isDeviceError, type DeviceErrorKind } from './device-error.ts';
export type { DeviceDriver, NatureKind } from './driver.ts';
export type { PvInverter, PvInverterReading, PvInverterSetpoint, PvInverterState } from './pv-inverter.ts';
export type { Battery, BatteryReading, BatterySetpoint, BatteryState } from './battery.ts';
export type { FlexibleLoad, FlexibleLoadReading, FlexibleLoadSetpoint, FlexibleLoadState } from './flexible-load.ts';
export type { Meter, MeterReading } from './meter.ts';
