import type { ProcessImage } from '../cycle/process-image.ts';
import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';

/** The plant's power balance in one process image. */
export interface SitePowers {
  /** At the connection point, import positive; null when the grid meter gave nothing. */
  gridW: number | null;
  /** The site's own consumption behind the meter (grid + PV + battery discharge - miners); null without the meter. */
  siteLoadW: number | null;
  /** PV output now (what the inverters produce, after any curtailment). */
  pvW: number;
  batteryW: number;
  minersW: number;
}

/** Derived from what was measured; unknown device readings count as 0 W (they are flagged in the image). */
export function sitePowers(image: ProcessImage, gridMeterId: string): SitePowers {
  let pvW = 0;
  let batteryW = 0;
  let minersW = 0;
  for (const snapshot of Object.values(image.devices)) {
    if (snapshot.reading === null) continue;
    if (snapshot.kind === 'pv-inverter') pvW += (snapshot.reading as PvInverterReading).powerW ?? 0;
    else if (snapshot.kind === 'battery') batteryW += (snapshot.reading as BatteryReading).powerW ?? 0;
    else if (snapshot.kind === 'flexible-load') minersW += (snapshot.reading as FlexibleLoadReading).powerW ?? 0;
  }
  const meter = image.devices[gridMeterId];
  const gridW = meter?.fresh ? ((meter.reading as MeterReading | null)?.powerW ?? null) : null;
  return { gridW, siteLoadW: gridW === null ? null : gridW + pvW + batteryW - minersW, pvW, batteryW, minersW };
}
