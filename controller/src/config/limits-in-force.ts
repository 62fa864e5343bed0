import type { ControllerConfig } from './controller-config.ts';

/**
 * The limits a configuration puts in force, one line each, as `--check` prints them: the grid caps first (they are
 * the connection's safety limits), then each device's ratings, then what bounds the operator and the DAO.
 */
export function limitsInForce(config: ControllerConfig): string[] {
  const lines = [
    `grid connection: import cap ${config.grid.importCapW} W, export cap ${config.grid.exportCapW} W (meter ${config.plant.gridMeterId})`,
  ];
  for (const device of config.plant.devices) {
    switch (device.nature) {
      case 'pv-inverter':
        lines.push(
          `${device.id} (PV inverter): rated ${device.ratedPowerW} W, power limit never below ${device.minPowerLimitPct} %, reverts after ${device.reversionS ?? config.reversion.pvInverterS} s`,
        );
        break;
      case 'battery':
        lines.push(
          `${device.id} (battery): ${device.capacityWh} Wh, charge <= ${device.maxChargeW} W, discharge <= ${device.maxDischargeW} W, SoC ${device.minReservePct}..${device.maxSocPct} %, ramp ${device.rampWPerS} W/s, reverts after ${device.reversionS ?? config.reversion.batteryS} s`,
        );
        break;
      case 'flexible-load':
        lines.push(
          `${device.id} (miner): ${device.minPowerW}..${device.maxPowerW} W, on at least ${device.minOnS} s, off at least ${device.minOffS} s`,
        );
        break;
      case 'meter':
        break;
    }
  }
  lines.push(
    `policy until the chain gives one: battery reserve ${config.policy.battery_reserve_pct} %, miner flexibility ${config.policy.miner_flexibility_pct} %`,
    `operator targets: |target| <= ${config.operatorSetpoint.maxAbsGridW} W (held within the caps), live targets lapse after ${config.operatorSetpoint.defaultValidForS} s (at most ${config.operatorSetpoint.maxValidForS} s)`,
  );
  return lines;
}
