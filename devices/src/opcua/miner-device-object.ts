import {
  DataType,
  DataValue,
  DiagnosticInfo,
  StatusCodes,
  Variant,
  type CallMethodResultOptions,
  type EUInformation,
  type IAddressSpace,
  type ISessionContext,
  type Namespace,
  type StatusCode,
  type UAObject,
} from 'node-opcua';
import type { FaultSwitch } from '../faults/fault.ts';
import { MinerCommandRefusedError, MinerPowerTargetError, type MinerModel } from '../models/miner.ts';
import type { SimClock } from '../sim/clock.ts';
import { minerUnits } from './engineering-units.ts';

export const DI_NAMESPACE_URI = 'http://opcfoundation.org/UA/DI/';
/** The namespace of the miner objects and their parameters and methods. Clients resolve its index by this URI. */
export const MINER_NAMESPACE_URI = 'urn:gridcoop:opcua:miner-fleet';

/** How often the server may sample a miner's variables for a subscription. */
const MIN_SAMPLING_INTERVAL_MS = 50;

interface AnalogParameter {
  browseName: string;
  unit: EUInformation;
  range: { low: number; high: number };
  read: (model: MinerModel) => number;
  /** What the 'out-of-range' fault makes the point read: physically impossible, outside its EURange. */
  impossible: number;
  /** A parameter a client may write (DI: a ParameterSet variable that is writable really takes the write). */
  write?: (model: MinerModel, value: number) => void;
}

/** The ParameterSet of a miner, mirroring what mining firmware reports (Braiins OS, LuxOS, pyasic). */
function analogParameters(model: MinerModel): AnalogParameter[] {
  const maxPowerW = model.maxPowerW;
  const maxHashrateThs = (maxPowerW / 1000) * model.config.hashrateThsPerKw;
  return [
    {
      browseName: 'Power',
      unit: minerUnits.watt,
      range: { low: 0, high: maxPowerW },
      read: (m) => m.powerW,
      impossible: -10 * maxPowerW,
    },
    {
      browseName: 'PowerTarget',
      unit: minerUnits.watt,
      range: { low: model.minPowerW, high: maxPowerW },
      read: (m) => m.powerTargetW,
      impossible: 10 * maxPowerW,
      write: (m, value) => m.setPowerTarget(value),
    },
    {
      browseName: 'MinPower',
      unit: minerUnits.watt,
      range: { low: 0, high: maxPowerW },
      read: (m) => m.minPowerW,
      impossible: -1,
    },
    {
      browseName: 'MaxPower',
      unit: minerUnits.watt,
      range: { low: 0, high: maxPowerW },
      read: (m) => m.maxPowerW,
      impossible: 1e12,
    },
    {
      browseName: 'Hashrate',
      unit: minerUnits.terahashPerSecond,
      range: { low: 0, high: maxHashrateThs },
      read: (m) => m.hashrateThs,
      impossible: -maxHashrateThs,
    },
    // The range of the hashboard sensors; -300 °C is below absolute zero.
    {
      browseName: 'Temperature',
      unit: minerUnits.degreeCelsius,
      range: { low: -40, high: 150 },
      read: (m) => m.temperatureC,
      impossible: -300,
    },
    {
      browseName: 'EnergyConsumed',
      unit: minerUnits.wattHour,
      range: { low: 0, high: 1e15 },
      read: (m) => m.energyConsumedWh,
      impossible: -1,
    },
  ];
}

/**
 * Adds one miner to the address space as an OPC UA DI device (OPC 10000-100): an instance of DI DeviceType under
 * Objects/DeviceSet, named by the miner's id, with its identification properties, a ParameterSet of AnalogItems with
 * engineering units and ranges plus State, and a MethodSet with Pause, Resume and SetPowerTarget.
 * Every read and every sample first brings the model to the clock's now, so values are never older than the request.
 */
