import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../src/sim/clock.ts';
import {
  MinerCommandRefusedError,
  MinerConfigError,
  MinerModel,
  MinerPowerTargetError,
  type MinerConfig,
} from '../src/models/miner.ts';

function makeMiner(overrides: Partial<MinerConfig> = {}): { miner: MinerModel; clock: ManualClock } {
  const clock = new ManualClock();
  const miner = new MinerModel({
    id: 'miner-1',
    minPowerW: 1000,
    maxPowerW: 3000,
    powerTargetW: 3000,
    pauseRampS: 10,
    resumeRampS: 20,
    minOnS: 60,
    minOffS: 120,
    hashrateThsPerKw: 30,
    ambientC: 20,
    temperatureRiseCPerKw: 10,
    thermalTimeConstantS: 60,
    overheatC: 90,
    startMs: clock.now(),
    ...overrides,
  });
  return { miner, clock };
}

/** The error `fn` throws; fails the test if it throws nothing. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

function advance(miner: MinerModel, clock: ManualClock, seconds: number): void {
  clock.advance(seconds * 1000);
  miner.advanceTo(clock.now());
}

describe('miner model', () => {
  test('a running miner draws its power target as a load and hashes in proportion to power', () => {
    const { miner } = makeMiner();
    assert.equal(miner.state, 'running');
    assert.equal(miner.powerW, 3000);
    assert.equal(miner.acPowerW, -3000);
    assert.equal(miner.hashrateThs, 90);
  });

  test('a pause ramps down to zero over the pause ramp time and then reads paused', () => {
    const { miner, clock } = makeMiner();
    miner.pause(clock.now());
    assert.equal(miner.state, 'ramping-down');
    advance(miner, clock, 5);
    assert.equal(miner.powerW, 1500);
    assert.equal(miner.hashrateThs, 45);
    assert.equal(miner.state, 'ramping-down');
    advance(miner, clock, 5);
    assert.equal(miner.powerW, 0);
    assert.equal(miner.state, 'paused');
    assert.equal(miner.hashrateThs, 0);
  });

  test('a resume ramps up to the target over the resume ramp time after the minimum off time', () => {
    const { miner, clock } = makeMiner();
    miner.pause(clock.now());
    advance(miner, clock, 120);
    miner.resume(clock.now());
    assert.equal(miner.state, 'ramping-up');
    advance(miner, clock, 10);
    assert.equal(miner.powerW, 1500);
    advance(miner, clock, 10);
    assert.equal(miner.powerW, 3000);
    assert.equal(miner.state, 'running');
  });

  test('a pause before the minimum on time is refused with the miner and the time left, and changes nothing', () => {
    const { miner, clock } = makeMiner();
    miner.pause(clock.now());
    advance(miner, clock, 120);
    miner.resume(clock.now());
    advance(miner, clock, 45);
    const error = thrown(() => miner.pause(clock.now()));
    assert.ok(error instanceof MinerCommandRefusedError);
    assert.equal(error.minerId, 'miner-1');
    assert.equal(error.reason, 'min-on-time');
    assert.equal(error.timeLeftS, 15);
    assert.match(error.message, /miner-1.*15\.0 s left/);
    assert.equal(miner.state, 'running');
    assert.equal(miner.powerW, 3000);
  });

  test('a resume before the minimum off time is refused with the time left, and the miner stays paused', () => {
    const { miner, clock } = makeMiner();
    miner.pause(clock.now());
    advance(miner, clock, 100);
    const error = thrown(() => miner.resume(clock.now()));
    assert.ok(error instanceof MinerCommandRefusedError);
    assert.equal(error.reason, 'min-off-time');
    assert.equal(error.command, 'resume');
    assert.equal(error.timeLeftS, 20);
    assert.equal(miner.state, 'paused');
    assert.equal(miner.powerW, 0);
  });

  test('a power target outside min..max or not a number is refused and the old target is kept', () => {
    const { miner, clock } = makeMiner();
    miner.setPowerTarget(2000);
    for (const bad of [999, 3001, Number.NaN, Number.POSITIVE_INFINITY, -5]) {
      const error = thrown(() => miner.setPowerTarget(bad));
      assert.ok(error instanceof MinerPowerTargetError);
      assert.equal(error.minerId, 'miner-1');
      assert.equal(miner.powerTargetW, 2000);
    }
    advance(miner, clock, 60);
    assert.equal(miner.powerW, 2000);
  });

  test('a power target set while paused is the one a resume ramps up to', () => {
    const { miner, clock } = makeMiner({ minOffS: 0 });
    miner.pause(clock.now());
    advance(miner, clock, 10);
    miner.setPowerTarget(1200);
    assert.equal(miner.powerW, 0);
    miner.resume(clock.now());
    advance(miner, clock, 10);
    // The resume ramp takes its 20 s whatever the target: halfway after 10 s.
    assert.equal(miner.powerW, 600);
    advance(miner, clock, 10);
    assert.equal(miner.powerW, 1200);
    assert.equal(miner.state, 'running');
  });

  test('a running miner follows a lower power target at its target ramp rate', () => {
    const { miner, clock } = makeMiner({ powerTargetRampWPerS: 50 });
    miner.setPowerTarget(2000);
    advance(miner, clock, 10);
    assert.equal(miner.powerW, 2500);
    advance(miner, clock, 10);
    assert.equal(miner.powerW, 2000);
    assert.equal(miner.hashrateThs, 60);
  });

  test('the energy counter integrates the ramp exactly, even over a 15 minute jump of the clock', () => {
    const { miner, clock } = makeMiner();
    miner.pause(clock.now());
    advance(miner, clock, 15 * 60);
    // 10 s ramp from 3000 W to 0: 15000 Ws = 4.1666.. Wh, then nothing.
    assert.ok(Math.abs(miner.energyConsumedWh - 15000 / 3600) < 1e-9, `${miner.energyConsumedWh}`);
    advance(miner, clock, 0);
    miner.resume(clock.now());
    advance(miner, clock, 3600);
    // 20 s ramp up (30000 Ws) and 3580 s at 3000 W.
    const expectedWh = (15000 + 30000 + 3580 * 3000) / 3600;
    assert.ok(Math.abs(miner.energyConsumedWh - expectedWh) < 1e-6, `${miner.energyConsumedWh} vs ${expectedWh}`);
  });

  test('temperature settles toward ambient plus k times power with the thermal time constant', () => {
    const { miner, clock } = makeMiner({ initialState: 'paused' });
    assert.equal(miner.temperatureC, 20);
    miner.resume(clock.now());
    advance(miner, clock, 20);
    const afterRamp = miner.temperatureC;
    advance(miner, clock, 60);
    // One time constant later it has covered 1 - 1/e of the way to 50 °C.
    const expected = 50 + (afterRamp - 50) * Math.exp(-1);
    assert.ok(Math.abs(miner.temperatureC - expected) < 1e-9);
    advance(miner, clock, 3600);
    assert.ok(Math.abs(miner.temperatureC - 50) < 1e-6);
  });

  test('a miner that loses most of its cooling overheats and trips into FAULT with no power', () => {
    const { miner, clock } = makeMiner();
    miner.degrade({ coolingLossFraction: 0.8 }); // steady state 20 + 30 / 0.2 = 170 °C
    advance(miner, clock, 600);
    assert.equal(miner.state, 'fault');
    assert.equal(miner.faultCause, 'overheat');
    assert.equal(miner.powerW, 0);
    assert.equal(miner.hashrateThs, 0);
    assert.throws(
      () => miner.resume(clock.now()),
      (e: unknown) => e instanceof MinerCommandRefusedError && e.reason === 'fault',
    );
  });

  test('an injected fault stops the miner until it is cleared, and then it waits paused for a resume', () => {
    const { miner, clock } = makeMiner({ minOffS: 0 });
    miner.setFault(true);
    assert.equal(miner.state, 'fault');
    assert.equal(miner.powerW, 0);
    advance(miner, clock, 30);
    assert.equal(miner.state, 'fault');
    miner.setFault(false);
    assert.equal(miner.state, 'paused');
    miner.resume(clock.now());
    advance(miner, clock, 20);
    assert.equal(miner.state, 'running');
  });

  test('a bad cooling loss is refused and the old one kept', () => {
    const { miner } = makeMiner();
    assert.throws(() => miner.degrade({ coolingLossFraction: 1 }), RangeError);
    assert.throws(() => miner.degrade({ coolingLossFraction: Number.NaN }), RangeError);
    assert.equal(miner.temperatureC, 50);
  });

  test('an invalid config is refused with every problem named', () => {
    const error = thrown(() => makeMiner({ minPowerW: 4000, powerTargetW: 3500 }));
    assert.ok(error instanceof MinerConfigError);
    assert.equal(error.minerId, 'miner-1');
    assert.match(error.message, /minPowerW must not exceed maxPowerW/);
  });

  test('a clock moved backwards is ignored', () => {
    const { miner, clock } = makeMiner();
    advance(miner, clock, 10);
    const energy = miner.energyConsumedWh;
    miner.advanceTo(clock.now() - 5000);
    assert.equal(miner.energyConsumedWh, energy);
  });
});
