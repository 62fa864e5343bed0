export { FleetProtocolError } from './protocol-error.ts';
export {
  SPARKPLUG_NAMESPACE,
  FLEET_GROUP_ID,
  type NodeMessageType,
  type ParsedTopic,
  isValidFleetId,
  assertValidFleetId,
  nodeTopic,
  hostStateTopic,
  allSitesTopicFilter,
  siteWriteTopicPattern,
  parseFleetTopic,
} from './topics.ts';
export {
  type MetricType,
  type MetricValue,
  type MetricDataSet,
  type SparkplugMetric,
  type SparkplugPayload,
  encodeSparkplugPayload,
  decodeSparkplugPayload,
} from './sparkplug-codec.ts';
export { MetricReader } from './metric-reader.ts';
export { type SiteState, type SiteControlMode, SITE_STATE_METRICS } from './site-state.ts';
export {
  type FlexibilityEnvelope,
  type FlexibilitySource,
  type BatteryFlexModel,
  type EnvelopeForecastStep,
  ENVELOPE_METRICS,
  envelopeRaiseW,
  envelopeLowerW,
} from './flexibility-envelope.ts';
export {
  type SiteProfile,
  type SiteBirth,
  type SiteData,
  type SiteDeath,
  FLEET_PROTOCOL_VERSION,
  BD_SEQ_METRIC,
  PROFILE_METRICS,
  encodeSiteBirth,
  decodeSiteBirth,
  encodeSiteData,
  decodeSiteData,
  encodeSiteDeath,
  decodeSiteDeath,
} from './site-messages.ts';
export {
  type SiteCommand,
  REBIRTH_METRIC,
  TARGET_METRICS,
  encodeSiteCommand,
  decodeSiteCommand,
} from './site-command.ts';
export {
  type VppTarget,
  type TargetStatus,
  DEFAULT_CLOCK_SKEW_MS,
  targetStatusAt,
  targetMessageExpiryS,
} from './vpp-target.ts';
export { type HostState, encodeHostState, decodeHostState } from './host-state.ts';
export { type SequenceCheck, nextSequenceNumber, SequenceCounter, SequenceGapDetector } from './sequence.ts';
