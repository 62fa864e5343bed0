/** PromQL words that look like names but are not metrics (functions are recognised by their parenthesis). */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: what is left after strings, label matchers, ranges, grouping clauses,
 * durations, numbers and function calls are taken out. Enough for dashboard expressions, not a PromQL parser.
 */
export function metricNamesOf(expression: string): string[] {
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(?<![\w:])(?:\d+(?:ms|s|m|h|d|w|y))+(?![\w:])/g, ' ') // durations: offset 5m, @ 1h30m
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[A-Za-z_:][\w:]*(?!\s*\(|[\w:])/g)) {
    if (!KEYWORDS.has(match[0].toLowerCase())) names.add(match[0]);
  }
  return [...names];
}

/** The names of the samples in a Prometheus text exposition (histograms give their _bucket, _sum and _count). */
export function sampleNamesOf(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    names.add(/^[A-Za-z_:][\w:]*/.exec(line)![0]);
  }
  return names;
}
