/**
 * `npm run bench ui-first-load`: what a first visit costs. For each main page, in a fresh browser context each time
 * (no cache): the JavaScript it loads (gzip, as served compressed) and the time from navigation start to the app
 * being interactive (hydrated), median and worst of 7 loads. The system runs on this machine (UI server, local chain
 * in process; without the plant, whose load would only add noise), Chromium from Debian, no network throttling:
 * these are loopback figures, not a phone on 4G.
 */
import { cpus, loadavg } from 'node:os';
import { startUiTestSystem } from '../test/support/system.ts';
import { launchBrowser, openApp } from '../test/support/browser.ts';
import { recordScripts, timeToInteractiveMs } from '../test/support/first-load.ts';

const RUNS = 7;
const PAGES = ['/', '/proposals', '/proposals/new', '/nodes', '/plant'];

const system = await startUiTestSystem({ withoutPlant: true });
const chromium = await launchBrowser();
try {
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('page              JS gzip   CosmJS chunks   time to interactive (median / worst of 7)');
  for (const path of PAGES) {
    const times: number[] = [];
    let gzip = 0;
    let cosmjs = 0;
    for (let run = 0; run < RUNS; run++) {
      const context = await chromium.browser.newContext();
      const page = await context.newPage();
      const recorder = recordScripts(page);
      await openApp(page, system.ui.url, path);
      times.push(await timeToInteractiveMs(page));
      await page.waitForLoadState('networkidle');
      const scripts = recorder.scripts();
      gzip = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
      cosmjs = scripts.filter((s) => s.cosmjs).length;
      await context.close();
    }
    times.sort((a, b) => a - b);
    console.log(
      `${path.padEnd(16)} ${(gzip / 1024).toFixed(1).padStart(6)} KB   ${String(cosmjs).padStart(13)}   ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms / ${times.at(-1)!.toFixed(0)} ms`,
    );
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await chromium.stop();
  await system.stop();
}
