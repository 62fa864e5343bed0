import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A data file could not be read as the CSV its loader expects; says which file, line and column. */
export class ProfileDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}, line ${line}: ${detail}`);
    this.name = 'ProfileDataError';
  }
}

/** How the data marks a missing value (R's NA); anything else that is not a number is an error. */
const MISSING = 'NA';

/**
 * Reads one numeric column of a gzipped CSV whose first line is a header. The vendored files are small (52,608 rows),
 * so they are read whole: simpler than streaming and done once per process. Missing values (NA) come back as NaN for
 * the caller to fill; anything else that is not a number throws, naming the file and line.
 */
export function readGzipCsvColumn(path: string, column: string): Float64Array {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const lines = text.split('\n');
  const header = (lines[0] ?? '').split(',').map((name) => name.replaceAll('"', '').trim());
  const index = header.indexOf(column);
  if (index < 0) throw new ProfileDataError(path, 1, `no column "${column}" in header ${header.join(',')}`);
  const values: number[] = [];
  for (let lineNo = 1; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo];
    if (line === undefined || line.trim() === '') continue;
    const cell = line.split(',')[index];
    if (cell?.trim() === MISSING) {
      values.push(Number.NaN);
      continue;
    }
    const value = Number(cell);
    if (cell === undefined || cell.trim() === '' || !Number.isFinite(value)) {
      throw new ProfileDataError(path, lineNo + 1, `column "${column}" holds "${cell ?? ''}", not a number`);
    }
    values.push(value);
  }
  return Float64Array.from(values);
}
