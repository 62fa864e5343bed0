import { DataType, StatusCodes, Variant, type DataValue, type NodeId, type StatusCode } from 'node-opcua';
import { DeviceError } from '../../natures/device-error.ts';
import type {
  FlexibleLoad,
  FlexibleLoadReading,
  FlexibleLoadSetpoint,
  FlexibleLoadState,
} from '../../natures/flexible-load.ts';
import type { Measured } from '../../natures/measured.ts';
import { OpcUaEndpointConnection, type NamedPath } from './opcua-endpoint-connection.ts';
import { OpcUaFailure, classifyOpcUaError, withTimeout } from './opcua-failure.ts';
import type { OpcUaClientSecurity } from './opcua-security.ts';

export interface OpcUaMinerOptions {
  /** opc.tcp://host:port/ of the server (a fleet gateway may host many miners). */
  endpointUrl: string;
  /** Browse name of the miner's DI device object under Objects/DeviceSet. */
  browseName: string;
  /** How long a request may take, and how long the subscription may stay silent, before it is a 'timeout'. */
  timeoutMs?: number;
  /** Channel security, trust lists and user; default: None, anonymous, PKI under the data dir. */
  security?: OpcUaClientSecurity;
}

const DI_NAMESPACE_URI = 'http://opcfoundation.org/UA/DI/';
/** The namespace the miner fleet gateway defines its device objects and parameters in. */
const MINER_NAMESPACE_URI = 'urn:gridcoop:opcua:miner-fleet';
const OPCUA_NAMESPACE_URI = 'http://opcfoundation.org/UA/';
const DEFAULT_TIMEOUT_MS = 2000;

/** The ParameterSet variables this driver subscribes to, in the order of its monitored items. */
const ANALOG_POINTS = [
  'Power',
  'PowerTarget',
  'MinPower',
  'MaxPower',
  'Hashrate',
  'Temperature',
  'EnergyConsumed',
] as const;
type AnalogPoint = (typeof ANALOG_POINTS)[number];
const STATE_INDEX = ANALOG_POINTS.length;
const METHODS = ['Pause', 'Resume', 'SetPowerTarget'] as const;
type MethodName = (typeof METHODS)[number];

const STATES: ReadonlySet<string> = new Set<FlexibleLoadState>([
  'running',
  'paused',
  'ramping-up',
  'ramping-down',
  'fault',
]);

/**
 * Statuses that say "the value is unknown" (the measurement is missing or untrustworthy): they read as null.
 * Any other Bad status means the server failed to serve the value, which is a protocol exception.
 */
const UNKNOWN_VALUE_STATUSES: ReadonlySet<number> = new Set([
  StatusCodes.BadNoData.value,
  StatusCodes.BadWaitingForInitialData.value,
  StatusCodes.BadNoCommunication.value,
  StatusCodes.BadSensorFailure.value,
  StatusCodes.BadOutOfService.value,
  StatusCodes.BadDeviceFailure.value,
]);

/** Method refusals that mean "not now / not that value": the miner answered and said no. */
const REFUSAL_STATUSES: ReadonlySet<number> = new Set([
  StatusCodes.BadInvalidArgument.value,
  StatusCodes.BadOutOfRange.value,
  StatusCodes.BadInvalidState.value,
  StatusCodes.BadTypeMismatch.value,
  StatusCodes.BadArgumentsMissing.value,
  StatusCodes.BadTooManyArguments.value,
]);

interface ResolvedMiner {
  pointIds: NodeId[];
  methodSetId: NodeId;
  methodIds: Record<MethodName, NodeId>;
  /** EURange of each analog point: a value outside it is physically impossible and reads as null. */
  ranges: Map<AnalogPoint, { low: number; high: number }>;
}

/**
 * A miner on an OPC UA server (a DI device with ParameterSet and MethodSet, see devices/src/opcua/) as a
 * FlexibleLoad. Measurements arrive by subscription and read() returns the latest of them; commands are method
 * calls. Miners on the same endpoint share one connection. Every failure is a DeviceError naming the miner.
 */
export function opcUaMiner(deviceId: string, options: OpcUaMinerOptions): FlexibleLoad {
  return new OpcUaMinerDriver(deviceId, options);
}

class OpcUaMinerDriver implements FlexibleLoad {
  readonly nature = 'flexible-load' as const;
  private readonly timeoutMs: number;
  private connection: OpcUaEndpointConnection | null = null;
  private resolved: ResolvedMiner | null = null;
  private unmonitor: (() => Promise<void>) | null = null;
  private readonly latest: Array<DataValue | null> = [];
  private connecting: Promise<void> | null = null;