export function addMinerDeviceObject(
  addressSpace: IAddressSpace,
  miner: { model: MinerModel; faults: FaultSwitch },
  clock: SimClock,
): UAObject {
  const { model, faults } = miner;
  const diNamespace = addressSpace.getNamespace(DI_NAMESPACE_URI);
  // node-opcua's own namespaces implement the data-access additions (AnalogItems) the base interface leaves out.
  const namespace = addressSpace.getNamespace(MINER_NAMESPACE_URI) as Namespace;
  const deviceSet = addressSpace.rootFolder.objects.getFolderElementByName('DeviceSet', diNamespace.index);
  const diDeviceType = addressSpace.findObjectType('DeviceType', diNamespace.index);
  if (!deviceSet || !diDeviceType) throw new Error('the DI nodeset is not loaded: no DeviceSet or DeviceType');
  // DI's DeviceType is abstract: every kind of device gets its own concrete subtype, created with the first miner.
  const deviceType =
    namespace.findObjectType('MinerDeviceType') ??
    namespace.addObjectType({
      browseName: 'MinerDeviceType',
      subtypeOf: diDeviceType,
      nodeId: `ns=${namespace.index};s=MinerDeviceType`,
    });

  const nodeId = (path: string): string => `ns=${namespace.index};s=${model.id}${path}`;
  const device = deviceType.instantiate({
    browseName: { name: model.id, namespaceIndex: namespace.index },
    componentOf: deviceSet,
    namespace,
    nodeId: nodeId(''),
    optionals: ['ParameterSet', 'MethodSet'],
  });
  setIdentification(device, model);

  const parameterSet = device.getComponentByName('ParameterSet', diNamespace.index) as UAObject | null;
  const methodSet = device.getComponentByName('MethodSet', diNamespace.index) as UAObject | null;
  if (!parameterSet || !methodSet) throw new Error(`miner ${model.id}: DeviceType has no ParameterSet or MethodSet`);

  const sample = <T>(read: () => T, dataType: DataType, impossible: T): DataValue => {
    const kind = faults.current.kind;
    if (kind === 'exception') return new DataValue({ statusCode: StatusCodes.BadInternalError });
    if (kind === 'sentinels') return new DataValue({ statusCode: StatusCodes.BadNoData });
    model.advanceTo(clock.now());
    const value = kind === 'out-of-range' ? impossible : read();
    return new DataValue({
      value: new Variant({ dataType, value }),
      statusCode: StatusCodes.Good,
      sourceTimestamp: new Date(model.timeMs),
      serverTimestamp: new Date(),
    });
  };

  /** Takes a client's write of a writable parameter: a finite Double within the parameter's EURange, or a refusal. */
  const take = (
    parameter: AnalogParameter,
    write: (m: MinerModel, value: number) => void,
    variant: Variant,
  ): StatusCode => {
    if (faults.current.kind === 'exception') return StatusCodes.BadInternalError;
    const value: unknown = variant.value;
    if (variant.dataType !== DataType.Double || typeof value !== 'number') return StatusCodes.BadTypeMismatch;
    if (!Number.isFinite(value) || value < parameter.range.low || value > parameter.range.high)
      return StatusCodes.BadOutOfRange;
    try {
      model.advanceTo(clock.now());
      write(model, value);
      return StatusCodes.Good;
    } catch (error) {
      return refusal(error).statusCode ?? StatusCodes.BadInternalError;
    }
  };

  for (const parameter of analogParameters(model)) {
    const { write } = parameter;
    // Measurements are read-only; a writable parameter says so and really takes the write (DI's habit).
    const accessLevel = write ? 'CurrentRead | CurrentWrite' : 'CurrentRead';
    namespace.addAnalogDataItem({
      componentOf: parameterSet,
      browseName: parameter.browseName,
      nodeId: nodeId(`.ParameterSet.${parameter.browseName}`),
      dataType: 'Double',
      engineeringUnits: parameter.unit,
      engineeringUnitsRange: parameter.range,
      minimumSamplingInterval: MIN_SAMPLING_INTERVAL_MS,
      accessLevel,
      userAccessLevel: accessLevel,
      value: {
        timestamped_get: () => sample(() => parameter.read(model), DataType.Double, parameter.impossible),
        // node-opcua tells callback-style from promise-style setters by their parameter count: keep exactly one.
        ...(write ? { timestamped_set: async (dataValue: DataValue) => take(parameter, write, dataValue.value) } : {}),
      },
    });
  }
  namespace.addVariable({
    componentOf: parameterSet,
    browseName: 'State',
    nodeId: nodeId('.ParameterSet.State'),
    description: 'running | paused | ramping-up | ramping-down | fault',
    dataType: 'String',
    minimumSamplingInterval: MIN_SAMPLING_INTERVAL_MS,
    accessLevel: 'CurrentRead',
    userAccessLevel: 'CurrentRead',
    value: { timestamped_get: () => sample(() => model.state as string, DataType.String, 'state-0xFF') },
  });

  addMinerMethods(namespace, methodSet, miner, clock, nodeId);
  return device;
}

