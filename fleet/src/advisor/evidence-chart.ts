import type { ZoneEvidence } from './zone-evidence.ts';

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A bar chart of the evidence per zone (forecast deficit, unshaved peaks, curtailed surplus, kWh) as standalone SVG,
 * so a member reviewing the draft sees at a glance which zone the figures point at.
 */
export function renderEvidenceChart(zones: readonly ZoneEvidence[]): string {
  const series = [
    { key: 'forecastDeficitWh', label: 'forecast deficit', colour: '#c0392b' },
    { key: 'peakShortfallWh', label: 'over limit at peaks', colour: '#e67e22' },
    { key: 'curtailedSurplusWh', label: 'curtailed surplus', colour: '#2980b9' },
  ] as const;
  const barW = 16;
  const groupW = series.length * barW + 24;
  const height = 220;
  const top = 30;
  const bottom = 40;
  const left = 60;
  const width = Math.max(320, left + zones.length * groupW + 20);
  const max = Math.max(1, ...zones.flatMap((zone) => series.map((s) => zone[s.key])));
  const scale = (wh: number) => ((height - top - bottom) * wh) / max;
  const bars = zones.flatMap((zone, z) =>
    series.map((s, k) => {
      const h = scale(zone[s.key]);
      const x = left + z * groupW + k * barW;
      return `<rect x="${x}" y="${(height - bottom - h).toFixed(1)}" width="${barW - 2}" height="${h.toFixed(1)}" fill="${s.colour}"><title>${escape(zone.zone)} ${s.label}: ${(zone[s.key] / 1000).toFixed(2)} kWh</title></rect>`;
    }),
  );
  const labels = zones.map(
    (zone, z) =>
      `<text x="${left + z * groupW + (series.length * barW) / 2}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${escape(zone.zone)}</text>`,
  );
  const legend = series.map(
    (s, k) =>
      `<rect x="${left + k * 130}" y="8" width="10" height="10" fill="${s.colour}"/><text x="${left + k * 130 + 14}" y="17" font-size="11">${s.label}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Evidence per zone, kWh">`,
    `<text x="4" y="${top + 10}" font-size="11">${(max / 1000).toFixed(1)} kWh</text>`,
    `<line x1="${left - 4}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#333"/>`,
    ...legend,
    ...bars,
    ...labels,
    '</svg>',
  ].join('\n');
}
