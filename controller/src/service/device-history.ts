import Database from 'better-sqlite3';
import type { ProcessImage } from '../cycle/process-image.ts';
import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A history answer never holds more points than this per device: ask for a coarser step or a shorter span. */
export const MAX_POINTS_PER_SERIES = 10_000;

/** One device's series: [time ms (bucket start), average power W, average SoC % or null]. */
export interface HistorySeries {
  deviceId: string;
  points: Array<[number, number, number | null]>;
}

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

/** What a device did in one minute, summed over the cycles that read it. */
interface MinuteSum {
  powerSumW: number;
  socSum: number;
  socSamples: number;
  samples: number;
  energyWh: number | null;
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

/** The device's lifetime energy counter (Wh) as it reports it: produced, consumed, or for a battery, given out. */
function energyOf(kind: string, reading: unknown): number | null {
  switch (kind) {
    case 'battery':
      return (reading as BatteryReading).energyOutWh;
    case 'meter':
      return (reading as MeterReading).energyImportedWh;
    default:
      return (reading as PvInverterReading | FlexibleLoadReading).energyWh;
  }
}

/**
 * The controller's own time series: per device and minute, the average measured power and state of charge and the
 * last energy counter, in SQLite (a file, or memory when no path is configured), kept `retentionDays` (at least 7)
 * and pruned hourly. Each cycle's fresh readings are summed in memory; a finished minute is written in one
 * transaction, so a crash loses at most the minute in progress. Served as `/api/history`.
 */
export class DeviceHistory {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly select: Database.Statement;
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
      energy_wh REAL,
      PRIMARY KEY (device_id, minute_start_ms)
    ) WITHOUT ROWID`);
    this.insert = this.db.prepare(
      `INSERT INTO device_minutes (device_id, minute_start_ms, power_w, soc_pct, energy_wh) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id, minute_start_ms) DO UPDATE SET power_w = excluded.power_w, soc_pct = excluded.soc_pct,
       energy_wh = excluded.energy_wh`,
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
      const powerW = powerOf(snapshot.kind, snapshot.reading);
      if (powerW === null) continue;
      const sum = this.sums.get(snapshot.id) ?? { powerSumW: 0, socSum: 0, socSamples: 0, samples: 0, energyWh: null };
      sum.powerSumW += powerW;
      sum.samples += 1;
      if (snapshot.kind === 'battery') {
        const soc = (snapshot.reading as BatteryReading).socPct;
        if (soc !== null) {
          sum.socSum += soc;
          sum.socSamples += 1;
        }
      }
      sum.energyWh = energyOf(snapshot.kind, snapshot.reading) ?? sum.energyWh;
      this.sums.set(snapshot.id, sum);
    }
    if (image.atMs - this.lastPruneMs >= 3_600_000) {
      this.prune.run(image.atMs - this.retentionDays * DAY_MS);
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
        this.insert.run(
          deviceId,
          minute,
          s.powerSumW / s.samples,
          s.socSamples > 0 ? s.socSum / s.socSamples : null,
          s.energyWh,
        );
      }
    })();
    this.sums = new Map();
  }

  /** Average power and SoC per device in buckets of `stepMs` over [fromMs, toMs). */
  query(fromMs: number, toMs: number, stepMs: number): HistorySeries[] {
    if (!Number.isSafeInteger(fromMs) || fromMs < 0) throw new HistoryQueryError('from: epoch milliseconds', 'from');
    if (!Number.isSafeInteger(toMs) || toMs <= fromMs)
      throw new HistoryQueryError('to: epoch milliseconds after from', 'to');
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

  close(): void {
    this.flush();
    this.db.close();
  }
}
