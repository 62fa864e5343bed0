import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BatteryCycleCounter } from '@gridcoop/controller/fleet/battery-cycle-counter';
import { OwnerStateFile } from '@gridcoop/controller/fleet/owner-state-file';
import { startControllerFixture, type ControllerFixture } from '../../../controller/test/service/controller-fixture.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';

// A site's owner opts out or changes limits through the operator API; the controller restarts on the same data
// directory (the whole controller, through a real Mosquitto). The owner's say and the day's battery cycles must
// outlive the restart: an owner who opted out is not opted back in by a reboot.
const SITE = 'site-owner-kept';
const PASSWORD_ENV = 'TEST_FLEET_PASSWORD';
const DAY_MS = 86_400_000;
/** the controller fixture's clock: 2014-01-15 02:00 UTC */
const FIXTURE_DAY = Math.floor(Date.UTC(2014, 0, 15, 2) / DAY_MS);
let fleet: TestBroker;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gridcoop-owner-state-'));
  fleet = await startTestBroker([SITE]);
});

after(async () => {
  await fleet?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function startSite(ownerStatePath: string): Promise<ControllerFixture> {
  return startControllerFixture({
    config: {
      planner: { enabled: false },
      fleet: {
        siteId: SITE,
        zone: 'z',
        brokerUrl: fleet.broker.url,
        passwordEnv: PASSWORD_ENV,
        ownerStatePath,
        owner: { mode: 'min', dailyBatteryCycles: 2, minerMinW: 0 },
      },
    },
    env: { [PASSWORD_ENV]: fleet.credentials.sites[SITE]!.password },
  });
}

async function ownerOf(site: ControllerFixture): Promise<Record<string, unknown>> {
  const status = await site.api('/api/status');
  assert.equal(status.status, 200);
  return status.body.fleet.owner as Record<string, unknown>;
}

test('an owner who opted out through the API is still out after a restart, with the limits they set', async () => {
  const path = join(dataDir, 'opted-out', 'fleet-owner.json');
  const first = await startSite(path);
  try {
    await first.untilOnline();
    await first.cycles(2); // the link counts the day's battery cycles from the cycles it sees
    assert.equal((await ownerOf(first)).mode, 'min', 'the configuration applies while nothing is kept');
    const changed = await first.api('/api/fleet/owner', { method: 'PUT', json: { mode: 'off', minerMinW: 1_500 } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
  } finally {
    await first.stop();
  }
  const kept = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(kept.owner, { mode: 'off', dailyBatteryCycles: 2, minerMinW: 1_500 });
  assert.equal(kept.batteryCycles.dayUtc, FIXTURE_DAY);

  const second = await startSite(path);
  try {
    await second.untilOnline();
    const owner = await ownerOf(second);
    assert.deepEqual([owner.mode, owner.minerMinW, owner.dailyBatteryCycles], ['off', 1_500, 2]);
    assert.ok(second.logLines.some((line) => line.msg === "fleet link: the owner's say as last kept"));
  } finally {
    await second.stop();
  }
});

test("the day's battery cycles are kept for the same UTC day and dropped on the next", async () => {
  const path = join(dataDir, 'cycles', 'fleet-owner.json');
  const owner = { mode: 'now', dailyBatteryCycles: 2, minerMinW: 0 } as const;
  // a day that already used its budget (far more than two capacities discharged)
  new OwnerStateFile(path).save({ owner, batteryCycles: { dayUtc: FIXTURE_DAY, dischargedWh: 1e9 } });
  const sameDay = await startSite(path);
  try {
    await sameDay.untilOnline();
    const status = await ownerOf(sameDay);
    assert.equal(status.mode, 'now');
    assert.equal(status.batteryBudgetUsed, true);
    assert.ok((status.batteryCyclesToday as number) > 2);
  } finally {
    await sameDay.stop();
  }
  new OwnerStateFile(path).save({ owner, batteryCycles: { dayUtc: FIXTURE_DAY - 1, dischargedWh: 1e9 } });
  const nextDay = await startSite(path);
  try {
    await nextDay.untilOnline();
    await nextDay.cycles(2);
    const status = await ownerOf(nextDay);
    assert.equal(status.batteryBudgetUsed, false, "yesterday's cycles do not count today");
    assert.ok((status.batteryCyclesToday as number) < 0.01);
  } finally {
    await nextDay.stop();
  }

  // the counter alone: a kept day goes on, another day starts from 0
  const counter = new BatteryCycleCounter(10_000, { dayUtc: FIXTURE_DAY, dischargedWh: 5_000 });
  const t0 = FIXTURE_DAY * DAY_MS + 3_600_000;
  assert.equal(counter.cyclesOn(t0), 0.5);
  counter.observe(t0, 10_000);
  counter.observe(t0 + 36_000, 10_000); // 100 Wh more
  assert.equal(counter.cyclesOn(t0 + 36_000), 0.51);
  assert.deepEqual(counter.kept(), { dayUtc: FIXTURE_DAY, dischargedWh: 5_100 });
  counter.observe(t0 + DAY_MS, 10_000);
  assert.equal(counter.cyclesOn(t0 + DAY_MS), 0);
});

test("an unreadable kept say is logged naming the field, moved aside intact, and the configuration's applies", async () => {
  const dir = join(dataDir, 'broken');
  const path = join(dir, 'fleet-owner.json');
  const broken = '{"owner": {"mode": "sometimes", "dailyBatteryCycles": null, "minerMinW": 0}, "batteryCycles": null}';
  new OwnerStateFile(path).save({
    owner: { mode: 'off', dailyBatteryCycles: null, minerMinW: 0 },
    batteryCycles: null,
  });
  writeFileSync(path, broken);
  const site = await startSite(path);
  try {
    await site.untilOnline();
    await site.cycles(1);
    assert.equal((await ownerOf(site)).mode, 'min');
    const logged = site.logLines.find(
      (line) =>
        line.msg === "fleet link: the kept owner's say is unreadable, following fleet.owner from the configuration",
    );
    assert.ok(logged, 'the error is logged');
    assert.equal(logged.level, 50);
    assert.match(String(logged.reason), /owner\.mode/);
    const aside = readdirSync(dir).filter((name) => name.startsWith('fleet-owner.json.unreadable-'));
    assert.equal(aside.length, 1);
    assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), broken, 'what it held is kept for a person to read');
    assert.ok(existsSync(path), 'a readable file is written again from the say in force');
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).owner.mode, 'min');
  } finally {
    await site.stop();
  }
  assert.equal(new OwnerStateFile(join(dir, 'none.json')).load(0).kind, 'missing');
  writeFileSync(path, 'not json');
  const load = new OwnerStateFile(path).load(1);
  assert.equal(load.kind, 'unreadable');
});
