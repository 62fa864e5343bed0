export {
  FleetDispatcher,
  defaultDispatchWeights,
  type DispatchRequest,
  type DispatchResult,
  type DispatchStatus,
  type DispatchWeights,
  type SiteShare,
  type ZoneDispatch,
} from './fleet-dispatcher.ts';
export { DispatchInputError, validateDispatchInput, type SiteFlexibility, type ZoneLimit } from './site-flexibility.ts';
