/**
 * The controller's public read API as the live plant view reads it (controller/src/api/api-server.ts): only the
 * fields the page shows, typed here because the controller's own types pull in Node. Reads need no token; the one
 * write the page makes, the site owner's say over the fleet (PUT /api/fleet/owner), needs the operator token. The
 * controller's CORS allowlist lets the UI's origin in.
 */

import { requestJson, type JsonRequestFailures } from '../json-request.ts';
import type { OwnerStatus } from './fleet-owner.ts';

export type DeviceNature = 'pv-inverter' | 'battery' | 'flexible-load' | 'meter';
export type DeviceHealth = 'connecting' | 'online' | 'stale' | 'faulted' | 'outOfService';

/** One device's snapshot in a cycle's process image (controller/src/cycle/process-image.ts). */
export interface DeviceSnapshot {
  id: string;
  kind: DeviceNature;
  health: DeviceHealth;
  /** read this cycle; false = an older reading held over (or none) */
  fresh: boolean;
  readAtMs: number | null;
  /** the nature's reading; every value may be null (unknown) */
  reading: Record<string, number | string | null> | null;
  failure: { kind: string; message: string } | null;
}

/** One `process-image` event of GET /api/stream. */
export interface StreamEvent {
  cycleIndex: number;
  atMs: number;
  plantState: string;
  /** the connection-point power the controller aimed for this cycle, import positive */
  gridTargetW: number | null;
  image: { cycleIndex: number; atMs: number; devices: Record<string, DeviceSnapshot> };
}

/**
 * The target in force (the API calls every connection-point target gridTargetW, import positive): the operator's live
 * call or schedule, or `vpp`, the site's share of its fleet's VPP target (below the operator's own, above the policy).
 */
export interface OperatorTarget {
  gridTargetW: number;
  source: 'live' | 'schedule' | 'vpp';
  untilMs: number;
}

/** The target's source as the plant view says it. */
export const TARGET_SOURCE_WORDS: Record<OperatorTarget['source'], string> = {
  live: 'live call',
  schedule: 'schedule',
  vpp: "the fleet's VPP target",
};

export interface ControllerStatus {
  plantState: string;
  atMs: number;
  lastCycle: { index: number; atMs: number } | null;
  policy: { version: number; source: 'local-config' | 'chain' };
  cycle: { periodMs: number; cycles: number; overruns: number };
  devices: Record<DeviceHealth, number>;
  operatorTarget: OperatorTarget | null;
  plan: { createdAtMs: number; solverStatus: string; steps: number } | null;
  alerts: Record<'info' | 'warning' | 'critical', number>;
  /** added for this view; older controllers lack it */
  gridConnection?: { gridMeterId: string; importCapW: number; exportCapW: number };
  /** the site's link to its fleet's VPP; null (or absent on older controllers) for a site on its own */
  fleet?: {
    connected: boolean;
    born: boolean;
    hostOnline: boolean | null;
    owner: OwnerStatus;
  } | null;
}

export interface RangeView {
  minW: number | null;
  maxW: number | null;
}

export interface Narrowing {
  controller: string;
  requested: { minW?: number; maxW?: number };
  reason: string;
  result: { minW: number; maxW: number };
}

export interface SetpointReason {
  deviceId: string;
  powerW: number;
  write: string | null;
  range: RangeView;
  decidedBy: string;
  reason: string;
  trail: Narrowing[];
}

export interface SetpointsReport {
  cycleIndex?: number;
  atMs?: number;
  plantState?: string;
  /** set when no cycle has run yet */
  note?: string;
  grid: {
    gridTargetW: number;
    decidedBy: string;
    reason: string;
    range: RangeView;
    operatorTarget: OperatorTarget | null;
  } | null;
  devices: SetpointReason[];
}

export interface PlanStep {
  startMs: number;
  batteryPowerW: number;
  socPct: number;
  /** generation positive like every device power in the API: the miners' planned draw is negative */
  minerPowerW: number;
  pvCurtailW: number;
  gridW: number;
  loadForecastW: number;
  pvForecastW: number;
}

/** P10..P90 of the forecasts the plan was made from, per planning step; null for a forecast without a band. */
export interface ForecastBands {
  startMs: number;
  stepMs: number;
  load: { p10W: number[]; p90W: number[] } | null;
  pv: { p10W: number[]; p90W: number[] } | null;
}

export interface PlanningState {
  plan: { createdAtMs: number; stepMs: number; steps: PlanStep[]; solverStatus: string; capShortfallWh: number } | null;
  sources: { load: string; pv: string; fallbackReason: string | null } | null;
  /** absent from controllers older than the bands */
  bands?: ForecastBands | null;
  lastAttemptAtMs: number | null;
  lastError: string | null;
}

