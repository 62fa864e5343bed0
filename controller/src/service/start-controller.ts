import { startApiServer, type RunningApiServer } from '../api/api-server.ts';
import type { ClockConfig } from '../config/clock-config.ts';
import type { ControllerConfig } from '../config/controller-config.ts';
import { resolveApiToken } from '../config/parse-controller-config.ts';
import { ScaledScheduler } from '../cycle/scaled-scheduler.ts';
import {
  createControllerService,
  type ControllerService,
  type ControllerServiceOptions,
} from './controller-service.ts';

export interface RunningController {
  service: ControllerService;
  api: RunningApiServer;
  /** Stops the API first (no writes during shutdown), then the service (devices revert by their own timers). */
  stop(): Promise<void>;
}

/**
 * The whole controller process in three steps: the service (drivers, cycle, planner, monitors), its start, and the
 * operator API in front of it. The token comes from GRIDCOOP_API_TOKEN, else the file's api.token.
 */
export async function startController(
  config: ControllerConfig,
  options: ControllerServiceOptions & { env?: NodeJS.ProcessEnv; apiPort?: number } = {},
): Promise<RunningController> {
  const token = resolveApiToken(config, options.env ?? process.env);
  const scheduler = options.scheduler ?? scaledSchedulerOf(config.clock);
  const service = createControllerService(config, scheduler ? { ...options, scheduler } : options);
  await service.start();
  let api: RunningApiServer;
  try {
    api = await startApiServer(service, {
      host: config.api.host,
      port: options.apiPort ?? config.api.port,
      token,
      corsOrigins: config.api.corsOrigins,
      logger: service.logger,
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return {
    service,
    api,
    async stop() {
      await api.close();
      await service.stop();
    },
  };
}

/** The configured simulated clock, or undefined for the wall clock. */
function scaledSchedulerOf(clock: ClockConfig): ScaledScheduler | undefined {
  if (!clock) return undefined;
  return new ScaledScheduler({
    simStartMs: clock.simStartMs,
    realStartMs: clock.realStartMs ?? Date.now(),
    speed: clock.speed,
  });
}
