import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AttributeIds,
  BrowseDirection,
  CallRequest,
  CallResponse,
  DataType,
  makeEUInformation,
  OPCUACertificateManager,
  OPCUAClient,
  ReferenceTypeIds,
  StatusCodes,
  Variant,
  type ClientSession,
  type NodeId,
  type StatusCode,
} from 'node-opcua';
import { FaultSwitch } from '../src/faults/fault.ts';
import { MinerModel } from '../src/models/miner.ts';
import { DI_NAMESPACE_URI, MINER_NAMESPACE_URI } from '../src/opcua/miner-device-object.ts';
import { MinerServerConfigError, startMinerServer, type MinerServer } from '../src/opcua/miner-server.ts';
import { ManualClock } from '../src/sim/clock.ts';

/**
 * The miner's OPC UA face seen by a plain node-opcua client (not our driver), so the address space is checked as
 * any third-party OPC UA client would see it.
 */
const clock = new ManualClock();
const miners = ['miner-a', 'miner-b'].map((id) => ({
  model: new MinerModel({
    id,
    minPowerW: 1000,
    maxPowerW: 3000,
    pauseRampS: 10,
    resumeRampS: 10,
    minOnS: 0,
    minOffS: 60,
    startMs: clock.now(),
  }),
  faults: new FaultSwitch(),
}));
const [minerA, minerB] = miners as [(typeof miners)[0], (typeof miners)[0]];
let server: MinerServer;
let client: OPCUAClient;
let session: ClientSession;
let ns = -1;
let di = -1;

async function openSession(): Promise<void> {
  client = OPCUAClient.create({
    applicationName: 'GridCoop miner server test',
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 50 },
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: join(tmpdir(), 'gridcoop-opcua-pki', 'server-test-client'),
    }),
  });
  await client.connect(server.endpointUrl);
  session = await client.createSession();
  const namespaces = await session.readNamespaceArray();
  ns = namespaces.indexOf(MINER_NAMESPACE_URI);
  di = namespaces.indexOf(DI_NAMESPACE_URI);
}

async function closeSession(): Promise<void> {
  await session?.close().catch(() => undefined);
  await client?.disconnect().catch(() => undefined);
}

const parameterId = (minerId: string, name: string): string => `ns=${ns};s=${minerId}.ParameterSet.${name}`;

async function readParameter(minerId: string, name: string): Promise<{ value: unknown; statusCode: StatusCode }> {
  const dataValue = await session.read({ nodeId: parameterId(minerId, name), attributeId: AttributeIds.Value });
  return { value: dataValue.value.value, statusCode: dataValue.statusCode };
}

async function callMethod(
  minerId: string,
  method: string,
  inputArguments: Variant[] = [],
): Promise<{ statusCode: StatusCode; reason: string | null }> {
  const methodSet = await resolvePath([
    [di, 'DeviceSet'],
    [ns, minerId],
    [di, 'MethodSet'],
  ]);
  assert.ok(methodSet, `${minerId} has a MethodSet`);
  // A plain CallRequest whose header asks for operation-level AdditionalInfo (0x80), where the server puts its reason;
  // sent through the session, which adds its authentication token (session.call always sends returnDiagnostics 0).
  const request = new CallRequest({
    requestHeader: { returnDiagnostics: 0x80 },
    methodsToCall: [{ objectId: methodSet, methodId: `ns=${ns};s=${minerId}.MethodSet.${method}`, inputArguments }],
  });
  const raw = session as unknown as {
    performMessageTransaction(request: CallRequest, callback: (error: Error | null, response?: unknown) => void): void;
  };
  const answer = await new Promise<unknown>((resolve, reject) =>
    raw.performMessageTransaction(request, (error, response) => (error ? reject(error) : resolve(response))),
  );
  assert.ok(answer instanceof CallResponse);
  const result = answer.results?.[0];
  assert.ok(result);
  return { statusCode: result.statusCode, reason: result.inputArgumentDiagnosticInfos?.[0]?.additionalInfo ?? null };
}

async function resolvePath(names: Array<[number, string]>): Promise<NodeId | null> {
  const result = await session.translateBrowsePath({
    startingNode: 'i=85',
    relativePath: {
      elements: names.map(([namespaceIndex, name]) => ({
        referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
        isInverse: false,
        includeSubtypes: true,
        targetName: { namespaceIndex, name },
      })),
    },
  });
  return result.statusCode.isGood() ? (result.targets?.[0]?.targetId ?? null) : null;
}

