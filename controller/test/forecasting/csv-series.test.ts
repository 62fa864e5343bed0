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
  it('averages half-hourly rows into hourly means, keeping temperature and holiday, gzip or plain alike', () => {
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
    for (const file of ['plain.csv', 'packed.csv.gz']) {
      const { series, columns, rows, inputStepMs } = readCsvFile(join(dir, file));
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
});
