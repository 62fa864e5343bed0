import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HOUR_MS, HourlySeries, SUPPORTED_STEPS_MS } from './hourly-series.ts';
import { LocalCalendar, validWallTime } from './local-calendar.ts';

/**
 * Reads any CSV of (time, value[, temperature][, holiday]) into a regular series at the data's own resolution:
 * 15-min, half-hourly and hourly rows stay as they are (finer rows are averaged into 15-min steps; see
 * `stepMinutes` to aggregate further). Steps without rows stay unknown (NaN).
 * Empty cells and NA are "unknown"; anything else that is not a number or a real calendar time is an error naming
 * the line. Nothing is merged silently: rows of the same instant with the same value are dropped and counted, with
 * different values they are an error unless `duplicates` says how to merge them; every such handling is in `notes`.
 */
export interface CsvColumns {
  /** Column names; defaults: the first column; the first numeric column that is not a time, period, temperature or holiday; a column starting with "temp"; a column containing "holiday". */
  time?: string;
  value?: string;
  temperature?: string | null;
  holiday?: string | null;
}

export interface CsvReadOptions {
  /**
   * Times without an offset are local wall-clock times in this zone (DST duplicates and gaps handled, see
   * `localToUtc`); without it they are UTC.
   */
  localTimeZone?: string;
  /** How to merge rows of the same instant with different values; default: refuse the file. */
  duplicates?: 'error' | 'first' | 'last' | 'mean';
  /** Aggregate to this resolution (15, 30 or 60 min); default: the data's own. */
  stepMinutes?: number;
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
  /** Median spacing of the input rows, before any aggregation. */
  inputStepMs: number;
  /** What was done to the data on the way in (duplicates, DST, negative values), one line each, for the output. */
  notes: string[];
  /** The lowest value and its time: a negative load is net load behind a meter, the caller decides what that means. */
  negative: { count: number; lowest: number; atMs: number } | null;
}

export function readCsvFile(path: string, columns: CsvColumns = {}, options: CsvReadOptions = {}): LoadedCsv {
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
  return parseCsvSeries(text, columns, path, options);
}

interface Row {
  line: number;
  timeMs: number;
  value: number;
  temp: number;
  holiday: boolean;
}

export function parseCsvSeries(
  text: string,
  columns: CsvColumns = {},
  file = 'csv',
  options: CsvReadOptions = {},
): LoadedCsv {
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
  const notes: string[] = [];
  const local = options.localTimeZone ? new LocalWallClock(options.localTimeZone) : null;

  const rows: Row[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    const timeText = cells[ti] ?? '';
    const parsed = parseTime(timeText);
    if (!parsed) throw new CsvError(file, `"${timeText}" in ${timeCol} is not a time`, n + 1);
    let timeMs = parsed.ms;
    if (!parsed.hasZone && local) {
      const utc = local.toUtc(parsed.ms);
      if (utc === null) {
        local.nonexistent.push(n + 1);
        continue;
      }
      timeMs = utc;
    }
    const value = parseNumber(cells[vi] ?? '');
    if (value === undefined) throw new CsvError(file, `"${cells[vi]}" in ${valueCol} is not a number`, n + 1);
    const temp = tci < 0 ? Number.NaN : parseNumber(cells[tci] ?? '');
    if (temp === undefined) throw new CsvError(file, `"${cells[tci]}" in ${tempCol} is not a number`, n + 1);
    const holiday = hi < 0 ? false : parseFlag(cells[hi] ?? '');
    if (holiday === undefined) throw new CsvError(file, `"${cells[hi]}" in ${holidayCol} is not TRUE/FALSE/1/0`, n + 1);
    rows.push({ line: n + 1, timeMs, value, temp, holiday });
  }
  if (rows.length === 0) throw new CsvError(file, 'has no data rows');
  if (local) notes.push(...local.report());

  // Same instant twice: identical rows are harmless, different values are a question only the user can answer.
  const byTime = new Map<number, Row>();
  let identical = 0;
  let merged = 0;
  const mergeCounts = new Map<number, number>();
  for (const row of rows) {
    const seen = byTime.get(row.timeMs);
    if (!seen) {
      byTime.set(row.timeMs, row);
      continue;
    }
    if (seen.value === row.value || (Number.isNaN(seen.value) && Number.isNaN(row.value))) {
      identical += 1;
      continue;
    }
    const policy = options.duplicates ?? 'error';
    if (policy === 'error') {
      throw new CsvError(
        file,
        `${new Date(row.timeMs).toISOString()} appears twice with different values (${seen.value} on line ${seen.line}, ${row.value} here); fix the file or choose --duplicates first|last|mean`,
        row.line,
      );
    }
    merged += 1;
    if (policy === 'last') byTime.set(row.timeMs, row);
    else if (policy === 'mean') {
      const k = mergeCounts.get(row.timeMs) ?? 1;
      byTime.set(row.timeMs, { ...seen, value: (seen.value * k + row.value) / (k + 1) });
      mergeCounts.set(row.timeMs, k + 1);
    }
  }
  if (identical) notes.push(`${identical} repeated row(s) with the same time and value dropped`);
  if (merged)
    notes.push(
      `${merged} row(s) of an instant already seen with another value merged (--duplicates ${options.duplicates})`,
    );

  const times = [...byTime.keys()].sort((a, b) => a - b);
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  const inputStepMs = gaps[Math.floor(gaps.length / 2)] ?? HOUR_MS;
  const stepMs = chooseStep(inputStepMs, options.stepMinutes, file);

  const buckets = new Map<number, { value: number; valueN: number; temp: number; tempN: number; holiday: boolean }>();
  let negative: LoadedCsv['negative'] = null;
  for (const row of byTime.values()) {
    if (row.value < 0) {
      if (!negative) negative = { count: 0, lowest: row.value, atMs: row.timeMs };
      negative.count += 1;
      if (row.value < negative.lowest) Object.assign(negative, { lowest: row.value, atMs: row.timeMs });
    }
    const step = Math.floor(row.timeMs / stepMs);
    const bucket = buckets.get(step) ?? { value: 0, valueN: 0, temp: 0, tempN: 0, holiday: false };
    if (Number.isFinite(row.value)) {
      bucket.value += row.value;
      bucket.valueN += 1;
    }
    if (Number.isFinite(row.temp)) {
      bucket.temp += row.temp;
      bucket.tempN += 1;
    }
    bucket.holiday ||= row.holiday;
    buckets.set(step, bucket);
  }
  const keys = [...buckets.keys()];
  const firstStep = Math.min(...keys);
  const length = Math.max(...keys) - firstStep + 1;
  const values = new Array<number>(length).fill(Number.NaN);
  const temperatures = new Array<number>(length).fill(Number.NaN);
  const holidays = new Array<boolean>(length).fill(false);
  for (const [step, b] of buckets) {
    const i = step - firstStep;
    values[i] = b.valueN ? b.value / b.valueN : Number.NaN;
    temperatures[i] = b.tempN ? b.temp / b.tempN : Number.NaN;
    holidays[i] = b.holiday;
  }
  return {
    series: new HourlySeries({
      startMs: firstStep * stepMs,
      stepMs,
      values,
      temperatureC: tempCol === null ? null : temperatures,
      holiday: holidayCol === null ? null : holidays,
    }),
    columns: { time: timeCol, value: valueCol, temperature: tempCol, holiday: holidayCol },
    rows: rows.length,
    inputStepMs,
    notes,
    negative,
  };
}

