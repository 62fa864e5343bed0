import type { DeviceSnapshot, EnergyView, StreamEvent } from './controller-api.ts';
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

/** Where the day's count starts: the controller's stored counters from midnight, or the first event this page saw. */
export type EnergyCountSource = 'controller' | 'page';

/** Local midnight (the browser's time zone) of the day a moment falls on. */
export function localMidnight(atMs: number): number {
  const day = new Date(atMs);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/**
 * The day's energy from the devices' own lifetime counters (not from sampled power, so a page that missed events loses
 * nothing), as Home Assistant's energy dashboard counts the day from stored meter statistics: seeded with what the
 * controller's stored minutes counted since midnight (GET /api/energy), then per device and counter the rise of each
 * live value. Without the controller's counters it counts from the first event it sees. A counter that goes backwards
 * (a device restarted) starts a new base rather than counting negative energy. Readings held over from an earlier
 * cycle do not move.
 */
export class EnergyToday {
  #tracks = new Map<string, CounterTrack>();
  #seed: EnergyView['devices'] | null = null;
  #dayStartMs = 0;
  sinceMs: number | null = null;
  source: EnergyCountSource = 'page';

  /** What the controller's stored minutes counted since `dayStartMs` (null: it has none; count from the next event). */
  seed(devices: EnergyView['devices'] | null, dayStartMs: number): void {
    this.#tracks.clear();
    this.#seed = devices && devices.length > 0 ? devices : null;
    this.sinceMs = null;
    this.source = this.#seed ? 'controller' : 'page';
    this.#dayStartMs = dayStartMs;
  }

  observe(event: StreamEvent, gridMeterId?: string | null): void {
    const gridMeter = gridMeterOf(event.image, gridMeterId);
    if (this.#seed) this.#applySeed(this.#seed, gridMeterId ?? gridMeter?.id ?? null);
    if (this.sinceMs === null) this.sinceMs = event.atMs;
    for (const snapshot of Object.values(event.image.devices)) {
      if (!snapshot.fresh || snapshot.reading === null) continue;
      if (snapshot.kind === 'meter' && snapshot.id !== gridMeter?.id) continue;
      const names = counterNames(snapshot.kind);
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

  /** The stored counts become tracks, the grid meter's alone among meters, as live events are counted. */
  #applySeed(devices: EnergyView['devices'], gridMeterId: string | null): void {
    this.#seed = null;
    let sinceMs: number | null = null;
    for (const device of devices) {
      if (device.kind === 'meter' && device.deviceId !== gridMeterId) continue;
      const names = counterNames(device.kind);
      if (!names) continue;
      for (const [point, quantity] of Object.entries(names)) {
        const counted = device.counters[point];
        if (!counted) continue;
        this.#tracks.set(`${device.deviceId}/${point}`, {
          quantity,
          countedWh: counted.risenWh,
          lastWh: counted.lastWh,
        });
        sinceMs = Math.min(sinceMs ?? counted.sinceMs, counted.sinceMs);
      }
    }
    if (sinceMs === null) this.source = 'page';
    else this.sinceMs = Math.max(sinceMs, this.#dayStartMs);
  }

  balance(): EnergyBalance {
    const totals: Record<Quantity, number> = { pvWh: 0, importWh: 0, exportWh: 0, batteryInWh: 0, batteryOutWh: 0 };
    for (const track of this.#tracks.values()) totals[track.quantity] += track.countedWh;
    return balanceOf(totals);
  }
}

function counterNames(kind: DeviceSnapshot['kind']): Record<string, Quantity> | undefined {
  return kind === 'flexible-load' ? undefined : COUNTERS[kind];
}
