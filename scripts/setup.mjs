// Brings a fresh machine to the point where `npm start` and `npm test` run: Debian packages, then npm packages.
// Every install step of the project lives here (or in the scripts it calls), never in a README step done by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) =>
  execFileSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run setup

Installs what GridCoop needs on a fresh Debian bookworm machine with Node 20: the Debian packages (Rust for the
contracts, Chromium for the browser tests, Mosquitto, promtool, Modbus tools) and the npm packages (npm ci when the
lock file is newer than node_modules). npm start and npm test run it first; it does nothing that is already done.`);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`setup: unknown argument ${args[0]} (setup takes none; see npm run setup -- --help)`);
  process.exit(2);
}

run('bash', [join(root, 'scripts/setup-system.sh')]);

const marker = join(root, 'node_modules/.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  console.error('setup: installing npm packages');
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}
