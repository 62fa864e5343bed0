import type { MetricReader } from './metric-reader.ts';
import type { MetricDataSet, SparkplugMetric } from './sparkplug-codec.ts';

/**
 * What one kind of device can add to the site's flexibility. "Raise" moves the connection point's power up (more
 * import, less export: charge batteries, run miners, curtail PV); "lower" moves it down.
 */
export interface FlexibilitySource {
  /** W >= 0 */
  raiseW: number;
  /** W >= 0 */
  lowerW: number;
  /** How long the full raise can be held, s; null when energy does not limit it (miners, PV curtailment). */
  raiseForS: number | null;
  /** How long the full lowering can be held, s; null when energy does not limit it. */
  lowerForS: number | null;
}

/** The site's batteries as FlexMeasures' flex-model describes storage (soc-min/max, capacity, power limits). */
export interface BatteryFlexModel {
  socPct: number;
  /** The reserve local policy keeps (owners' and safety's minimum). */
  socMinPct: number;
  socMaxPct: number;
  energyCapacityWh: number;
  chargeMaxW: number;
  dischargeMaxW: number;
}

/** One step of the forecast envelope: what the site expects to be able to do later (the aggregator plans with it). */
export interface EnvelopeForecastStep {
  startMs: number;
  durationS: number;
  /** Forecast grid power under local policy. */
  baselineW: number;
  minGridW: number;
  maxGridW: number;
}

/**
 * A site's flexibility envelope at its connection point, already within its connection's caps, local safety and its
 * owner's limits: the aggregator may ask for any grid power in [minGridW, maxGridW] and the site can hold it for
 * raiseForS / lowerForS.
 */
export interface FlexibilityEnvelope {
  /** Grid power the site holds under its local policy (no VPP target), W, import positive. */
  baselineW: number;
  /** The lowest grid power the site can reach now, W. */
  minGridW: number;
  /** The highest grid power the site can reach now, W. */
  maxGridW: number;
  /** How long maxGridW can be held, s; null when nothing energy-limited is needed for it. */
  raiseForS: number | null;
  /** How long minGridW can be held, s; null when nothing energy-limited is needed for it. */
  lowerForS: number | null;
  sources: { battery: FlexibilitySource; miners: FlexibilitySource; pvCurtailment: FlexibilitySource };
  /** null for a site without batteries. */
  battery: BatteryFlexModel | null;
  /** Next steps, in time order; may be empty. */
  forecast: EnvelopeForecastStep[];
}

/** How far the aggregator may raise the site's grid power above its baseline, W. */
export function envelopeRaiseW(envelope: FlexibilityEnvelope): number {
  return envelope.maxGridW - envelope.baselineW;
}

/** How far the aggregator may lower the site's grid power below its baseline, W. */
export function envelopeLowerW(envelope: FlexibilityEnvelope): number {
  return envelope.baselineW - envelope.minGridW;
}

const SOURCE_NAMES = ['battery', 'miners', 'pvCurtailment'] as const;
const SOURCE_METRIC_FOLDER = { battery: 'Battery', miners: 'Miners', pvCurtailment: 'PvCurtailment' } as const;
const FORECAST_COLUMNS = ['StartMs', 'DurationS', 'BaselineW', 'MinGridW', 'MaxGridW'];

export const ENVELOPE_METRICS = {
  baselineW: 'Envelope/BaselineW',
  minGridW: 'Envelope/MinGridW',
  maxGridW: 'Envelope/MaxGridW',
  raiseForS: 'Envelope/RaiseForS',
  lowerForS: 'Envelope/LowerForS',
  forecast: 'Envelope/Forecast',
  battery: {
    socPct: 'Envelope/BatteryModel/SocPct',
    socMinPct: 'Envelope/BatteryModel/SocMinPct',
    socMaxPct: 'Envelope/BatteryModel/SocMaxPct',
    energyCapacityWh: 'Envelope/BatteryModel/EnergyCapacityWh',
    chargeMaxW: 'Envelope/BatteryModel/ChargeMaxW',
    dischargeMaxW: 'Envelope/BatteryModel/DischargeMaxW',
  },
  source(source: (typeof SOURCE_NAMES)[number], field: keyof FlexibilitySource): string {
    const suffix = { raiseW: 'RaiseW', lowerW: 'LowerW', raiseForS: 'RaiseForS', lowerForS: 'LowerForS' }[field];
    return `Envelope/Sources/${SOURCE_METRIC_FOLDER[source]}/${suffix}`;
  },
} as const;

