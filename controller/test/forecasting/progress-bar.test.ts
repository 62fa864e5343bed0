import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressBar } from '../../src/forecasting/progress-bar.ts';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('training progress bar', () => {
  it('redraws one line in place on a terminal and ends it with a newline', () => {
    const out = sink(true);
    const bar = new ProgressBar('training', 4, out, 8);
    for (let i = 1; i <= 4; i++) bar.update(i, `epoch ${i}`);
    assert.equal(out.writes.length, 5);
    assert.ok(out.writes.slice(0, 4).every((w) => w.startsWith('\r') && !w.includes('\n')));
    assert.equal(out.writes[1], '\rtraining [####----]  50% epoch 2');
    assert.equal(out.writes[4], '\n');
  });

  it('writes at most one plain line per tenth when the output is not a terminal', () => {
    const out = sink(false);
    const bar = new ProgressBar('training', 200, out);
    for (let i = 1; i <= 200; i++) bar.update(i);
    assert.equal(out.writes.length, 11);
    assert.ok(out.writes.every((w) => !w.includes('\r') && w.endsWith('\n')));
    assert.equal(out.writes.at(-1), 'training 100% \n');
  });
});