export interface ForecastView {
  sources: PlanningState['sources'];
  /** per completed planning step since the controller started: what the plan expected and what was measured */
  steps: Array<{
    startMs: number;
    loadForecastW: number | null;
    loadActualW: number;
    pvForecastW: number | null;
    pvActualW: number;
  }>;
}

export interface PolicyInForce {
  version: number;
  policy: {
    battery_reserve_pct: number;
    surplus_split: { battery_pct: number; miners_pct: number; export_pct: number };
    miner_flexibility_pct: number;
  };
}

export interface MaintenanceAlert {
  deviceId: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  evidence: Record<string, number>;
  suggestedAction: string;
  raisedAtMs: number;
}

export interface LedgerView {
  mode: 'off' | 'cosmwasm' | 'kava';
  chainId: string | null;
  intervalS: number | null;
  nodes: Record<string, number>;
  outbox: {
    pending: number;
    done: number;
    rejected: number;
    retrying: number;
    oldestPendingStartS: number | null;
  } | null;
  submitter: {
    consecutiveFailures: number;
    lastError: string | null;
    lastSentTxHash: string | null;
    chainTimeS: number | null;
  } | null;
  policy: {
    inForce: PolicyInForce | null;
    effectiveFromMs: number | null;
    /** a passed change waiting in its timelock */
    pending: { proposalId: number; executableFromMs: number } | null;
    lastError: string | null;
  } | null;
  lastMeteringError: string | null;
}

/**
 * The controller could not be reached at all (down, wrong URL, CORS refused): the page retries. A TypeError, as
 * fetch's own network failures are, so LiveQuery counts it as "not reachable" rather than as a refusal.
 */
export class ControllerUnreachableError extends TypeError {
  override name = 'ControllerUnreachableError';
  constructor(
    readonly url: string,
    cause: string,
  ) {
    super(`the controller (${url}) is not reachable: ${cause}`);
  }
}

/** The controller answered, but with an error status (its body says why). */
export class ControllerRefusedError extends Error {
  override name = 'ControllerRefusedError';
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`the controller answered ${status} to ${path}: ${detail}`);
  }
}

/** The controller's failures in its own error types, for requestJson. */
function controllerFailures(baseUrl: string, path: string): JsonRequestFailures {
  return {
    unreachable: (detail) => new ControllerUnreachableError(baseUrl, detail),
    refused: (status, detail) => new ControllerRefusedError(path, status, detail),
  };
}

/** GET one read endpoint of the controller's API; throws ControllerUnreachableError or ControllerRefusedError. */
export async function controllerGet<T>(baseUrl: string, path: string): Promise<T> {
  return requestJson<T>(baseUrl, path, controllerFailures(baseUrl, path));
}

/**
 * PUT one write endpoint with the controller's operator token; the answer, or ControllerUnreachableError /
 * ControllerRefusedError (401: the token; 400: its `details` name each field, and the error's message lists them).
 */
export async function controllerPut<T>(baseUrl: string, path: string, token: string, json: unknown): Promise<T> {
  return requestJson<T>(baseUrl, path, controllerFailures(baseUrl, path), { method: 'PUT', token, json });
}

/** GET /api/history when the controller has one (another engineer may add it); null when it answers 404. */
export async function optionalControllerGet<T>(baseUrl: string, path: string): Promise<T | null> {
  try {
    return await controllerGet<T>(baseUrl, path);
  } catch (error) {
    if (error instanceof ControllerRefusedError && error.status === 404) return null;
    throw error;
  }
}

/**
 * GET /api/energy?from= (when the controller has it): per device and lifetime counter (energyWh, energyInWh,
 * energyOutWh, energyImportedWh, energyExportedWh), what its stored minutes counted since `sinceMs` and its last
 * stored value, from which live readings count on.
 */
export interface EnergyView {
  fromMs: number;
  toMs: number;
  devices: Array<{
    deviceId: string;
    kind: DeviceNature;
    counters: Record<string, { sinceMs: number; risenWh: number; lastWh: number; lastAtMs: number }>;
  }>;
}

/**
 * GET /api/history (when the controller has it): per device, average power per step ([bucket start ms, W, SoC % or
 * null]), generation positive at the device (a miner's consumption negative), the grid meter import positive.
 */
export interface DeviceHistoryView {
  series: Array<{ deviceId: string; points: Array<[number, number, number | null]> }>;
}
