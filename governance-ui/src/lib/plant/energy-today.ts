import type { StreamEvent } from './controller-api.ts';
import { gridMeterOf } from './plant-powers.ts';

/** Lifetime counters a device reports, by the names its nature gives them (controller/src/natures). */
const COUNTERS = {
  'pv-inverter': { energyWh: 'pvWh' },
  battery: { energyInWh: 'batteryInWh', energyOutWh: 'batteryOutWh' },
  meter: { energyImportedWh: 'importWh', energyExportedWh: 'exportWh' },
} as const;

type Quantity = 'pvWh' | 'batteryInWh' | 'batteryOutWh' | 'importWh' | 'exportWh';

export interface EnergyBalance {
  pvWh: number;
  importWh: number;
  exportWh: number;
  batteryInWh: number;
  batteryOutWh: number;
  /** everything used on site, miners included: PV + import + battery out - export - battery in */
  consumptionWh: number;
  /** Home Assistant's "self-consumed solar energy": the share of PV not exported; null without PV */
  selfConsumption: number | null;
  /** Home Assistant's "self-sufficiency": the share of consumption not imported; null without consumption */
  selfSufficiency: number | null;
}

/** The balance and its two ratios from energy totals. */
export function balanceOf(totals: Record<Quantity, number>): EnergyBalance {
  const consumptionWh = totals.pvWh + totals.importWh + totals.batteryOutWh - totals.exportWh - totals.batteryInWh;
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  return {
    ...totals,
    consumptionWh,
    selfConsumption: totals.pvWh > 0 ? clamp((totals.pvWh - totals.exportWh) / totals.pvWh) : null,
    selfSufficiency: consumptionWh > 0 ? clamp((consumptionWh - totals.importWh) / consumptionWh) : null,
  };
}

interface CounterTrack {
  quantity: Quantity;
  /** the energy counted so far (across counter resets) */
  countedWh: number;
  lastWh: number;
}

/**
 * Energy since a starting moment, from the devices' own lifetime counters (not from sampled power, so a page that
 * missed events loses nothing): per device and counter, the rise since the first value seen. A counter that goes
 * backwards (a device restarted) starts a new base rather than counting negative energy. Readings held over from an
 * earlier cycle do not move. `resetAt` starts a new day.
 */
export class EnergySinceOpen {
  #tracks = new Map<string, CounterTrack>();
  sinceMs: number | null = null;

  observe(event: StreamEvent, gridMeterId?: string | null): void {
    if (this.sinceMs === null) this.sinceMs = event.atMs;
    const gridMeter = gridMeterOf(event.image, gridMeterId);
    for (const snapshot of Object.values(event.image.devices)) {
      if (!snapshot.fresh || snapshot.reading === null) continue;
      if (snapshot.kind === 'meter' && snapshot.id !== gridMeter?.id) continue;
      const names: Record<string, Quantity> | undefined =
        snapshot.kind === 'flexible-load' ? undefined : COUNTERS[snapshot.kind];
      if (!names) continue;
      for (const [point, quantity] of Object.entries(names)) {
        const value = snapshot.reading[point];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const key = `${snapshot.id}/${point}`;
        const track = this.#tracks.get(key);
        if (!track) this.#tracks.set(key, { quantity, countedWh: 0, lastWh: value });
        else {
          if (value >= track.lastWh) track.countedWh += value - track.lastWh;
          track.lastWh = value;
        }
      }
    }
  }

  resetAt(atMs: number): void {
    this.#tracks.clear();
    this.sinceMs = atMs;
  }

  balance(): EnergyBalance {
    const totals: Record<Quantity, number> = { pvWh: 0, importWh: 0, exportWh: 0, batteryInWh: 0, batteryOutWh: 0 };
    for (const track of this.#tracks.values()) totals[track.quantity] += track.countedWh;
    return balanceOf(totals);
  }
}
