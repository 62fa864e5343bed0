import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PvInverterModel } from '@gridcoop/devices/models/pv-inverter';
import { victorianPvProfile, type CapacityFactorProfile } from '@gridcoop/devices/profiles/pv-capacity-factor';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import { AlertBook } from '../../src/maintenance/alert-book.ts';
import type { MaintenanceAlert } from '../../src/maintenance/maintenance-alert.ts';
import { PvPerformanceMonitor } from '../../src/maintenance/pv-performance-monitor.ts';

const DAY_MS = 86_400_000;
const SAMPLE_MS = 5 * 60_000;
const MELBOURNE_STANDARD_MS = 10 * 3_600_000;

/** Each inverter sees the shared sky plus its own hour-to-hour wobble (local shading, sensor noise) of up to ±4 %. */
function noisyProfile(base: CapacityFactorProfile, deviceSeed: number): CapacityFactorProfile {
  return (ms) => {
    const hour = Math.floor(ms / 3_600_000);
    let x = Math.imul(hour ^ (deviceSeed * 0x9e3779b1), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    const unit = ((x ^ (x >>> 16)) >>> 0) / 4294967296;
    return base(ms) * (1 + 0.08 * (unit - 0.5));
  };
}

interface Site {
  inverters: PvInverterModel[];
  monitor: PvPerformanceMonitor;
  usesIrradiance: boolean;
}

function runDays(
  sites: Site[],
  clock: ManualClock,
  days: number,
  profile: CapacityFactorProfile,
  book: AlertBook,
  raised: MaintenanceAlert[],
): void {
  const end = clock.now() + days * DAY_MS;
  while (clock.now() < end) {
    clock.advance(SAMPLE_MS);
    const now = clock.now();
    for (const site of sites) {
      const readings = site.inverters.map((inverter) => {
        inverter.advanceTo(now);
        return { deviceId: inverter.id, ratedPowerW: inverter.ratedPowerW, acPowerW: inverter.acPowerW };
      });
      raised.push(...book.raiseAll(site.monitor.observe(now, readings, site.usesIrradiance ? profile(now) : null)));
    }
  }
}

describe('PV performance monitor on simulated inverters', () => {
  it('a string losing 20 % is flagged within 2 days, critical, with 0 alerts in 30 healthy days before', () => {
    const clock = new ManualClock(Date.UTC(2013, 11, 31, 14)); // local midnight, 1 January 2014 (summer)
    const profile = victorianPvProfile();
    const peers = ['pv-1', 'pv-2', 'pv-3', 'pv-4'].map(
      (id, i) =>
        new PvInverterModel({
          id,
          ratedPowerW: 5000,
          profile: noisyProfile(profile, i + 1),
          stringLossFraction: id === 'pv-4' ? 0.12 : 0.03,
          startingMs: 0,
        }),
    );
    const alone = new PvInverterModel({
      id: 'pv-solo',
      ratedPowerW: 8000,
      profile: noisyProfile(profile, 9),
      startingMs: 0,
    });
    const options = { sampleMs: SAMPLE_MS, utcOffsetMs: MELBOURNE_STANDARD_MS };
    const sites: Site[] = [
      { inverters: peers, monitor: new PvPerformanceMonitor(options), usesIrradiance: false },
      { inverters: [alone], monitor: new PvPerformanceMonitor(options), usesIrradiance: true },
    ];
    const book = new AlertBook();
    const raised: MaintenanceAlert[] = [];

    runDays(sites, clock, 7 + 30, profile, book, raised); // 7 days learning normal, 30 healthy days watched
    assert.deepEqual(raised.slice(), [], 'no alert on 30 healthy days (pv-4 is shaded but that is its normal)');

    clock.advance(12 * 3_600_000); // noon
    const degradedAtMs = clock.now();
    // Both run with the model's default 3 % string loss: output falls to exactly 80 % of their own normal.
    const twentyPercentLess = 1 - 0.8 * (1 - 0.03);
    peers[1]?.degrade({ stringLossFraction: twentyPercentLess });
    alone.degrade({ stringLossFraction: twentyPercentLess });
    runDays(sites, clock, 3, profile, book, raised);

    for (const id of ['pv-2', 'pv-solo']) {
      const first = raised.find((a) => a.deviceId === id);
      assert.ok(first, `${id} flagged`);
      assert.equal(first.kind, 'pv-underperformance');
      assert.ok(
        first.raisedAtMs - degradedAtMs <= 2 * DAY_MS,
        `${id} flagged after ${(first.raisedAtMs - degradedAtMs) / 3_600_000} h`,
      );
      const open = book.list({ deviceId: id })[0];
      assert.equal(open?.severity, 'critical');
      assert.ok(
        (open?.evidence.shortfallPct ?? 0) > 17 && (open?.evidence.shortfallPct ?? 100) < 23, // 20 % +- the hourly wobble
        `shortfall ${open?.evidence.shortfallPct} %`,
      );
      assert.match(open?.suggestedAction ?? '', /string/);
    }
    assert.deepEqual(
      raised.map((a) => a.deviceId).filter((id) => id !== 'pv-2' && id !== 'pv-solo'),
      [],
      'healthy peers are not blamed',
    );
  });
});
