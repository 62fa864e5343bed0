import type { BatteryReading, MeterReading } from '../natures/index.ts';
import { decide } from '../control/decide.ts';
import type { CycleReport } from '../cycle/control-cycle.ts';
import type { Plan } from '../planner/plan.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import { siteEnvelope } from './site-envelope.ts';
import type { SiteSnapshot } from './site-link.ts';

/**
 * What the site link publishes after a cycle, or null for a cycle without a balancing decision (starting, failsafe:
 * the site offers no flexibility then, and its last birth or data stand until the next decision).
 */
export function siteSnapshotOf(report: CycleReport, gridMeterId: string, plan: Plan | null): SiteSnapshot | null {
  const { inputs, decision } = report;
  if (inputs === null || decision === null) return null;
  // The envelope is measured from the local policy's dispatch. While a VPP target is followed the cycle dispatched
  // that target instead, so decide again without it (decide is a pure function of its inputs).
  const baseline =
    inputs.operatorTarget?.source === 'vpp' ? decide({ ...inputs, operatorTarget: null }).dispatch : decision.dispatch;
  const meter = report.image.devices[gridMeterId];
  const gridPowerW = meter?.fresh === true ? ((meter.reading as MeterReading | null)?.powerW ?? null) : null;
  let minersBaselineW = 0;
  for (const spec of inputs.plant.devices) {
    // Output convention: a miner's consumption is negative.
    if (spec.kind === 'flexible-load') minersBaselineW += Math.max(0, -(baseline.powersW[spec.id] ?? 0));
  }
  return {
    gridPowerW,
    socPct: averageSocPct(report, inputs.plant.devices),
    plantState: report.plantState,
    envelope: siteEnvelope(inputs, baseline, plan),
    minersBaselineW,
    batteryPowerW: batteryOutputW(report, inputs.plant.devices),
  };
}

/** The batteries' measured total output (discharge positive); null when none is read fresh this cycle. */
function batteryOutputW(report: CycleReport, devices: PlantSpec['devices']): number | null {
  let totalW: number | null = null;
  for (const spec of devices) {
    if (spec.kind !== 'battery') continue;
    const snapshot = report.image.devices[spec.id];
    const powerW = snapshot?.fresh === true ? ((snapshot.reading as BatteryReading | null)?.powerW ?? null) : null;
    if (powerW !== null) totalW = (totalW ?? 0) + powerW;
  }
  return totalW;
}

/** The batteries' state of charge weighted by capacity; null without a battery reporting one. */
function averageSocPct(report: CycleReport, devices: PlantSpec['devices']): number | null {
  let energyWh = 0;
  let capacityWh = 0;
  for (const spec of devices) {
    if (spec.kind !== 'battery') continue;
    const socPct = (report.image.devices[spec.id]?.reading as BatteryReading | null | undefined)?.socPct ?? null;
    if (socPct === null) continue;
    energyWh += (socPct / 100) * spec.capacityWh;
    capacityWh += spec.capacityWh;
  }
  return capacityWh > 0 ? (energyWh / capacityWh) * 100 : null;
}
