import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { CsvError, parseCsvSeries, readCsvFile } from '../../src/forecasting/csv-series.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV series loader', () => {
  it('keeps half-hourly rows half-hourly, or averages them into hourly means when asked, gzip or plain alike', () => {
    const text = [
      'Time,Demand,Temperature,Holiday',
      '2014-01-01T00:00:00+1100,100,20,TRUE',
      '2014-01-01T00:30:00+1100,200,22,TRUE',
      '2014-01-01T01:00:00+1100,300,,FALSE',
      '2014-01-01T01:30:00+1100,NA,24,FALSE',
      '2014-01-01T03:00:00+1100,500,25,FALSE',
    ].join('\n');
    writeFileSync(join(dir, 'plain.csv'), text);
    writeFileSync(join(dir, 'packed.csv.gz'), gzipSync(text));
    const native = readCsvFile(join(dir, 'plain.csv'));
    assert.equal(native.series.stepMs, 30 * 60_000);
    const firstHalf = Date.parse('2013-12-31T13:00:00Z');
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => native.series.valueAt(firstHalf + i * 30 * 60_000)),
      [100, 200, 300, Number.NaN],
    );
    for (const file of ['plain.csv', 'packed.csv.gz']) {
      const { series, columns, rows, inputStepMs } = readCsvFile(join(dir, file), {}, { stepMinutes: 60 });
      assert.deepEqual(columns, { time: 'Time', value: 'Demand', temperature: 'Temperature', holiday: 'Holiday' });
      assert.equal(rows, 5);
      assert.equal(inputStepMs, 30 * 60_000);
      const first = Date.parse('2013-12-31T13:00:00Z');
      assert.equal(series.startMs, first);
      assert.equal(series.valueAt(first), 150);
      assert.equal(series.temperatureAt(first), 21);
      assert.equal(series.holidayAt(first), true);
      assert.equal(series.valueAt(first + 3_600_000), 300, 'NA is unknown, not zero');
      assert.equal(series.temperatureAt(first + 3_600_000), 24);
      assert.ok(Number.isNaN(series.valueAt(first + 2 * 3_600_000)), 'a missing hour stays unknown');
      assert.equal(series.valueAt(first + 3 * 3_600_000), 500);
    }
  });

  it('a value that is not a number is a CsvError naming file, line and column, and the file is left untouched', () => {
    const path = join(dir, 'bad.csv');
    const text = 'time,kw\n2020-01-01T00:00:00Z,1.5\n2020-01-01T01:00:00Z,1,5\n2020-01-01T02:00:00Z,abc\n';
    writeFileSync(path, text);
    assert.throws(
      () => readCsvFile(path),
      (error: unknown) =>
        error instanceof CsvError && error.line === 4 && /bad\.csv:4: "abc" in kw is not a number/.test(error.message),
    );
    assert.equal(readFileSync(path, 'utf8'), text);
  });

  it('a column that does not exist is refused with the list of columns there are', () => {
    assert.throws(
      () => parseCsvSeries('when,power\n2020-01-01,1\n', { value: 'load' }),
      (error: unknown) =>
        error instanceof CsvError && /no column "load" for the value \(columns: when, power\)/.test(error.message),
    );
    assert.throws(
      () => parseCsvSeries('when,power\nyesterday,1\n'),
      (error: unknown) =>
        error instanceof CsvError && error.line === 2 && /"yesterday" in when is not a time/.test(error.message),
    );
  });

  it('times without an offset are UTC, and the value column skips period and temperature columns by default', () => {
    const { series, columns } = parseCsvSeries(
      'Time,Date,Period,PV_capacity_factor\n2012-01-01T10:00:00,2012-01-01,21,0.5\n',
    );
    assert.equal(columns.value, 'PV_capacity_factor');
    assert.equal(series.startMs, Date.UTC(2012, 0, 1, 10));
    assert.equal(series.valueAt(Date.UTC(2012, 0, 1, 10)), 0.5);
  });

  it('the same instant twice with different values is refused naming both lines; identical repeats are dropped and counted', () => {
    const conflicting = 'time,kw\n2020-01-01T00:00:00Z,1\n2020-01-01T01:00:00Z,2\n2020-01-01T01:00:00Z,3\n';
    assert.throws(
      () => parseCsvSeries(conflicting, {}, 'dup.csv'),
      (error: unknown) =>
        error instanceof CsvError &&
        error.line === 4 &&
        /dup\.csv:4: 2020-01-01T01:00:00\.000Z appears twice with different values \(2 on line 3, 3 here\)/.test(
          error.message,
        ),
    );
    const merged = parseCsvSeries(conflicting, {}, 'dup.csv', { duplicates: 'mean' });
    assert.equal(merged.series.valueAt(Date.UTC(2020, 0, 1, 1)), 2.5);
    assert.match(
      merged.notes.join('\n'),
      /1 row\(s\) of an instant already seen with another value merged \(--duplicates mean\)/,
    );
    const repeated = parseCsvSeries(
      'time,kw\n2020-01-01T00:00:00Z,1\n2020-01-01T00:00:00Z,1\n2020-01-01T01:00:00Z,2\n',
    );
    assert.equal(repeated.series.valueAt(Date.UTC(2020, 0, 1)), 1);
    assert.deepEqual(repeated.notes, ['1 repeated row(s) with the same time and value dropped']);
  });

  it('a date that does not exist (2000-13-45, 2021-02-29) is not a time: nothing rolls over', () => {
    for (const bad of ['2000-13-45T00:00:00Z', '2021-02-29 10:00', '2020-01-01T25:00:00Z'])
      assert.throws(
        () => parseCsvSeries(`time,kw\n${bad},1\n`),
        (error: unknown) =>
          error instanceof CsvError && error.line === 2 && error.message.includes(`"${bad}" in time is not a time`),
        bad,
      );
  });

  it('local times keep the repeated autumn DST hour as two hours and drop a row in the skipped spring hour, reporting both', () => {
    // New York: clocks go 01:59 EDT -> 01:00 EST on 2021-11-07 and 01:59 EST -> 03:00 EDT on 2021-03-14.
    const autumn = ['00:00', '01:00', '01:00', '02:00'].map((t, i) => `2021-11-07 ${t},${10 + i}`);
    const spring = ['01:00', '02:00', '03:00'].map((t, i) => `2021-03-14 ${t},${20 + i}`);
    const { series, notes } = parseCsvSeries(`time,mw\n${[...spring, ...autumn].join('\n')}\n`, {}, 'ny.csv', {
      localTimeZone: 'America/New_York',
    });
    // The autumn day: 00:00 EDT = 04:00Z, 01:00 EDT = 05:00Z, 01:00 EST = 06:00Z, 02:00 EST = 07:00Z.
    assert.deepEqual(
      [4, 5, 6, 7].map((h) => series.valueAt(Date.UTC(2021, 10, 7, h))),
      [10, 11, 12, 13],
    );
    // The spring day: 01:00 EST = 06:00Z, 03:00 EDT = 07:00Z, and 02:00 does not exist.
    assert.deepEqual(
      [6, 7].map((h) => series.valueAt(Date.UTC(2021, 2, 14, h))),
      [20, 22],
    );
    assert.match(notes.join('\n'), /DST: 2 row\(s\) in the repeated autumn hour\(s\) of America\/New_York/);
    assert.match(notes.join('\n'), /DST: 1 row\(s\) at wall times that do not exist in America\/New_York .*: lines 3/);
  });

  it('negative values are kept as they are and reported with the lowest one', () => {
    const { series, negative } = parseCsvSeries(
      'time,kw\n2020-01-01T00:00:00Z,-2.5\n2020-01-01T01:00:00Z,-4\n2020-01-01T02:00:00Z,3\n',
    );
    assert.equal(series.valueAt(Date.UTC(2020, 0, 1, 1)), -4);
    assert.deepEqual(negative, { count: 2, lowest: -4, atMs: Date.UTC(2020, 0, 1, 1) });
  });
});
