import sparkplugPayload from 'sparkplug-payload';
import type { UMetric, UPayload, UserValue } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { FleetProtocolError } from './protocol-error.ts';

/** The Sparkplug metric types GridCoop uses; watts and percentages are Doubles, times and bdSeq Int64. */
export type MetricType = 'Int64' | 'Double' | 'Boolean' | 'String' | 'DataSet';

/** A DataSet metric (a table): used for the envelope's forecast. Columns are Int64 or Double, values plain numbers. */
export interface MetricDataSet {
  columns: string[];
  types: ('Int64' | 'Double')[];
  rows: number[][];
}

export type MetricValue = number | boolean | string | MetricDataSet | null;

export interface SparkplugMetric {
  name: string;
  type: MetricType;
  /** null encodes Sparkplug's is_null (e.g. the SoC of a site without a battery). */
  value: MetricValue;
}

/** A Sparkplug B payload with every 64-bit integer already turned into a JavaScript number. */
export interface SparkplugPayload {
  timestampMs: number;
  /** 0-255; absent on NDEATH and NCMD. */
  seq?: number;
  metrics: SparkplugMetric[];
}

const codec = sparkplugPayload.get('spBv1.0');
if (codec === null) throw new Error('sparkplug-payload does not know the spBv1.0 namespace');
const { encodePayload, decodePayload } = codec;

export function encodeSparkplugPayload(payload: SparkplugPayload): Uint8Array {
  // sparkplug-payload does not range-check seq and silently encodes a non-number timestamp as 0: check both here.
  checkInteger('timestamp', payload.timestampMs, 0, Number.MAX_SAFE_INTEGER);
  if (payload.seq !== undefined) checkInteger('seq', payload.seq, 0, 255);
  const metrics: UMetric[] = payload.metrics.map((metric) => toUMetric(metric));
  const message: UPayload = { timestamp: payload.timestampMs, metrics };
  if (payload.seq !== undefined) message.seq = payload.seq;
  return encodePayload(message);
}

/**
 * Decodes a Sparkplug B payload. Garbage (not protobuf, or numbers beyond 2^53) is a FleetProtocolError, never an
 * uncaught exception: protobuf throws on some garbage and decodes other garbage into nonsense, which the message
 * decoders then reject by name.
 */
export function decodeSparkplugPayload(bytes: Uint8Array, topic?: string): SparkplugPayload {
  let decoded: UPayload;
  try {
    decoded = decodePayload(bytes);
  } catch (error) {
    throw new FleetProtocolError('payload', `not a Sparkplug B payload (${(error as Error).message})`, topic);
  }
  if (decoded.timestamp === null || decoded.timestamp === undefined) {
    throw new FleetProtocolError('timestamp', 'missing', topic);
  }
  const payload: SparkplugPayload = {
    timestampMs: longToNumber('timestamp', decoded.timestamp, topic),
    metrics: (decoded.metrics ?? []).map((metric) => fromUMetric(metric, topic)),
  };
  if (decoded.seq !== null && decoded.seq !== undefined) {
    const seq = longToNumber('seq', decoded.seq, topic);
    if (seq > 255) throw new FleetProtocolError('seq', `expected 0-255, got ${seq}`, topic);
    payload.seq = seq;
  }
  return payload;
}

function toUMetric(metric: SparkplugMetric): UMetric {
  const { name, type, value } = metric;
  const field = `metric "${name}"`;
  if (value === null) return { name, type, value: null, isNull: true };
  switch (type) {
    case 'Int64':
      if (typeof value !== 'number') throw new FleetProtocolError(field, `expected an integer, got ${typeof value}`);
      checkInteger(field, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return { name, type, value };
    case 'Double':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new FleetProtocolError(field, `expected a finite number, got ${String(value)}`);
      }
      return { name, type, value };
    case 'Boolean':
      if (typeof value !== 'boolean') throw new FleetProtocolError(field, `expected a boolean, got ${typeof value}`);
      return { name, type, value };
    case 'String':
      if (typeof value !== 'string') throw new FleetProtocolError(field, `expected a string, got ${typeof value}`);
      return { name, type, value };
    case 'DataSet': {
      if (typeof value !== 'object') throw new FleetProtocolError(field, 'expected a data set');
      checkDataSet(field, value);
      return {
        name,
        type,
        value: { numOfColumns: value.columns.length, columns: value.columns, types: value.types, rows: value.rows },
      };
    }
  }
}

