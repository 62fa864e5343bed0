import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEGRADATION, NOISE, simulateBattery, simulateMiner, simulatePv, type Outcome } from './noisy-plant.ts';

/**
 * The maintenance monitors fed as a real plant feeds them (NOISE): a few device-years healthy and ten degraded runs
 * per detector, with the degradation sizes the README claims. Seeds are printed with every figure so a failure can be
 * replayed; the 100-device-year figures are a benchmark (`npm run bench maintenance-noise`), not a test.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function healthy(name: string, seeds: number[], run: (seed: number) => Outcome): { alarms: number; years: number } {
  let alarms = 0;
  let days = 0;
  for (const seed of seeds) {
    const outcome = run(seed);
    console.log(
      `${name} healthy seed ${seed}: ${outcome.falseAlarms} alarm(s) in ${outcome.healthyDeviceDays} device-days`,
    );
    alarms += outcome.falseAlarms;
    days += outcome.healthyDeviceDays;
  }
  return { alarms, years: days / 365 };
}

function delays(name: string, seeds: number[], run: (seed: number, day: number) => Outcome): (number | null)[] {
  return seeds.map((seed) => {
    const day = 20 + (seed % 10);
    const outcome = run(seed, day);
    console.log(
      `${name} degraded seed ${seed} on day ${day}: ${outcome.detectionDelayMs === null ? 'missed' : `${(outcome.detectionDelayMs / HOUR_MS).toFixed(1)} h`}, ${outcome.falseAlarms} alarm(s) before`,
    );
    return outcome.detectionDelayMs;
  });
}

const TEN = Array.from({ length: 10 }, (_, i) => 101 + i);

describe('maintenance monitors under realistic noise', () => {
  it(`PV: a ${DEGRADATION.pvLoss * 100} % loss is flagged within 3 days, against peers and against an irradiance sensor; no alarm in 12 healthy device-years (${NOISE.pv})`, () => {
    const peers = healthy('pv peers', [1, 2, 3], (seed) =>
      simulatePv({ seed, days: 365, degradeOnDay: null, peers: true }),
    );
    const solo = healthy('pv solo', [1, 2], (seed) =>
      simulatePv({ seed, days: 365, degradeOnDay: null, peers: false }),
    );
    assert.equal(
      peers.alarms + solo.alarms,
      0,
      `false alarms in ${(peers.years + solo.years).toFixed(0)} device-years`,
    );
    for (const usePeers of [true, false]) {
      const found = delays(usePeers ? 'pv peers' : 'pv solo', TEN, (seed, day) =>
        simulatePv({ seed, days: day + 7, degradeOnDay: day, peers: usePeers }),
      );
      for (const delay of found) assert.ok(delay !== null && delay <= 3 * DAY_MS, `delay ${delay}`);
    }
  });

  it(`battery: a ${DEGRADATION.batteryFade * 100} % fade within 5 days and a ${DEGRADATION.batteryEfficiencyLoss * 100} % efficiency loss within 15, rarely fully cycled; at most 1 false alarm in 8 battery-years (${NOISE.battery})`, () => {
    const seeds = [1, 2, 3, 4];
    const fade = healthy('battery capacity', seeds, (seed) =>
      simulateBattery({ seed, days: 365, degradeOnDay: null, degradation: 'fade' }),
    );
    const efficiency = healthy('battery efficiency', seeds, (seed) =>
      simulateBattery({ seed, days: 365, degradeOnDay: null, degradation: 'efficiency' }),
    );
    assert.ok(fade.alarms + efficiency.alarms <= 1, `${fade.alarms} + ${efficiency.alarms} false alarms`);
    for (const [kind, limitDays] of [
      ['fade', 5],
      ['efficiency', 15],
    ] as const) {
      const found = delays(`battery ${kind}`, TEN, (seed, day) =>
        simulateBattery({ seed, days: day + 20, degradeOnDay: day, degradation: kind }),
      );
      for (const delay of found) assert.ok(delay !== null && delay <= limitDays * DAY_MS, `${kind} delay ${delay}`);
    }
  });

  it(`miner: a ${DEGRADATION.minerCoolingLoss * 100} % cooling loss within 3 hours of running; no alarm in 2 miner-years (${NOISE.miner})`, () => {
    const found = healthy('miner', [1, 2], (seed) => simulateMiner({ seed, days: 365, degradeOnDay: null }));
    assert.equal(found.alarms, 0);
    for (const delay of delays('miner', TEN, (seed, day) => simulateMiner({ seed, days: day + 1, degradeOnDay: day })))
      assert.ok(delay !== null && delay <= 3 * HOUR_MS, `delay ${delay}`);
  });
});
