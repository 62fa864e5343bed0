/**
 * A forecast-versus-actual chart as a standalone SVG (no plotting library): the actual series, one line per
 * forecaster and an optional shaded P10..P90 band, with time and value axes.
 */
export interface PlotLine {
  name: string;
  values: readonly number[];
  color: string;
  dashed?: boolean;
}

export interface ForecastPlot {
  title: string;
  unit: string;
  /** Start of each point (epoch ms); labels use `timeZoneLabel` only as text. */
  timesMs: readonly number[];
  lines: readonly PlotLine[];
  band?: { name: string; low: readonly number[]; high: readonly number[] };
  /** Formats a tick label for a time; defaults to UTC date. */
  formatTime?: (ms: number) => string;
}

const WIDTH = 1000;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 60 };

export function forecastPlotSvg(plot: ForecastPlot): string {
  const all = [
    ...plot.lines.flatMap((l) => l.values),
    ...(plot.band ? [...plot.band.low, ...plot.band.high] : []),
  ].filter(Number.isFinite);
  const min = Math.min(...all);
  const max = Math.max(...all);
  const pad = (max - min) * 0.05 || 1;
  const [lo, hi] = [min - pad, max + pad];
  const n = plot.timesMs.length;
  const x = (i: number) => MARGIN.left + (i / Math.max(1, n - 1)) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (v: number) => HEIGHT - MARGIN.bottom - ((v - lo) / (hi - lo)) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const path = (values: readonly number[]) => {
    let d = '';
    let pen = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const format = plot.formatTime ?? ((ms: number) => new Date(ms).toISOString().slice(0, 10));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(plot.title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(plot.title)}</text>`,
  ];
  if (plot.band) {
    const upper = plot.band.high.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const lower = plot.band.low.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).reverse();
    parts.push(
      `<polygon points="${[...upper, ...lower].join(' ')}" fill="#4a90d9" fill-opacity="0.2" stroke="none"><title>${escapeXml(plot.band.name)}</title></polygon>`,
    );
  }
  for (let tick = 0; tick <= 5; tick++) {
    const v = lo + ((hi - lo) * tick) / 5;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatNumber(v)}</text>`,
    );
  }
  const everyPoints = Math.max(1, Math.round(n / 7));
  for (let i = 0; i < n; i += everyPoints) {
    parts.push(
      `<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#eee"/>`,
      `<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeXml(format(plot.timesMs[i] as number))}</text>`,
    );
  }
  parts.push(
    `<text x="16" y="${HEIGHT / 2}" transform="rotate(-90 16 ${HEIGHT / 2})" text-anchor="middle">${escapeXml(plot.unit)}</text>`,
  );
  for (const line of plot.lines) {
    parts.push(
      `<path d="${path(line.values)}" fill="none" stroke="${line.color}" stroke-width="1.6"${line.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${escapeXml(line.name)}</title></path>`,
    );
  }
  const legend = [
    ...plot.lines.map((l) => ({ name: l.name, color: l.color, band: false })),
    ...(plot.band ? [{ name: plot.band.name, color: '#4a90d9', band: true }] : []),
  ];
  legend.forEach((entry, i) => {
    const lx = MARGIN.left + i * 190;
    const ly = HEIGHT - 18;
    parts.push(
      entry.band
        ? `<rect x="${lx}" y="${ly - 8}" width="24" height="10" fill="${entry.color}" fill-opacity="0.2"/>`
        : `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 3}" y2="${ly - 3}" stroke="${entry.color}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${ly + 1}">${escapeXml(entry.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function formatNumber(v: number): string {
  const magnitude = Math.abs(v);
  return magnitude >= 100 ? v.toFixed(0) : magnitude >= 1 ? v.toFixed(1) : v.toFixed(3);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
