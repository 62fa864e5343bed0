/**
 * Local civil time for calendar features: load follows the wall clock (people wake at 7 local, whatever UTC says),
 * so hour of day, weekday and "midnight" are taken in the plant's time zone, DST included.
 */
export interface LocalTime {
  hour: number;
  /** Minutes since local midnight on the wall clock (0..1439). */
  minuteOfDay: number;
  /** 0 = Sunday. */
  weekday: number;
  /** 0-based day of the year. */
  dayOfYear: number;
  /** UTC epoch ms of this local day's midnight. */
  dayStartMs: number;
}

export class TimeZoneError extends Error {
  override readonly name = 'TimeZoneError';
}

/** A date the user typed that is not a date (2000-13-45 does not roll over into the next year). */
export class CalendarDateError extends Error {
  override readonly name = 'CalendarDateError';
}

/** Wall-clock ms (as if UTC) of a calendar time that exists, else null. */
export function validWallTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 24 || mi > 59 || s > 59) return null;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  if (h === 24 && (mi > 0 || s > 0)) return null; // 24:00 is the end of the day, nothing later
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export class LocalCalendar {
  private readonly format: Intl.DateTimeFormat;
  /** Offsets change twice a year at most: cache them per UTC hour so feature building stays cheap. */
  private readonly offsetCache = new Map<number, number>();

  constructor(readonly timeZone = 'UTC') {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch (cause) {
      throw new TimeZoneError(`unknown time zone "${timeZone}"`, { cause });
    }
  }

  /** Local wall-clock minus UTC at `utcMs`, in ms (e.g. +11 h in a Melbourne summer). */
  offsetMs(utcMs: number): number {
    const hourKey = Math.floor(utcMs / HOUR_MS);
    const cached = this.offsetCache.get(hourKey);
    if (cached !== undefined) return cached;
    const parts = Object.fromEntries(
      this.format.formatToParts(new Date(hourKey * HOUR_MS)).map((p) => [p.type, p.value]),
    );
    const wallMs = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
    const offset = wallMs - hourKey * HOUR_MS;
    this.offsetCache.set(hourKey, offset);
    return offset;
  }

  localTime(utcMs: number): LocalTime {
    const wall = new Date(utcMs + this.offsetMs(utcMs));
    const wallDayStart = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
    return {
      hour: wall.getUTCHours(),
      minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
      weekday: wall.getUTCDay(),
      dayOfYear: Math.floor((wallDayStart - Date.UTC(wall.getUTCFullYear(), 0, 1)) / DAY_MS),
      dayStartMs: this.wallToUtc(wallDayStart),
    };
  }

  /** UTC ms of the local midnight starting the day that contains `utcMs`. */
  dayStartMs(utcMs: number): number {
    return this.localTime(utcMs).dayStartMs;
  }

  /** Local midnights in [fromMs, toMs), for rolling day-ahead origins. */
  midnightsBetween(fromMs: number, toMs: number): number[] {
    const midnights: number[] = [];
    let day = this.dayStartMs(fromMs);
    if (day < fromMs) day = this.dayStartMs(day + DAY_MS + 2 * HOUR_MS);
    while (day < toMs) {
      midnights.push(day);
      day = this.dayStartMs(day + DAY_MS + 2 * HOUR_MS); // +2 h: a 23-hour DST day still lands in the next day
    }
    return midnights;
  }

  /** UTC ms of local midnight starting the date "YYYY-MM-DD" in this zone; a date that does not exist is refused. */
  localDateToUtcMs(date: string): number {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!match) throw new CalendarDateError(`"${date}" is not a date like 2014-07-07`);
    const wall = validWallTime(Number(match[1]), Number(match[2]), Number(match[3]));
    if (wall === null) throw new CalendarDateError(`"${date}" is not a calendar date (no such month or day)`);
    return this.wallToUtc(wall);
  }

  /** Converts a local wall-clock instant (expressed as if it were UTC) to UTC, using the offset in force there. */
  private wallToUtc(wallMs: number): number {
    const guess = wallMs - this.offsetMs(wallMs);
    return wallMs - this.offsetMs(guess);
  }
}
