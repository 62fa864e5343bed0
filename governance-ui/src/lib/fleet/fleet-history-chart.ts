/**
 * The fleet's last day as an SVG line chart's geometry (GET /api/history of the aggregator: completed minutes of
 * [start ms, delivered W, target W or null]): delivered as one line, the target as steps where there was one, and
 * the axes' ends. Pure, so the page draws it without a chart library and the test checks it without a browser.
 */
export type FleetHistoryPoint = [number, number, number | null];

export interface FleetHistoryView {
  stepMs: number;
  points: FleetHistoryPoint[];
}

export interface FleetChartGeometry {
  /** SVG path of the delivered power, a step per minute (so a single minute shows too) */
  delivered: string;
  /** SVG path of the target, one run per span with a target ("M" starts each) */
  target: string;
  /** y of 0 W, when 0 lies inside the range */
  zeroY: number | null;
  minW: number;
  maxW: number;
  fromMs: number;
  toMs: number;
}

export function fleetChartGeometry(view: FleetHistoryView, width: number, height: number): FleetChartGeometry | null {
  const { points, stepMs } = view;
  if (points.length === 0) return null;
  const fromMs = points[0]![0];
  const toMs = points.at(-1)![0] + stepMs;
  const values = points.flatMap(([, delivered, target]) => (target === null ? [delivered] : [delivered, target]));
  const minW = Math.min(0, ...values);
  let maxW = Math.max(0, ...values);
  if (maxW - minW < 1_000) maxW = minW + 1_000; // a flat fleet still gets a readable scale
  // 5 % of headroom above and below, so a line at the scale's end is not drawn on the frame
  const pad = (maxW - minW) * 0.05;
  const x = (t: number) => ((t - fromMs) / (toMs - fromMs)) * width;
  const y = (w: number) => height - ((w - minW + pad) / (maxW - minW + 2 * pad)) * height;
  const r = (v: number) => Math.round(v * 10) / 10;
  const delivered = points
    .map(([t, w], i) => `${i === 0 ? 'M' : 'L'}${r(x(t))},${r(y(w))} L${r(x(t + stepMs))},${r(y(w))}`)
    .join(' ');
  let target = '';
  let previous: number | null = null;
  for (const [t, , w] of points) {
    if (w !== null) target += `${previous === null ? 'M' : 'L'}${r(x(t))},${r(y(w))} L${r(x(t + stepMs))},${r(y(w))} `;
    previous = w;
  }
  return {
    delivered,
    target: target.trim(),
    zeroY: minW < 0 && maxW > 0 ? r(y(0)) : null,
    minW,
    maxW,
    fromMs,
    toMs,
  };
}
