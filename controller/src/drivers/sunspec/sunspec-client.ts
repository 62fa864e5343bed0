import {
  BASE_ADDRESSES,
  isSentinel,
  loadModelDef,
  ModelBlock,
  modelDefFromRegisters,
  SunSpecError,
  type ModelDef,
} from '@gridcoop/sunspec';
import { DeviceError } from '../../natures/device-error.ts';
import { ModbusConnection } from '../modbus/modbus-connection.ts';
import type { ModbusEndpoint } from '../modbus/modbus-endpoint.ts';
import { discoverSunSpecMap } from './discovery.ts';
import { planReads, type ReadSpan } from './read-plan.ts';
import { SunSpecModelReading } from './model-reading.ts';
import type { SunSpecMap, SunSpecModelLocation } from './sunspec-map.ts';

export { SunSpecModelReading };

export interface SunSpecClientOptions {
  /** Per request and per connection attempt; default 1000 ms. */
  timeoutMs?: number;
  /** Where to look for the "SunS" marker, in order; default 40000, 50000, 0. */
  baseAddresses?: readonly number[];
}

/** Definitions of models without repeating groups by id, null for those with (cached: the JSON does not change). */
const fixedModels = new Map<number, ModelDef | null>();

/**
 * A SunSpec device over Modbus: discovery, consistent reads of several models at once (merged into as few requests
 * of at most 125 registers as possible) and writes of points that change together, read back and checked.
 * Every failure is a DeviceError naming the device and the model, point or registers.
 */
export class SunSpecClient {
  readonly connection: ModbusConnection;
  private readonly baseAddresses: readonly number[];
  private discovered: SunSpecMap | undefined;
  /** Read plans by the models they cover: a nature reads the same models every cycle. */
  private readonly plans = new Map<string, ReadSpan[]>();

  constructor(
    readonly deviceId: string,
    readonly endpoint: ModbusEndpoint,
    options: SunSpecClientOptions = {},
  ) {
    this.connection = new ModbusConnection(deviceId, endpoint, { timeoutMs: options.timeoutMs });
    this.baseAddresses = options.baseAddresses ?? BASE_ADDRESSES;
  }

  /** The map found by the last discovery, if any. */
  get map(): SunSpecMap | undefined {
    return this.discovered;
  }

