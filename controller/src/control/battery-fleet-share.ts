/** One battery as the fleet share sees it: its allowed range this cycle (generation positive), SoC and size. */
export interface FleetBattery {
  loW: number;
  hiW: number;
  /** Unknown SoC: the battery is treated as if at the fleet's level (it shares by capacity). */
  socPct: number | null;
  capacityWh: number;
}

/**
 * Shares a fleet's battery power (discharge positive) the way a fleet operator would: towards equal state of charge,
 * weighted by capacity. Each battery's power is the one that brings it to a common SoC level after `horizonS` at
 * that power, P_i = C_i x 36 x (SoC_i - level) / horizonS, clamped to its allowed range, with the level chosen so
 * that the powers add up to the total (water-filling). At equal SoC this is a split by capacity; apart, the emptier
 * battery charges first and the fuller one discharges first.
 *
 * Energy never circulates: while the fleet charges no battery discharges (and the other way round), unless a ramp
 * limit leaves no other way to reach the total. Because the answer depends on SoC, not on where each range sits,
 * the ramp limits (ranges centred on the last command) only slow the move towards the balanced split over a few
 * cycles; they cannot freeze the previous split in place as a share by room within the ranges did.
 *
 * The total is clamped to what the ranges can give together.
 */
export function shareTowardsEqualSoc(totalW: number, batteries: readonly FleetBattery[], horizonS: number): number[] {
  if (batteries.length === 0) return [];
  const sumLoW = batteries.reduce((sum, b) => sum + b.loW, 0);
  const sumHiW = batteries.reduce((sum, b) => sum + b.hiW, 0);
  const targetW = Math.min(sumHiW, Math.max(sumLoW, totalW));

  // No circulation: while charging nobody discharges, while discharging nobody charges (each range keeps at least
  // one point: a ramp may force a battery to stay on the other side for a cycle or two).
  const oneWay = batteries.map((b) => ({
    loW: targetW < 0 ? b.loW : Math.min(b.hiW, Math.max(b.loW, 0)),
    hiW: targetW > 0 ? b.hiW : Math.max(b.loW, Math.min(b.hiW, 0)),
  }));
  const oneWayLoW = oneWay.reduce((sum, r) => sum + r.loW, 0);
  const oneWayHiW = oneWay.reduce((sum, r) => sum + r.hiW, 0);
  const ranges = targetW >= oneWayLoW && targetW <= oneWayHiW ? oneWay : batteries;

  const known = batteries.filter((b) => b.socPct !== null);
  const knownWh = known.reduce((sum, b) => sum + b.capacityWh, 0);
  const meanSocPct = knownWh > 0 ? known.reduce((sum, b) => sum + b.socPct! * b.capacityWh, 0) / knownWh : 50;
  // Power per % of SoC away from the level (dSoC% = P x t / (36 x C)), and the SoC each battery counts with.
  const gainsW = batteries.map((b) => (Math.max(b.capacityWh, 1) * 36) / Math.max(horizonS, 1e-3));
  const socs = batteries.map((b) => b.socPct ?? meanSocPct);

  const powerAt = (levelPct: number, i: number): number => {
    const r = ranges[i]!;
    return Math.min(r.hiW, Math.max(r.loW, gainsW[i]! * (socs[i]! - levelPct)));
  };
  const totalAt = (levelPct: number): number => batteries.reduce((sum, _b, i) => sum + powerAt(levelPct, i), 0);

  // The total falls as the level rises; it is piecewise linear between the levels where a battery meets an edge.
  const breakpoints = batteries
    .flatMap((_b, i) => [socs[i]! - ranges[i]!.hiW / gainsW[i]!, socs[i]! - ranges[i]!.loW / gainsW[i]!])
    .sort((a, b) => a - b);
  let levelPct = breakpoints[0]!;
  if (totalAt(breakpoints[breakpoints.length - 1]!) >= targetW) {
    levelPct = breakpoints[breakpoints.length - 1]!;
  } else {
    for (let k = 1; k < breakpoints.length; k++) {
      const a = breakpoints[k - 1]!;
      const b = breakpoints[k]!;
      const totalA = totalAt(a);
      const totalB = totalAt(b);
      if (totalB <= targetW && targetW <= totalA) {
        levelPct = totalA === totalB ? a : a + ((totalA - targetW) * (b - a)) / (totalA - totalB);
        break;
      }
    }
  }
  const powersW = batteries.map((_b, i) => powerAt(levelPct, i));
  // Rounding in the interpolation: the first battery with room takes the last few milliwatts, so the sum is exact.
  const errorW = targetW - powersW.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < powersW.length && Math.abs(errorW) > 0; i++) {
    const r = ranges[i]!;
    const adjusted = Math.min(r.hiW, Math.max(r.loW, powersW[i]! + errorW));
    if (adjusted !== powersW[i]) {
      powersW[i] = adjusted;
      break;
    }
  }
  return powersW;
}
