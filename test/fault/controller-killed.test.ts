import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startPlant } from '@gridcoop/devices/plant/index';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import type { PvInverterModel } from '@gridcoop/devices/models/pv-inverter';
import { ScaledClock } from '@gridcoop/devices/sim/clock';
import type { ControllerProcessArgs } from './controller-process.ts';

/**
 * Real time (a ScaledClock at speed 1 starting at noon in Melbourne, so the sun is up) because the controller runs
 * in another process on the wall clock. Reversion times of 2 s keep the test short: the drivers refresh every
 * 0.8 s (40 % of it) while the controller lives.
 */
const NOON = Date.UTC(2013, 11, 1, 2, 0);
const REVERSION_S = 2;
const PERIOD_MS = 500;

function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls (real time) until `condition` holds; the bound only keeps a broken test from hanging. */
async function until(condition: () => boolean, what: string, boundMs = 30_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > boundMs) assert.fail(`still waiting until ${what}`);
    await realDelay(50);
  }
}

test('a SIGKILLed controller leaves the devices to revert by their own timers: PV limit back to 100 %, battery idle', async () => {
  const clock = new ScaledClock(1, NOON);
  const plant = await startPlant(
    {
      site: { loadPeakW: 4_000 },
      pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000 }],
      batteries: [{ id: 'battery-1', capacityWh: 10_000, maxChargeW: 3_000, maxDischargeW: 3_000, initialSocPct: 50 }],
      miners: [],
    },
    { clock, backgroundTickMs: 100 },
  );
  let child: ChildProcess | undefined;
  try {
    // A 1 kW export cap against ~7 kW of sun and ~2 kW of load: the battery charges at its 3 kW and PV is curtailed.
    const args: ControllerProcessArgs = {
      spec: {
        gridMeterId: 'meter-1',
        importCapW: 20_000,
        exportCapW: 1_000,
        devices: [
          { kind: 'meter', id: 'meter-1' },
          { kind: 'pv-inverter', id: 'pv-1', ratedPowerW: 10_000, reversionS: REVERSION_S },
          {
            kind: 'battery',
            id: 'battery-1',
            capacityWh: 10_000,
            maxChargeW: 3_000,
            maxDischargeW: 3_000,
            rampWPerS: 1_500,
            reversionS: REVERSION_S,
          },
        ],
      },
      endpoints: plant.endpoints,
      periodMs: PERIOD_MS,
    };
    child = fork(fileURLToPath(new URL('./controller-process.ts', import.meta.url)), [JSON.stringify(args)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(() => [{ type: 'exited' }]),
    ])) as [{ type: string }];
    assert.equal(message.type, 'online', 'the controller process connected to every device');

    const pv = plant.model('pv-1') as PvInverterModel;
    const battery = plant.model('battery-1') as BatteryModel;
    await until(
      () => pv.powerLimitEnabled && pv.powerLimitPct < 90 && battery.setpointW < -1_000,
      'the controller curtails PV and charges the battery',
    );

    // While the controller lives, its refreshes keep both setpoints in force well past their reversion time.
    const heldSinceMs = clock.now();
    await realDelay(3 * REVERSION_S * 1_000);
    plant.advance();
    assert.ok(
      pv.lastReversionMs === undefined || pv.lastReversionMs < heldSinceMs,
      'the PV limit did not revert while refreshed',
    );
    assert.ok(
      battery.lastReversionMs === undefined || battery.lastReversionMs < heldSinceMs,
      'the battery setpoint did not revert while refreshed',
    );
    assert.ok(pv.powerLimitEnabled && battery.setpointW < 0, 'both setpoints are still in force');

    const killedAtMs = clock.now();
    child.kill('SIGKILL');
    await once(child, 'exit');
    child = undefined;

    await until(() => {
      plant.advance();
      return (
        !pv.powerLimitEnabled && pv.powerLimitInForcePct === 100 && battery.setpointW === 0 && battery.acPowerW === 0
      );
    }, 'PV runs free and the battery idles');
    // It was the devices' own timers (nothing else talks to them now), run out after the kill.
    assert.ok(
      pv.lastReversionMs !== undefined && pv.lastReversionMs >= killedAtMs,
      `PV reverted at ${pv.lastReversionMs}, killed at ${killedAtMs}`,
    );
    assert.ok(
      battery.lastReversionMs !== undefined && battery.lastReversionMs >= killedAtMs,
      'the battery reverted after the kill',
    );
  } finally {
    child?.kill('SIGKILL');
    await plant.stop();
  }
});
