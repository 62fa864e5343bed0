/**
 * Builds the app when its build is missing or older than its sources (the contracts' client included), so
 * `npm start` and the browser tests always serve what the sources say. About 20-40 s on this machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UI_BUILD_DIR } from './serve-ui.ts';

const UI_ROOT = resolve(import.meta.dirname, '..');
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

/** Builds the UI if needed; throws with vite's output when the build fails. */
export function ensureUiBuilt(log: (line: string) => void = () => undefined): void {
  if (uiBuildIsCurrent()) return;
  log('building the governance UI (about 30 s)');
  const result = spawnSync(
    process.execPath,
    [join(UI_ROOT, '../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: UI_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  if (result.status !== 0) throw new Error(`the UI build failed:\n${result.stdout}\n${result.stderr}`);
}
