import type { ForecastView, PlanningState } from './controller-api.ts';
import type { PowerSample } from './plant-powers.ts';

/**
 * The chart's series, in the order uPlot draws them (after the time axis). A series with `bandOf` is one edge of a
 * forecast's P10..P90 band, drawn thin and filled towards its other edge (BAND_FILLS).
 */
export const CHART_SERIES = [
  { key: 'pvMeasured', label: 'PV measured', color: '#b7791f', dash: null, bandOf: null },
  { key: 'pvForecast', label: 'PV forecast', color: '#b7791f', dash: [6, 4], bandOf: null },
  { key: 'pvP90', label: 'PV forecast P90', color: '#d9b26f', dash: null, bandOf: 'pv' },
  { key: 'pvP10', label: 'PV forecast P10', color: '#d9b26f', dash: null, bandOf: 'pv' },
  { key: 'loadMeasured', label: 'Site load measured', color: '#2f6fb3', dash: null, bandOf: null },
  { key: 'loadForecast', label: 'Site load forecast', color: '#2f6fb3', dash: [6, 4], bandOf: null },
  { key: 'loadP90', label: 'Site load forecast P90', color: '#8fb3da', dash: null, bandOf: 'load' },
  { key: 'loadP10', label: 'Site load forecast P10', color: '#8fb3da', dash: null, bandOf: 'load' },
  { key: 'gridMeasured', label: 'Grid measured (import +)', color: '#4b5866', dash: null, bandOf: null },
  { key: 'gridPlanned', label: 'Grid planned (import +)', color: '#7a3e9d', dash: [2, 3], bandOf: null },
] as const;

/** The P10..P90 fills as uPlot wants them: series indexes (1-based after the time axis), upper edge first. */
export const BAND_FILLS = [
  { series: [indexOf('pvP90'), indexOf('pvP10')] as [number, number], fill: 'rgba(183, 121, 31, 0.14)' },
  { series: [indexOf('loadP90'), indexOf('loadP10')] as [number, number], fill: 'rgba(47, 111, 179, 0.14)' },
];

function indexOf(key: string): number {
  return CHART_SERIES.findIndex((s) => s.key === key) + 1;
}

export type SeriesKey = (typeof CHART_SERIES)[number]['key'];

/** uPlot's aligned data: x in seconds, then one array per series in kW, null where a series has no point. */
export type ChartData = [number[], ...(number | null)[][]];

const HOUR_MS = 3_600_000;

/**
 * The last 24 h against the forecast and the plan. Measured: the controller's history (/api/history, per-device
 * averages) when it has one, else its averages per planning step since it started (/api/forecast), and after either
 * the samples this page has seen since it opened. Forecast: what the plan expected for past steps (/api/forecast) and
 * the plan in force ahead (/api/plan), with its grid power and the forecasts' P10..P90 bands. Step averages sit at the
 * middle of their step; the plan's steps at their start.
 */
export function chartData(input: {
  nowMs: number;
  samples: readonly PowerSample[];
  /** the controller's history, when it offers one (replaces the step averages as the measured series) */
  history?: readonly PowerSample[] | null;
  historyStepMs?: number;
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
  const history = input.history && input.history.length > 0 ? input.history : null;
  for (const step of input.forecast?.steps ?? []) {
    const mid = step.startMs + stepMs / 2;
    if (!history) {
      put(mid, 'pvMeasured', step.pvActualW);
      put(mid, 'loadMeasured', step.loadActualW);
    }
    put(mid, 'pvForecast', step.pvForecastW);
    put(mid, 'loadForecast', step.loadForecastW);
  }
  const historyHalfStep = (input.historyStepMs ?? 300_000) / 2;
  for (const sample of history ?? []) {
    put(sample.atMs + historyHalfStep, 'pvMeasured', sample.pvW);
    put(sample.atMs + historyHalfStep, 'loadMeasured', sample.siteLoadW);
    put(sample.atMs + historyHalfStep, 'gridMeasured', sample.gridW);
  }
  // the history holds completed steps only: the page's own samples carry on from where it ends
  const historyEndMs = history ? history[history.length - 1]!.atMs + 2 * historyHalfStep : -Infinity;
  for (const sample of input.samples) {
    if (sample.atMs < historyEndMs) continue;
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
  // the bands of the forecasts the plan was made from, ahead only like the forecasts above
  const bands = input.planning?.bands;
  if (bands) {
    const edges = [
      [bands.pv, 'pvP10', 'pvP90'],
      [bands.load, 'loadP10', 'loadP90'],
    ] as const;
    for (const [band, low, high] of edges) {
      band?.p10W.forEach((w, i) => {
        const startMs = bands.startMs + i * bands.stepMs;
        if (startMs + bands.stepMs <= input.nowMs) return;
        put(startMs, low, w);
        put(startMs, high, band.p90W[i]);
      });
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
