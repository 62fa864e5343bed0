import Database from 'better-sqlite3';
import type { ProcessImage } from '../cycle/process-image.ts';
import type {
  BatteryReading,
  FlexibleLoadReading,
  MeterReading,
  NatureKind,
  PvInverterReading,
} from '../natures/index.ts';
import { counterEnergy, countersOf, type DeviceEnergy } from './energy-counters.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A history answer never holds more points than this per device: ask for a coarser step or a shorter span. */
export const MAX_POINTS_PER_SERIES = 10_000;

/** One device's series: [time ms (bucket start), average power W, average SoC % or null]. */
export interface HistorySeries {
  deviceId: string;
  points: Array<[number, number, number | null]>;
}

/** The longest span an energy query adds up: the history keeps little more. */
export const MAX_ENERGY_SPAN_DAYS = 31;

/** A history query that cannot be answered as asked; nothing is read. */
export class HistoryQueryError extends Error {
  override readonly name = 'HistoryQueryError';
  constructor(
    message: string,
    readonly field: 'from' | 'to' | 'step',
  ) {
    super(message);
  }
}

/** What a device did in one minute, summed over the cycles that read it, and its counters' last values. */
interface MinuteSum {
  kind: NatureKind;
  powerSumW: number;
  socSum: number;
  socSamples: number;
  samples: number;
  counters: Map<string, number>;
}

/**
 * Power in the API's one convention: generation positive at the device (PV output, battery discharge; a miner's
 * consumption negative), and for the grid meter the connection point's power, import positive.
 */
function powerOf(kind: string, reading: unknown): number | null {
  if (kind === 'flexible-load') {
    const w = (reading as FlexibleLoadReading).powerW;
    return w === null ? null : -w;
  }
  return (reading as PvInverterReading | BatteryReading | MeterReading).powerW;
}

/** A span [fromMs, toMs) of epoch milliseconds, as both history queries take it; a HistoryQueryError names the end. */
function checkSpan(fromMs: number, toMs: number): void {
  if (!Number.isSafeInteger(fromMs) || fromMs < 0) throw new HistoryQueryError('from: epoch milliseconds', 'from');
  if (!Number.isSafeInteger(toMs) || toMs <= fromMs)
    throw new HistoryQueryError('to: epoch milliseconds after from', 'to');
}

/**
 * The controller's own time series: per device and minute, the average measured power and state of charge, and the
 * last value of each lifetime energy counter, in SQLite (a file, or memory when no path is configured), kept
 * `retentionDays` (at least 7) and pruned hourly. Each cycle's fresh readings are summed in memory; a finished minute
 * is written in one transaction, so a crash loses at most the minute in progress. Served as `/api/history` and, from
 * the counters, `/api/energy` (what the UI's "today's energy" counts from, as Home Assistant's energy dashboard counts
 * the day from its stored meter statistics rather than from when the page opened).
 */
export class DeviceHistory {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly select: Database.Statement;
  private readonly insertCounter: Database.Statement;
  private readonly pruneCounters: Database.Statement;
  private readonly selectCounters: Database.Statement;
  private minuteStartMs: number | null = null;
  private sums = new Map<string, MinuteSum>();
  private lastPruneMs = 0;