/** The data's own resolution when it is 15, 30 or 60 min; finer data is averaged up to the next supported step. */
function chooseStep(inputStepMs: number, stepMinutes: number | undefined, file: string): number {
  const native = SUPPORTED_STEPS_MS.find((s) => s >= inputStepMs);
  if (native === undefined) {
    throw new CsvError(
      file,
      `rows are ${Math.round(inputStepMs / 60_000)} min apart; day-ahead forecasting needs hourly or finer data`,
    );
  }
  if (stepMinutes === undefined) return native;
  const wanted = stepMinutes * 60_000;
  if (!SUPPORTED_STEPS_MS.includes(wanted))
    throw new CsvError(file, `--step-min must be 15, 30 or 60, not ${stepMinutes}`);
  if (wanted < native) {
    throw new CsvError(file, `cannot forecast at ${stepMinutes} min: the data is ${native / 60_000}-min`);
  }
  return wanted;
}

/**
 * Local wall-clock times to UTC in a zone with DST. In the autumn hour that happens twice, the first row of a wall
 * time is taken as the earlier instant (summer time) and a second row of the same wall time as the later one
 * (standard time), which is the order any meter writes them in. In the spring hour that does not exist, a row can
 * only be a mistake: it is dropped and reported with its line.
 */
class LocalWallClock {
  private readonly calendar: LocalCalendar;
  private readonly seenAmbiguous = new Set<number>();
  readonly nonexistent: number[] = [];
  private ambiguous = 0;

  constructor(timeZone: string) {
    this.calendar = new LocalCalendar(timeZone);
  }

  toUtc(wallMs: number): number | null {
    const offsets = new Set([
      this.calendar.offsetMs(wallMs - 86_400_000),
      this.calendar.offsetMs(wallMs + 86_400_000),
      this.calendar.offsetMs(wallMs),
    ]);
    const candidates = [...offsets]
      .map((offset) => wallMs - offset)
      .filter((utc) => this.calendar.offsetMs(utc) === wallMs - utc)
      .sort((a, b) => a - b);
    if (candidates.length === 0) return null;
    if (candidates.length === 1) return candidates[0] as number;
    this.ambiguous += 1;
    if (this.seenAmbiguous.has(wallMs)) return candidates[candidates.length - 1] as number;
    this.seenAmbiguous.add(wallMs);
    return candidates[0] as number;
  }

  report(): string[] {
    const notes: string[] = [];
    if (this.ambiguous) {
      notes.push(
        `DST: ${this.ambiguous} row(s) in the repeated autumn hour(s) of ${this.calendar.timeZone}: the first of each wall time taken as summer time, the second as standard time`,
      );
    }
    if (this.nonexistent.length) {
      notes.push(
        `DST: ${this.nonexistent.length} row(s) at wall times that do not exist in ${this.calendar.timeZone} (the spring-forward hour) dropped: lines ${this.nonexistent.slice(0, 5).join(', ')}${this.nonexistent.length > 5 ? ', ...' : ''}`,
      );
    }
    return notes;
  }
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

/**
 * ISO 8601 with or without offset (no offset: UTC, or local wall-clock time when the caller says so), a date alone,
 * or epoch ms. A date that does not exist (2000-13-45, 2021-02-29) is not a time: nothing rolls over.
 * `ms` is the instant for a time with an offset, else the wall-clock time read as if it were UTC.
 */
function parseTime(text: string): { ms: number; hasZone: boolean } | null {
  if (/^\d{12,}$/.test(text)) return { ms: Number(text), hasZone: true };
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', se = '0', frac = '0', zone] = match;
  const wall = validWallTime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(se));
  if (wall === null) return null;
  const ms = wall + Number(frac.padEnd(3, '0'));
  if (!zone) return { ms, hasZone: false };
  if (zone === 'Z') return { ms, hasZone: true };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  if (offsetMin > 18 * 60) return null;
  return { ms: ms - sign * offsetMin * 60_000, hasZone: true };
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
