import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { loadModelFile } from '../../src/forecasting/model-file.ts';
import { syntheticLoadCsv, syntheticLoadSeries } from './synthetic-series.ts';
import { VIC_PV_PATH } from './vic-elec.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-backtest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(script: 'backtest' | 'train', args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, `controller/src/cli/${script}.ts`), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function scoreLine(stdout: string, name: string): { mape: number; mase: number; rmse: number } {
  const match = new RegExp(`^${name}\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)$`, 'm').exec(stdout);
  assert.ok(match, `no score line for ${name} in:\n${stdout}`);
  return { mape: Number(match[1]), mase: Number(match[2]), rmse: Number(match[3]) };
}

describe('backtest command', () => {
  it('on a half-hourly synthetic CSV it was never tuned on, scores the net, the chosen model and both baselines half-hourly and writes the week plot', () => {
    const csv = join(dir, 'synthetic.csv');
    const series = syntheticLoadSeries(Date.UTC(2021, 0, 4), 84, 11, 0.05);
    writeFileSync(csv, syntheticLoadCsv(series, 84 * 24));
    const plot = join(dir, 'week.svg');
    const result = run('backtest', [
      '--csv',
      csv,
      '--train-from',
      '2021-01-04',
      '--train-to',
      '2021-03-07',
      '--test-from',
      '2021-03-08',
      '--test-to',
      '2021-03-28',
      '--seeds',
      '1',
      '--epochs',
      '15',
      '--plot-week',
      '2021-03-15',
      '--plot',
      plot,
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /every 30 min -> 30-min steps; value=load_kw temperature=temp/);
    assert.match(result.stdout, /model selection on validation 2021-02-\d\d\.\.2021-03-07 \(inside training\): /);
    assert.match(result.stdout, /in 30-min steps/);
    assert.match(result.stdout, /21 days 2021-03-08\.\.2021-03-28 \(0 skipped\)/);
    // Every issued day is counted under the mix the chosen model used that day.
    const mixes = /chooses its mix again at each origin on the days before it: (.*)$/m.exec(result.stdout)?.[1] ?? '';
    const days = [...mixes.matchAll(/(\d+) days?/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert.equal(days, 21, mixes);
    const neural = scoreLine(result.stdout, 'neural-load\\+temperature');
    const persistence = scoreLine(result.stdout, 'persistence-daily');
    const naive = scoreLine(result.stdout, 'seasonal-naive-weekly');
    assert.ok(neural.mape < naive.mape && neural.mape < persistence.mape, result.stdout);
    assert.ok(neural.rmse > 0 && neural.mase > 0);
    const svg = readFileSync(plot, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<path d="M/g) ?? []).length, 4, 'actual, net, chosen and seasonal naive lines');
    assert.match(svg, /<polygon points=/);
  });

  it('runs on the real PV series too, where the forecaster beats persistence on the test weeks', () => {
    const result = run('backtest', [
      '--csv',
      VIC_PV_PATH,
      '--kind',
      'pv',
      '--train-from',
      '2013-08-01',
      '--train-to',
      '2013-11-30',
      '--test-from',
      '2013-12-01',
      '--test-to',
      '2013-12-21',
      '--seeds',
      '1',
      '--epochs',
      '10',
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /value=PV_capacity_factor temperature=none/);
    const neural = scoreLine(result.stdout, 'neural-pv');
    const persistence = scoreLine(result.stdout, 'persistence-daily');
    assert.ok(neural.rmse < persistence.rmse, result.stdout);
  });

  it('a bad argument or a bad file ends with exit code 2 and a message saying what is wrong', () => {
    const missing = run('backtest', [
      '--csv',
      join(dir, 'nope.csv'),
      '--train-from',
      '2021-01-01',
      '--train-to',
      '2021-02-01',
      '--test-from',
      '2021-02-02',
      '--test-to',
      '2021-02-10',
    ]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /backtest: .*nope\.csv: cannot read/);
    const noWindow = run('backtest', ['--csv', VIC_PV_PATH]);
    assert.equal(noWindow.status, 2);
    assert.match(noWindow.stderr, /--train-from is required/);
  });
});

describe('train command', () => {
  it('saves a model file that records its window, features and scores', () => {
    const csv = join(dir, 'train.csv');
    const series = syntheticLoadSeries(Date.UTC(2021, 0, 4), 56, 12, 0.05);
    writeFileSync(csv, syntheticLoadCsv(series, 56 * 24));
    const out = join(dir, 'models', 'site-load.json');
    const result = run('train', [
      '--csv',
      csv,
      '--from',
      '2021-01-18',
      '--to',
      '2021-02-28',
      '--no-temperature',
      '--seeds',
      '3',
      '--epochs',
      '5',
      '--out',
      out,
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /training load 100%/, 'plain progress lines when not a terminal');
    assert.ok(existsSync(out));
    const model = loadModelFile(out);
    assert.equal(model.featureSet.options.useTemperature, false);
    assert.deepEqual(model.training.seeds, [3]);
    assert.equal(model.trainingWindow.fromMs, Date.UTC(2021, 0, 18));
    assert.equal(model.trainingWindow.toMs, Date.UTC(2021, 2, 1));
  });
});
