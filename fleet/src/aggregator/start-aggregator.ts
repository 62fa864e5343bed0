import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { RealTimeScheduler } from '@gridcoop/controller/cycle/real-time-scheduler';
import type { Scheduler } from '@gridcoop/controller/cycle/scheduler';
import { defaultAllocationPolicy } from '@gridcoop/controller/policy/allocation-policy';
import { PolicyAdvisor, observeFleet, type PolicyBasis } from '../advisor/index.ts';
import { startAggregatorApi, type RunningAggregatorApi } from './api/aggregator-api.ts';
import { AggregatorService, type AggregatorTiming } from './aggregator-service.ts';
import type { ZoneLimit } from './dispatch/index.ts';

export interface AggregatorSetup {
  brokerUrl: string;
  username: string;
  password: string;
  hostId: string;
  groupId?: string;
  /** CA certificate (PEM file) for an mqtts:// broker. */
  tlsCaFile?: string;
  api: { host: string; port: number; token: string | null; corsOrigins: string[] };
  /** Validity of a live target the grid operator sends without one, s. */
  defaultTargetValidForS: number;
  timing?: Partial<AggregatorTiming>;
  zoneLimits: ZoneLimit[];
  /** The policy the advisor's drafts start from; absent = the controller's default policy. */
  policy?: PolicyBasis;
  logger: Logger;
  scheduler?: Scheduler;
}

export interface RunningAggregator {
  service: AggregatorService;
  api: RunningAggregatorApi;
  advisor: PolicyAdvisor;
  stop(): Promise<void>;
}

/** The aggregator, its advisor and its API, as `npm run aggregator` runs them. */
export async function startAggregator(setup: AggregatorSetup): Promise<RunningAggregator> {
  const scheduler = setup.scheduler ?? new RealTimeScheduler();
  const service = new AggregatorService({
    brokerUrl: setup.brokerUrl,
    username: setup.username,
    password: setup.password,
    hostId: setup.hostId,
    ...(setup.groupId ? { groupId: setup.groupId } : {}),
    scheduler,
    logger: setup.logger,
    zoneLimits: setup.zoneLimits,
    ...(setup.timing ? { timing: setup.timing } : {}),
    ...(setup.tlsCaFile ? { mqtt: { ca: readFileSync(setup.tlsCaFile), rejectUnauthorized: true } } : {}),
  });
  const advisor = new PolicyAdvisor(
    setup.policy ?? {
      version: null,
      policy: defaultAllocationPolicy,
      source: 'the default policy (no --policy given)',
    },
  );
  service.onSnapshot((snapshot) =>
    advisor.observe(observeFleet(snapshot.atMs, service.sites.all(), service.zoneLimits, service.lastDispatch)),
  );
  await service.start();
  let api: RunningAggregatorApi;
  try {
    api = await startAggregatorApi(service, {
      ...setup.api,
      defaultTargetValidForS: setup.defaultTargetValidForS,
      logger: setup.logger,
      advisor,
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return {
    service,
    api,
    advisor,
    async stop() {
      await api.close();
      await service.stop();
    },
  };
}
