// The fleet-dispatch benchmark with sites running the real control cycle (--real-cycles): a real Mosquitto, N sites
// in processes of up to `sitesPerProcess` (fleet-cycle-swarm.ts: ControlCycle over in-memory devices + SiteLink), the
// production aggregator in this process. The VPP target follows a day's schedule (hourly steps, the day compressed:
// each hour held `stepS` wall seconds; the sites' physics and cycles run on the wall clock). Per step: time from the
// target change to every site running a cycle with its new share, then the aggregate metered grid power against the
// target once the ramps are through (`settleS` after the change), sampled every 250 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { RealTimeScheduler } from '../../controller/src/cycle/real-time-scheduler.ts';
import { AggregatorService } from '../../fleet/src/aggregator/aggregator-service.ts';
import { MosquittoBroker, writeFleetCredentials } from '../../fleet/src/broker/index.ts';

export interface DayOptions {
  cycleMs: number;
  stepS: number;
  settleS: number;
  sitesPerProcess: number;
  verbose: boolean;
}

/**
 * The VPP's day as a fraction of the fleet's room from its baseline, one per hour: charge overnight, export at the
 * morning peak, soak up midday solar, export hard at the evening peak (positive = more import).
 */
export const DAY_SHAPE = [
  0.4, 0.4, 0.5, 0.5, 0.4, 0.3, -0.3, -0.5, -0.5, -0.3, 0.5, 0.6, 0.7, 0.7, 0.6, 0.4, -0.4, -0.6, -0.7, -0.7, -0.5, 0.2,
  0.3, 0.4,
];

type SwarmMessage =
  | { kind: 'ready' }
  | { kind: 'applied'; applied: [number, number][]; gridW: number; atMs: number; cycleErrors: number }
  | { kind: 'cpu'; cpu: NodeJS.CpuUsage };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const swarmScript = join(dirname(fileURLToPath(import.meta.url)), 'fleet-cycle-swarm.ts');

