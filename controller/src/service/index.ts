/** The controller as a service: composition, the process entry (service + API), and the views the API serves. */
export {
  createControllerService,
  type ControllerService,
  type ControllerServiceOptions,
  type DeviceView,
  type ServiceStatus,
  type ForecastView,
} from './controller-service.ts';
export { startController, type RunningController } from './start-controller.ts';
export { UnknownDeviceError, WrongNatureError } from './operator-errors.ts';
export type { SetpointsReport, SetpointReason, DecidedBy } from './setpoint-reasons.ts';
