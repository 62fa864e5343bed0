import type { DestinationStream } from 'pino';

/** pino's numeric levels, as a person reads them. */
const LEVEL_WORDS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '90', 30: '36', 40: '33', 50: '31', 60: '41;97' };
/** Fields every line has, or that the line's head already shows. */
const SHOWN_IN_HEAD = new Set(['level', 'time', 'msg', 'service', 'component', 'pid', 'hostname']);

function valueText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * One pino JSON line as a person reads it on a terminal: `12:03:04.512 WARN  [api] message key=value ...`, an error's
 * stack on the lines below. Anything that is not a JSON object is passed through untouched.
 */
export function readableLogLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null) return line;
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : new Date().toISOString().slice(11, 23);
  const word = LEVEL_WORDS[level] ?? String(level);
  const paint = (code: string | undefined, text: string) => (colour && code ? `\x1b[${code}m${text}\x1b[0m` : text);
  const component = typeof entry.component === 'string' ? ` [${entry.component}]` : '';
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (SHOWN_IN_HEAD.has(key) || value === undefined) continue;
    if (key === 'err' && typeof value === 'object' && value !== null && 'stack' in value) {
      stack = `\n    ${String((value as { stack: unknown }).stack).replace(/\n/g, '\n    ')}`;
      continue;
    }
    fields.push(`${key}=${valueText(value)}`);
  }
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const rest = fields.length > 0 ? ` ${paint('90', fields.join(' '))}` : '';
  return `${paint('90', time)} ${paint(LEVEL_COLOURS[level], word)}${component} ${message}${rest}${stack}`;
}

/** A pino destination that writes readable lines to a terminal (colour unless NO_COLOR is set). */
export function readableLogStream(out: NodeJS.WriteStream): DestinationStream {
  const colour = out.isTTY === true && process.env.NO_COLOR === undefined;
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim() !== '') out.write(`${readableLogLine(line, colour)}\n`);
    },
  };
}