/** Polls `probe` until it gives `expected` (the relay opens and closes its port asynchronously). */
async function eventually<T>(probe: () => Promise<T>, expected: T): Promise<void> {
  let last: T | undefined;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    last = await probe();
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(last, expected);
}

const double = (value: number): Variant => new Variant({ dataType: DataType.Double, value });

describe('miner OPC UA server', () => {
  before(async () => {
    server = await startMinerServer({ miners, clock, port: 0 });
    await openSession();
  });
  after(async () => {
    await closeSession();
    await server?.stop();
  });

  test('each miner is a DI device under Objects/DeviceSet with identification, ParameterSet and MethodSet', async () => {
    for (const { model } of miners) {
      const device = [
        [di, 'DeviceSet'],
        [ns, model.id],
      ] as Array<[number, string]>;
      const manufacturer = await resolvePath([...device, [di, 'Manufacturer']]);
      assert.ok(manufacturer, `${model.id} has Manufacturer`);
      const serial = await session.read({
        nodeId: (await resolvePath([...device, [di, 'SerialNumber']]))!,
        attributeId: AttributeIds.Value,
      });
      assert.equal(serial.value.value, model.id);
      for (const name of [
        'Power',
        'PowerTarget',
        'MinPower',
        'MaxPower',
        'Hashrate',
        'Temperature',
        'State',
        'EnergyConsumed',
      ]) {
        assert.ok(await resolvePath([...device, [di, 'ParameterSet'], [ns, name]]), `${model.id} ParameterSet/${name}`);
      }
      for (const name of ['Pause', 'Resume', 'SetPowerTarget']) {
        assert.ok(await resolvePath([...device, [di, 'MethodSet'], [ns, name]]), `${model.id} MethodSet/${name}`);
      }
    }
  });

  test('measurements are AnalogItems with UNECE engineering units and an EURange', async () => {
    const typeDefinition = await session.browse({
      nodeId: parameterId('miner-a', 'Power'),
      referenceTypeId: ReferenceTypeIds.HasTypeDefinition,
      browseDirection: BrowseDirection.Forward,
    });
    assert.equal(typeDefinition.references?.[0]?.nodeId.toString(), 'ns=0;i=2368'); // AnalogItemType
    const unitOf = async (name: string): Promise<{ unitId: number; displayName: string | null }> => {
      const id = await resolvePath([
        [di, 'DeviceSet'],
        [ns, 'miner-a'],
        [di, 'ParameterSet'],
        [ns, name],
        [0, 'EngineeringUnits'],
      ]);
      assert.ok(id, `${name} has EngineeringUnits`);
      const unit = (await session.read({ nodeId: id, attributeId: AttributeIds.Value })).value.value as {
        unitId: number;
        displayName: { text: string | null };
      };
      return { unitId: unit.unitId, displayName: unit.displayName.text };
    };
    assert.equal((await unitOf('Power')).unitId, makeEUInformation('WTT', 'W', 'watt').unitId);
    assert.equal((await unitOf('Temperature')).unitId, makeEUInformation('CEL', '°C', '').unitId);
    assert.equal((await unitOf('EnergyConsumed')).unitId, makeEUInformation('WHR', 'Wh', '').unitId);
    assert.deepEqual(await unitOf('Hashrate'), { unitId: -1, displayName: 'TH/s' });
    const rangeId = await resolvePath([
      [di, 'DeviceSet'],
      [ns, 'miner-a'],
      [di, 'ParameterSet'],
      [ns, 'PowerTarget'],
      [0, 'EURange'],
    ]);
    assert.ok(rangeId);
    const range = (await session.read({ nodeId: rangeId, attributeId: AttributeIds.Value })).value.value as {
      low: number;
      high: number;
    };
    assert.deepEqual({ low: range.low, high: range.high }, { low: 1000, high: 3000 });
  });

  test('values are the model at the clock now: a pause ramps power down as simulated time passes', async () => {
    assert.equal((await readParameter('miner-a', 'Power')).value, 3000);
    const energyBeforeWh = (await readParameter('miner-a', 'EnergyConsumed')).value as number;
    assert.equal((await callMethod('miner-a', 'Pause')).statusCode.name, 'Good');
    clock.advance(5000);
    assert.equal((await readParameter('miner-a', 'Power')).value, 1500);
    assert.equal((await readParameter('miner-a', 'Hashrate')).value, 45);
    assert.equal((await readParameter('miner-a', 'State')).value, 'ramping-down');
    const energyAfterWh = (await readParameter('miner-a', 'EnergyConsumed')).value as number;
    assert.ok(Math.abs(energyAfterWh - energyBeforeWh - (((3000 + 1500) / 2) * 5) / 3600) < 1e-9);
    clock.advance(5000);
    assert.equal((await readParameter('miner-a', 'State')).value, 'paused');
  });

  test('a resume before the minimum off time answers BadInvalidState with the reason and the time left', async () => {
    const { statusCode, reason } = await callMethod('miner-a', 'Resume');
    assert.equal(statusCode.value, StatusCodes.BadInvalidState.value);
    assert.match(reason ?? '', /miner-a: resume refused: minimum off time not reached, 50\.0 s left/);
    assert.equal((await readParameter('miner-a', 'State')).value, 'paused');
    clock.advance(50_000);
    assert.equal((await callMethod('miner-a', 'Resume')).statusCode.name, 'Good');
    clock.advance(10_000);
    assert.equal((await readParameter('miner-a', 'State')).value, 'running');
  });

  test('SetPowerTarget refuses bad arguments (BadInvalidArgument, BadTypeMismatch, BadOutOfRange) and keeps the old target', async () => {
    assert.equal((await callMethod('miner-a', 'SetPowerTarget', [double(2500)])).statusCode.name, 'Good');
    const refusals: Array<[Variant[], StatusCode]> = [
      [[double(5000)], StatusCodes.BadOutOfRange],
      [[double(999)], StatusCodes.BadOutOfRange],
      [[double(Number.NaN)], StatusCodes.BadInvalidArgument],
      [[double(Number.POSITIVE_INFINITY)], StatusCodes.BadInvalidArgument],
      // a wrongly typed argument is refused by node-opcua 2.182 itself, before the method runs
      [[new Variant({ dataType: DataType.String, value: '2000' })], StatusCodes.BadTypeMismatch],
      [[], StatusCodes.BadArgumentsMissing],
    ];
    for (const [args, expected] of refusals) {
      const { statusCode } = await callMethod('miner-a', 'SetPowerTarget', args);
      assert.equal(statusCode.name, expected.name, `SetPowerTarget(${args.map((a) => String(a.value)).join()})`);
    }
    const { reason } = await callMethod('miner-a', 'SetPowerTarget', [double(5000)]);
    assert.match(reason ?? '', /miner-a: power target 5000 W is outside 1000\.\.3000 W/);
    assert.equal((await readParameter('miner-a', 'PowerTarget')).value, 2500);
    assert.equal(minerA.model.powerTargetW, 2500);
  });

  test('measurements are read-only; the power target is writable and range-checked, like a DI parameter set', async () => {
    const accessLevels = await session.read(
      ['Power', 'PowerTarget', 'EnergyConsumed', 'State'].map((name) => ({
        nodeId: parameterId('miner-a', name),
        attributeId: AttributeIds.UserAccessLevel,
      })),
    );
    assert.deepEqual(
      accessLevels.map((d) => d.value.value),
      [1, 3, 1, 1],
      'UserAccessLevel: CurrentRead (1), CurrentRead | CurrentWrite (3)',
    );
    const write = async (name: string, value: Variant): Promise<string> =>
      (await session.write({ nodeId: parameterId('miner-a', name), attributeId: AttributeIds.Value, value: { value } }))
        .name;
    assert.equal(await write('Power', double(1500)), 'BadNotWritable');
    assert.equal(await write('PowerTarget', double(2200)), 'Good');
    assert.equal(minerA.model.powerTargetW, 2200);
    assert.equal((await readParameter('miner-a', 'PowerTarget')).value, 2200);
    assert.equal(await write('PowerTarget', double(3500)), 'BadOutOfRange');
    assert.equal(await write('PowerTarget', double(Number.NaN)), 'BadOutOfRange');
    assert.equal(
      await write('PowerTarget', new Variant({ dataType: DataType.String, value: '2000' })),
      'BadTypeMismatch',
    );
    assert.equal(minerA.model.powerTargetW, 2200, 'a refused write changes nothing');
    assert.equal(await write('PowerTarget', double(2500)), 'Good');
  });

  test('only the fault relay is advertised: discovery never names the listener behind it', async () => {
    const port = new URL(server.endpointUrl).port;
    const servers = await client.findServers();
    const discoveryUrls = servers.flatMap((s) => s.discoveryUrls ?? []);
    assert.deepEqual(discoveryUrls, [server.endpointUrl]);
    const endpoints = await client.getEndpoints({ endpointUrl: '' });
    assert.ok(endpoints.length > 0);
    for (const endpoint of endpoints) assert.equal(new URL(endpoint.endpointUrl ?? '').port, port);
  });

  test('sentinels, exceptions and impossible values are switched per miner and the other miner keeps answering', async () => {
    minerA.faults.inject({ kind: 'sentinels' });
    assert.equal((await readParameter('miner-a', 'Power')).statusCode.name, 'BadNoData');
    assert.equal((await readParameter('miner-a', 'State')).statusCode.name, 'BadNoData');
    assert.equal((await readParameter('miner-b', 'Power')).statusCode.name, 'Good');

    minerA.faults.inject({ kind: 'exception' });
    assert.equal((await readParameter('miner-a', 'Temperature')).statusCode.name, 'BadInternalError');
    assert.equal((await callMethod('miner-a', 'SetPowerTarget', [double(2000)])).statusCode.name, 'BadInternalError');
    assert.equal(minerA.model.powerTargetW, 2500);
    assert.equal((await callMethod('miner-b', 'SetPowerTarget', [double(2000)])).statusCode.name, 'Good');

    minerA.faults.inject({ kind: 'out-of-range' });
    const temperature = await readParameter('miner-a', 'Temperature');
    assert.equal(temperature.statusCode.name, 'Good');
    assert.ok((temperature.value as number) < -273.15, 'below absolute zero');
    assert.ok(((await readParameter('miner-a', 'Power')).value as number) < 0, 'a load never draws negative power');

    minerA.faults.clear();
    assert.equal((await readParameter('miner-a', 'PowerTarget')).value, 2500);
    assert.equal((await readParameter('miner-a', 'Power')).statusCode.name, 'Good');
  });

  test('a device fault puts the miner in FAULT: it answers State fault and refuses pause with BadDeviceFailure', async () => {
    minerB.faults.inject({ kind: 'device-fault' });
    assert.equal((await readParameter('miner-b', 'State')).value, 'fault');
    assert.equal((await readParameter('miner-b', 'Power')).value, 0);
    const { statusCode, reason } = await callMethod('miner-b', 'Pause');
    assert.equal(statusCode.name, 'BadDeviceFailure');
    assert.match(reason ?? '', /miner-b: pause refused: the miner is in FAULT/);
    assert.equal((await readParameter('miner-a', 'State')).value, 'running');
    minerB.faults.clear();
    assert.equal((await readParameter('miner-b', 'State')).value, 'paused');
  });

  test('refuse-connections closes the port until cleared; restart() serves the same miners on the same port', async () => {
    const port = Number(new URL(server.endpointUrl.replace('opc.tcp:', 'http:')).port);
    const tryConnect = (): Promise<'connected' | string> =>
      new Promise((resolve) => {
        const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
    await closeSession();
    minerA.faults.inject({ kind: 'refuse-connections' });
    await eventually(tryConnect, 'ECONNREFUSED');
    minerA.faults.clear();
    await eventually(tryConnect, 'connected');

    const urlBefore = server.endpointUrl;
    await server.restart();
    assert.equal(server.endpointUrl, urlBefore);
    await openSession();
    assert.equal((await readParameter('miner-a', 'PowerTarget')).value, 2500);
    assert.equal((await readParameter('miner-b', 'State')).value, 'paused');
  });

  test('a server without miners, or with two miners of one id, is refused before it listens', async () => {
    await assert.rejects(startMinerServer({ miners: [], clock }), MinerServerConfigError);
    await assert.rejects(
      startMinerServer({ miners: [minerA, { ...minerA, faults: new FaultSwitch() }], clock }),
      (error: unknown) => {
        return error instanceof MinerServerConfigError && /miner-a is given twice/.test(error.message);
      },
    );
  });
});
