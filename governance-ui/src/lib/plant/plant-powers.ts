import type { DeviceSnapshot, StreamEvent } from './controller-api.ts';

/** The plant's power balance in one process image, as the controller computes it (service/site-powers.ts). */
export interface PlantPowers {
  /** PV output, generation positive */
  pvW: number;
  /** batteries together: discharge positive, charge negative */
  batteryW: number;
  /** miners' consumption, positive */
  minersW: number;
  /** at the connection point, import positive; null when the grid meter was not read this cycle */
  gridW: number | null;
  /** the site's own consumption behind the meter; null without the meter */
  siteLoadW: number | null;
}

const powerOf = (snapshot: DeviceSnapshot): number => {
  const value = snapshot.reading?.powerW;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};

/** Which device is the grid meter: the configured one, else the only meter in the image. */
export function gridMeterOf(
  image: StreamEvent['image'],
  gridMeterId: string | null | undefined,
): DeviceSnapshot | null {
  if (gridMeterId) return image.devices[gridMeterId] ?? null;
  return Object.values(image.devices).find((d) => d.kind === 'meter') ?? null;
}

/**
 * Sums the image the way the controller does: unknown readings count as 0 W (they are flagged per device), a held-over
 * reading counts (it is the best known value), the grid only when the meter was read this cycle.
 */
export function plantPowers(image: StreamEvent['image'], gridMeterId?: string | null): PlantPowers {
  let pvW = 0;
  let batteryW = 0;
  let minersW = 0;
  for (const snapshot of Object.values(image.devices)) {
    if (snapshot.reading === null) continue;
    if (snapshot.kind === 'pv-inverter') pvW += powerOf(snapshot);
    else if (snapshot.kind === 'battery') batteryW += powerOf(snapshot);
    else if (snapshot.kind === 'flexible-load') minersW += powerOf(snapshot);
  }
  const meter = gridMeterOf(image, gridMeterId);
  const meterW = meter?.fresh ? meter.reading?.powerW : null;
  const gridW = typeof meterW === 'number' && Number.isFinite(meterW) ? meterW : null;
  return { pvW, batteryW, minersW, gridW, siteLoadW: gridW === null ? null : gridW + pvW + batteryW - minersW };
}

/** One point of the plant's balance over time (a page sample or a history step), for the chart. */
export interface PowerSample extends PlantPowers {
  atMs: number;
}

/** One flow into or out of the plant's bus, for the flow bar and its table. */
export interface Flow {
  key: 'pv' | 'battery-out' | 'grid-import' | 'site-load' | 'miners' | 'battery-in' | 'grid-export';
  label: string;
  powerW: number;
}

/**
 * Where the power comes from and where it goes (evcc's energy-flow bar): sources are PV, batteries discharging and
 * grid import; consumers are the site load, the miners, batteries charging and grid export. Both sides sum to the
 * same total when the meter was read (the site load is what balances them).
 */
export function flowsOf(powers: PlantPowers): { sources: Flow[]; consumers: Flow[] } {
  const positive = (w: number | null): number => (w !== null && w > 0 ? w : 0);
  const sources: Flow[] = [
    { key: 'pv', label: 'PV', powerW: positive(powers.pvW) },
    { key: 'battery-out', label: 'Batteries discharging', powerW: positive(powers.batteryW) },
    { key: 'grid-import', label: 'Grid import', powerW: positive(powers.gridW) },
  ];
  const consumers: Flow[] = [
    { key: 'site-load', label: 'Site load', powerW: positive(powers.siteLoadW) },
    { key: 'miners', label: 'Miners', powerW: positive(powers.minersW) },
    { key: 'battery-in', label: 'Batteries charging', powerW: positive(-powers.batteryW) },
    { key: 'grid-export', label: 'Grid export', powerW: positive(powers.gridW === null ? null : -powers.gridW) },
  ];
  return { sources, consumers };
}
