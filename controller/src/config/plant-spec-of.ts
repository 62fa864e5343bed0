import { parsePlantSpec, type PlantSpec } from '../plant/plant-spec.ts';
import type { ControllerConfig } from './controller-config.ts';

/** The control core's view of the configured plant: ratings and limits, with reversion times filled in. */
export function plantSpecOf(config: ControllerConfig): PlantSpec {
  const { reversion } = config;
  return parsePlantSpec({
    gridMeterId: config.plant.gridMeterId,
    importCapW: config.grid.importCapW,
    exportCapW: config.grid.exportCapW,
    devices: config.plant.devices.map((device) => {
      switch (device.nature) {
        case 'meter':
          return { kind: 'meter', id: device.id };
        case 'pv-inverter':
          return {
            kind: 'pv-inverter',
            id: device.id,
            ratedPowerW: device.ratedPowerW,
            minPowerLimitPct: device.minPowerLimitPct,
            reversionS: device.reversionS ?? reversion.pvInverterS,
          };
        case 'battery':
          return {
            kind: 'battery',
            id: device.id,
            capacityWh: device.capacityWh,
            maxChargeW: device.maxChargeW,
            maxDischargeW: device.maxDischargeW,
            minReservePct: device.minReservePct,
            maxSocPct: device.maxSocPct,
            rampWPerS: device.rampWPerS,
            reversionS: device.reversionS ?? reversion.batteryS,
          };
        case 'flexible-load':
          return {
            kind: 'flexible-load',
            id: device.id,
            minPowerW: device.minPowerW,
            maxPowerW: device.maxPowerW,
            minOnS: device.minOnS,
            minOffS: device.minOffS,
          };
      }
    }),
  });
}