function setIdentification(device: UAObject, model: MinerModel): void {
  const identification: Array<[string, DataType, unknown]> = [
    ['Manufacturer', DataType.LocalizedText, { text: 'GridCoop simulator' }],
    ['Model', DataType.LocalizedText, { text: `SimMiner ${Math.round(model.maxPowerW)} W` }],
    ['SerialNumber', DataType.String, model.id],
    ['HardwareRevision', DataType.String, '1'],
    ['SoftwareRevision', DataType.String, '1.0.0'],
    ['DeviceRevision', DataType.String, '1'],
    ['DeviceManual', DataType.String, 'devices/src/opcua/miner-device-object.ts'],
    ['RevisionCounter', DataType.Int32, 0],
  ];
  for (const [name, dataType, value] of identification) {
    const property = device.getPropertyByName(name);
    property?.setValueFromSource({ dataType, value });
  }
}

function addMinerMethods(
  namespace: Namespace,
  methodSet: UAObject,
  miner: { model: MinerModel; faults: FaultSwitch },
  clock: SimClock,
  nodeId: (path: string) => string,
): void {
  const { model, faults } = miner;
  /** Runs a command on the model and turns its typed errors into the status codes a client can act on. */
  const command = (run: () => void): CallMethodResultOptions => {
    if (faults.current.kind === 'exception') return { statusCode: StatusCodes.BadInternalError };
    try {
      run();
      return { statusCode: StatusCodes.Good };
    } catch (error) {
      return refusal(error);
    }
  };

  const pause = namespace.addMethod(methodSet, {
    browseName: 'Pause',
    nodeId: nodeId('.MethodSet.Pause'),
    inputArguments: [],
    outputArguments: [],
  });
  // node-opcua tells callback-style from async handlers by their declared parameter count: keep exactly two.
  pause.bindMethod(async (_inputArguments: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> =>
    command(() => model.pause(clock.now())),
  );

  const resume = namespace.addMethod(methodSet, {
    browseName: 'Resume',
    nodeId: nodeId('.MethodSet.Resume'),
    inputArguments: [],
    outputArguments: [],
  });
  resume.bindMethod(async (_inputArguments: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> =>
    command(() => model.resume(clock.now())),
  );

  const setPowerTarget = namespace.addMethod(methodSet, {
    browseName: 'SetPowerTarget',
    nodeId: nodeId('.MethodSet.SetPowerTarget'),
    inputArguments: [
      {
        name: 'powerW',
        description: { text: `power target in W, ${model.minPowerW}..${model.maxPowerW}` },
        dataType: DataType.Double,
      },
    ],
    outputArguments: [],
  });
  setPowerTarget.bindMethod(
    async (inputArguments: Variant[], _context: ISessionContext): Promise<CallMethodResultOptions> => {
      const powerW: unknown = inputArguments[0]?.value;
      if (inputArguments.length !== 1 || typeof powerW !== 'number' || !Number.isFinite(powerW)) {
        return refused(StatusCodes.BadInvalidArgument, `powerW must be one finite Double, got ${String(powerW)}`);
      }
      return command(() => {
        model.advanceTo(clock.now());
        model.setPowerTarget(powerW);
      });
    },
  );
}

function refusal(error: unknown): CallMethodResultOptions {
  if (error instanceof MinerPowerTargetError) return refused(StatusCodes.BadOutOfRange, error.message);
  if (error instanceof MinerCommandRefusedError) {
    const statusCode: StatusCode =
      error.reason === 'fault' ? StatusCodes.BadDeviceFailure : StatusCodes.BadInvalidState;
    return refused(statusCode, error.message);
  }
  return refused(StatusCodes.BadInternalError, error instanceof Error ? error.message : String(error));
}

/**
 * A refused call with its reason as operation-level diagnostics: node-opcua 2.182 lets a method answer only its
 * result, so the reason rides in the result's one DiagnosticInfo, as AdditionalInfo (a plain string; LocalizedText
 * would be an index into a string table the method cannot fill). The server filters it by the request header's
 * returnDiagnostics: a client asks for operation-level AdditionalInfo (0x80) to get it.
 */
function refused(statusCode: StatusCode, reason: string): CallMethodResultOptions {
  return { statusCode, inputArgumentDiagnosticInfos: [new DiagnosticInfo({ additionalInfo: reason })] };
}
