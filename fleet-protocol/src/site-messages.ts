import { readFlexibilityEnvelope, envelopeMetrics, type FlexibilityEnvelope } from './flexibility-envelope.ts';
import { MetricReader } from './metric-reader.ts';
import { FleetProtocolError } from './protocol-error.ts';
import { REBIRTH_METRIC } from './site-command.ts';
import { readSiteState, siteStateMetrics, type SiteState } from './site-state.ts';
import { decodeSparkplugPayload, encodeSparkplugPayload, type SparkplugMetric } from './sparkplug-codec.ts';

/** The wire version of GridCoop's metric set, in every birth, so a host can refuse a site it does not understand. */
export const FLEET_PROTOCOL_VERSION = 'gridcoop-fleet/1';

/** What does not change between births: where the site is and what it may do at its connection point. */
export interface SiteProfile {
  /** The grid zone (congestion area) the site's connection point lies in. */
  zone: string;
  /** The connection's import cap, W >= 0. */
  importLimitW: number;
  /** The connection's export cap, W >= 0 (as a magnitude). */
  exportLimitW: number;
  /** Installed capacity the site declares (the aggregator bounds claimed flexibility by it). */
  capacity: { batteryEnergyWh: number; batteryPowerW: number; pvPeakW: number; minerPowerW: number };
}

/** NBIRTH: every metric, seq 0, and the bdSeq its NDEATH (the will registered on connect) repeats. */
export interface SiteBirth {
  timestampMs: number;
  /** 0-255, one per MQTT session; the NDEATH with the same bdSeq is this birth's death. */
  bdSeq: number;
  /** 0 in a birth (Sparkplug): every later NDATA counts up from it. */
  seq: number;
  protocolVersion: string;
  profile: SiteProfile;
  state: SiteState;
  envelope: FlexibilityEnvelope;
}

/** NDATA: the state and envelope every cycle (or every few seconds). */
export interface SiteData {
  timestampMs: number;
  seq: number;
  state: SiteState;
  envelope: FlexibilityEnvelope;
}

export const BD_SEQ_METRIC = 'bdSeq';

export const PROFILE_METRICS = {
  protocolVersion: 'Site/ProtocolVersion',
  zone: 'Site/Zone',
  importLimitW: 'Site/Connection/ImportLimitW',
  exportLimitW: 'Site/Connection/ExportLimitW',
  batteryEnergyWh: 'Site/Capacity/BatteryEnergyWh',
  batteryPowerW: 'Site/Capacity/BatteryPowerW',
  pvPeakW: 'Site/Capacity/PvPeakW',
  minerPowerW: 'Site/Capacity/MinerPowerW',
} as const;

export function encodeSiteBirth(birth: Omit<SiteBirth, 'protocolVersion' | 'seq'> & { seq?: number }): Uint8Array {
  const { profile } = birth;
  const names = PROFILE_METRICS;
  const metrics: SparkplugMetric[] = [
    { name: BD_SEQ_METRIC, type: 'Int64', value: birth.bdSeq },
    { name: REBIRTH_METRIC, type: 'Boolean', value: false },
    { name: names.protocolVersion, type: 'String', value: FLEET_PROTOCOL_VERSION },
    { name: names.zone, type: 'String', value: profile.zone },
    { name: names.importLimitW, type: 'Double', value: profile.importLimitW },
    { name: names.exportLimitW, type: 'Double', value: profile.exportLimitW },
    { name: names.batteryEnergyWh, type: 'Double', value: profile.capacity.batteryEnergyWh },
    { name: names.batteryPowerW, type: 'Double', value: profile.capacity.batteryPowerW },
    { name: names.pvPeakW, type: 'Double', value: profile.capacity.pvPeakW },
    { name: names.minerPowerW, type: 'Double', value: profile.capacity.minerPowerW },
    ...siteStateMetrics(birth.state),
    ...envelopeMetrics(birth.envelope),
  ];
  checkBdSeq(birth.bdSeq);
  return encodeSparkplugPayload({ timestampMs: birth.timestampMs, seq: birth.seq ?? 0, metrics });
}

export function decodeSiteBirth(bytes: Uint8Array, topic?: string): SiteBirth {
  const payload = decodeSparkplugPayload(bytes, topic);
  const reader = new MetricReader(payload.metrics, topic);
  const names = PROFILE_METRICS;
  const protocolVersion = reader.string(names.protocolVersion);
  if (protocolVersion !== FLEET_PROTOCOL_VERSION) {
    throw reader.invalid(names.protocolVersion, `expected ${FLEET_PROTOCOL_VERSION}, got ${protocolVersion}`);
  }
  return {
    timestampMs: payload.timestampMs,
    bdSeq: reader.integer(BD_SEQ_METRIC, 0, 255),
    seq: requireSeq(payload.seq, topic),
    protocolVersion,
    profile: {
      zone: reader.string(names.zone),
      importLimitW: reader.nonNegative(names.importLimitW),
      exportLimitW: reader.nonNegative(names.exportLimitW),
      capacity: {
        batteryEnergyWh: reader.nonNegative(names.batteryEnergyWh),
        batteryPowerW: reader.nonNegative(names.batteryPowerW),
        pvPeakW: reader.nonNegative(names.pvPeakW),
        minerPowerW: reader.nonNegative(names.minerPowerW),
      },
    },
    state: readSiteState(reader),
    envelope: readFlexibilityEnvelope(reader),
  };
}

export function encodeSiteData(data: SiteData): Uint8Array {
  return encodeSparkplugPayload({
    timestampMs: data.timestampMs,
    seq: data.seq,
    metrics: [...siteStateMetrics(data.state), ...envelopeMetrics(data.envelope)],
  });
}

export function decodeSiteData(bytes: Uint8Array, topic?: string): SiteData {
  const payload = decodeSparkplugPayload(bytes, topic);
  const reader = new MetricReader(payload.metrics, topic);
  return {
    timestampMs: payload.timestampMs,
    seq: requireSeq(payload.seq, topic),
    state: readSiteState(reader),
    envelope: readFlexibilityEnvelope(reader),
  };
}

/** NDEATH: the will registered on connect; its bdSeq names the birth it ends. */
export interface SiteDeath {
  bdSeq: number;
}

export function encodeSiteDeath(death: SiteDeath, timestampMs: number): Uint8Array {
  checkBdSeq(death.bdSeq);
  return encodeSparkplugPayload({ timestampMs, metrics: [{ name: BD_SEQ_METRIC, type: 'Int64', value: death.bdSeq }] });
}

export function decodeSiteDeath(bytes: Uint8Array, topic?: string): SiteDeath {
  const payload = decodeSparkplugPayload(bytes, topic);
  return { bdSeq: new MetricReader(payload.metrics, topic).integer(BD_SEQ_METRIC, 0, 255) };
}

function requireSeq(seq: number | undefined, topic: string | undefined): number {
  if (seq === undefined) throw new FleetProtocolError('seq', 'missing', topic);
  return seq;
}

function checkBdSeq(bdSeq: number): void {
  if (!Number.isInteger(bdSeq) || bdSeq < 0 || bdSeq > 255) {
    throw new FleetProtocolError('bdSeq', `expected an integer 0-255, got ${bdSeq}`);
  }
}