  constructor(
    readonly deviceId: string,
    private readonly options: OpcUaMinerOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async connect(): Promise<void> {
    if (this.resolved) return;
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    await this.connecting;
  }

  async read(): Promise<FlexibleLoadReading> {
    const connection = this.requireConnection('read');
    const failure = connection.failure(this.timeoutMs);
    if (failure) throw this.deviceError('read', failure);
    const resolved = this.resolved;
    if (!resolved) throw new DeviceError(this.deviceId, 'not-connected', 'read: connect() first');

    const failed = this.latest.findIndex((value) => value != null && isServerFailure(value.statusCode));
    if (failed >= 0) {
      const name = failed === STATE_INDEX ? 'State' : ANALOG_POINTS[failed];
      throw new DeviceError(
        this.deviceId,
        'protocol-exception',
        `read ${name}: the server answered ${this.latest[failed]?.statusCode.name}`,
      );
    }
    const analog = (point: AnalogPoint): Measured => {
      const value = this.latest[ANALOG_POINTS.indexOf(point)];
      return measured(value ?? null, resolved.ranges.get(point));
    };
    return {
      powerW: analog('Power'),
      powerTargetW: analog('PowerTarget'),
      minPowerW: analog('MinPower'),
      maxPowerW: analog('MaxPower'),
      hashrateThs: analog('Hashrate'),
      temperatureC: analog('Temperature'),
      energyWh: analog('EnergyConsumed'),
      state: minerState(this.latest[STATE_INDEX] ?? null),
    };
  }

  async write(setpoint: FlexibleLoadSetpoint): Promise<void> {
    const connection = this.requireConnection('write');
    const resolved = this.resolved;
    if (!resolved) throw new DeviceError(this.deviceId, 'not-connected', 'write: connect() first');
    const failure = connection.failure(Number.POSITIVE_INFINITY);
    if (failure) throw this.deviceError(`write ${setpoint.kind}`, failure);

    const [method, args]: [MethodName, Variant[]] =
      setpoint.kind === 'pause'
        ? ['Pause', []]
        : setpoint.kind === 'resume'
          ? ['Resume', []]
          : ['SetPowerTarget', [new Variant({ dataType: DataType.Double, value: setpoint.powerTargetW })]];
    const doing =
      setpoint.kind === 'power-target' ? `call SetPowerTarget(${setpoint.powerTargetW} W)` : `call ${method}`;
    let outcome;
    try {
      outcome = await connection.call(resolved.methodSetId, resolved.methodIds[method], args, this.timeoutMs, doing);
    } catch (error) {
      throw this.deviceError(doing, classifyOpcUaError(error, doing));
    }
    if (!outcome.statusCode.isGood()) throw this.refusal(doing, outcome.statusCode, outcome.statusText);

    if (setpoint.kind === 'power-target') await this.readBackPowerTarget(connection, resolved, setpoint.powerTargetW);
  }

  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    const { connection, unmonitor } = this;
    this.connection = null;
    this.resolved = null;
    this.unmonitor = null;
    this.latest.length = 0;
    await unmonitor?.().catch(() => undefined);
    await connection?.release();
  }

  private async open(): Promise<void> {
    const connection = OpcUaEndpointConnection.acquire(this.options.endpointUrl, this.timeoutMs, this.options.security);
    try {
      await connection.connect();
      const resolved = await this.resolveMiner(connection);
      this.latest.length = 0;
      const initial = new Promise<void>((resolve) => {
        const seen = new Set<number>();
        this.onValue = (index, dataValue) => {
          this.latest[index] = dataValue;
          seen.add(index);
          if (seen.size === STATE_INDEX + 1) resolve();
        };
      });
      this.unmonitor = await connection.monitor(resolved.pointIds, (index, dataValue) =>
        this.onValue(index, dataValue),
      );
      // connect() waits for the first value of every point, so the first read() is normally a full one. Late first
      // values are no connection failure: until they come those points read null, and a silent subscription is
      // reported by read() as 'timeout'.
      await withTimeout(initial, 3 * this.timeoutMs, 'wait for the initial values').catch(() => undefined);
      this.connection = connection;
      this.resolved = resolved;
    } catch (error) {
      await this.unmonitor?.().catch(() => undefined);
      this.unmonitor = null;
      await connection.release();
      throw this.deviceError('connect', classifyOpcUaError(error, 'connect'));
    }
  }

  private onValue: (index: number, dataValue: DataValue) => void = () => undefined;

