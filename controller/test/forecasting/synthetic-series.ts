import { HOUR_MS, HourlySeries } from '../../src/forecasting/hourly-series.ts';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';

/**
 * A load-like series the forecasters were never tuned on: kW scale, a daily double peak, quieter weekends, a slow
 * seasonal swing, a temperature that drives cooling load, and seeded noise.
 */
export function syntheticLoadSeries(startMs: number, days: number, seed = 7, noise = 0.03): HourlySeries {
  const random = seededRandom(seed);
  const values: number[] = [];
  const temperatureC: number[] = [];
  for (let h = 0; h < days * 24; h++) {
    const t = startMs + h * HOUR_MS;
    const hour = new Date(t).getUTCHours();
    const weekday = new Date(t).getUTCDay();
    const dayIndex = Math.floor(h / 24);
    const temp =
      18 +
      8 * Math.sin((2 * Math.PI * dayIndex) / 60) +
      5 * Math.sin((2 * Math.PI * (hour - 9)) / 24) +
      3 * (random() - 0.5);
    const daily = 1 + 0.35 * Math.exp(-((hour - 8) ** 2) / 4) + 0.5 * Math.exp(-((hour - 19) ** 2) / 6);
    const weekend = weekday === 0 || weekday === 6 ? 0.8 : 1;
    const cooling = 0.04 * Math.max(0, temp - 22);
    values.push(40 * (daily * weekend + cooling) * (1 + noise * (random() - 0.5) * 2));
    temperatureC.push(temp);
  }
  return new HourlySeries({ startMs, values, temperatureC });
}

/** The same synthetic load written as a half-hourly CSV (the hour's value in both halves), with a temperature column. */
export function syntheticLoadCsv(series: HourlySeries, hours: number): string {
  const lines = ['timestamp,load_kw,temp'];
  for (let h = 0; h < hours; h++) {
    const t = series.startMs + h * HOUR_MS;
    for (const half of [0, 1800_000]) {
      lines.push(
        `${new Date(t + half).toISOString()},${series.valueAt(t).toFixed(3)},${series.temperatureAt(t).toFixed(2)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
