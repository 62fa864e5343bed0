import type { DeviceSnapshot } from '../cycle/process-image.ts';

/** A node's lifetime energy counters at one moment, as its device reported them. */
export interface CounterSample {
  atMs: number;
  /** Energy the node took in (battery charge, miner consumption). */
  counterInWh: number;
  /** Energy the node gave out (PV production, battery discharge). */
  counterOutWh: number;
}

/**
 * The counters of a device snapshot, or null when this cycle has none worth metering (stale, unknown values).
 * Only counters are metered, never integrated power: counters survive a controller crash, integrals do not.
 */
export function countersOf(snapshot: Readonly<DeviceSnapshot>): CounterSample | null {
  if (!snapshot.fresh || snapshot.reading === null || snapshot.readAtMs === null) return null;
  const atMs = snapshot.readAtMs;
  switch (snapshot.kind) {
    case 'pv-inverter': {
      const out = snapshot.reading.energyWh;
      return out === null ? null : { atMs, counterInWh: 0, counterOutWh: out };
    }
    case 'battery': {
      const { energyInWh, energyOutWh } = snapshot.reading;
      return energyInWh === null || energyOutWh === null
        ? null
        : { atMs, counterInWh: energyInWh, counterOutWh: energyOutWh };
    }
    case 'flexible-load': {
      const consumed = snapshot.reading.energyWh;
      return consumed === null ? null : { atMs, counterInWh: consumed, counterOutWh: 0 };
    }
    case 'meter':
      return null; // the connection point is the plant's balance, not a node of the registry
  }
}
