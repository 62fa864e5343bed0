/**
 * The node owner's part of the app, in real Chromium against the real demo system (local chain with the contracts,
 * the simulated plant and the controller recording one-minute intervals, the demo treasury funding each epoch):
 * registration and approval, a plant node's records in the chart and table with links to the transactions that
 * stored them, the CSV export, claims before and after settlement, and axe-core on every page of this part.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { CosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import type { RecordsResponse, NodesResponse } from '@gridcoop/contracts/client/registry-types';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
import { connectKeplr, pollUntil, seriousViolations } from './support/app-actions.ts';
import { giveVotingPower, registryAs } from './support/members.ts';
import {
  injectWallet,
  launchBrowser,
  openApp,
  screenshot,
  watchPageErrors,
  type TestBrowser,
} from './support/browser.ts';

const PREFIX = 'gridcoop';
let system: UiTestSystem;
let chromium: TestBrowser;
let reader: CosmWasmClient;
const contexts: BrowserContext[] = [];

async function ownerPage(
  accountIndex: number,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  await injectWallet(context, { mnemonic: system.account(accountIndex).mnemonic, prefix: PREFIX });
  const page = await context.newPage();
  return { page, errors: watchPageErrors(page) };
}

/** The operator (dev key 0) in the app through the development wallet, on `path`. */
async function operatorPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await openApp(page, system.ui.url, path);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.locator('#dev-account').selectOption('0');
  await page.getByRole('button', { name: 'Use development key' }).click();
  return { page, errors };
}

/** The plant node (owned by account 1) with the most recorded output so far, once it has a few records. */
async function recordedPlantNode(): Promise<{ nodeId: number; records: RecordsResponse['records'] }> {
  const owner = system.account(1).address;
  return pollUntil(
    'the controller to record intervals',
    async () => {
      const { nodes } = (await reader.queryContractSmart(system.registryAddress, {
        nodes: { owner, limit: 30 },
      })) as NodesResponse;
      let best: { nodeId: number; records: RecordsResponse['records']; out: number } | null = null;
      for (const node of nodes) {
        const { records } = (await reader.queryContractSmart(system.registryAddress, {
          records: { node_id: node.id, limit: 30 },
        })) as RecordsResponse;
        const out = records.reduce((s, r) => s + r.record.energy_out_wh, 0);
        if (records.length >= 2 && (!best || out > best.out)) best = { nodeId: node.id, records, out };
      }
      return best;
    },
    240_000,
  );
}