  private async resolveMiner(connection: OpcUaEndpointConnection): Promise<ResolvedMiner> {
    const device: NamedPath = [
      { namespaceUri: DI_NAMESPACE_URI, name: 'DeviceSet' },
      { namespaceUri: MINER_NAMESPACE_URI, name: this.options.browseName },
    ];
    const parameter = (name: string): NamedPath => [
      ...device,
      { namespaceUri: DI_NAMESPACE_URI, name: 'ParameterSet' },
      { namespaceUri: MINER_NAMESPACE_URI, name },
    ];
    const methodSet: NamedPath = [...device, { namespaceUri: DI_NAMESPACE_URI, name: 'MethodSet' }];
    const paths: NamedPath[] = [
      ...ANALOG_POINTS.map(parameter),
      parameter('State'),
      ...ANALOG_POINTS.map((point) => [...parameter(point), { namespaceUri: OPCUA_NAMESPACE_URI, name: 'EURange' }]),
      methodSet,
      ...METHODS.map((method) => [...methodSet, { namespaceUri: MINER_NAMESPACE_URI, name: method }]),
    ];
    const [deviceId, ...ids] = await connection.resolve([device, ...paths]);
    if (!deviceId)
      throw new OpcUaFailure(
        'missing-model',
        `no device object DeviceSet/${this.options.browseName} on ${this.options.endpointUrl}`,
      );
    const missing = ids.flatMap((id, index) =>
      id === null
        ? [
            paths[index]!.slice(1)
              .map((step) => step.name)
              .join('/'),
          ]
        : [],
    );
    if (missing.length > 0) {
      throw new OpcUaFailure(
        'missing-model',
        `DeviceSet/${this.options.browseName} lacks ${missing.join(', ')} on ${this.options.endpointUrl}`,
      );
    }
    const nodeIds = ids as NodeId[];
    const pointIds = nodeIds.slice(0, STATE_INDEX + 1);
    const rangeIds = nodeIds.slice(STATE_INDEX + 1, STATE_INDEX + 1 + ANALOG_POINTS.length);
    const [methodSetId, ...methodIds] = nodeIds.slice(STATE_INDEX + 1 + ANALOG_POINTS.length) as [
      NodeId,
      NodeId,
      NodeId,
      NodeId,
    ];
    const rangeValues = await connection.readValues(rangeIds, this.timeoutMs);
    const ranges = new Map<AnalogPoint, { low: number; high: number }>();
    ANALOG_POINTS.forEach((point, index) => {
      const range: unknown = rangeValues[index]?.value.value;
      if (isRange(range)) ranges.set(point, { low: range.low, high: range.high });
    });
    return {
      pointIds,
      methodSetId,
      methodIds: { Pause: methodIds[0], Resume: methodIds[1], SetPowerTarget: methodIds[2] },
      ranges,
    };
  }

  private async readBackPowerTarget(
    connection: OpcUaEndpointConnection,
    resolved: ResolvedMiner,
    expectedW: number,
  ): Promise<void> {
    const targetId = resolved.pointIds[ANALOG_POINTS.indexOf('PowerTarget')];
    if (!targetId) return;
    let value: DataValue | undefined;
    try {
      [value] = await connection.readValues([targetId], this.timeoutMs);
    } catch (error) {
      throw this.deviceError('read back PowerTarget', classifyOpcUaError(error, 'read back PowerTarget'));
    }
    const readW: unknown = value?.value.value;
    if (
      !value?.statusCode.isGood() ||
      typeof readW !== 'number' ||
      Math.abs(readW - expectedW) > 1e-6 * Math.max(1, Math.abs(expectedW))
    ) {
      throw new DeviceError(
        this.deviceId,
        'write-rejected',
        `read back PowerTarget: wrote ${expectedW} W, read ${String(readW)} (${value?.statusCode.name ?? 'no answer'})`,
      );
    }
  }

  private requireConnection(doing: string): OpcUaEndpointConnection {
    if (!this.connection) throw new DeviceError(this.deviceId, 'not-connected', `${doing}: connect() first`);
    return this.connection;
  }

  private deviceError(doing: string, failure: OpcUaFailure): DeviceError {
    const detail = failure.detail.startsWith(doing) ? failure.detail : `${doing}: ${failure.detail}`;
    return new DeviceError(
      this.deviceId,
      failure.kind,
      `${detail} (${this.options.browseName} on ${this.options.endpointUrl})`,
      { cause: failure },
    );
  }

  private refusal(doing: string, statusCode: StatusCode, statusText: string | null): DeviceError {
    const reason = statusText ? `: ${statusText}` : '';
    const kind =
      statusCode.value === StatusCodes.BadDeviceFailure.value
        ? 'device-fault'
        : REFUSAL_STATUSES.has(statusCode.value)
          ? 'write-rejected'
          : 'protocol-exception';
    return new DeviceError(this.deviceId, kind, `${doing} answered ${statusCode.name}${reason}`);
  }
}

function isServerFailure(statusCode: StatusCode): boolean {
  return statusCode.isBad() && !UNKNOWN_VALUE_STATUSES.has(statusCode.value);
}

function isRange(value: unknown): value is { low: number; high: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { low, high } = value as { low?: unknown; high?: unknown };
  return (
    typeof low === 'number' && typeof high === 'number' && Number.isFinite(low) && Number.isFinite(high) && low <= high
  );
}

/** A number only when the status is Good, the value is a finite number, and it lies within the point's EURange. */
function measured(value: DataValue | null, range: { low: number; high: number } | undefined): Measured {
  if (value === null || !value.statusCode.isGood()) return null;
  const number: unknown = value.value.value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return null;
  if (range) {
    // Only floating-point noise at a bound is forgiven, relative to that bound.
    const slack = (bound: number): number => 1e-9 * Math.max(1, Math.abs(bound));
    if (number < range.low - slack(range.low) || number > range.high + slack(range.high)) return null;
  }
  return number;
}

function minerState(value: DataValue | null): FlexibleLoadState {
  if (value === null || !value.statusCode.isGood()) return 'unknown';
  const state: unknown = value.value.value;
  return typeof state === 'string' && STATES.has(state) ? (state as FlexibleLoadState) : 'unknown';
}
