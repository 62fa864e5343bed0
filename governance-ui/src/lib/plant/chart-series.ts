import type { ForecastView, PlanningState } from './controller-api.ts';
import type { PowerSample } from './plant-stream.svelte.ts';

/** The chart's series, in the order uPlot draws them (after the time axis). */
export const CHART_SERIES = [
  { key: 'pvMeasured', label: 'PV measured', color: '#b7791f', dash: null },
  { key: 'pvForecast', label: 'PV forecast', color: '#b7791f', dash: [6, 4] },
  { key: 'loadMeasured', label: 'Site load measured', color: '#2f6fb3', dash: null },
  { key: 'loadForecast', label: 'Site load forecast', color: '#2f6fb3', dash: [6, 4] },
  { key: 'gridMeasured', label: 'Grid measured (import +)', color: '#4b5866', dash: null },
  { key: 'gridPlanned', label: 'Grid planned (import +)', color: '#7a3e9d', dash: [2, 3] },
] as const;

export type SeriesKey = (typeof CHART_SERIES)[number]['key'];

/** uPlot's aligned data: x in seconds, then one array per series in kW, null where a series has no point. */
export type ChartData = [number[], ...(number | null)[][]];

const HOUR_MS = 3_600_000;

/**
 * The last 24 h against the forecast and the plan, from what the page has: the controller's measured averages per
 * planning step since it started with what the plan expected for them (/api/forecast), the samples this page has
 * seen since it opened (the only source of the measured grid power), and the plan in force ahead (/api/plan).
 * Averages sit at the middle of their step; the plan's steps at their start.
 */
export function chartData(input: {
  nowMs: number;
  samples: readonly PowerSample[];
  forecast: ForecastView | null | undefined;
  planning: PlanningState | null | undefined;
}): ChartData {
  const fromMs = input.nowMs - 24 * HOUR_MS;
  const points = new Map<number, Partial<Record<SeriesKey, number>>>();
  const put = (atMs: number, key: SeriesKey, w: number | null | undefined): void => {
    if (w === null || w === undefined || !Number.isFinite(w) || atMs < fromMs) return;
    const x = Math.round(atMs / 1000);
    const row = points.get(x) ?? {};
    row[key] = w / 1000;
    points.set(x, row);
  };
  const stepMs = input.planning?.plan?.stepMs ?? 15 * 60_000;
  for (const step of input.forecast?.steps ?? []) {
    const mid = step.startMs + stepMs / 2;
    put(mid, 'pvMeasured', step.pvActualW);
    put(mid, 'loadMeasured', step.loadActualW);
    put(mid, 'pvForecast', step.pvForecastW);
    put(mid, 'loadForecast', step.loadForecastW);
  }
  for (const sample of input.samples) {
    put(sample.atMs, 'pvMeasured', sample.pvW);
    put(sample.atMs, 'loadMeasured', sample.siteLoadW);
    put(sample.atMs, 'gridMeasured', sample.gridW);
  }
  for (const step of input.planning?.plan?.steps ?? []) {
    put(step.startMs, 'gridPlanned', step.gridW);
    if (step.startMs + stepMs > input.nowMs) {
      put(step.startMs, 'pvForecast', step.pvForecastW);
      put(step.startMs, 'loadForecast', step.loadForecastW);
    }
  }
  const xs = [...points.keys()].sort((a, b) => a - b);
  const series = CHART_SERIES.map(({ key }) => xs.map((x) => points.get(x)?.[key] ?? null));
  return [xs, ...series];
}

/** How many points each series has: the chart's text summary and the tests read it. */
export function pointCounts(data: ChartData): Record<SeriesKey, number> {
  const counts = {} as Record<SeriesKey, number>;
  CHART_SERIES.forEach(({ key }, i) => {
    counts[key] = (data[i + 1] ?? []).filter((v) => v !== null).length;
  });
  return counts;
}
