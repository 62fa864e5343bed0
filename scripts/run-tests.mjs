// The one test command. Runs every test of every part and ends with one line CI reads: `N passed, N failed`.
//  1. contracts: build the wasm (with the upload-rule checker and the generated client), then the native Rust tests
//  2. every TypeScript test file of every workspace, in node's own test runner
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const only = process.argv.slice(2); // optional path filters: `npm test -- devices controller/test/cycle`
if (only.includes('--help') || only.includes('-h')) {
  console.log(`usage: npm test [-- <path or fragment> ...]

Without arguments: builds the contracts, runs their native Rust tests, builds the UI and runs every test file of every
part (devices, controller, fleet, contracts, UI in Chromium, end-to-end, fault, benchmark checks), then prints one line:
"N passed, N failed". With arguments: only the test files whose path starts with or contains one of them (no builds
except the UI's when a UI test is chosen; run npm run build:contracts first after a Rust change).`);
  process.exit(0);
}
const badFlag = only.find((o) => o.startsWith('-'));
if (badFlag) {
  console.error(`run-tests: unknown flag ${badFlag} (arguments are test paths or fragments; see npm test -- --help)`);
  process.exit(2);
}
let passed = 0;
let failed = 0;

function step(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(cmd, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
    ...opts,
  });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  return result;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (only.length === 0 && pkg.scripts['build:contracts']) {
  const build = step('build contracts', 'npm', ['run', '--silent', 'build:contracts']);
  if (build.status !== 0) failed += 1;
  else passed += 1; // the build includes the upload-rule checker's verdict on every wasm
}
if (only.length === 0 && pkg.scripts['test:contracts:native']) {
  const cargo = step('contracts: native Rust tests', 'npm', ['run', '--silent', 'test:contracts:native']);
  const text = `${cargo.stdout}\n${cargo.stderr}`;
  let counted = false;
  for (const m of text.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    counted = true;
  }
  if (cargo.status !== 0 && !counted) failed += 1;
}

if (only.length === 0 || only.some((o) => o.includes('governance-ui'))) {
  // the browser tests serve the built app: build it once here rather than inside the first test that needs it
  const ui = step('build governance UI', 'npm', ['run', '--silent', 'build:ui']);
  if (ui.status !== 0) failed += 1;
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'target') return [];
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.ts$/.test(name) ? [path] : [];
  });
}
const dirs = [
  'sunspec/test',
  'devices/test',
  'controller/test',
  'fleet-protocol/test',
  'fleet/test',
  'contracts-cosmwasm/test',
  'governance-ui/test',
  'test/e2e',
  'test/fault',
  'test/bench',
];
let files = dirs
  .flatMap((d) => testFiles(join(root, d)))
  .map((f) => relative(root, f))
  .sort();
if (only.length) files = files.filter((f) => only.some((o) => f.startsWith(o) || f.includes(o)));

if (files.length) {
  const reportDir = mkdtempSync(join(tmpdir(), 'gridcoop-tests-'));
  const tap = join(reportDir, 'report.tap');
  console.log(`\n=== node test runner: ${files.length} files`);
  const nodeTests = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: root, env, stdio: 'inherit' },
  );
  const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(reportDir, { recursive: true, force: true });
  const pass = /^# pass (\d+)$/m.exec(report);
  const fail = /^# fail (\d+)$/m.exec(report);
  if (pass && fail) {
    passed += Number(pass[1]);
    failed += Number(fail[1]);
  } else failed += 1;
  if (nodeTests.status !== 0 && !(fail && Number(fail[1]) > 0)) failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
