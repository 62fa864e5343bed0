import Database from 'better-sqlite3';
import { type HistoryPoint, type HistoryStore, seriesFromPoints, validatePoints } from './history-store.ts';
import type { HourlySeries } from './hourly-series.ts';

/**
 * The history store on disk (better-sqlite3, WAL): survives controller restarts so a retrain has months of data.
 * One row per (series, hour); an append is one transaction, so a batch lands whole or not at all.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly last: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS hourly_history (
      series TEXT NOT NULL,
      hour_start_ms INTEGER NOT NULL,
      value REAL NOT NULL,
      temperature_c REAL,
      holiday INTEGER,
      PRIMARY KEY (series, hour_start_ms)
    ) WITHOUT ROWID`);
    this.upsert = this.db.prepare(
      `INSERT INTO hourly_history (series, hour_start_ms, value, temperature_c, holiday) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (series, hour_start_ms) DO UPDATE SET value = excluded.value, temperature_c = excluded.temperature_c, holiday = excluded.holiday`,
    );
    this.select = this.db.prepare(
      'SELECT hour_start_ms, value, temperature_c, holiday FROM hourly_history WHERE series = ? AND hour_start_ms >= ? AND hour_start_ms < ?',
    );
    this.last = this.db.prepare('SELECT MAX(hour_start_ms) AS last FROM hourly_history WHERE series = ?');
  }

  append(seriesName: string, points: readonly HistoryPoint[]): void {
    validatePoints(seriesName, points);
    this.db.transaction(() => {
      for (const p of points) {
        this.upsert.run(
          seriesName,
          p.hourStartMs,
          p.value,
          p.temperatureC ?? null,
          p.holiday === undefined ? null : p.holiday ? 1 : 0,
        );
      }
    })();
  }

  read(seriesName: string, fromMs: number, toMs: number): HourlySeries {
    const rows = this.select.all(seriesName, fromMs, toMs) as {
      hour_start_ms: number;
      value: number;
      temperature_c: number | null;
      holiday: number | null;
    }[];
    const points: HistoryPoint[] = rows.map((r) => ({
      hourStartMs: r.hour_start_ms,
      value: r.value,
      temperatureC: r.temperature_c,
      ...(r.holiday === null ? {} : { holiday: r.holiday === 1 }),
    }));
    return seriesFromPoints(points, fromMs, toMs);
  }

  lastHourMs(seriesName: string): number | null {
    const row = this.last.get(seriesName) as { last: number | null } | undefined;
    return row?.last ?? null;
  }

  close(): void {
    this.db.close();
  }
}
