import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { make_errorLog, make_warningLog } from 'node-opcua-debug';
import { shutdownSummary } from '../../src/cli/shutdown-summary.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { routeOpcuaLogsTo, W27_EXPLANATION } from '../../src/logging/opcua-log-routing.ts';
import { readableLogLine } from '../../src/logging/readable-log-stream.ts';
import type { LedgerView } from '../../src/service/ledger-recording.ts';
import type { ServiceStatus } from '../../src/service/controller-service.ts';

function capture(level: 'debug' | 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, logger: createLogger(level, sink) };
}

test('a log line on a terminal reads as time, level, component, message and fields, with the stack below', () => {
  const line = JSON.stringify({
    level: 40,
    time: '2026-12-02T11:03:04.512Z',
    service: 'gridcoop-controller',
    component: 'api',
    method: 'PUT',
    path: '/api/grid-setpoint',
    msg: 'operator token missing',
  });
  assert.equal(
    readableLogLine(line, false),
    '11:03:04.512 WARN  [api] operator token missing method=PUT path=/api/grid-setpoint',
  );
  const withError = JSON.stringify({
    level: 50,
    time: '2026-12-02T11:03:05.000Z',
    msg: 'API request failed',
    err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' },
    note: 'two words',
  });
  assert.equal(
    readableLogLine(withError, false),
    '11:03:05.000 ERROR API request failed note="two words"\n    Error: boom\n        at f (x.ts:1:1)',
  );
  assert.ok(readableLogLine(line, true).includes('\u001b[33mWARN'), 'colour on a colour terminal');
  assert.equal(readableLogLine('not json', false), 'not json');
});

test("node-opcua's W27 goes to the log once, at debug level, explained; its other warnings and errors are warnings and errors", () => {
  const warn = make_warningLog('test');
  const error = make_errorLog('test');
  // Before a logger is attached (node-opcua warns while it loads): held, then written.
  warn('[NODE-OPCUA-W27]', 'node version', process.version);
  warn('  you need to use node flag --security-revert=CVE-2023-46809 if you have issue with RSA PKCS#1 v1.5');
  const { lines, logger } = capture('debug');
  routeOpcuaLogsTo(logger);
  warn('[NODE-OPCUA-W32]', 'monitored item handler takes too much time');
  error('cannot connect', 42);
  warn('[NODE-OPCUA-W27]', 'node version', process.version); // a second time: already explained
  assert.deepEqual(
    lines.map((l) => [l.level, l.component, l.msg]),
    [
      [20, 'node-opcua', W27_EXPLANATION],
      [40, 'node-opcua', '[NODE-OPCUA-W32] monitored item handler takes too much time'],
      [50, 'node-opcua', 'cannot connect 42'],
    ],
  );
  // At the default level (info) the explanation is not shown at all.
  const quiet = capture('info');
  routeOpcuaLogsTo(quiet.logger);
  warn('[NODE-OPCUA-W27]', 'node version', process.version);
  assert.deepEqual(quiet.lines, []);
});

test('the shutdown summary says how many records are on chain and how many wait in the outbox', () => {
  const status = { cycle: { cycles: 1234, overruns: 2 } } as unknown as ServiceStatus;
  const ledger = (outbox: LedgerView['outbox'], mode: LedgerView['mode'] = 'cosmwasm') =>
    ({ mode, chainId: mode === 'off' ? null : 'gridcoop-local-1', outbox }) as LedgerView;
  const counts = { pending: 3, done: 40, rejected: 1, retrying: 0, oldestPendingStartS: 1 };
  assert.deepEqual(shutdownSummary({ status: () => status, ledger: () => ledger(counts) }), [
    'controller stopped after 1234 cycles (2 overruns)',
    'outbox: 40 interval records on chain gridcoop-local-1, 3 pending (kept; sent at the next start), 1 rejected (npm run controller -- --requeue-rejected)',
  ]);
  assert.deepEqual(
    shutdownSummary({ status: () => status, ledger: () => ledger(null, 'off') })[1],
    ['ledger off: nothing was recorded on a chain'][0],
  );
  const broken = shutdownSummary({
    status: () => status,
    ledger: () => {
      throw new Error('database closed');
    },
  });
  assert.deepEqual(broken, ['controller stopping (no summary: database closed)']);
});
