/**
 * The fleet view in real Chromium against the real demo fleet (startDemoSystem with `fleet`: Mosquitto with per-site
 * credentials, the VPP aggregator, the simulated plant and two home sites each run by its own controller, all on the
 * local chain): the page lists every site with its zone and state from the aggregator's API, follows a VPP target
 * set through the aggregator's own authenticated API (the target, each site's share and the sites following it, as
 * the aggregator's stream says), the plant view names a fleet target as the VPP's, and the page passes axe-core at
 * desktop and phone width without overflowing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
// the named export: the package's types are CommonJS, so the default import does not type-check under NodeNext
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator } from '@playwright/test';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
import { launchBrowser, openApp, screenshot, watchPageErrors, type TestBrowser } from './support/browser.ts';
import { formatPower } from '../src/lib/format/units.ts';
import type { FleetSnapshot } from '../src/lib/fleet/aggregator-api.ts';

async function words(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the fleet view', { concurrency: false }, () => {
  let system: UiTestSystem;
  let browser: TestBrowser;
  let aggregatorUrl: string;

  before(async () => {
    system = await startUiTestSystem({ fleet: true });
    browser = await launchBrowser();
    aggregatorUrl = system.fleet!.hub.aggregatorUrl;
    // every site born and reporting before the page looks
    await waitFor('three sites online at the aggregator', async () => {
      const fleet = await getJson<FleetSnapshot>(`${aggregatorUrl}/api/fleet`);
      return fleet.sites.filter((s) => s.status === 'online').length === 3;
    });
  });
  after(async () => {
    await browser?.stop();
    await system?.stop();
  });

  test('lists every site with its zone and state, and follows a VPP target set through the aggregator', async () => {
    const config = await getJson<{ aggregatorUrl: string | null }>(`${system.ui.url}/config.json`);
    assert.equal(config.aggregatorUrl, aggregatorUrl, 'config.json points the UI at the aggregator');
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await openApp(page, system.ui.url, '/fleet');
    await page.getByText('Live stream: live').waitFor({ timeout: 30_000 });

    // by zone, then site
    const expected = [
      { siteId: 'plant', zone: 'demo' },
      { siteId: 'home-east', zone: 'east' },
      { siteId: 'home-north', zone: 'north' },
    ];
    const rows = page.getByTestId('fleet-sites').locator('tbody tr');
    await waitFor('the three sites on the page', async () => (await rows.count()) === 3);
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-site'))),
      expected.map((s) => s.siteId),
    );
    for (const { siteId, zone } of expected) {
      assert.equal(await words(page.getByTestId(`zone-${siteId}`)), `zone ${zone}`);
      assert.equal(await words(page.getByTestId(`status-${siteId}`)), 'online');
      assert.match(await words(page.getByTestId(`envelope-${siteId}`)), /-?[\d.]+ k?W to -?[\d.]+ k?W/);
    }
    assert.equal(await words(page.getByTestId('sites-online')), '3 of 3');
    const zones = await page
      .getByTestId('fleet-zones')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-zone')));
    assert.deepEqual(zones, ['demo', 'east', 'north']);
    assert.match(await words(page.getByTestId('vpp-target')), /^none/);

    // The grid operator sets a VPP target through the aggregator's API, with the token; the page follows it.
    const before = await getJson<FleetSnapshot>(`${aggregatorUrl}/api/fleet`);
    const targetW = Math.round((before.deliveredW + 6_000) / 1000) * 1000;
    const refused = await fetch(`${aggregatorUrl}/api/target`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ targetW }),
    });
    assert.equal(refused.status, 401, 'a target without the token is refused');
    const set = await fetch(`${aggregatorUrl}/api/target`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${system.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ targetW, validForS: 600 }),
    });
    assert.equal(set.status, 200, await set.clone().text());
    await waitFor('the VPP target on the page', async () =>
      (await words(page.getByTestId('vpp-target'))).startsWith(`${formatPower(targetW)} (live call`),
    );
    // each site's share and control as the aggregator reports them, once every site follows the VPP
    const dispatched = await waitFor('every site following its share', async () => {
      const fleet = await getJson<FleetSnapshot>(`${aggregatorUrl}/api/fleet`);
      return fleet.sites.every((s) => s.control === 'vpp' && s.target !== null) ? fleet : null;
    });
    for (const site of dispatched.sites)
      await waitFor(
        `${site.siteId} following the VPP on the page`,
        async () => (await words(page.getByTestId(`control-${site.siteId}`))) === 'following the VPP',
      );
    // each share on the page is the one the aggregator reports (read together, as shares move with the sites)
    await waitFor('every share on the page as the aggregator reports it', async () => {
      const fleet = await getJson<FleetSnapshot>(`${aggregatorUrl}/api/fleet`);
      for (const site of fleet.sites) {
        if (!site.target) return false;
        if ((await words(page.getByTestId(`target-${site.siteId}`))) !== formatPower(site.target.targetW)) return false;
      }
      // and the dispatch as the aggregator's last cycle split it
      return (await words(page.getByTestId('vpp-dispatch'))).startsWith(
        `${formatPower(fleet.dispatch!.dispatchedW)}, `,
      );
    });
    assert.match(await words(page.getByTestId('vpp-dispatch')), /^-?[\d.]+ k?W, /);

    // the plant's own view names its target as the fleet's, not as the operator's schedule
    await openApp(page, system.ui.url, '/plant');
    await waitFor('the plant view naming the VPP target', async () =>
      /the fleet's VPP target/.test(await words(page.getByTestId('operator-target'))),
    );

    // the target cleared: the page says so
    const cleared = await fetch(`${aggregatorUrl}/api/target`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${system.apiToken}` },
    });
    assert.equal(cleared.status, 200);
    await openApp(page, system.ui.url, '/fleet');
    await waitFor('no VPP target on the page', async () =>
      (await words(page.getByTestId('vpp-target'))).startsWith('none'),
    );
    assert.deepEqual(errors, []);
    await screenshot(page, 'fleet');
    await context.close();
  });

  test("the fleet page charts the last day from the aggregator's history, a minute at a time", async () => {
    type History = { stepMs: number; points: Array<[number, number, number | null]> };
    const stored = await waitFor(
      "a completed minute in the aggregator's history",
      async () => {
        const history = await getJson<History>(`${aggregatorUrl}/api/history`);
        return history.points.length > 0 ? history : null;
      },
      90_000,
    );
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await openApp(page, system.ui.url, '/fleet');
    const chart = page.getByTestId('fleet-history');
    await chart.waitFor({ timeout: 30_000 });
    const minutes = Number(await chart.getAttribute('data-minutes'));
    assert.ok(
      minutes >= stored.points.length,
      `the page charts ${minutes} minutes, the aggregator had ${stored.points.length}`,
    );
    const delivered = await chart.locator('path.delivered').getAttribute('d');
    assert.equal(delivered?.match(/[ML]/g)?.length, 2 * minutes, 'one step of the delivered line per minute');
    assert.match(await words(chart.locator('figcaption')), new RegExp(`${minutes} minutes?, \\d+ with a target`));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the site's owner opts out on the plant page with the controller's token; a wrong token or a bad limit changes nothing", async () => {
    const apiUrl = system.controller!.api.url;
    type Owner = { mode: string; dailyBatteryCycles: number | null; minerMinW: number };
    /** the owner's say alone (the day's battery cycles move on by themselves) */
    const ownerNow = async (): Promise<Owner> => {
      const { owner } = (await getJson<{ fleet: { owner: Owner } }>(`${apiUrl}/api/status`)).fleet;
      return { mode: owner.mode, dailyBatteryCycles: owner.dailyBatteryCycles, minerMinW: owner.minerMinW };
    };
    const before = await ownerNow();
    assert.equal(before.mode, 'min', "the demo's sites start in mode min");
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    try {
      await openApp(page, system.ui.url, '/plant');
      const card = page.getByTestId('fleet-owner');
      await card.getByTestId('owner-in-force').getByText('Minimum + VPP').waitFor({ timeout: 30_000 });
      // the form is folded away for everyone else who reads the page
      assert.equal(await card.getByRole('button', { name: 'Save' }).isVisible(), false);
      await card.getByText('Change how the VPP may use this site').click();
      assert.equal(await card.getByRole('radio', { name: /^Minimum \+ VPP/ }).isChecked(), true);

      // a half-typed limit and a missing token are named before anything is sent
      await card.getByRole('radio', { name: /^Off/ }).check();
      await card.getByLabel('Battery cycles per day').fill('two');
      await card.getByRole('button', { name: 'Save' }).click();
      await card.getByText('Battery cycles per day: a number from 0 to 100, or blank for no cap.').waitFor();
      await card.getByText("Token: required, the controller's operator token").waitFor();
      assert.deepEqual(await ownerNow(), before);

      // a wrong token: the controller refuses it and nothing changes
      await card.getByLabel('Battery cycles per day').fill('1.5');
      await card.getByLabel('Controller operator token').fill('not-the-token');
      await card.getByRole('button', { name: 'Save' }).click();
      await card.getByTestId('owner-refused').getByText('The controller refused the token').waitFor();
      assert.deepEqual(await ownerNow(), before);

      // the operator token: the site opts out, with the owner's limit
      await card.getByLabel('Controller operator token').fill(system.apiToken);
      await card.getByRole('button', { name: 'Save' }).click();
      await card.getByRole('status').getByText('Saved: Off.').waitFor({ timeout: 20_000 });
      const after = await ownerNow();
      assert.deepEqual([after.mode, after.dailyBatteryCycles, after.minerMinW], ['off', 1.5, before.minerMinW]);
      await card.getByTestId('owner-in-force').getByText('Off').waitFor({ timeout: 20_000 });
      // the aggregator now sees the plant offer its baseline alone
      await waitFor('the plant offering the VPP nothing', async () => {
        const site = (await getJson<FleetSnapshot>(`${aggregatorUrl}/api/fleet`)).sites.find(
          (s) => s.siteId === 'plant',
        );
        return site?.envelope && site.envelope.minW === site.envelope.maxW;
      });
      const results = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(
        results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
        [],
      );
      await screenshot(page, 'plant-fleet-owner');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      // the plant back in the fleet for the tests after this one
      const restored = await fetch(`${apiUrl}/api/fleet/owner`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${system.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mode: before.mode, dailyBatteryCycles: before.dailyBatteryCycles }),
      });
      assert.equal(restored.status, 200);
    }
  });

  test('the grid operator sets a live VPP target from the fleet page and clears it; a bad number or a wrong token changes nothing', async () => {
    type Target = { targetW: number; source: string; untilMs: number } | null;
    const targetNow = async () => (await getJson<{ active: Target }>(`${aggregatorUrl}/api/target`)).active;
    assert.equal(await targetNow(), null, 'no target in force before');
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    try {
      await openApp(page, system.ui.url, '/fleet');
      await page.getByText('Live stream: live').waitFor({ timeout: 30_000 });
      const control = page.getByTestId('vpp-target-control');
      assert.equal(await control.getByRole('button', { name: 'Set target' }).isVisible(), false, 'folded away');
      await control.getByText('Set or clear the target').click();

      // a half-typed power and a missing token are named before anything is sent
      await control.getByLabel('Target (kW)').fill('twelve');
      await control.getByRole('button', { name: 'Set target' }).click();
      await control.getByText('Target: a power in kW (import positive').waitFor();
      await control.getByText("Token: required, the aggregator's grid operator token").waitFor();

      // a wrong token: the aggregator refuses it and nothing changes
      await control.getByLabel('Target (kW)').fill('12');
      await control.getByLabel('Valid for (minutes)').fill('5');
      await control.getByLabel('Grid operator token').fill('not-the-token');
      await control.getByRole('button', { name: 'Set target' }).click();
      await control.getByTestId('target-refused').getByText('The aggregator refused the token').waitFor();
      assert.equal(await targetNow(), null);

      // the grid operator's token: the target is in force, and the page's own figures follow it
      await control.getByLabel('Grid operator token').fill(system.apiToken);
      await control.getByRole('button', { name: 'Set target' }).click();
      await control
        .getByRole('status')
        .getByText(`Target set: ${formatPower(12_000)} (live call)`)
        .waitFor();
      const inForce = await targetNow();
      assert.deepEqual([inForce?.targetW, inForce?.source], [12_000, 'live']);
      await waitFor('the target on the page', async () =>
        (await words(page.getByTestId('vpp-target'))).startsWith(`${formatPower(12_000)} (live call`),
      );

      await control.getByRole('button', { name: 'Clear live target' }).click();
      await control.getByRole('status').getByText('Live target cleared: no target in force').waitFor();
      assert.equal(await targetNow(), null);
      await waitFor('no target on the page', async () =>
        (await words(page.getByTestId('vpp-target'))).startsWith('none'),
      );
      const results = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(
        results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
        [],
      );
      await screenshot(page, 'fleet-target-control');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await fetch(`${aggregatorUrl}/api/target`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${system.apiToken}` },
      });
    }
  });

  for (const viewport of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 360, height: 780 },
  ]) {
    test(`axe-core finds no serious or critical violation at ${viewport.name} width, and nothing overflows`, async () => {
      const context = await browser.browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
      });
      const page = await context.newPage();
      await openApp(page, system.ui.url, '/fleet');
      await page.getByTestId('fleet-sites').waitFor({ timeout: 30_000 });
      await page
        .getByTestId('advisor-h')
        .or(page.getByRole('heading', { name: "The advisor's draft" }))
        .waitFor();
      const results = await new AxeBuilder({ page }).analyze();
      const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        severe.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`),
        [],
      );
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      const wide = await page.evaluate<string[]>(
        `[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))`,
      );
      assert.equal(overflow, 0, `the page is wider than ${viewport.width} px: ${wide.join(', ')}`);
      await screenshot(page, `fleet-${viewport.name}`);
      await context.close();
    });
  }
});
