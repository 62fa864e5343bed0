/** The controller's configuration: one validated file, its loader, and the helper that builds one for a simulated plant. */
export {
  controllerConfigSchema,
  deviceConfigSchema,
  type ControllerConfig,
  type ControllerConfigInput,
  type DeviceConfig,
  type DriverConfig,
} from './controller-config.ts';
export { ControllerConfigError, type ConfigIssue } from './config-error.ts';
export {
  parseControllerConfig,
  loadControllerConfigFile,
  resolveApiToken,
  API_TOKEN_ENV,
} from './parse-controller-config.ts';
export { plantSpecOf } from './plant-spec-of.ts';
export { ledgerConfigSchema, ORACLE_MNEMONIC_ENV, type LedgerConfig, type ChainConfig } from './ledger-config.ts';
export { clockConfigSchema, type ClockConfig } from './clock-config.ts';
