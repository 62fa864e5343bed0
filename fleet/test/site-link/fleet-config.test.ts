import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerConfigError, parseControllerConfig } from '@gridcoop/controller/config/index';
import { fleetConfigSchema } from '@gridcoop/controller/config/fleet-config';
import { createSiteLink, siteProfileOf } from '@gridcoop/controller/fleet/create-site-link';
import { plantSpecOf } from '@gridcoop/controller/config/plant-spec-of';

const base = {
  plant: {
    devices: [
      { nature: 'meter', id: 'meter-1', driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1502 } },
      {
        nature: 'battery',
        id: 'battery-1',
        driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1503 },
        capacityWh: 10_000,
        maxChargeW: 5_000,
        maxDischargeW: 4_000,
      },
    ],
  },
  grid: { importCapW: 17_000, exportCapW: 10_000 },
};
const fleet = { siteId: 'home-1', zone: 'zone-north', brokerUrl: 'mqtt://127.0.0.1:1883' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

test('the fleet section is optional, takes defaults, and a bad field is named', () => {
  assert.equal(parseControllerConfig(base).fleet, undefined);
  const config = parseControllerConfig({ ...base, fleet });
  assert.deepEqual(config.fleet, fleetConfigSchema.parse(fleet));
  assert.equal(config.fleet?.hostId, 'aggregator');
  assert.equal(config.fleet?.passwordEnv, 'GRIDCOOP_FLEET_PASSWORD');
  assert.deepEqual(config.fleet?.owner, { mode: 'min', dailyBatteryCycles: null, minerMinW: 0 });
  assert.equal(config.fleet?.bdSeqPath, null);
  assert.equal(config.fleet?.ownerStatePath, null);
  const cases: [object, RegExp][] = [
    [{ ...fleet, brokerUrl: 'http://x' }, /fleet\.brokerUrl: must be mqtt:\/\/host:port/],
    [{ ...fleet, siteId: 'a/b' }, /fleet\.siteId: 1-64 letters/],
    [{ ...fleet, password: 'secret' }, /fleet: Unrecognized key/],
    [{ ...fleet, tls: { caFile: 'ca.crt', certFile: 'site.crt' } }, /fleet\.tls: certFile and keyFile go together/],
    [{ ...fleet, maxTargetValidityS: 7_200 }, /fleet\.maxTargetValidityS/],
    [{ ...fleet, owner: { mode: 'sometimes' } }, /fleet\.owner\.mode/],
    [{ ...fleet, owner: { minerMinW: -1 } }, /fleet\.owner\.minerMinW/],
    [{ ...fleet, owner: { dailyBatteryCycles: 'two' } }, /fleet\.owner\.dailyBatteryCycles/],
    [{ ...fleet, bdSeqPath: '' }, /fleet\.bdSeqPath/],
    [{ ...fleet, ownerStatePath: '' }, /fleet\.ownerStatePath/],
  ];
  for (const [section, message] of cases) {
    assert.throws(
      () => parseControllerConfig({ ...base, fleet: section }),
      (error: unknown) => {
        assert.ok(error instanceof ControllerConfigError);
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

test('a missing password or certificate file is a config error naming the field, before anything connects', () => {
  const config = parseControllerConfig({ ...base, fleet });
  const plant = plantSpecOf(config);
  const context = { now: () => 0, logger: quiet, env: {} };
  assert.throws(
    () => createSiteLink(config.fleet!, plant, context),
    /fleet\.passwordEnv: the broker password is missing: set GRIDCOOP_FLEET_PASSWORD/,
  );
  assert.throws(
    () => createSiteLink({ ...config.fleet!, passwordFile: '/nonexistent/pw' }, plant, context),
    /fleet\.passwordFile: \/nonexistent\/pw does not exist/,
  );
  assert.throws(
    () =>
      createSiteLink({ ...config.fleet!, tls: { caFile: '/nonexistent/ca.crt' } }, plant, {
        ...context,
        env: { GRIDCOOP_FLEET_PASSWORD: 'pw' },
      }),
    /fleet\.tls\.caFile: \/nonexistent\/ca.crt does not exist/,
  );
  assert.deepEqual(siteProfileOf(plant, 'zone-north'), {
    zone: 'zone-north',
    importLimitW: 17_000,
    exportLimitW: 10_000,
    capacity: { batteryEnergyWh: 10_000, batteryPowerW: 5_000, pvPeakW: 0, minerPowerW: 0 },
  });
});
