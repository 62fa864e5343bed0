import type { DeviceHistoryView, DeviceNature } from './controller-api.ts';
import type { PowerSample } from './plant-powers.ts';

/**
 * The controller's history (/api/history) as the plant's power balance per step, in the same shape as the samples
 * the page takes from the stream: PV, batteries and miners summed by nature, the grid from the grid meter, the site
 * load balancing them (only where the meter has a value, as the controller computes it).
 */
export function historySamples(
  history: DeviceHistoryView,
  natureOf: (deviceId: string) => DeviceNature | undefined,
  gridMeterId: string | null,
): PowerSample[] {
  const steps = new Map<number, PowerSample>();
  const at = (t: number): PowerSample => {
    let sample = steps.get(t);
    if (!sample) {
      sample = { atMs: t, pvW: 0, batteryW: 0, minersW: 0, gridW: null, siteLoadW: null };
      steps.set(t, sample);
    }
    return sample;
  };
  for (const series of history.series) {
    const nature = natureOf(series.deviceId);
    for (const [t, powerW] of series.points) {
      if (!Number.isFinite(powerW)) continue;
      const sample = at(t);
      if (nature === 'pv-inverter') sample.pvW += powerW;
      else if (nature === 'battery') sample.batteryW += powerW;
      else if (nature === 'flexible-load')
        sample.minersW -= powerW; // consumption is negative in the history
      else if (nature === 'meter' && (gridMeterId === null || series.deviceId === gridMeterId)) sample.gridW = powerW;
    }
  }
  const samples = [...steps.values()].sort((a, b) => a.atMs - b.atMs);
  for (const s of samples) s.siteLoadW = s.gridW === null ? null : s.gridW + s.pvW + s.batteryW - s.minersW;
  return samples;
}
