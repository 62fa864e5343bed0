/**
 * What a first visit costs: every script the page loads (gzip size as the UI server would send it compressed),
 * which of them carry CosmJS (from the build's chunk-packages.json), and the time from navigation start to the app
 * being interactive (the layout's `gridcoop-interactive` mark, set when it has hydrated).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { UI_BUILD_DIR } from '../../server/serve-ui.ts';

export interface LoadedScript {
  path: string;
  gzipBytes: number;
  packages: string[];
  cosmjs: boolean;
}

function chunkPackages(): Record<string, string[]> {
  return JSON.parse(readFileSync(join(UI_BUILD_DIR, '_app/chunk-packages.json'), 'utf8')) as Record<string, string[]>;
}

const isCosmjs = (pkg: string): boolean => pkg.startsWith('@cosmjs/') || pkg === 'cosmjs-types';

/** Starts recording the scripts a page loads; call `scripts()` to read them so far. */
export function recordScripts(page: Page): { scripts(): LoadedScript[] } {
  const packages = chunkPackages();
  const seen = new Map<string, LoadedScript>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith('.js') || seen.has(url.pathname)) return;
    const path = url.pathname.replace(/^\//, '');
    const body = readFileSync(join(UI_BUILD_DIR, path));
    const pkgs = packages[path] ?? [];
    seen.set(url.pathname, {
      path,
      gzipBytes: gzipSync(body, { level: 9 }).length,
      packages: pkgs,
      cosmjs: pkgs.some(isCosmjs),
    });
  });
  return { scripts: () => [...seen.values()] };
}

/** Milliseconds from navigation start to the app's interactive mark. */
export async function timeToInteractiveMs(page: Page): Promise<number> {
  await page.waitForSelector('body[data-hydrated="true"]');
  return (await page.evaluate(`performance.getEntriesByName('gridcoop-interactive')[0]?.startTime ?? NaN`)) as number;
}
