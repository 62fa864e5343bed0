// The demo's wiring from the simulated plant to a controller configuration: it lives with the demo, not in the
// controller, so a production controller neither ships nor imports the simulators.
import type { PlantEndpoint } from '@gridcoop/devices/plant/index';
import { expandNodes, parsePlantConfig, type PlantConfigInput } from '@gridcoop/devices/plant/plant-config';
import { ControllerConfigError } from '@gridcoop/controller/config/config-error';
import type { z } from 'zod';
import type {
  ControllerConfigInput,
  opcUaDriverSchema,
  sunSpecRtuDriverSchema,
  sunSpecTcpDriverSchema,
} from '@gridcoop/controller/config/controller-config';

type SunSpecDriver = z.output<typeof sunSpecTcpDriverSchema> | z.output<typeof sunSpecRtuDriverSchema>;
type OpcUaDriver = z.output<typeof opcUaDriverSchema>;

type DeviceInput = ControllerConfigInput['plant']['devices'][number];

function sunSpecDriverOf(endpoint: PlantEndpoint): SunSpecDriver {
  const where = `plant endpoint ${endpoint.id}`;
  switch (endpoint.protocol) {
    case 'modbus-tcp':
      if (endpoint.host === undefined || endpoint.port === undefined)
        throw new ControllerConfigError(
          [{ path: endpoint.id, message: 'modbus-tcp endpoint without host/port' }],
          where,
        );
      return {
        type: 'sunspec-tcp',
        host: endpoint.host,
        port: endpoint.port,
        unitId: endpoint.unitId ?? 1,
        ...(endpoint.baseAddress === undefined ? {} : { baseAddress: endpoint.baseAddress as 0 | 40_000 | 50_000 }),
      };
    case 'modbus-rtu':
      if (endpoint.path === undefined)
        throw new ControllerConfigError([{ path: endpoint.id, message: 'modbus-rtu endpoint without a path' }], where);
      return {
        type: 'sunspec-rtu',
        path: endpoint.path,
        baudRate: 9600,
        unitId: endpoint.unitId ?? 1,
        ...(endpoint.baseAddress === undefined ? {} : { baseAddress: endpoint.baseAddress as 0 | 40_000 | 50_000 }),
      };
    case 'opcua':
      throw new ControllerConfigError(
        [{ path: endpoint.id, message: 'a SunSpec device cannot be served over OPC UA' }],
        where,
      );
  }
}

function opcUaDriverOf(endpoint: PlantEndpoint): OpcUaDriver {
  const where = `plant endpoint ${endpoint.id}`;
  switch (endpoint.protocol) {
    case 'modbus-tcp':
    case 'modbus-rtu':
      throw new ControllerConfigError(
        [{ path: endpoint.id, message: 'a miner is driven over OPC UA, not Modbus' }],
        where,
      );
    case 'opcua':
      if (endpoint.endpointUrl === undefined || endpoint.browseName === undefined)
        throw new ControllerConfigError(
          [{ path: endpoint.id, message: 'opcua endpoint without endpointUrl/browseName' }],
          where,
        );
      return { type: 'opcua', endpointUrl: endpoint.endpointUrl, browseName: endpoint.browseName };
  }
}

/** Whole sections that replace the demo's (the grid caps may be given one at a time). */
export type PlantConfigOverrides = Omit<ControllerConfigInput, 'plant' | 'grid'> & {
  grid?: Partial<ControllerConfigInput['grid']>;
};

/** The demo plant's connection: 50 kW import, 20 kW export (a small commercial site). */
export const DEMO_GRID_CAPS = { importCapW: 50_000, exportCapW: 20_000 } as const;

/**
 * A controller configuration for a running simulated plant: its endpoints become drivers, and the ratings the
 * controller needs (which a real installer would type in from nameplates) come from the same plant configuration
 * the simulator was started with. `overrides` replaces whole top-level sections (grid caps, cycle, api, ...).
 * The result is input for parseControllerConfig, which fills every other default.
 */
export function configFromPlant(
  endpoints: readonly PlantEndpoint[],
  plantInput: PlantConfigInput = {},
  overrides: PlantConfigOverrides = {},
): ControllerConfigInput {
  const plant = expandNodes(parsePlantConfig(plantInput));
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const endpointOf = (id: string): PlantEndpoint => {
    const endpoint = byId.get(id);
    if (!endpoint)
      throw new ControllerConfigError(
        [{ path: id, message: 'the plant configuration has this device but the plant serves no endpoint for it' }],
        'plant endpoints',
      );
    return endpoint;
  };
  const devices: DeviceInput[] = [
    { nature: 'meter', id: plant.meter.id, driver: sunSpecDriverOf(endpointOf(plant.meter.id)) },
    ...plant.pvInverters.map((d): DeviceInput => ({
      nature: 'pv-inverter',
      id: d.id,
      driver: sunSpecDriverOf(endpointOf(d.id)),
      ratedPowerW: d.ratedPowerW,
    })),
    ...plant.batteries.map((d): DeviceInput => ({
      nature: 'battery',
      id: d.id,
      driver: sunSpecDriverOf(endpointOf(d.id)),
      capacityWh: d.capacityWh,
      maxChargeW: d.maxChargeW,
      maxDischargeW: d.maxDischargeW,
      minReservePct: d.minReservePct,
      roundTripEfficiency: d.roundTripEfficiency,
      ...(d.rampWPerS === undefined ? {} : { rampWPerS: d.rampWPerS }),
    })),
    ...plant.miners.map((d): DeviceInput => ({
      nature: 'flexible-load',
      id: d.id,
      driver: opcUaDriverOf(endpointOf(d.id)),
      minPowerW: d.minPowerW,
      maxPowerW: d.maxPowerW,
    })),
  ];
  return {
    ...overrides,
    // The demo states its caps like any plant must; a caller may replace either.
    grid: { ...DEMO_GRID_CAPS, ...overrides.grid },
    plant: { gridMeterId: plant.meter.id, devices },
  };
}