export async function runDay(n: number, options: DayOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-fleet-day-'));
  const siteIds = Array.from({ length: n }, (_, i) => `site-${i}`);
  const files = writeFleetCredentials({ dir: join(dir, 'credentials'), siteIds });
  const broker = await MosquittoBroker.start({
    dir: join(dir, 'broker'),
    passwordFile: files.passwordFile,
    aclFile: files.aclFile,
  });
  const aggregator = new AggregatorService({
    brokerUrl: broker.url,
    username: files.credentials.aggregator.username,
    password: files.credentials.aggregator.password,
    hostId: files.credentials.hostId,
    scheduler: new RealTimeScheduler(),
    logger: pino({ level: 'silent' }),
    timing: { cyclePeriodMs: options.cycleMs },
  });
  await aggregator.start();
  const swarms: ChildProcess[] = [];
  const gridByProcess: number[] = [];
  let readyCount = 0;
  let cycleErrors = 0;
  let changeAtMs = Infinity;
  const appliedAfter: number[] = [];
  let applied = 0;
  const cpuWaiters: ((cpu: NodeJS.CpuUsage) => void)[] = [];
  for (let first = 0, p = 0; first < n; first += options.sitesPerProcess, p++) {
    const ids = siteIds.slice(first, first + options.sitesPerProcess);
    const swarm = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        swarmScript,
        JSON.stringify({
          url: broker.url,
          credentialsFile: files.credentialsFile,
          hostId: files.credentials.hostId,
          siteIds: ids,
          firstIndex: first,
          cycleMs: options.cycleMs,
        }),
      ],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    swarm.on('message', (message: SwarmMessage) => {
      if (message.kind === 'ready') readyCount += 1;
      if (message.kind === 'cpu') cpuWaiters.shift()?.(message.cpu);
      if (message.kind === 'applied') {
        gridByProcess[p] = message.gridW;
        cycleErrors = Math.max(cycleErrors, message.cycleErrors);
        for (const [index, atMs] of message.applied)
          if (atMs >= changeAtMs && appliedAfter[index] === undefined) {
            appliedAfter[index] = atMs;
            applied += 1;
          }
      }
    });
    swarms.push(swarm);
  }
  const started = Date.now();
  while (readyCount < swarms.length || aggregator.sites.online().length < n) {
    if (Date.now() - started > 180_000)
      throw new Error(`only ${aggregator.sites.online().length} of ${n} sites online`);
    await sleep(200);
  }
  await sleep(2 * options.cycleMs);
  const online = aggregator.sites.online();
  const base = online.reduce((sum, site) => sum + site.bounded!.baselineW, 0);
  const raiseRoom = online.reduce((sum, site) => sum + (site.bounded!.maxW - site.bounded!.baselineW), 0);
  const lowerRoom = online.reduce((sum, site) => sum + (site.bounded!.baselineW - site.bounded!.minW), 0);
  const targetOf = (f: number) => base + (f >= 0 ? f * raiseRoom : f * lowerRoom);

  const latencies: number[] = [];
  const cycleWall: number[] = [];
  const errorsW: number[] = [];
  const relErrors: number[] = [];
  const targetsW: number[] = [];
  const swarmsCpu = () =>
    Promise.all(
      swarms.map(
        (swarm) =>
          new Promise<NodeJS.CpuUsage>((resolve) => {
            cpuWaiters.push(resolve);
            swarm.send({ kind: 'cpu' });
          }),
      ),
    );
  const counted = async (counter: { get(): Promise<{ values: { value: number }[] }> }) =>
    (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);
  const sitesCpuBefore = await swarmsCpu();
  const cpuBefore = process.cpuUsage();
  const messagesBefore = await counted(aggregator.metrics.messages);
  const commandsBefore = await counted(aggregator.metrics.commands);
  const windowStart = Date.now();
  let changedShares = 0;
  for (const [hour, f] of DAY_SHAPE.entries()) {
    const targetW = targetOf(f);
    appliedAfter.length = 0;
    applied = 0;
    // the shares in force just before the change (the aggregator's own cycles redispatch between changes)
    const shareBefore = new Map(aggregator.lastDispatch?.shares.map((share) => [share.siteId, share.targetW]) ?? []);
    changeAtMs = Date.now();
    aggregator.targets.setLive(targetW, 3_600_000, changeAtMs);
    const t0 = performance.now();
    await aggregator.runOnce();
    cycleWall.push(performance.now() - t0);
    const stepStart = changeAtMs;
    const stepEnd = stepStart + options.stepS * 1000;
    // A site whose share moved by no more than the aggregator's resend deadband is sent nothing and has nothing to
    // apply: the latency is over the sites whose share changed.
    const shareNow = new Map(aggregator.lastDispatch?.shares.map((share) => [share.siteId, share.targetW]) ?? []);
    const moved = siteIds
      .map((siteId, index) => ({ index, before: shareBefore.get(siteId), now: shareNow.get(siteId) }))
      .filter(({ before, now }) => now !== undefined && (before === undefined || Math.abs(now - before) > 50))
      .map(({ index }) => index);
    changedShares += moved.length;
    const allApplied = () => moved.every((index) => appliedAfter[index] !== undefined);
    while (!allApplied()) {
      if (Date.now() - changeAtMs > 60_000)
        throw new Error(`only ${applied} of ${moved.length} sites applied their changed share`);
      await sleep(5);
    }
    for (const index of moved) latencies.push(appliedAfter[index]! - changeAtMs);
    changeAtMs = Infinity;
    const settleAt = stepStart + options.settleS * 1000;
    while (Date.now() < settleAt) await sleep(50);
    let stepErrors = 0;
    while (Date.now() < stepEnd) {
      const deliveredW = gridByProcess.reduce((sum, w) => sum + w, 0);
      errorsW.push(deliveredW - targetW);
      relErrors.push(Math.abs(deliveredW - targetW) / Math.abs(targetW));
      targetsW.push(Math.abs(targetW));
      stepErrors = Math.max(stepErrors, Math.abs(deliveredW - targetW) / Math.abs(targetW));
      await sleep(250);
    }
    if (options.verbose)
      console.log(
        `hour ${hour}: target ${(targetW / 1000).toFixed(1)} kW, ${moved.length} shares changed, all applied by ${moved.length ? Math.max(...moved.map((i) => appliedAfter[i]! - stepStart)) : 0} ms, worst error after ramps ${(100 * stepErrors).toFixed(2)} %`,
      );
  }
  const windowS = (Date.now() - windowStart) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const sitesCpuAfter = await swarmsCpu();
  const messagesIn = (await counted(aggregator.metrics.messages)) - messagesBefore;
  const commandsOut = (await counted(aggregator.metrics.commands)) - commandsBefore;
  const sitesCpuMs = sitesCpuAfter.reduce(
    (sum, c, i) => sum + (c.user + c.system - sitesCpuBefore[i]!.user - sitesCpuBefore[i]!.system) / 1000,
    0,
  );
  await aggregator.stop();
  for (const swarm of swarms) swarm.send({ kind: 'stop' });
  await Promise.all(swarms.map((swarm) => new Promise((resolve) => swarm.once('exit', resolve))));
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  cycleWall.sort((a, b) => a - b);
  const aggregatorCpuMsPerS = (cpu.user + cpu.system) / 1000 / windowS;
  const meanTargetW = targetsW.reduce((s, w) => s + w, 0) / targetsW.length;
  const rmsW = Math.sqrt(errorsW.reduce((s, e) => s + e * e, 0) / errorsW.length);
  return {
    n,
    processes: swarms.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies[latencies.length - 1]!,
    samples: latencies.length,
    changedShares,
    cycleP50: quantile(cycleWall, 0.5),
    cycleMax: cycleWall[cycleWall.length - 1]!,
    cpuPct: aggregatorCpuMsPerS / 10,
    cpuPerSiteUsPerS: (1000 * aggregatorCpuMsPerS) / n,
    siteCyclesCpuPct: sitesCpuMs / windowS / 10,
    messagesInPerS: messagesIn / windowS,
    commandsPerS: commandsOut / windowS,
    rmsW,
    rmsPctOfMeanTarget: (100 * rmsW) / meanTargetW,
    within5Pct: (100 * relErrors.filter((e) => e <= 0.05).length) / relErrors.length,
    errorSamples: relErrors.length,
    worstPct: 100 * Math.max(...relErrors),
    baseKw: base / 1000,
    raiseRoomKw: raiseRoom / 1000,
    lowerRoomKw: lowerRoom / 1000,
    cycleErrors,
  };
}
