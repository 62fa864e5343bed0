/** SunSpec drivers: a client for discovery and raw model reads, and one factory per nature. */
export { SunSpecClient, SunSpecModelReading, type SunSpecClientOptions } from './sunspec-client.ts';
export type { SunSpecMap, SunSpecModelLocation } from './sunspec-map.ts';
export { discoverSunSpecMap } from './discovery.ts';
export { sunSpecPvInverter } from './pv-inverter.ts';
export { sunSpecBattery } from './battery.ts';
export { sunSpecMeter } from './meter.ts';
export type { SunSpecDriverOptions, SunSpecPvInverterOptions } from './sunspec-driver-options.ts';
export { DEFAULT_MIN_POWER_LIMIT_PCT } from './sunspec-driver-options.ts';
export { realTimer, REFRESH_FRACTION_OF_REVERSION, type RefreshTimer } from './setpoint-refresher.ts';
