import { FaultSwitch } from '../faults/fault.ts';
import { startModbusRtuServer, type ModbusRtuServer } from '../modbus/modbus-rtu-server.ts';
import { startModbusTcpServer, type ModbusTcpServer } from '../modbus/modbus-tcp-server.ts';
import { openPtyPair, type PtyPair } from '../modbus/pty-pair.ts';
import type { ModbusRegisterBank } from '../modbus/register-bank.ts';
import { BatteryModel } from '../models/battery.ts';
import type { DeviceModel } from '../models/device-model.ts';
import { GridMeterModel } from '../models/grid-meter.ts';
import { MinerModel } from '../models/miner.ts';
import { PvInverterModel } from '../models/pv-inverter.ts';
import { SiteLoadModel } from '../models/site-load.ts';
import type { MinerServer } from '../opcua/miner-server.ts';
import { victorianPvProfile } from '../profiles/pv-capacity-factor.ts';
import { victorianDemandShape } from '../profiles/vic-demand.ts';
import { ScaledClock, type SimClock } from '../sim/clock.ts';
import { BatteryFace } from '../sunspec-faces/battery-face.ts';
import { InverterFace } from '../sunspec-faces/inverter-face.ts';
import { MeterFace } from '../sunspec-faces/meter-face.ts';
import { SunSpecRegisterBank, type SunSpecFace } from '../sunspec-faces/sunspec-register-bank.ts';
import { expandNodes, parsePlantConfig, type PlantConfig, type PlantConfigInput } from './plant-config.ts';

export interface PlantEndpoint {
  id: string;
  kind: 'pv-inverter' | 'battery' | 'meter' | 'miner';
  protocol: 'modbus-tcp' | 'modbus-rtu' | 'opcua';
  host?: string;
  port?: number;
  unitId?: number;
  /** SunSpec base address of a Modbus device. */
  baseAddress?: number;
  /** RTU serial device, e.g. a socat pty. */
  path?: string;
  /** opc.tcp://127.0.0.1:PORT/... */
  endpointUrl?: string;
  /** The miner's device object. */
  browseName?: string;
}

export interface RunningPlant {
  endpoints: PlantEndpoint[];
  /** The model behind a device id (narrow by `kind` or instanceof); throws UnknownDeviceError. */
  model(id: string): DeviceModel;
  fault(id: string): FaultSwitch;
  /** The site's own load, behind the meter. */
  siteLoad: SiteLoadModel;
  clock: SimClock;
  /** Advances every model to the clock's now (what each protocol face does before answering). */
  advance(): number;
  stop(): Promise<void>;
}

export interface StartPlantOptions {
  /** Simulation time; default real time (ScaledClock(1)). */
  clock?: SimClock;
  /** Real-time period of the background advance that keeps an idle plant's physics current; default 1000 ms. */
  backgroundTickMs?: number;
}

export class UnknownDeviceError extends Error {
  constructor(readonly deviceId: string) {
    super(`no device "${deviceId}" in this plant`);
    this.name = 'UnknownDeviceError';
  }
}

const HOST = '127.0.0.1';
const MANUFACTURER = 'GridCoop';
const VERSION = '1.0.0';

interface ModbusDevice {
  id: string;
  kind: 'pv-inverter' | 'battery' | 'meter';
  protocol: 'modbus-tcp' | 'modbus-rtu';
  port: number | undefined;
  unitId: number;
  baseAddress: number;
  faults: FaultSwitch;
  bank: SunSpecRegisterBank;
}

/**
 * Starts a simulated plant: models with physics behind one grid meter, each SunSpec device on its own Modbus TCP
 * server (or all RTU devices on one socat serial line), the miners on one OPC UA server. Physics advance lazily:
 * every face advances the whole plant to the clock's now before it answers, so a ManualClock makes tests exact.
 * On any failure while starting, whatever already started is stopped again.
 */