export function envelopeMetrics(envelope: FlexibilityEnvelope): SparkplugMetric[] {
  const names = ENVELOPE_METRICS;
  const metrics: SparkplugMetric[] = [
    { name: names.baselineW, type: 'Double', value: envelope.baselineW },
    { name: names.minGridW, type: 'Double', value: envelope.minGridW },
    { name: names.maxGridW, type: 'Double', value: envelope.maxGridW },
    { name: names.raiseForS, type: 'Double', value: envelope.raiseForS },
    { name: names.lowerForS, type: 'Double', value: envelope.lowerForS },
  ];
  for (const source of SOURCE_NAMES) {
    const values = envelope.sources[source];
    for (const field of ['raiseW', 'lowerW', 'raiseForS', 'lowerForS'] as const) {
      metrics.push({ name: names.source(source, field), type: 'Double', value: values[field] });
    }
  }
  const battery = envelope.battery;
  for (const field of Object.keys(names.battery) as (keyof BatteryFlexModel)[]) {
    metrics.push({ name: names.battery[field], type: 'Double', value: battery === null ? null : battery[field] });
  }
  const forecast: MetricDataSet = {
    columns: FORECAST_COLUMNS,
    types: ['Int64', 'Double', 'Double', 'Double', 'Double'],
    rows: envelope.forecast.map((step) => [step.startMs, step.durationS, step.baselineW, step.minGridW, step.maxGridW]),
  };
  metrics.push({ name: names.forecast, type: 'DataSet', value: forecast });
  return metrics;
}

export function readFlexibilityEnvelope(reader: MetricReader): FlexibilityEnvelope {
  const names = ENVELOPE_METRICS;
  const baselineW = reader.number(names.baselineW);
  const minGridW = reader.number(names.minGridW);
  const maxGridW = reader.number(names.maxGridW);
  if (minGridW > maxGridW) throw reader.invalid(names.minGridW, `${minGridW} W is above MaxGridW ${maxGridW} W`);
  if (baselineW < minGridW || baselineW > maxGridW) {
    throw reader.invalid(names.baselineW, `${baselineW} W is outside [${minGridW}, ${maxGridW}] W`);
  }
  const sources = {} as FlexibilityEnvelope['sources'];
  for (const source of SOURCE_NAMES) {
    sources[source] = {
      raiseW: reader.nonNegative(names.source(source, 'raiseW')),
      lowerW: reader.nonNegative(names.source(source, 'lowerW')),
      raiseForS: reader.nullableNonNegative(names.source(source, 'raiseForS')),
      lowerForS: reader.nullableNonNegative(names.source(source, 'lowerForS')),
    };
  }
  return {
    baselineW,
    minGridW,
    maxGridW,
    raiseForS: reader.nullableNonNegative(names.raiseForS),
    lowerForS: reader.nullableNonNegative(names.lowerForS),
    sources,
    battery: readBattery(reader),
    forecast: readForecast(reader),
  };
}

function readBattery(reader: MetricReader): BatteryFlexModel | null {
  const names = ENVELOPE_METRICS.battery;
  if (reader.nullableNumber(names.socPct) === null) return null;
  const battery: BatteryFlexModel = {
    socPct: reader.nonNegative(names.socPct),
    socMinPct: reader.nonNegative(names.socMinPct),
    socMaxPct: reader.nonNegative(names.socMaxPct),
    energyCapacityWh: reader.nonNegative(names.energyCapacityWh),
    chargeMaxW: reader.nonNegative(names.chargeMaxW),
    dischargeMaxW: reader.nonNegative(names.dischargeMaxW),
  };
  if (battery.socMaxPct > 100 || battery.socPct > 100) throw reader.invalid(names.socMaxPct, 'expected 0-100 %');
  if (battery.socMinPct > battery.socMaxPct) {
    throw reader.invalid(names.socMinPct, `${battery.socMinPct} % is above SocMaxPct ${battery.socMaxPct} %`);
  }
  return battery;
}

function readForecast(reader: MetricReader): EnvelopeForecastStep[] {
  const name = ENVELOPE_METRICS.forecast;
  const dataSet = reader.dataSet(name);
  if (dataSet.columns.join(',') !== FORECAST_COLUMNS.join(',')) {
    throw reader.invalid(name, `expected columns ${FORECAST_COLUMNS.join(', ')}, got ${dataSet.columns.join(', ')}`);
  }
  let previousStartMs = -Infinity;
  return dataSet.rows.map((row, index) => {
    const [startMs = 0, durationS = 0, baselineW = 0, minGridW = 0, maxGridW = 0] = row;
    if (startMs <= previousStartMs) throw reader.invalid(name, `row ${index} is not after the row before it`);
    if (durationS <= 0) throw reader.invalid(name, `row ${index} has a duration of ${durationS} s, expected > 0`);
    if (minGridW > maxGridW) throw reader.invalid(name, `row ${index} has MinGridW above MaxGridW`);
    previousStartMs = startMs;
    return { startMs, durationS, baselineW, minGridW, maxGridW };
  });
}
