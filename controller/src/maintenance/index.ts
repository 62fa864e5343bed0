/** The predictive-maintenance API the controller feeds and its operator API and metrics read. */
export { PlantMaintenance, MaintenanceDeviceError } from './plant-maintenance.ts';
export type { AlertKind, AlertSeverity, MaintenanceAlert } from './maintenance-alert.ts';
export { JsonLinesMaintenanceLog, MaintenanceRecordError, type MaintenanceRecorder } from './maintenance-log.ts';
export { AlertBook } from './alert-book.ts';
export { PvPerformanceMonitor, type PvReading, type PvMonitorOptions } from './pv-performance-monitor.ts';
export { BatteryHealthMonitor, type BatteryReading, type BatteryMonitorOptions } from './battery-health-monitor.ts';
export { MinerHealthMonitor, type MinerReading, type MinerMonitorOptions } from './miner-health-monitor.ts';
