// How fast the VPP aggregator gets a new fleet target to every site, and what it costs: a real Mosquitto, N sites
// (protocol-level simulated sites in one other process, each its own MQTT 5 connection and credentials, reporting
// every second and following targets at once), the production aggregator (dispatch LP over HiGHS, 1 s cycle) in this
// process. Per N: time from a target change to every site receiving its share (p50/p99 over sites x changes), the
// dispatch cycle's wall time, the aggregator's CPU per site, messages through the broker per second, and the
// fleet's tracking error two cycles after a change.
//   node --import tsx test/bench/fleet-dispatch.ts [--sites 100,250,500] [--changes 10] [--cycle-ms 1000] [--verbose]
// With --real-cycles the sites run the real control cycle (fleet-dispatch-day.ts, fleet-cycle-swarm.ts) and the target
// follows a compressed day: [--step-s 8] [--settle-s 4] [--sites-per-process 50].
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { RealTimeScheduler } from '../../controller/src/cycle/real-time-scheduler.ts';
import { AggregatorService } from '../../fleet/src/aggregator/aggregator-service.ts';
import { MosquittoBroker, writeFleetCredentials } from '../../fleet/src/broker/index.ts';
import { DAY_SHAPE, runDay } from './fleet-dispatch-day.ts';

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        sites: { type: 'string', default: '100,250,500' },
        changes: { type: 'string', default: '10' },
        'cycle-ms': { type: 'string', default: '1000' },
        'real-cycles': { type: 'boolean', default: false },
        'step-s': { type: 'string', default: '8' },
        'settle-s': { type: 'string', default: '4' },
        'sites-per-process': { type: 'string', default: '50' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`fleet-dispatch: ${(error as Error).message.split('\n')[0]} (see --help)`);
    process.exit(2);
  }
}
const values = parseCommandLine();
if (values.help) {
  console.log(
    'usage: npm run bench fleet-dispatch -- [--sites 100,250,500] [--changes 10] [--cycle-ms 1000] [--verbose: each change, its late sites and the sites by status]\n' +
      '       [--real-cycles: sites run the real control cycle on in-memory devices, the target follows a day in hourly steps]\n' +
      '       [--step-s 8: wall seconds each simulated hour is held] [--settle-s 4: ramp time before the error is sampled] [--sites-per-process 50]',
  );
  process.exit(0);
}
const sizes = values.sites.split(',').map(Number);
const changes = Number(values.changes);
const cycleMs = Number(values['cycle-ms']);
if (sizes.some((n) => !(Number.isInteger(n) && n > 0)) || !(changes > 0) || !(cycleMs >= 100)) {
  console.error('fleet-dispatch: --sites is a list of positive integers, --changes > 0, --cycle-ms >= 100');
  process.exit(2);
}
const dayOptions = {
  cycleMs,
  stepS: Number(values['step-s']),
  settleS: Number(values['settle-s']),
  sitesPerProcess: Number(values['sites-per-process']),
  verbose: values.verbose,
};
if (
  !(dayOptions.settleS >= 0 && dayOptions.stepS > dayOptions.settleS) ||
  !(Number.isInteger(dayOptions.sitesPerProcess) && dayOptions.sitesPerProcess > 0)
) {
  console.error('fleet-dispatch: --step-s must exceed --settle-s >= 0, --sites-per-process is a positive integer');
  process.exit(2);
}
const swarmScript = join(dirname(fileURLToPath(import.meta.url)), 'fleet-site-swarm.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

type SwarmMessage =
  | { kind: 'ready' }
  | { kind: 'shares'; shares: [number, number, number][] }
  | { kind: 'counts'; published: number; received: number; cpu: NodeJS.CpuUsage };

async function runFleet(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-fleet-bench-'));
  const siteIds = Array.from({ length: n }, (_, i) => `site-${i}`);
  const files = writeFleetCredentials({ dir: join(dir, 'credentials'), siteIds });
  const broker = await MosquittoBroker.start({
    dir: join(dir, 'broker'),
    passwordFile: files.passwordFile,
    aclFile: files.aclFile,
  });
  const swarm: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      swarmScript,
      JSON.stringify({ url: broker.url, credentialsFile: files.credentialsFile, siteIds, dataPeriodMs: 1_000 }),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const firstShareAfter: number[] = [];
  let changeAtMs = Infinity;
  let received = 0;
  let countsResolve: ((counts: Extract<SwarmMessage, { kind: 'counts' }>) => void) | null = null;
  let ready = false;
  swarm.on('message', (message: SwarmMessage) => {
    if (message.kind === 'ready') ready = true;
    if (message.kind === 'counts') countsResolve?.(message);
    if (message.kind === 'shares')
      for (const [index, , atMs] of message.shares)
        if (atMs >= changeAtMs && firstShareAfter[index] === undefined) {
          firstShareAfter[index] = atMs;
          received += 1;
        }
  });
  const counts = () =>
    new Promise<Extract<SwarmMessage, { kind: 'counts' }>>((resolve) => {
      countsResolve = resolve;
      swarm.send({ kind: 'counts' });
    });
  while (!ready) await sleep(50);
  const aggregator = new AggregatorService({
    brokerUrl: broker.url,
    username: files.credentials.aggregator.username,
    password: files.credentials.aggregator.password,
    hostId: files.credentials.hostId,
    scheduler: new RealTimeScheduler(),
    logger: pino({ level: 'silent' }),
    timing: { cyclePeriodMs: cycleMs },
  });
  await aggregator.start();
  const started = Date.now();
  while (aggregator.sites.online().length < n) {
    if (Date.now() - started > 120_000)
      throw new Error(`only ${aggregator.sites.online().length} of ${n} sites online`);
    await sleep(100);
  }
  const room = aggregator.sites.online().reduce((sum, site) => sum + (site.bounded!.maxW - site.bounded!.baselineW), 0);
  const base = aggregator.sites.online().reduce((sum, site) => sum + site.bounded!.baselineW, 0);
  aggregator.targets.setLive(base - 0.4 * room, 3_600_000, Date.now());
  await aggregator.runOnce();
  await sleep(3_000);

  const latencies: number[] = [];
  const cycleWall: number[] = [];
  const trackingError: number[] = [];
  const swarmBefore = await counts();
  const aggregatorCpuBefore = process.cpuUsage();
  const commandsSent = async () =>
    (await aggregator.metrics.commands.get()).values.reduce((sum, v) => sum + v.value, 0);
  const commandsBefore = await commandsSent();
  const windowStart = Date.now();
  for (let k = 0; k < changes; k++) {
    const targetW = base + (k % 2 === 0 ? 0.4 : -0.4) * room;
    firstShareAfter.length = 0;
    received = 0;
    changeAtMs = Date.now();
    // what PUT /api/target does: take the target and dispatch at once
    aggregator.targets.setLive(targetW, 3_600_000, changeAtMs);
    const t0 = performance.now();
    await aggregator.runOnce();
    cycleWall.push(performance.now() - t0);
    const waitStart = Date.now();
    while (received < n) {
      if (Date.now() - waitStart > 60_000) throw new Error(`only ${received} of ${n} sites got their share`);
      await sleep(5);
    }
    for (const atMs of firstShareAfter) latencies.push(atMs - changeAtMs);
    if (values.verbose) {
      const late = firstShareAfter.map((atMs, i) => [i, atMs - changeAtMs] as const).filter(([, ms]) => ms > 1_000);
      console.log(
        `change ${k}: max ${Math.max(...firstShareAfter.map((a) => a - changeAtMs))} ms, late ${late.length}: ${late
          .slice(0, 5)
          .map(([i, ms]) => `${i}:${ms}`)
          .join(
            ' ',
          )}; cycle ${cycleWall[cycleWall.length - 1]!.toFixed(0)} ms; statuses ${JSON.stringify(aggregator.sites.all().reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }), {}))} rebirths ${aggregator.sites.all().reduce((sum, s) => sum + s.rebirthsRequested, 0)}`,
      );
    }
    changeAtMs = Infinity;
    await sleep(2 * cycleMs + 500);
    const snapshot = aggregator.snapshot();
    trackingError.push(Math.abs(snapshot.deliveredW - targetW) / Math.abs(targetW));
  }
  const windowS = (Date.now() - windowStart) / 1000;
  const cpu = process.cpuUsage(aggregatorCpuBefore);
  const swarmAfter = await counts();
  const sitesPublished = swarmAfter.published - swarmBefore.published;
  const sitesReceived = swarmAfter.received - swarmBefore.received;
  const aggregatorPublished = (await commandsSent()) - commandsBefore;
  await aggregator.stop();
  swarm.send({ kind: 'stop' });
  await new Promise((resolve) => swarm.once('exit', resolve));
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  cycleWall.sort((a, b) => a - b);
  const aggregatorCpuMsPerS = (cpu.user + cpu.system) / 1000 / windowS;
  return {
    n,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies[latencies.length - 1]!,
    cycleP50: quantile(cycleWall, 0.5),
    cycleMax: cycleWall[cycleWall.length - 1]!,
    cpuPerSiteMsPerS: aggregatorCpuMsPerS / n,
    cpuPct: aggregatorCpuMsPerS / 10,
    // published into the broker: the sites' births and data + the aggregator's commands; each is delivered once
    // (data to the aggregator, a command to its site), so deliveries out of the broker match (sitesReceived counts them)
    sitesReportsPerS: sitesPublished / windowS,
    commandsPerS: aggregatorPublished / windowS,
    commandsDeliveredPerS: sitesReceived / windowS,
    trackingErrorPct: (100 * trackingError.reduce((s, e) => s + e, 0)) / trackingError.length,
    samples: latencies.length,
  };
}

console.log(
  `fleet-dispatch: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (values['real-cycles']) {
  console.log(
    `assumptions: one Mosquitto on 127.0.0.1; every site runs the real ControlCycle (controller/src/cycle) on in-memory` +
      ` devices (grid meter, 3-5 kW house load, 10 kWh / 5 kW battery at 50 % SoC ramped by the controller at 2.5 kW/s,` +
      ` 5 % reserve, import cap 15 kW, export cap 10 kW) and the controller's SiteLink (its own MQTT 5 connection,` +
      ` envelope and state every cycle, the VPP target followed through the operator setpoints), up to` +
      ` ${dayOptions.sitesPerProcess} sites per process, cycle ${cycleMs} ms on the wall clock; production aggregator` +
      ` (dispatch LP, ${cycleMs} ms cycle, a target change dispatched at once) in this process; the VPP target follows` +
      ` a day in 24 hourly steps (fractions of the fleet's room from its baseline: ${DAY_SHAPE.join(' ')}), each hour` +
      ` held ${dayOptions.stepS} s of wall time (the schedule is compressed, the sites' physics is not: SoC moves little);` +
      ` "applied" = the site's first cycle that ran with its new share, over the sites whose share changed by more than the aggregator's 50 W resend deadband; the aggregate error is the sum of the sites'` +
      ` metered grid power against the target, sampled every 250 ms from ${dayOptions.settleS} s after each change` +
      ` (after the ramps) to the next change`,
  );
  const dayRows = [];
  for (const n of sizes) {
    const row = await runDay(n, dayOptions);
    dayRows.push(row);
    console.log(
      `${String(n).padStart(4)} sites (${row.processes} site processes; fleet baseline ${row.baseKw.toFixed(0)} kW, room +${row.raiseRoomKw.toFixed(0)}/-${row.lowerRoomKw.toFixed(0)} kW):` +
        ` target change -> every site applied its share p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms, max ${row.max.toFixed(0)} ms (${row.samples} changed shares over 24 changes);` +
        ` aggregate error after ramps RMS ${(row.rmsW / 1000).toFixed(2)} kW = ${row.rmsPctOfMeanTarget.toFixed(2)} % of the mean |target|, ${row.within5Pct.toFixed(1)} % of ${row.errorSamples} samples within 5 % of the target, worst ${row.worstPct.toFixed(1)} %;` +
        ` dispatch cycle p50 ${row.cycleP50.toFixed(0)} ms, max ${row.cycleMax.toFixed(0)} ms; aggregator CPU ${row.cpuPct.toFixed(1)} % of a core = ${row.cpuPerSiteUsPerS.toFixed(0)} us/s per site;` +
        ` sites' cycles ${row.siteCyclesCpuPct.toFixed(1)} % of a core; broker ${(row.messagesInPerS + row.commandsPerS).toFixed(0)} msgs/s (sites -> aggregator ${row.messagesInPerS.toFixed(0)}, commands ${row.commandsPerS.toFixed(0)}); failed site cycles ${row.cycleErrors}`,
    );
  }
  if (dayRows.length > 1) {
    const first = dayRows[0]!;
    const last = dayRows[dayRows.length - 1]!;
    console.log(
      `scaling ${first.n} -> ${last.n} sites (x${(last.n / first.n).toFixed(1)}): aggregator CPU x${(last.cpuPct / first.cpuPct).toFixed(2)}, CPU per site x${(last.cpuPerSiteUsPerS / first.cpuPerSiteUsPerS).toFixed(2)}`,
    );
  }
  process.exit(0);
}
console.log(
  `assumptions: one Mosquitto on 127.0.0.1, sites are protocol-level simulations (no control cycle) in one other process,` +
    ` each reporting every 1 s and applying a target at once; aggregator cycle ${cycleMs} ms, a target change is` +
    ` dispatched at once (as PUT /api/target does); ${changes} changes of +-40 % of the fleet's room per size`,
);
const rows = [];
for (const n of sizes) {
  const row = await runFleet(n);
  rows.push(row);
  console.log(
    `${String(n).padStart(4)} sites: target change -> every site has its share p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms, max ${row.max.toFixed(0)} ms (${row.samples} shares);` +
      ` dispatch cycle p50 ${row.cycleP50.toFixed(0)} ms, max ${row.cycleMax.toFixed(0)} ms; aggregator CPU ${row.cpuPct.toFixed(1)} % of a core = ${(row.cpuPerSiteMsPerS * 1000).toFixed(0)} us/s per site;` +
      ` broker ${(row.sitesReportsPerS + row.commandsPerS).toFixed(0)} msgs/s published (sites ${row.sitesReportsPerS.toFixed(0)}, aggregator ${row.commandsPerS.toFixed(0)}; ${row.commandsDeliveredPerS.toFixed(0)} commands/s delivered); tracking error 2 cycles after a change ${row.trackingErrorPct.toFixed(2)} %`,
  );
}
if (rows.length > 1) {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  console.log(
    `scaling ${first.n} -> ${last.n} sites (x${(last.n / first.n).toFixed(1)}): aggregator CPU x${(last.cpuPct / first.cpuPct).toFixed(2)}, CPU per site x${(last.cpuPerSiteMsPerS / first.cpuPerSiteMsPerS).toFixed(2)}`,
  );
}
process.exit(0);
