import { FleetProtocolError } from './protocol-error.ts';
import type { MetricDataSet, SparkplugMetric } from './sparkplug-codec.ts';

/**
 * Reads named metrics out of a decoded payload, each getter throwing a FleetProtocolError that names the metric and
 * the topic when the metric is missing or of the wrong kind.
 */
export class MetricReader {
  readonly #byName = new Map<string, SparkplugMetric>();

  constructor(
    metrics: readonly SparkplugMetric[],
    private readonly topic?: string,
  ) {
    for (const metric of metrics) this.#byName.set(metric.name, metric);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  number(name: string): number {
    const value = this.nullableNumber(name);
    if (value === null) throw this.#error(name, 'expected a number, got null');
    return value;
  }

  nullableNumber(name: string): number | null {
    const value = this.#value(name);
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.#error(name, `expected a finite number, got ${describe(value)}`);
    }
    return value;
  }

  nonNegative(name: string): number {
    const value = this.number(name);
    if (value < 0) throw this.#error(name, `expected >= 0, got ${value}`);
    return value;
  }

  nullableNonNegative(name: string): number | null {
    const value = this.nullableNumber(name);
    if (value !== null && value < 0) throw this.#error(name, `expected >= 0 or null, got ${value}`);
    return value;
  }

  integer(name: string, min: number, max: number): number {
    const value = this.number(name);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw this.#error(name, `expected an integer ${min}-${max}, got ${value}`);
    }
    return value;
  }

  boolean(name: string): boolean {
    const value = this.#value(name);
    if (typeof value !== 'boolean') throw this.#error(name, `expected a boolean, got ${describe(value)}`);
    return value;
  }

  string(name: string): string {
    const value = this.nullableString(name);
    if (value === null) throw this.#error(name, 'expected a string, got null');
    return value;
  }

  nullableString(name: string): string | null {
    const value = this.#value(name);
    if (value === null) return null;
    if (typeof value !== 'string') throw this.#error(name, `expected a string, got ${describe(value)}`);
    return value;
  }

  dataSet(name: string): MetricDataSet {
    const value = this.#value(name);
    if (value === null || typeof value !== 'object') throw this.#error(name, `expected a data set`);
    return value;
  }

  /** The error for a metric that is present but breaks a rule of the message (a range, an order of bounds). */
  invalid(name: string, problem: string): FleetProtocolError {
    return this.#error(name, problem);
  }

  #value(name: string): SparkplugMetric['value'] {
    const metric = this.#byName.get(name);
    if (metric === undefined) throw this.#error(name, 'missing');
    return metric.value;
  }

  #error(name: string, problem: string): FleetProtocolError {
    return new FleetProtocolError(`metric "${name}"`, problem, this.topic);
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'a data set' : `${typeof value} ${String(value)}`;
}
