// A running simulated plant (Modbus TCP + OPC UA on 127.0.0.1, OS-picked ports) with the whole controller in
// front of it (service + operator API on port 0), all on one ManualScheduler: plant physics, cycle deadlines,
// statechart delays and setpoint refreshes move only when a test moves the clock.
import { Writable } from 'node:stream';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import type { PlantConfigInput } from '@gridcoop/devices/plant/plant-config';
import { configFromPlant, type PlantConfigOverrides } from '../../../scripts/config-from-plant.ts';
import { parseControllerConfig } from '../../src/config/index.ts';
import type { CycleReport } from '../../src/cycle/control-cycle.ts';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { startController, type RunningController } from '../../src/service/start-controller.ts';

export const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';

/** A small plant: one of each nature, so a test file starts quickly. Midday in Melbourne: the sun is up. */
export const smallPlant: PlantConfigInput = {
  pvInverters: [{ id: 'pv-1', ratedPowerW: 15_000 }],
  batteries: [{ id: 'battery-1', capacityWh: 20_000, maxChargeW: 10_000, maxDischargeW: 10_000 }],
  miners: [{ id: 'miner-1' }],
  site: { loadPeakW: 12_000 },
};

/**
 * Response bodies are JSON the tests check field by field with assertions; typing every view here would only
 * repeat them, so they are read loosely.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiBody = any;

export interface ControllerFixture {
  scheduler: ManualScheduler;
  plant: RunningPlant;
  controller: RunningController;
  /** Every log line the controller wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  api(
    path: string,
    init?: RequestInit & { token?: string | null; json?: unknown },
  ): Promise<{ status: number; body: ApiBody }>;
  /** Moves the clock one cycle period and runs a cycle, `count` times; returns the last report. */
  cycles(count: number): Promise<CycleReport>;
  /** Lets the devices connect (real sockets: this waits for I/O, it asserts nothing about time). */
  untilOnline(ids?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startControllerFixture(
  options: { plant?: PlantConfigInput; config?: PlantConfigOverrides; env?: NodeJS.ProcessEnv } = {},
): Promise<ControllerFixture> {
  const scheduler = new ManualScheduler(Date.UTC(2014, 0, 15, 2, 0, 0)); // 13:00 in Melbourne (summer)
  const plantInput = options.plant ?? smallPlant;
  const plant = await startPlant(plantInput, { clock: scheduler });
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  let controller: RunningController;
  try {
    const config = parseControllerConfig(
      configFromPlant(plant.endpoints, plantInput, { api: { port: 0 }, logging: { level: 'info' }, ...options.config }),
    );
    controller = await startController(config, {
      scheduler,
      tick: false,
      logger: createLogger('info', sink),
      env: { GRIDCOOP_API_TOKEN: OPERATOR_TOKEN, ...options.env },
    });
  } catch (error) {
    await plant.stop();
    throw error;
  }
  const periodMs = controller.service.config.cycle.periodMs;
  return {
    scheduler,
    plant,
    controller,
    logLines,
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
      const token = init.token === undefined ? OPERATOR_TOKEN : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body = init.body;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      }
      const response = await fetch(`${controller.api.url}${path}`, { ...init, headers, body: body ?? null });
      const text = await response.text();
      let parsed: unknown = text;
      if ((response.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
      return { status: response.status, body: parsed };
    },
    async cycles(count) {
      let report: CycleReport | undefined;
      for (let i = 0; i < count; i++) {
        await scheduler.advance(periodMs);
        report = await controller.service.runCycle();
      }
      return report!;
    },
    async untilOnline(ids) {
      const wanted = ids ?? controller.service.plant.devices.map((d) => d.id);
      for (let attempt = 0; attempt < 400; attempt++) {
        const states = controller.service.devices().filter((d) => wanted.includes(d.id));
        if (states.every((d) => d.state === 'online')) return;
        // A connect that took longer than its (real-time) timeout on a loaded machine leaves the device backing off
        // on the manual clock: move the clock by one back-off step so its retry comes due.
        const backingOff = states.some((d) => d.state === 'faulted' || d.state === 'stale');
        await scheduler.advance(backingOff ? controller.service.config.deviceRetry.backoffStepMs : 0);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(
        `devices never came online: ${controller.service
          .devices()
          .map((d) => `${d.id}=${d.state}`)
          .join(', ')}`,
      );
    },
    async stop() {
      try {
        await controller.stop();
      } finally {
        await plant.stop();
      }
    },
  };
}