export async function startPlant(
  input: PlantConfigInput | PlantConfig = {},
  options: StartPlantOptions = {},
): Promise<RunningPlant> {
  const config = expandNodes(parsePlantConfig(input));
  const clock = options.clock ?? new ScaledClock(1);
  const startMs = clock.now();
  const models = new Map<string, DeviceModel>();
  const faults = new Map<string, FaultSwitch>();
  const utcOffset = config.site.utcOffsetMinutes;
  const pvProfile = victorianPvProfile(utcOffset);

  const siteLoad = new SiteLoadModel({
    id: 'site-load',
    peakW: config.site.loadPeakW ?? 30_000,
    profile: victorianDemandShape(utcOffset),
  });
  const pvModels = config.pvInverters.map(
    (d) =>
      new PvInverterModel({
        id: d.id,
        ratedPowerW: d.ratedPowerW,
        profile: pvProfile,
        stringLossFraction: d.stringLossFraction,
        limitRampPctPerS: d.limitRampPctPerS,
        initialEnergyWh: d.initialEnergyWh ?? d.ratedPowerW * 1_400,
      }),
  );
  const batteryModels = config.batteries.map(
    (d) =>
      new BatteryModel({
        id: d.id,
        capacityWh: d.capacityWh,
        maxChargeW: d.maxChargeW,
        maxDischargeW: d.maxDischargeW,
        initialSocPct: d.initialSocPct,
        roundTripEfficiency: d.roundTripEfficiency,
        minReservePct: d.minReservePct,
        ...(d.rampWPerS === undefined ? {} : { rampWPerS: d.rampWPerS }),
        initialEnergyInWh: d.initialEnergyInWh ?? d.capacityWh * 300,
        initialEnergyOutWh: d.initialEnergyOutWh ?? d.capacityWh * 300 * d.roundTripEfficiency,
      }),
  );
  const minerModels = config.miners.map(
    (d) => new MinerModel({ id: d.id, minPowerW: d.minPowerW, maxPowerW: d.maxPowerW, startMs }),
  );
  const maxSitePowerW =
    (config.site.loadPeakW ?? 30_000) +
    config.pvInverters.reduce((s, d) => s + d.ratedPowerW, 0) +
    config.batteries.reduce((s, d) => s + Math.max(d.maxChargeW, d.maxDischargeW), 0) +
    config.miners.reduce((s, d) => s + d.maxPowerW, 0);
  const meterModel = new GridMeterModel({
    id: config.meter.id,
    connectionCapacityW: maxSitePowerW,
    // An installed meter has counted before: a year's worth at a tenth of the connection, and a third of that exported.
    initialImportWh: config.meter.initialImportWh ?? maxSitePowerW * 876,
    initialExportWh: config.meter.initialExportWh ?? maxSitePowerW * 292,
    behindTheMeter: [siteLoad, ...pvModels, ...batteryModels, ...minerModels],
  });
  for (const model of [meterModel, ...pvModels, ...batteryModels, ...minerModels]) {
    models.set(model.id, model);
    faults.set(model.id, new FaultSwitch());
  }
  const advance = (): number => {
    const nowMs = clock.now();
    meterModel.advanceTo(nowMs);
    return nowMs;
  };
  advance();

  const devices: ModbusDevice[] = [];
  const addDevice = (
    settings: {
      id: string;
      protocol: 'modbus-tcp' | 'modbus-rtu';
      port?: number | undefined;
      unitId: number;
      baseAddress?: number | undefined;
    },
    kind: ModbusDevice['kind'],
    face: SunSpecFace,
  ): void => {
    const baseAddress = settings.baseAddress ?? config.baseAddress;
    devices.push({
      id: settings.id,
      kind,
      protocol: settings.protocol,
      port: settings.port,
      unitId: settings.unitId,
      baseAddress,
      faults: faults.get(settings.id) as FaultSwitch,
      bank: new SunSpecRegisterBank(settings.id, face, baseAddress),
    });
  };
  const identity = (id: string, model: string, unitId: number) => ({
    manufacturer: MANUFACTURER,
    model,
    serialNumber: id,
    version: VERSION,
    unitId,
  });

  addDevice(
    config.meter,
    'meter',
    new MeterFace({
      model: meterModel,
      faults: faults.get(config.meter.id) as FaultSwitch,
      identity: identity(config.meter.id, 'SimMeter-3P', config.meter.unitId),
      maxPowerW: maxSitePowerW,
      advance,
    }),
  );
  config.pvInverters.forEach((d, i) => {
    const model = pvModels[i] as PvInverterModel;
    addDevice(
      d,
      'pv-inverter',
      new InverterFace({
        model,
        faults: faults.get(d.id) as FaultSwitch,
        identity: identity(d.id, `SimPV-${d.ratedPowerW / 1000}k`, d.unitId),
        advance,
      }),
    );
  });
  config.batteries.forEach((d, i) => {
    const model = batteryModels[i] as BatteryModel;
    addDevice(
      d,
      'battery',
      new BatteryFace({
        model,
        faults: faults.get(d.id) as FaultSwitch,
        identity: identity(d.id, `SimBattery-${d.capacityWh / 1000}kWh`, d.unitId),
        advance,
      }),
    );
  });

  const tcpServers: ModbusTcpServer[] = [];
  let rtuServer: ModbusRtuServer | undefined;
  let ptyPair: PtyPair | undefined;
  let minerServer: MinerServer | undefined;
  const endpoints: PlantEndpoint[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(tcpServers.map((s) => s.stop()));
    await rtuServer?.stop();
    await ptyPair?.stop();
    await minerServer?.stop();
  };

  try {
    // Servers start in batches: a thousand listens at once would only queue in the kernel anyway.
    const tcpDevices = devices.filter((d) => d.protocol === 'modbus-tcp');
    for (let i = 0; i < tcpDevices.length; i += 100) {
      const batch = tcpDevices.slice(i, i + 100);
      const started = await Promise.all(
        batch.map((d) =>
          startModbusTcpServer({
            host: HOST,
            port: d.port ?? 0,
            units: new Map<number, ModbusRegisterBank>([[d.unitId, d.bank]]),
            faults: d.faults,
          }),
        ),
      );
      started.forEach((server, j) => {
        const d = batch[j] as ModbusDevice;
        tcpServers.push(server);
        endpoints.push({
          id: d.id,
          kind: d.kind,
          protocol: 'modbus-tcp',
          host: HOST,
          port: server.port,
          unitId: d.unitId,
          baseAddress: d.baseAddress,
        });
      });
    }
    const rtuDevices = devices.filter((d) => d.protocol === 'modbus-rtu');
    if (rtuDevices.length > 0) {
      ptyPair = await openPtyPair();
      // One serial line, one switch: a fault injected into any RTU device's switch is mirrored onto the line.
      const lineFaults = new FaultSwitch();
      for (const d of rtuDevices) d.faults.onChange((setting) => lineFaults.inject(setting));
      rtuServer = await startModbusRtuServer({
        path: ptyPair.devicePath,
        units: new Map(rtuDevices.map((d) => [d.unitId, d.bank])),
        faults: lineFaults,
      });
      for (const d of rtuDevices) {
        endpoints.push({
          id: d.id,
          kind: d.kind,
          protocol: 'modbus-rtu',
          path: ptyPair.clientPath,
          unitId: d.unitId,
          baseAddress: d.baseAddress,
        });
      }
    }
    if (minerModels.length > 0) {
      // node-opcua takes seconds to load: a plant without miners does not pay for it.
      const { startMinerServer } = await import('../opcua/miner-server.ts');
      minerServer = await startMinerServer({
        miners: minerModels.map((model) => ({ model, faults: faults.get(model.id) as FaultSwitch })),
        clock,
        ...(config.minerPort === undefined ? {} : { port: config.minerPort }),
      });
      for (const model of minerModels) {
        endpoints.push({
          id: model.id,
          kind: 'miner',
          protocol: 'opcua',
          endpointUrl: minerServer.endpointUrl,
          browseName: model.id,
        });
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  // Physics advance lazily on every read, but an idle plant on a fast clock would owe hours of sub-steps to its next
  // reader: a background tick keeps the debt at one tick. Under a ManualClock a tick finds no time passed.
  const ticker = setInterval(advance, options.backgroundTickMs ?? 1000);
  ticker.unref();

  let stopped = false;
  return {
    endpoints,
    clock,
    siteLoad,
    advance,
    model(id) {
      const model = models.get(id);
      if (model === undefined) throw new UnknownDeviceError(id);
      return model;
    },
    fault(id) {
      const fault = faults.get(id);
      if (fault === undefined) throw new UnknownDeviceError(id);
      return fault;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      await stopAll();
    },
  };
}
