import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HOUR_MS, HourlySeries } from './hourly-series.ts';

/**
 * Reads any CSV of (time, value[, temperature][, holiday]) into an hourly series. Rows are bucketed by UTC hour and
 * averaged, so half-hourly (or 5-min) data becomes hourly means; hours without rows stay unknown (NaN).
 * Empty cells and NA are "unknown"; anything else that is not a number or a time is an error naming the line.
 */
export interface CsvColumns {
  /** Column names; defaults: the first column; the first numeric column that is not a time, period, temperature or holiday; a column starting with "temp"; a column containing "holiday". */
  time?: string;
  value?: string;
  temperature?: string | null;
  holiday?: string | null;
}

export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`);
  }
}

export interface LoadedCsv {
  series: HourlySeries;
  columns: { time: string; value: string; temperature: string | null; holiday: string | null };
  rows: number;
  /** Median spacing of the input rows, before aggregation to hours. */
  inputStepMs: number;
}

export function readCsvFile(path: string, columns: CsvColumns = {}): LoadedCsv {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new CsvError(path, `cannot read: ${(cause as Error).message}`);
  }
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  let text: string;
  try {
    text = (isGzip ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (cause) {
    throw new CsvError(path, `not valid gzip: ${(cause as Error).message}`);
  }
  return parseCsvSeries(text, columns, path);
}

export function parseCsvSeries(text: string, columns: CsvColumns = {}, file = 'csv'): LoadedCsv {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  if (header.length < 2) throw new CsvError(file, 'needs a header with at least a time and a value column', 1);
  const first = splitCsvLine(lines[1] ?? '');
  const pick = (
    name: string | null | undefined,
    fallback: () => string | undefined,
    what: string,
    required: boolean,
  ): string | null => {
    if (name === null) return null;
    const chosen = name ?? fallback();
    if (chosen === undefined) {
      if (required)
        throw new CsvError(
          file,
          `no ${what} column found; name it with --${what}-col (columns: ${header.join(', ')})`,
          1,
        );
      return null;
    }
    if (!header.includes(chosen))
      throw new CsvError(file, `no column "${chosen}" for the ${what} (columns: ${header.join(', ')})`, 1);
    return chosen;
  };
  const timeCol = pick(columns.time, () => header[0], 'time', true) as string;
  const valueCol = pick(
    columns.value,
    () =>
      header.find(
        (name, i) =>
          name !== timeCol && !/time|date|period|hour|temp|holiday|^id$|index/i.test(name) && isNumber(first[i] ?? ''),
      ),
    'value',
    true,
  ) as string;
  const tempCol = pick(columns.temperature, () => header.find((name) => /^temp/i.test(name)), 'temp', false);
  const holidayCol = pick(columns.holiday, () => header.find((name) => /holiday/i.test(name)), 'holiday', false);
  const index = (name: string | null) => (name === null ? -1 : header.indexOf(name));
  const [ti, vi, tci, hi] = [index(timeCol), index(valueCol), index(tempCol), index(holidayCol)];

  const buckets = new Map<number, { value: number; valueN: number; temp: number; tempN: number; holiday: boolean }>();
  const times: number[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    const timeMs = parseTime(cells[ti] ?? '');
    if (Number.isNaN(timeMs)) throw new CsvError(file, `"${cells[ti] ?? ''}" in ${timeCol} is not a time`, n + 1);
    const value = parseNumber(cells[vi] ?? '');
    if (value === undefined) throw new CsvError(file, `"${cells[vi]}" in ${valueCol} is not a number`, n + 1);
    const temp = tci < 0 ? Number.NaN : parseNumber(cells[tci] ?? '');
    if (temp === undefined) throw new CsvError(file, `"${cells[tci]}" in ${tempCol} is not a number`, n + 1);
    const holiday = hi < 0 ? false : parseFlag(cells[hi] ?? '');
    if (holiday === undefined) throw new CsvError(file, `"${cells[hi]}" in ${holidayCol} is not TRUE/FALSE/1/0`, n + 1);
    times.push(timeMs);
    const hour = Math.floor(timeMs / HOUR_MS);
    const bucket = buckets.get(hour) ?? { value: 0, valueN: 0, temp: 0, tempN: 0, holiday: false };
    if (Number.isFinite(value)) {
      bucket.value += value;
      bucket.valueN += 1;
    }
    if (Number.isFinite(temp)) {
      bucket.temp += temp;
      bucket.tempN += 1;
    }
    bucket.holiday ||= holiday;
    buckets.set(hour, bucket);
  }
  if (buckets.size === 0) throw new CsvError(file, 'has no data rows');
  const hours = [...buckets.keys()];
  const firstHour = Math.min(...hours);
  const length = Math.max(...hours) - firstHour + 1;
  const values = new Array<number>(length).fill(Number.NaN);
  const temperatures = new Array<number>(length).fill(Number.NaN);
  const holidays = new Array<boolean>(length).fill(false);
  for (const [hour, b] of buckets) {
    const i = hour - firstHour;
    values[i] = b.valueN ? b.value / b.valueN : Number.NaN;
    temperatures[i] = b.tempN ? b.temp / b.tempN : Number.NaN;
    holidays[i] = b.holiday;
  }
  times.sort((a, b) => a - b);
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  return {
    series: new HourlySeries({
      startMs: firstHour * HOUR_MS,
      values,
      temperatureC: tempCol === null ? null : temperatures,
      holiday: holidayCol === null ? null : holidays,
    }),
    columns: { time: timeCol, value: valueCol, temperature: tempCol, holiday: holidayCol },
    rows: times.length,
    inputStepMs: gaps[Math.floor(gaps.length / 2)] ?? HOUR_MS,
  };
}

/** Splits one CSV line, honouring double quotes (RFC 4180; a quote inside quotes is doubled). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((s) => s.trim());
}

/** ISO 8601 with or without offset (no offset means UTC, whatever the machine's zone), or epoch ms. */
function parseTime(text: string): number {
  if (/^\d{12,}$/.test(text)) return Number(text);
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/.test(text);
  const iso = text.includes('T') || text.length <= 10 ? text : text.replace(' ', 'T');
  const normalised = hasZone
    ? iso.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')
    : `${iso.length <= 10 ? `${iso}T00:00:00` : iso}Z`;
  return Date.parse(normalised);
}

/** A number, NaN for "unknown" (empty, NA, NaN), undefined for anything else. */
function parseNumber(text: string): number | undefined {
  if (text === '' || /^(na|nan|null)$/i.test(text)) return Number.NaN;
  return isNumber(text) ? Number(text) : undefined;
}

function isNumber(text: string): boolean {
  return text !== '' && Number.isFinite(Number(text));
}

function parseFlag(text: string): boolean | undefined {
  if (/^(true|t|1|yes)$/i.test(text)) return true;
  if (/^(false|f|0|no|)$/i.test(text)) return false;
  return undefined;
}