describe('node owners in the app', { concurrency: false }, () => {
  before(async () => {
    system = await startUiTestSystem();
    chromium = await launchBrowser();
    reader = await CosmWasmClient.connect(system.chain.rpcUrl);
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await chromium?.stop();
    reader?.disconnect();
    await system?.stop();
  });

  test('an owner registers a node checked as they type, the operator approves it from the app, the owner sees it active', async () => {
    const owner = await ownerPage(3);
    await openApp(owner.page, system.ui.url, '/nodes');
    await owner.page.getByText('Connect a wallet').first().waitFor();
    await connectKeplr(owner.page);
    await owner.page.getByTestId('no-nodes').waitFor();

    await owner.page.getByLabel('Kind').selectOption('battery');
    await owner.page.getByLabel('Rated power (W)').fill('5 kW');
    await owner.page.getByLabel('Zone').fill('North 1');
    await owner.page.getByLabel('Key 1').fill('Device!');
    await owner.page.getByLabel('Energy capacity (Wh)').click();
    const form = owner.page.locator('form[aria-labelledby="register-h"]');
    await form.getByText('A whole number of W, without decimals or units.').waitFor();
    await form.getByText('Use 1 to 32 lower-case letters, digits or dashes.').waitFor();
    await form.getByText('Use 1 to 32 lower-case letters, digits, "_" or "-".').waitFor();
    assert.match(await owner.page.getByTestId('register-fee').innerText(), /simulated once every field is valid/);

    await owner.page.getByLabel('Rated power (W)').fill('5000');
    await owner.page.getByLabel('Energy capacity (Wh)').fill('10000');
    await owner.page.getByLabel('Zone').fill('north-1');
    await owner.page.getByLabel('Key 1').fill('device');
    await owner.page.getByLabel('Value 1').fill('battery-garage');
    await owner.page
      .getByTestId('register-fee')
      .getByText(/Fee about .* GRID \([\d,]+ gas, simulated\)/)
      .waitFor();
    await owner.page.getByRole('button', { name: 'Register node' }).click();
    await owner.page.getByTestId('register-done').waitFor();

    const row = owner.page.getByTestId('node-row');
    await row.getByText('Pending approval').waitFor();
    assert.match(await row.getByTestId('node-next').innerText(), /Waiting for the operator's approval/);
    const nodeId = Number(await row.getAttribute('data-node-id'));
    assert.ok(nodeId > 0);

    // the operator (dev key 0) approves it from the same app
    const { page: operator, errors: operatorErrors } = await operatorPage('/nodes');
    const pending = operator.getByTestId('operator-section');
    await pending.getByRole('button', { name: `Approve node ${nodeId}` }).click();
    await pending.getByTestId('operator-outcome').getByText(`Node ${nodeId} approved.`).waitFor();
    await pending.getByTestId('no-pending').waitFor();

    // the owner's page picks the change up by itself
    await row.getByText('Active').waitFor({ timeout: 20_000 });
    const { status } = (await reader.queryContractSmart(system.registryAddress, { node: { node_id: nodeId } })) as {
      status: string;
    };
    assert.equal(status, 'active');
    assert.deepEqual(await seriousViolations(owner.page), []);
    assert.deepEqual(await seriousViolations(operator), []);
    await screenshot(owner.page, 'nodes-page');
    assert.deepEqual(owner.errors, []);
    assert.deepEqual(operatorErrors, []);
  });

  test("a plant node's page shows its records in the chart and table; a record links to its transaction, whose events include record_intervals", async () => {
    const { nodeId } = await recordedPlantNode();
    const owner = await ownerPage(1);
    await openApp(owner.page, system.ui.url, `/nodes/${nodeId}`);
    await owner.page.getByTestId('node-status').getByText('Active').waitFor();
    await owner.page.locator('[data-testid="records-chart"] canvas').first().waitFor();
    const rows = owner.page.getByTestId('record-row');
    await rows.first().waitFor();
    const summary = await owner.page.getByTestId('range-summary').innerText();
    const shown = Number(/^([\d,]+) intervals/.exec(summary)?.[1]?.replace(/,/g, ''));
    assert.ok(shown >= 2, summary);
    assert.equal(await rows.count(), Math.min(shown, 60));

    await rows.first().getByTestId('record-tx-link').click();
    await owner.page.waitForURL(/\/tx\/[0-9A-F]{64}$/);
    await owner.page.getByTestId('tx-result').getByText('Succeeded').waitFor();
    const events = owner.page.getByTestId('wasm-event');
    await events.first().waitFor();
    assert.match(await events.first().innerText(), /action\s+record_intervals/);
    const message = owner.page.getByTestId('tx-message').first();
    await message.getByText('record_intervals').first().waitFor();
    assert.match(await message.innerText(), /the node registry/);
    await screenshot(owner.page, 'tx-page');
    assert.deepEqual(await seriousViolations(owner.page), []);
    assert.deepEqual(owner.errors, []);
  });

  test('the records of the chosen range export as CSV with their counters, samples hash, oracle and height', async () => {
    const { nodeId } = await recordedPlantNode();
    const owner = await ownerPage(1);
    await openApp(owner.page, system.ui.url, `/nodes/${nodeId}`);
    await owner.page.getByTestId('record-row').first().waitFor();
    const link = owner.page.getByTestId('csv-link');
    const count = Number(/Export (\d+) records/.exec(await link.innerText())?.[1]);
    const [download] = await Promise.all([owner.page.waitForEvent('download'), link.click()]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    assert.equal(
      csv[0],
      'node_id,interval_start_utc,interval_start_s,interval_s,energy_out_wh,energy_in_wh,counter_out_wh,counter_in_wh,samples_hash,oracle,recorded_at_height,policy_version,reward_weight,counts_for_rewards',
    );
    assert.equal(csv.length - 1, count);
    // the rows are the chain's records, field for field
    const { records } = (await reader.queryContractSmart(system.registryAddress, {
      records: { node_id: nodeId, limit: 30 },
    })) as RecordsResponse;
    const first = records[0]!;
    const row = csv.slice(1).find((line) => line.split(',')[2] === String(first.record.interval_start));
    assert.ok(row, 'the oldest stored record is in the export');
    const cells = row.split(',');
    assert.deepEqual(cells.slice(4, 11), [
      String(first.record.energy_out_wh),
      String(first.record.energy_in_wh),
      String(first.record.counter_out_wh),
      String(first.record.counter_in_wh),
      first.record.samples_hash,
      first.oracle,
      String(first.recorded_at_height),
    ]);
    assert.deepEqual(owner.errors, []);
  });

  test("a claim before the epoch settles is refused in words; after the chain's clock passes settlement, Claim pays the owner", async () => {
    const config = (await reader.queryContractSmart(system.registryAddress, { config: {} })) as {
      epoch_length_s: number;
      settlement_delay_s: number;
    };
    // an epoch with records that has not settled by the chain's clock, with room for the page to load: the first
    // record's epoch may have settled already while earlier steps waited (10-minute epochs), so take the newest
    // record's, and wait for the next epoch's first record when that one is about to settle
    const { nodeId, epoch } = await pollUntil(
      'a recorded epoch that has not settled yet',
      async () => {
        const { nodeId, records } = await recordedPlantNode();
        const newestStartS = Math.max(...records.map((r) => r.record.interval_start));
        const epoch = Math.floor(newestStartS / config.epoch_length_s);
        const settlesAtS = (epoch + 1) * config.epoch_length_s + config.settlement_delay_s;
        const chainNowS = Date.parse((await reader.getBlock()).header.time) / 1000;
        return chainNowS < settlesAtS - 90 ? { nodeId, epoch } : null;
      },
      300_000,
      5_000,
    );
    const owner = await ownerPage(1);
    await openApp(owner.page, system.ui.url, `/nodes/${nodeId}`);
    await connectKeplr(owner.page);
    const row = owner.page.locator(`[data-testid="epoch-row"][data-epoch="${epoch}"]`);
    await row.getByText('settles in').waitFor();
    await row.getByRole('button', { name: `Claim rewards of epoch ${epoch}` }).click();
    await row
      .getByTestId('claim-outcome')
      .getByText(`Rewards of epoch ${epoch} cannot be claimed yet: claims open`)
      .waitFor();

    // past the epoch's end and its settlement delay, by the chain's clock
    const settlesAtS = (epoch + 1) * config.epoch_length_s + config.settlement_delay_s;
    const chainNowS = Date.parse((await reader.getBlock()).header.time) / 1000;
    await system.advanceChainTime(Math.max(0, settlesAtS - chainNowS) + 5);
    await row.getByText('Settled').waitFor({ timeout: 30_000 });
    const claimable = await pollUntil(
      'a claimable amount',
      async () => {
        const raw = await row.getByTestId('claimable').getAttribute('data-raw');
        return raw && raw !== '0' ? BigInt(raw) : null;
      },
      30_000,
    ).catch(async (error: unknown) => {
      const chain = await reader.queryContractSmart(system.registryAddress, { node_epoch: { node_id: nodeId, epoch } });
      const pool = await reader.queryContractSmart(system.registryAddress, { epoch: { epoch } });
      throw new Error(
        `${String(error)}; the row says "${await row.innerText()}"; the chain says ${JSON.stringify({ chain, pool })}`,
      );
    });
    const address = system.account(1).address;
    const before = BigInt((await reader.getBalance(address, 'ugrid')).amount);
    await row.getByRole('button', { name: `Claim rewards of epoch ${epoch}` }).click();
    const outcome = row.getByTestId('claim-outcome');
    await outcome.getByText(`Rewards of epoch ${epoch} claimed.`).waitFor();
    const hash = /\/tx\/([0-9A-F]{64})/.exec((await outcome.getByRole('link').getAttribute('href')) ?? '')?.[1];
    assert.ok(hash);
    const tx = await reader.getTx(hash);
    assert.ok(tx);
    const fee = BigInt(decodeTxRaw(tx.tx).authInfo.fee!.amount.find((c) => c.denom === 'ugrid')?.amount ?? '0');
    const after = BigInt((await reader.getBalance(address, 'ugrid')).amount);
    assert.equal(after - before, claimable - fee);
    assert.ok(claimable > fee, 'the reward is worth more than the fee');
    await row
      .getByTestId('claimable')
      .getByText(/^0 GRID$/)
      .waitFor({ timeout: 20_000 });
    assert.deepEqual(owner.errors, []);
  });

  test("a flexible load's page shows the flexibility it delivered on request and what it earned; /policy shows the flexibility multiplier", async () => {
    // the plant's oracle key (dev 6) is the controller's, which signs all the time: this node gets a site of its own
    // whose oracle (dev 9, unused without the fleet) the test signs with; the admin (dev 7) adds it
    const oracleIndex = 9;
    const admin = await registryAs(system, 7);
    await admin.registry.addSite('flex-test', [system.account(oracleIndex).address]).finally(() => admin.close());
    const owner = await registryAs(system, 2);
    const operator = await registryAs(system, 0);
    const oracle = await registryAs(system, oracleIndex);
    const config = (await reader.queryContractSmart(system.registryAddress, { config: {} })) as {
      interval_s: number;
    };
    const intervalS = config.interval_s;
    let nodeId: number;
    let requestStart: number;
    try {
      await owner.registry.registerNode({ kind: 'flexible_load', ratedPowerW: 3_000, zone: 'members', metadata: [] });
      const { nodes } = await owner.registry.nodes({ owner: system.account(2).address, limit: 30 });
      nodeId = nodes.at(-1)!.id;
      await operator.registry.approveNode(nodeId, 'flex-test');
      // 8 intervals at 40 Wh, then one on request at 10 Wh: 30 Wh of flexibility against its 40 Wh baseline,
      // all ending before the chain's time, the last one in an epoch that has not settled yet
      const chainNowS = async () => Date.parse((await reader.getBlock()).header.time) / 1000;
      let nowS = await chainNowS();
      while (intervalS - (nowS % intervalS) < 15) {
        await new Promise((r) => setTimeout(r, 2_000));
        nowS = await chainNowS();
      }
      const firstS = Math.floor(nowS / intervalS) * intervalS - 9 * intervalS;
      requestStart = firstS + 8 * intervalS;
      let counter = 1_000;
      const records = Array.from({ length: 9 }, (_, i) => {
        const energy = i < 8 ? 40 : 10;
        counter += energy;
        return {
          node_id: nodeId,
          interval_start: firstS + i * intervalS,
          interval_s: intervalS,
          energy_in_wh: energy,
          energy_out_wh: 0,
          counter_in_wh: counter,
          counter_out_wh: 0,
          samples_hash: 'ab'.repeat(32),
          ...(i === 8
            ? {
                flexibility: {
                  direction: 'down' as const,
                  request_start: requestStart,
                  baseline_wh: 40,
                  delivered_wh: 30,
                },
              }
            : {}),
        };
      });
      await oracle.registry.recordIntervals(records);
    } finally {
      owner.close();
      operator.close();
      oracle.close();
    }

    const page = await ownerPage(2);
    await openApp(page.page, system.ui.url, `/nodes/${nodeId}`);
    await page.page.getByTestId('node-flexibility').getByText("30 Wh on the controller's request").waitFor();
    const flexible = page.page.getByTestId('record-flexibility');
    await flexible.first().waitFor();
    assert.match(await flexible.first().innerText(), /↓ 30 Wh less than its 40 Wh baseline/);
    assert.match(await page.page.getByTestId('range-summary').innerText(), /30 Wh of flexibility/);
    const epochLength = (
      (await reader.queryContractSmart(system.registryAddress, { config: {} })) as { epoch_length_s: number }
    ).epoch_length_s;
    const epoch = Math.floor(requestStart / epochLength);
    const row = page.page.locator(`[data-testid="epoch-row"][data-epoch="${epoch}"]`);
    await row.getByTestId('epoch-flexibility').getByText('30 Wh flexibility').waitFor();
    // a flexible load with no output earns all its reward for its flexibility: once settled, all it may claim
    const settles = (await reader.queryContractSmart(system.registryAddress, { epoch: { epoch } })) as {
      settles_at_s: number;
    };
    const chainNowS = Date.parse((await reader.getBlock()).header.time) / 1000;
    await system.advanceChainTime(Math.max(0, settles.settles_at_s - chainNowS) + 5);
    await row.getByText('Settled').waitFor({ timeout: 30_000 });
    const reward = await pollUntil(
      'the flexibility reward of a settled epoch',
      async () => {
        const raw = await row.getByTestId('flexibility-reward').getAttribute('data-raw');
        const claimable = await row.getByTestId('claimable').getAttribute('data-raw');
        return raw && claimable && raw === claimable ? BigInt(raw) : null;
      },
      30_000,
    );
    const onChain = (await reader.queryContractSmart(system.registryAddress, {
      node_epoch: { node_id: nodeId, epoch },
    })) as { claimable: string; reward_weight: string };
    assert.ok(BigInt(onChain.reward_weight) > 0n, 'the flexibility counts for rewards');
    assert.equal(reward, BigInt(onChain.claimable));
    assert.ok(reward > 0n, 'flexibility earns a share of the pool');

    await openApp(page.page, system.ui.url, '/policy');
    await page.page.getByText('Reward multiplier, flexibility').first().waitFor();
    await screenshot(page.page, 'policy-flexibility');
    assert.deepEqual(page.errors, []);
  });

  test('the operator suspends a node with a reason its owner reads and resumes it; its owner retires it for good only after confirming', async () => {
    const [nodeId] = await giveVotingPower(system, [{ index: 5, ratedPowerW: 3000 }]);
    const status = async () =>
      (await reader.queryContractSmart(system.registryAddress, { node: { node_id: nodeId } })) as {
        status: string;
        status_reason: string | null;
      };
    assert.equal((await status()).status, 'active');

    const operator = await operatorPage(`/nodes/${nodeId}`);
    const card = operator.page.getByTestId('node-lifecycle');
    await card.getByRole('heading', { name: 'Operator: this node' }).waitFor();
    // a blank reason is refused before anything is signed, naming the field
    await card.getByRole('button', { name: 'Suspend' }).click();
    await card.getByTestId('suspend-reason-problem').getByText('Reason: required').waitFor();
    assert.equal((await status()).status, 'active');
    await card.getByLabel('Reason for suspending').fill('inverter firmware audit');
    await card.getByRole('button', { name: 'Suspend' }).click();
    await card.getByText(`Node ${nodeId} suspended`).waitFor();
    const suspended = await status();
    assert.equal(suspended.status, 'suspended');
    assert.equal(suspended.status_reason, 'inverter firmware audit');
    await operator.page.getByTestId('node-status').getByText('Suspended').waitFor({ timeout: 20_000 });

    // the owner reads why, and may only retire (suspending and resuming are the operator's)
    const owner = await ownerPage(5);
    await openApp(owner.page, system.ui.url, `/nodes/${nodeId}`);
    await connectKeplr(owner.page);
    assert.match(
      await owner.page.getByTestId('node-next').innerText(),
      /Suspended by the operator: inverter firmware audit/,
    );
    const ownerCard = owner.page.getByTestId('node-lifecycle');
    await ownerCard.getByRole('heading', { name: 'Retire this node' }).waitFor();
    assert.equal(await ownerCard.getByRole('button', { name: /Suspend|Resume/ }).count(), 0);
    const retire = ownerCard.getByRole('button', { name: 'Retire for good' });
    assert.equal(await retire.isDisabled(), true, 'retiring waits for the confirmation');

    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByText(`Node ${nodeId} resumed`).waitFor();
    assert.equal((await status()).status, 'active');
    await owner.page.getByTestId('node-status').getByText('Active').waitFor({ timeout: 20_000 });

    await ownerCard.getByLabel(`I understand that retiring node ${nodeId} cannot be undone`).check();
    await retire.click();
    await ownerCard.getByText(`Node ${nodeId} retired for good`).waitFor();
    assert.equal((await status()).status, 'retired');
    await ownerCard
      .getByTestId('lifecycle-unavailable')
      .getByText('This node is already retired.')
      .waitFor({ timeout: 20_000 });
    // a retired node offers the operator nothing either: no suspend form, no resume
    await operator.page.getByTestId('node-status').getByText('Retired').waitFor({ timeout: 20_000 });
    assert.equal(await card.getByRole('button', { name: /Suspend|Resume|Retire/ }).count(), 0);
    assert.deepEqual(await seriousViolations(owner.page), []);
    assert.deepEqual(await seriousViolations(operator.page), []);
    await screenshot(owner.page, 'node-retired-by-owner');
    assert.deepEqual(owner.errors, []);
    assert.deepEqual(operator.errors, []);
  });

  test('the node page has no serious accessibility violation and fits a desktop and a 360 px phone', async () => {
    const { nodeId } = await recordedPlantNode();
    for (const viewport of [
      { width: 1280, height: 900, name: 'node-page-desktop' },
      { width: 360, height: 780, name: 'node-page-360' },
    ]) {
      const owner = await ownerPage(1);
      await openApp(owner.page, system.ui.url, `/nodes/${nodeId}`);
      // connected at desktop width: the header's wallet panel is the layout's, not this page's
      await connectKeplr(owner.page);
      await owner.page.setViewportSize({ width: viewport.width, height: viewport.height });
      await owner.page.locator('[data-testid="records-chart"] canvas').first().waitFor();
      await owner.page.getByTestId('epoch-row').first().waitFor();
      await owner.page
        .getByText(/No alert|raised/)
        .first()
        .waitFor();
      assert.deepEqual(await seriousViolations(owner.page), []);
      await screenshot(owner.page, viewport.name);
      // expressions as text: the page's DOM types are not this file's
      const overflow = (await owner.page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      const widest = (await owner.page.evaluate(
        `[...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))`,
      )) as string[];
      assert.ok(
        overflow <= 0,
        `the page is ${overflow} px wider than the ${viewport.width} px viewport: ${widest.join(', ')}`,
      );
      assert.deepEqual(owner.errors, []);
    }
  });
});
