/** Chain timestamps are nanoseconds since the epoch, as decimal strings. */
export function nsToMs(ns: string | number | bigint): number {
  return Number(BigInt(ns) / 1_000_000n);
}

/** "in 3 min 20 s", "2 h 5 min ago": how far a moment is from now, in words. */
export function relativeTime(atMs: number, nowMs: number): string {
  const delta = atMs - nowMs;
  const words = durationInWords(Math.abs(delta));
  if (Math.abs(delta) < 1_000) return 'now';
  return delta > 0 ? `in ${words}` : `${words} ago`;
}

export function durationInWords(ms: number): string {
  const s = Math.round(ms / 1000);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const seconds = s % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds && minutes < 10 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/** The exact moment, for tooltips and tables: local date and time with the zone. */
export function exactTime(atMs: number): string {
  return new Date(atMs).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
}
