import type { FlexibilityEnvelope, SiteProfile, SiteState } from '../index.ts';

/** A home site with PV and a battery, as a test fixture of the protocol's messages. */
export const sampleProfile: SiteProfile = {
  zone: 'zone-north',
  importLimitW: 17_000,
  exportLimitW: 10_000,
  capacity: { batteryEnergyWh: 10_000, batteryPowerW: 5_000, pvPeakW: 8_000, minerPowerW: 0 },
};

export const sampleState: SiteState = {
  gridPowerW: -1_250.5,
  socPct: 63.2,
  plantState: 'running',
  control: 'local',
  followedTargetW: null,
  followedTargetId: null,
};

export const sampleEnvelope: FlexibilityEnvelope = {
  baselineW: -1_250.5,
  minGridW: -6_250.5,
  maxGridW: 6_000,
  raiseForS: 3_600,
  lowerForS: 4_500,
  sources: {
    battery: { raiseW: 5_000, lowerW: 5_000, raiseForS: 2_650, lowerForS: 3_110 },
    miners: { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null },
    pvCurtailment: { raiseW: 2_250.5, lowerW: 0, raiseForS: null, lowerForS: null },
  },
  battery: {
    socPct: 63.2,
    socMinPct: 20,
    socMaxPct: 95,
    energyCapacityWh: 10_000,
    chargeMaxW: 5_000,
    dischargeMaxW: 5_000,
  },
  forecast: [
    { startMs: 1_764_669_600_000, durationS: 900, baselineW: -1_100, minGridW: -6_100, maxGridW: 6_000 },
    { startMs: 1_764_670_500_000, durationS: 900, baselineW: 300, minGridW: -4_700, maxGridW: 7_000 },
  ],
};