  /** Opens the connection and discovers the model map (once; `rediscover` walks it again). */
  async connect(options: { rediscover?: boolean } = {}): Promise<SunSpecMap> {
    await this.connection.connect();
    if (!this.discovered || options.rediscover)
      this.discovered = await discoverSunSpecMap(this.connection, this.baseAddresses);
    return this.discovered;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /** The first model with this id, or undefined (after connect()). */
  find(modelId: number): SunSpecModelLocation | undefined {
    return this.discovered?.models.find((m) => m.id === modelId);
  }

  /** The first of these model ids the device has, in the order given (e.g. prefer 704 over 123). */
  firstOf(modelIds: readonly number[]): SunSpecModelLocation | undefined {
    for (const id of modelIds) {
      const found = this.find(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Reads one model. */
  async readModel(modelId: number): Promise<SunSpecModelReading> {
    const readings = await this.readModels([modelId]);
    return readings.get(modelId)!;
  }

  /** Reads several models in as few requests as possible; all come from the same moment as far as Modbus allows. */
  async readModels(modelIds: readonly number[]): Promise<Map<number, SunSpecModelReading>> {
    const map = this.requireMap();
    const locations = modelIds.map((id) => {
      const location = map.models.find((m) => m.id === id);
      if (!location) throw new DeviceError(this.deviceId, 'missing-model', `the device has no SunSpec model ${id}`);
      return location;
    });
    const registersByAddress = new Map<number, Uint16Array>();
    const planKey = locations.map((l) => l.address).join(',');
    let plan = this.plans.get(planKey);
    if (!plan) {
      plan = planReads(locations);
      this.plans.set(planKey, plan);
    }
    for (const span of plan) {
      const registers = await this.connection.readRegisters(span.address, span.count);
      for (const location of locations) {
        const start = location.address - span.address;
        if (start >= 0 && start < span.count) {
          registersByAddress.set(location.address, registers.subarray(start, start + 2 + location.length));
        }
      }
    }
    const readings = new Map<number, SunSpecModelReading>();
    for (const location of locations)
      readings.set(location.id, this.decode(location, registersByAddress.get(location.address)!));
    return readings;
  }

  /**
   * Writes points of one model that belong together (a setpoint, its enable point and its reversion time), in as few
   * FC16 requests as the map allows: registers between them that the device implements go along with the value
   * `current` holds, but a point between them that reads "not implemented" (0xFFFF, 0x8000, ...) is never written
   * back: the write splits around it, since a device may refuse a write to a point it lacks. Each request is read back:
   * a device that does not hold what was written gives a 'write-rejected' DeviceError.
   */
  async writePoints(
    current: SunSpecModelReading,
    points: ReadonlyArray<readonly [name: string, value: number | null]>,
  ): Promise<void> {
    const { def, location } = current;
    const block = new ModelBlock(def);
    block.registers.set(current.registers);
    let first = Infinity;
    let end = -Infinity;
    try {
      for (const [name, value] of points) {
        block.set(name, value);
        const point = def.points.find((p) => p.name === name)!;
        first = Math.min(first, point.offset);
        end = Math.max(end, point.offset + point.size);
      }
    } catch (error) {
      if (error instanceof SunSpecError) {
        const kind = error.kind === 'missing-scale-factor' ? 'bad-value' : 'write-rejected';
        throw new DeviceError(this.deviceId, kind, `model ${def.id}: nothing written: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
    const names = new Set(points.map(([n]) => n));
    if (end > location.length + 2) {
      throw new DeviceError(
        this.deviceId,
        'write-rejected',
        `model ${def.id}: the device's L ${location.length} has no room for ${points.map(([n]) => n).join(', ')}`,
      );
    }
    const runs = writeRuns(def, block, names, first, end);
    for (const run of runs) {
      const readOnly = def.points.find(
        (p) => p.offset < run.end && p.offset + p.size > run.first && p.access === 'R' && !names.has(p.name),
      );
      if (readOnly) {
        // Writing a read-only register back is refused by careful devices and corrupts careless ones: split the write.
        throw new DeviceError(
          this.deviceId,
          'write-rejected',
          `model ${def.id}: the write of ${[...names].join(', ')} would span read-only point ${readOnly.name}; nothing written`,
        );
      }
    }
    const assignments = points.map(([n, v]) => `${n}=${v}`).join(', ');
    for (const run of runs) {
      const words = block.registers.subarray(run.first, run.end);
      const address = location.address + run.first;
      try {
        await this.connection.writeRegisters(address, words);
      } catch (error) {
        if (error instanceof DeviceError && error.kind === 'protocol-exception') {
          throw new DeviceError(this.deviceId, 'write-rejected', `model ${def.id} ${assignments}: ${error.detail}`, {
            cause: error,
          });
        }
        throw error;
      }
      const readBack = await this.connection.readRegisters(address, words.length);
      for (const point of def.points) {
        if (!names.has(point.name) || point.offset < run.first || point.offset >= run.end) continue;
        for (let i = 0; i < point.size; i += 1) {
          const at = point.offset - run.first + i;
          if (readBack[at] !== words[at]) {
            throw new DeviceError(
              this.deviceId,
              'write-rejected',
              `model ${def.id} point ${point.name} (register ${address + at}): wrote ${words[at]}, read back ${readBack[at]}`,
            );
          }
        }
      }
    }
  }

  private requireMap(): SunSpecMap {
    if (!this.discovered)
      throw new DeviceError(this.deviceId, 'not-connected', 'no SunSpec map yet: call connect() first');
    return this.discovered;
  }

  private decode(location: SunSpecModelLocation, registers: Uint16Array): SunSpecModelReading {
    if (registers[0] !== location.id || registers[1] !== location.length) {
      // The device's map changed under us (a firmware update, a restart with other models): walk it again next time.
      this.discovered = undefined;
      throw new DeviceError(
        this.deviceId,
        'not-sunspec',
        `register ${location.address} holds model ${registers[0]} L ${registers[1]}, discovery found model ${location.id} L ${location.length}`,
      );
    }
    let def: ModelDef;
    try {
      def = this.definitionOf(location, registers);
    } catch (error) {
      const kind = error instanceof SunSpecError && error.kind === 'unknown-model' ? 'missing-model' : 'bad-value';
      throw new DeviceError(
        this.deviceId,
        kind,
        `model ${location.id} at ${location.address}: ${String((error as Error).message)}`,
        { cause: error },
      );
    }
    if (registers.length === def.length + 2) return new SunSpecModelReading(location, def, registers);
    // A device may state a shorter L than the specification (older common models have 65): the rest reads as unset.
    const padded = new ModelBlock(def).registers;
    padded.set(registers.subarray(0, Math.min(registers.length, padded.length)));
    padded[1] = def.length;
    return new SunSpecModelReading(location, def, padded);
  }

  /** Fixed models have one definition; models with repeating groups take their counts from the registers. */
  private definitionOf(location: SunSpecModelLocation, registers: Uint16Array): ModelDef {
    let fixed = fixedModels.get(location.id);
    if (fixed === undefined) {
      const def = loadModelDef(location.id);
      fixed = def.points.some((p) => p.name.includes('[')) ? null : def;
      fixedModels.set(location.id, fixed);
    }
    return fixed ?? modelDefFromRegisters(location.id, registers);
  }
}

/**
 * The register runs (offsets in the model block, end exclusive) of one write of `names` spanning [first, end): every
 * point in the span goes along, except unnamed points the device reads as "not implemented", which split the span.
 */
function writeRuns(
  def: ModelDef,
  block: ModelBlock,
  names: ReadonlySet<string>,
  first: number,
  end: number,
): Array<{ first: number; end: number }> {
  const runs: Array<{ first: number; end: number }> = [];
  let open: { first: number; end: number } | null = null;
  for (const point of def.points) {
    if (point.offset < first || point.offset >= end) continue;
    const skipped = !names.has(point.name) && isSentinel(point, block.getRaw(point.name));
    if (skipped) {
      open = null;
      continue;
    }
    if (open && open.end === point.offset) open.end = point.offset + point.size;
    else {
      open = { first: point.offset, end: point.offset + point.size };
      runs.push(open);
    }
  }
  return runs;
}
