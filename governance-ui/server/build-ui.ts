/**
 * Builds the app when its build is missing or older than its sources (the contracts' client included), so
 * `npm start` and the browser tests always serve what the sources say. About 20-40 s on this machine. Builds are
 * serialised by a lock folder (test files run two at a time) and land in a fresh folder swapped in at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UI_BUILD_DIR } from './serve-ui.ts';

const UI_ROOT = resolve(import.meta.dirname, '..');
const LOCK = join(UI_ROOT, '.build-lock');
/** a lock older than this was left by a build that died */
const STALE_LOCK_MS = 5 * 60_000;
const SOURCES = [
  join(UI_ROOT, 'src'),
  join(UI_ROOT, 'svelte.config.js'),
  join(UI_ROOT, 'vite.config.ts'),
  join(UI_ROOT, 'package.json'),
  resolve(UI_ROOT, '../contracts-cosmwasm/client'),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function uiBuildIsCurrent(): boolean {
  const index = join(UI_BUILD_DIR, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...SOURCES.map(newestMtime));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(work: () => T): T {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS)
        rmSync(LOCK, { recursive: true, force: true });
      else sleep(500);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds the UI if needed; throws with vite's output when the build fails. */
export function ensureUiBuilt(log: (line: string) => void = () => undefined): void {
  if (uiBuildIsCurrent()) return;
  withLock(() => {
    if (uiBuildIsCurrent()) return; // another process built it while we waited
    log('building the governance UI (about 30 s)');
    const fresh = `${UI_BUILD_DIR}-next-${process.pid}`;
    rmSync(fresh, { recursive: true, force: true });
    const result = spawnSync(
      process.execPath,
      [join(UI_ROOT, '../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: UI_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GRIDCOOP_UI_OUT: fresh } },
    );
    if (result.status !== 0) {
      rmSync(fresh, { recursive: true, force: true });
      throw new Error(`the UI build failed:\n${result.stdout}\n${result.stderr}`);
    }
    const old = `${UI_BUILD_DIR}-old-${process.pid}`;
    if (existsSync(UI_BUILD_DIR)) renameSync(UI_BUILD_DIR, old);
    renameSync(fresh, UI_BUILD_DIR);
    rmSync(old, { recursive: true, force: true });
  });
}