  constructor(
    path: string | null,
    private readonly retentionDays = 8,
  ) {
    if (!(retentionDays >= 7)) throw new RangeError(`history retention of ${retentionDays} days: at least 7`);
    this.db = new Database(path ?? ':memory:');
    if (path) this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS device_minutes (
      device_id TEXT NOT NULL,
      minute_start_ms INTEGER NOT NULL,
      power_w REAL NOT NULL,
      soc_pct REAL,
      PRIMARY KEY (device_id, minute_start_ms)
    ) WITHOUT ROWID`);
    // one row per counter and minute: the counter's last value in that minute (files from before it keep an unused
    // energy_wh column in device_minutes, which held one counter per device)
    this.db.exec(`CREATE TABLE IF NOT EXISTS counter_minutes (
      device_id TEXT NOT NULL,
      point TEXT NOT NULL,
      minute_start_ms INTEGER NOT NULL,
      kind TEXT NOT NULL,
      value_wh REAL NOT NULL,
      PRIMARY KEY (device_id, point, minute_start_ms)
    ) WITHOUT ROWID`);
    this.insert = this.db.prepare(
      `INSERT INTO device_minutes (device_id, minute_start_ms, power_w, soc_pct) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id, minute_start_ms) DO UPDATE SET power_w = excluded.power_w, soc_pct = excluded.soc_pct`,
    );
    this.insertCounter = this.db.prepare(
      `INSERT INTO counter_minutes (device_id, point, minute_start_ms, kind, value_wh) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id, point, minute_start_ms) DO UPDATE SET kind = excluded.kind, value_wh = excluded.value_wh`,
    );
    this.pruneCounters = this.db.prepare('DELETE FROM counter_minutes WHERE minute_start_ms < ?');
    this.selectCounters = this.db.prepare(
      `SELECT device_id AS deviceId, point, kind, minute_start_ms AS minuteStartMs, value_wh AS valueWh
       FROM counter_minutes WHERE minute_start_ms >= @from AND minute_start_ms < @to
       ORDER BY device_id, point, minute_start_ms`,
    );
    this.prune = this.db.prepare('DELETE FROM device_minutes WHERE minute_start_ms < ?');
    this.select = this.db.prepare(
      `SELECT device_id AS deviceId, (minute_start_ms / CAST(@step AS INTEGER)) * CAST(@step AS INTEGER) AS bucket, AVG(power_w) AS powerW,
              AVG(soc_pct) AS socPct
       FROM device_minutes WHERE minute_start_ms >= @from AND minute_start_ms < @to
       GROUP BY device_id, bucket ORDER BY device_id, bucket`,
    );
  }

  /** Adds one cycle's fresh readings; writes the previous minute when a new one begins. */
  observe(image: ProcessImage): void {
    const minuteStartMs = Math.floor(image.atMs / MINUTE_MS) * MINUTE_MS;
    if (this.minuteStartMs !== null && minuteStartMs !== this.minuteStartMs) this.flush();
    this.minuteStartMs = minuteStartMs;
    for (const snapshot of Object.values(image.devices)) {
      if (!snapshot.fresh || !snapshot.reading) continue;
      const sum = this.sums.get(snapshot.id) ?? {
        kind: snapshot.kind,
        powerSumW: 0,
        socSum: 0,
        socSamples: 0,
        samples: 0,
        counters: new Map<string, number>(),
      };
      this.sums.set(snapshot.id, sum);
      for (const { point, valueWh } of countersOf(snapshot.kind, snapshot.reading))
        if (typeof valueWh === 'number' && Number.isFinite(valueWh)) sum.counters.set(point, valueWh);
      const powerW = powerOf(snapshot.kind, snapshot.reading);
      if (powerW === null) continue;
      sum.powerSumW += powerW;
      sum.samples += 1;
      if (snapshot.kind === 'battery') {
        const soc = (snapshot.reading as BatteryReading).socPct;
        if (soc !== null) {
          sum.socSum += soc;
          sum.socSamples += 1;
        }
      }
    }
    if (image.atMs - this.lastPruneMs >= 3_600_000) {
      this.prune.run(image.atMs - this.retentionDays * DAY_MS);
      this.pruneCounters.run(image.atMs - this.retentionDays * DAY_MS);
      this.lastPruneMs = image.atMs;
    }
  }

  /** Writes the minute in progress (at shutdown, so the last minute is kept). */
  flush(): void {
    if (this.minuteStartMs === null || this.sums.size === 0) return;
    const minute = this.minuteStartMs;
    const rows = [...this.sums.entries()];
    this.db.transaction(() => {
      for (const [deviceId, s] of rows) {
        if (s.samples > 0)
          this.insert.run(deviceId, minute, s.powerSumW / s.samples, s.socSamples > 0 ? s.socSum / s.socSamples : null);
        for (const [point, valueWh] of s.counters) this.insertCounter.run(deviceId, point, minute, s.kind, valueWh);
      }
    })();
    this.sums = new Map();
  }

  /** Average power and SoC per device in buckets of `stepMs` over [fromMs, toMs). */
  query(fromMs: number, toMs: number, stepMs: number): HistorySeries[] {
    checkSpan(fromMs, toMs);
    if (!Number.isSafeInteger(stepMs) || stepMs < MINUTE_MS || stepMs % MINUTE_MS !== 0)
      throw new HistoryQueryError('step: milliseconds, a whole number of minutes (60000 or more)', 'step');
    if ((toMs - fromMs) / stepMs > MAX_POINTS_PER_SERIES)
      throw new HistoryQueryError(
        `step: ${Math.ceil((toMs - fromMs) / stepMs)} points per device over this span; at most ${MAX_POINTS_PER_SERIES} (a coarser step or a shorter span)`,
        'step',
      );
    const rows = this.select.all({ from: fromMs, to: toMs, step: stepMs }) as Array<{
      deviceId: string;
      bucket: number;
      powerW: number;
      socPct: number | null;
    }>;
    const byDevice = new Map<string, HistorySeries>();
    for (const row of rows) {
      const series = byDevice.get(row.deviceId) ?? { deviceId: row.deviceId, points: [] };
      series.points.push([
        row.bucket,
        Math.round(row.powerW * 10) / 10,
        row.socPct === null ? null : Math.round(row.socPct * 100) / 100,
      ]);
      byDevice.set(row.deviceId, series);
    }
    return [...byDevice.values()];
  }

  /**
   * What each device's energy counters counted over [fromMs, toMs): from the counter's value at the end of the minute
   * before `fromMs` (or, when that minute is not stored, the first stored minute's end, which `sinceMs` says) to its
   * last stored value. Readings of the minute in progress are not stored yet; a live reader counts on from `lastWh`.
   */
  energy(fromMs: number, toMs: number): DeviceEnergy[] {
    checkSpan(fromMs, toMs);
    if (toMs - fromMs > MAX_ENERGY_SPAN_DAYS * DAY_MS)
      throw new HistoryQueryError(`from: at most ${MAX_ENERGY_SPAN_DAYS} days before to`, 'from');
    // the minute that ends at or after fromMs first: its closing value is where counting starts
    const firstMinuteMs = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    const rows = this.selectCounters.all({ from: firstMinuteMs, to: toMs }) as Array<{
      deviceId: string;
      point: string;
      kind: NatureKind;
      minuteStartMs: number;
      valueWh: number;
    }>;
    const byDevice = new Map<string, { kind: NatureKind; points: Map<string, Array<[number, number]>> }>();
    for (const row of rows) {
      const device = byDevice.get(row.deviceId) ?? { kind: row.kind, points: new Map() };
      device.kind = row.kind; // the latest row's kind, should a device id ever change its nature
      const minutes = device.points.get(row.point) ?? [];
      minutes.push([row.minuteStartMs, row.valueWh]);
      device.points.set(row.point, minutes);
      byDevice.set(row.deviceId, device);
    }
    return [...byDevice.entries()].map(([deviceId, { kind, points }]) => ({
      deviceId,
      kind,
      counters: Object.fromEntries(
        [...points.entries()].flatMap(([point, minutes]) => {
          const energy = counterEnergy(minutes);
          return energy ? [[point, energy]] : [];
        }),
      ),
    }));
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