function checkDataSet(field: string, dataSet: MetricDataSet): void {
  if (dataSet.columns.length !== dataSet.types.length) {
    throw new FleetProtocolError(field, 'expected as many column types as columns');
  }
  dataSet.rows.forEach((row, index) => {
    if (row.length !== dataSet.columns.length) {
      throw new FleetProtocolError(field, `row ${index} has ${row.length} values, expected ${dataSet.columns.length}`);
    }
    row.forEach((cell, column) => {
      // Int64 cells come back as unsigned Longs from sparkplug-payload, so negative integers would not survive.
      if (dataSet.types[column] === 'Int64') checkInteger(`${field} row ${index}`, cell, 0, Number.MAX_SAFE_INTEGER);
      else if (!Number.isFinite(cell)) throw new FleetProtocolError(`${field} row ${index}`, 'expected finite numbers');
    });
  });
}

const KNOWN_TYPES: readonly string[] = ['Int64', 'Double', 'Boolean', 'String', 'DataSet'];

function fromUMetric(metric: UMetric, topic: string | undefined): SparkplugMetric {
  const name = metric.name ?? '';
  const field = `metric "${name}"`;
  if (name === '') throw new FleetProtocolError('metric', 'a metric has no name (aliases are not used here)', topic);
  // Other Sparkplug types (a SCADA tool's own metrics, say) are passed through as null so the message decoders can
  // say which metric they needed; they never crash the decoder.
  const type = KNOWN_TYPES.includes(metric.type) ? (metric.type as MetricType) : 'String';
  const raw = metric.value;
  if (metric.isNull === true || raw === null || raw === undefined) return { name, type, value: null };
  if (!KNOWN_TYPES.includes(metric.type)) return { name, type, value: null };
  switch (type) {
    case 'Int64':
      return { name, type, value: longToNumber(field, raw, topic) };
    case 'Double':
    case 'Boolean':
    case 'String':
      return { name, type, value: raw as number | boolean | string };
    case 'DataSet':
      return { name, type, value: dataSetFrom(field, raw, topic) };
  }
}

function dataSetFrom(field: string, raw: UserValue, topic: string | undefined): MetricDataSet {
  const value = raw as { columns?: unknown; types?: unknown; rows?: unknown };
  if (!Array.isArray(value.columns) || !Array.isArray(value.types) || !Array.isArray(value.rows)) {
    throw new FleetProtocolError(field, 'expected a data set with columns, types and rows', topic);
  }
  const types = value.types.map((type) => {
    if (type !== 'Int64' && type !== 'Double') {
      throw new FleetProtocolError(field, `expected Int64 or Double columns, got ${String(type)}`, topic);
    }
    return type;
  });
  const rows = value.rows.map((row: unknown) => {
    if (!Array.isArray(row)) throw new FleetProtocolError(field, 'expected rows of values', topic);
    return row.map((cell: unknown) => longToNumber(field, cell, topic));
  });
  return { columns: value.columns.map(String), types, rows };
}

/** Long (from protobuf's 64-bit fields) -> number, refusing values that a double cannot hold exactly. */
function longToNumber(field: string, value: unknown, topic?: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FleetProtocolError(field, 'expected a finite number', topic);
    return value;
  }
  if (isLong(value)) {
    // Long's own toNumber() silently loses precision beyond 2^53; go through its exact decimal text instead.
    const exact = BigInt(value.toString());
    if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new FleetProtocolError(field, `${exact} is beyond a safe JavaScript integer`, topic);
    }
    return Number(exact);
  }
  throw new FleetProtocolError(field, `expected a number, got ${typeof value}`, topic);
}

/** protobufjs's 64-bit integers are `long` objects; recognised by shape so this package need not depend on `long`. */
function isLong(value: unknown): value is { low: number; high: number; unsigned: boolean; toString(): string } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.low === 'number' && typeof candidate.high === 'number' && typeof candidate.toString === 'function'
  );
}

function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FleetProtocolError(field, `expected an integer ${min}-${max}, got ${String(value)}`);
  }
}
