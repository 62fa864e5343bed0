import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { syntheticLoadCsv, syntheticLoadSeries } from './synthetic-series.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-backtest-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const csv = join(dir, 'site.csv');
const csvText = syntheticLoadCsv(syntheticLoadSeries(Date.UTC(2021, 0, 4), 60, 5), 60 * 24);
writeFileSync(csv, csvText);
const window = [
  '--train-from',
  '2021-01-04',
  '--train-to',
  '2021-02-21',
  '--test-from',
  '2021-02-22',
  '--test-to',
  '2021-03-04',
];

function backtest(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'controller/src/cli/backtest.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** One line on stderr, no stack, exit code 2, and the user's file as it was. */
function assertRefused(result: ReturnType<typeof backtest>, message: RegExp, file = csv, text = csvText): void {
  assert.equal(result.status, 2, `${result.stdout}\n${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0] as string, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(readFileSync(file, 'utf8'), text, 'the input file is untouched');
}

describe('backtest command with broken input', () => {
  it('--help prints the usage with every option and exits 0', () => {
    const result = backtest(['--help']);
    assert.equal(result.status, 0, result.stderr);
    for (const option of [
      '--train-from',
      '--test-to',
      '--local-time',
      '--duplicates',
      '--temperature-error-sd',
      '--kind',
    ])
      assert.ok(result.stdout.includes(option), option);
  });

  it('a test window outside the data is refused, naming the data range', () => {
    const result = backtest([
      '--csv',
      csv,
      ...window.slice(0, 4),
      '--test-from',
      '2030-01-01',
      '--test-to',
      '2030-01-14',
    ]);
    assertRefused(
      result,
      /^backtest: the test window 2030-01-01\.\.2030-01-14 is outside the data \(2021-01-04\.\.2021-03-04\)$/,
    );
  });

  it('a reversed test window is refused', () => {
    const result = backtest([
      '--csv',
      csv,
      ...window.slice(0, 4),
      '--test-from',
      '2021-03-04',
      '--test-to',
      '2021-02-22',
    ]);
    assertRefused(result, /^backtest: --test-to 2021-02-22 is before --test-from 2021-03-04$/);
  });

  it('a test window overlapping training is refused as leakage', () => {
    const result = backtest([
      '--csv',
      csv,
      ...window.slice(0, 4),
      '--test-from',
      '2021-02-15',
      '--test-to',
      '2021-03-04',
    ]);
    assertRefused(result, /^backtest: the test window \(from 2021-02-15\) overlaps training \(to 2021-02-21\)/);
  });

  it('conflicting duplicate timestamps are refused naming the line, not averaged', () => {
    const lines = csvText.trim().split('\n');
    const dup = `${(lines[100] as string).split(',')[0]},999,10`;
    const text = `${[...lines.slice(0, 101), dup, ...lines.slice(101)].join('\n')}\n`;
    const file = join(dir, 'dup.csv');
    writeFileSync(file, text);
    const result = backtest(['--csv', file, ...window]);
    assertRefused(
      result,
      /^backtest: .*dup\.csv:102: 2021-01-06T01:30:00\.000Z appears twice with different values .*--duplicates/,
      file,
      text,
    );
  });

  it('negative values in a PV series are refused; in a load series they are reported and kept (net load)', () => {
    const text = csvText.replace(/\n(2021-01-10T12:00:00\.000Z),[\d.]+,/, '\n$1,-3.5,');
    const file = join(dir, 'negative.csv');
    writeFileSync(file, text);
    assertRefused(
      backtest(['--csv', file, ...window, '--kind', 'pv']),
      /^backtest: .*negative\.csv: 1 negative value\(s\), lowest -3\.5 at 2021-01-10T12:00:00\.000Z: PV output cannot be negative$/,
      file,
      text,
    );
    assertRefused(
      backtest(['--csv', file, ...window, '--reject-negative']),
      /1 negative value\(s\), lowest -3\.5 .*\(--reject-negative\)$/,
      file,
      text,
    );
    const kept = backtest(['--csv', file, ...window, '--seeds', '1', '--epochs', '2']);
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(
      kept.stdout,
      /note: 1 negative value\(s\), lowest -3\.5 .*: treated as net load .* never clamped to 0/,
    );
  });

  it('--epochs abc, --seeds x and --mape-min-actual abc are refused with one line', () => {
    assertRefused(
      backtest(['--csv', csv, ...window, '--epochs', 'abc']),
      /^backtest: --epochs must be a whole number of at least 1, not "abc"$/,
    );
    assertRefused(
      backtest(['--csv', csv, ...window, '--seeds', '1,x']),
      /^backtest: --seeds must be a whole number, not "x"$/,
    );
    assertRefused(
      backtest(['--csv', csv, ...window, '--mape-min-actual', 'abc']),
      /^backtest: --mape-min-actual must be a number/,
    );
  });

  it('an unknown flag is refused with one line pointing to --help', () => {
    assertRefused(
      backtest(['--csv', csv, ...window, '--epoch', '3']),
      /^backtest: Unknown option '--epoch'.*\(see --help\)$/,
    );
  });

  it('a date like 2000-13-45 is refused instead of rolling over into the next year', () => {
    const result = backtest(['--csv', csv, '--train-from', '2000-13-45', ...window.slice(2)]);
    assertRefused(result, /^backtest: "2000-13-45" is not a calendar date/);
  });
});
