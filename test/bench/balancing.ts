/**
 * Balancing-quality benchmark (issues 3 and 11): days of real load (vic_elec) and PV (Victorian capacity factors)
 * through the simulator, the SunSpec devices over Modbus TCP, with an operator schedule at the connection point.
 * For the GridCoop controller and for OpenEMS's own controllers at their best (test/bench/baselines/), each day and
 * over all days it prints:
 *  - RMS deviation of the grid power from the operator's schedule,
 *  - energy outside the connection caps (import and export) and the samples outside,
 *  - battery throughput (charge and discharge both count), PV energy produced, miner energy drawn.
 *
 *   node --import tsx test/bench/balancing.ts [--days eval|dev|2014-03-20,...] [--period-s 10] [--start-soc 50,50]
 *                                             [--no-miners] [--no-plan] [--baselines openems,balancing-only]
 *
 * Assumptions, stated in the output too:
 *  - Each day is simulated alone from local midnight (Melbourne, UTC+10 all year as in the profiles), batteries at
 *    --start-soc, miners running at 3 kW; the same schedule every day (below), within the caps everywhere.
 *  - The demo plant: 30 kW site load peak, PV 10 + 15 + 20 kW, batteries 10 kWh/5 kW and 20 kWh/10 kW (reserve 10 %),
 *    three miners 1-3 kW; caps 18 kW import, 5 kW export.
 *  - Both sides run on the same manual clock at the same cycle period (10 s; OpenEMS's default cycle is 1 s), and read
 *    the meter with the same SunSpec driver at the same instants. Miners are reached in-process by both sides
 *    (in-process-miner.ts says why); everything else over real sockets.
 *  - GridCoop: the controller as configured by test/e2e/controlled-plant.ts (PV reversion max(60 s, 3 cycles),
 *    battery reversion max(30 s, 3 cycles), miner min on/off 300 s), planning as the service does every 15 min
 *    (test/e2e/fresh-start-planning.ts) with no history, so its forecasts are its fallbacks; --no-plan runs the
 *    cycle alone.
 *  - OpenEMS: the four controllers of baselines/openems-controllers.ts in AllAlphabetically order, the schedule
 *    written every cycle to ctrlBalancing0's SetGridActivePower and followed by the sell-to-grid limit; no forecast.
 *  - Days: `eval` (the default) is the 20th of every month of 2012 plus 20 Feb and 20 Aug 2013: days no test or
 *    benchmark of the controller uses (its tests and tuning used 1 Dec 2013, 10-15 Jan 2014 and 1 Jul 2014,
 *    which `dev` runs).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startPlant, type PlantEndpoint, type PlantConfigInput } from '@gridcoop/devices/plant/index';
import { ManualScheduler } from '@gridcoop/controller/cycle/manual-scheduler';
import type { ModbusEndpoint } from '@gridcoop/controller/drivers/modbus/index';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '@gridcoop/controller/drivers/sunspec/index';
import type { BatteryReading, FlexibleLoadReading, PvInverterReading } from '@gridcoop/controller/natures/index';
import type { ScheduleEntry } from '@gridcoop/controller/control/operator-setpoints';
import { startControlledPlant } from '../e2e/controlled-plant.ts';
import { freshStartPlanning } from '../e2e/fresh-start-planning.ts';
import { defaultOpenEmsParameters, OpenEmsEdge, type OpenEmsParameters } from './baselines/openems-controllers.ts';
import { inProcessMiner } from './in-process-miner.ts';

const EVAL_DAYS = [
  ...Array.from({ length: 12 }, (_, m) => `2012-${String(m + 1).padStart(2, '0')}-20`),
  '2013-02-20',
  '2013-08-20',
];
const DEV_DAYS = ['2013-12-01', '2014-01-15', '2014-07-01'];
const BASELINES = ['openems', 'balancing-only'] as const;
type BaselineName = (typeof BASELINES)[number];

const USAGE =
  'usage: npm run bench balancing [-- --days eval|dev|YYYY-MM-DD,...] [--period-s 10] [--start-soc 50,50] [--no-miners] [--baselines openems,balancing-only] [--hourly] [--sell-margin-w W]';
function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
let parsed;
try {
  parsed = parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      'period-s': { type: 'string', default: '10' },
      days: { type: 'string', default: 'eval' },
      day: { type: 'string' },
      'start-soc': { type: 'string', default: '50,50' },
      'no-miners': { type: 'boolean', default: false },
      'no-plan': { type: 'boolean', default: false },
      hourly: { type: 'boolean', default: false },
      'sell-margin-w': { type: 'string' },
      baselines: { type: 'string', default: 'openems' },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const START_SOC_PCT = values['start-soc']!.split(',').map(Number);
if (START_SOC_PCT.length !== 2 || START_SOC_PCT.some((s) => !Number.isFinite(s) || s < 10 || s > 100))
  fail(`--start-soc: two states of charge in % (10..100, the batteries' reserve is 10 %), e.g. 20,80`);
if (!(Number(values['period-s']) > 0)) fail('--period-s: a positive number of seconds, e.g. 10');
const daysArg = values.day ?? values.days!;
const DAYS = daysArg === 'eval' ? EVAL_DAYS : daysArg === 'dev' ? DEV_DAYS : daysArg.split(',');
const badDay = DAYS.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || d < '2012-01-01' || d > '2014-12-30');
if (badDay !== undefined)
  fail(`--days: "${badDay}" is not eval, dev or a date 2012-01-01..2014-12-30 (the data's span), e.g. 2014-03-20`);
const WANTED_BASELINES = values.baselines!.split(',').filter((b) => b !== '');
const badBaseline = WANTED_BASELINES.find((b) => !(BASELINES as readonly string[]).includes(b));
if (badBaseline !== undefined) fail(`--baselines: "${badBaseline}" is not one of ${BASELINES.join(', ')}`);
const WITH_MINERS = !values['no-miners'];
const WITH_PLAN = !values['no-plan'];
const PERIOD_MS = Number(values['period-s']) * 1000;
const HOUR_MS = 3_600_000;
const IMPORT_CAP_W = 18_000;
const EXPORT_CAP_W = 5_000;
const BATTERY_IDS = ['battery-1', 'battery-2'];
const PV_IDS = ['pv-1', 'pv-2', 'pv-3'];
const MINER_IDS = WITH_MINERS ? ['miner-1', 'miner-2', 'miner-3'] : [];
const MINER_MAX_W = 3_000;
const MINER_MIN_ON_OFF_S = 300;
const PV_MIN_LIMIT_PCT = 10;
const PLANT: PlantConfigInput = {
  miners: MINER_IDS.map((id) => ({ id, minPowerW: 1_000, maxPowerW: MINER_MAX_W })),
  batteries: [
    { id: 'battery-1', capacityWh: 10_000, maxChargeW: 5_000, maxDischargeW: 5_000, initialSocPct: START_SOC_PCT[0] },
    { id: 'battery-2', capacityWh: 20_000, maxChargeW: 10_000, maxDischargeW: 10_000, initialSocPct: START_SOC_PCT[1] },
  ],
};
/** An operator's day at the connection point (import positive): within the caps everywhere. */
const SCHEDULE_HOURS = [
  { fromH: 0, toH: 6, gridW: 12_000 },
  { fromH: 6, toH: 9, gridW: 6_000 },
  { fromH: 9, toH: 15, gridW: -4_000 },
  { fromH: 15, toH: 18, gridW: 0 },
  { fromH: 18, toH: 24, gridW: 12_000 },
];
const OPENEMS_PARAMETERS: OpenEmsParameters = {
  ...defaultOpenEmsParameters({
    importCapW: IMPORT_CAP_W,
    exportCapW: EXPORT_CAP_W,
    minerMaxPowerW: MINER_MAX_W,
    minerMinOnOffS: MINER_MIN_ON_OFF_S,
  }),
  ...(values['sell-margin-w'] !== undefined ? { sellToGridMarginW: Number(values['sell-margin-w']) } : {}),
};
if (!Number.isFinite(OPENEMS_PARAMETERS.sellToGridMarginW))
  fail(`--sell-margin-w: watts the PV sell-to-grid limit allows beyond the schedule's export, e.g. 500`);

/** One simulated day. */
class Day {
  readonly midnightMs: number;
  readonly schedule: ScheduleEntry[];
  constructor(readonly date: string) {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    // Local midnight in Melbourne (the profiles run on UTC+10).
    this.midnightMs = Date.UTC(year, month - 1, day) - 600 * 60_000;
    this.schedule = SCHEDULE_HOURS.map((e) => ({
      fromMs: this.midnightMs + e.fromH * HOUR_MS,
      toMs: this.midnightMs + e.toH * HOUR_MS,
      gridW: e.gridW,
    }));
  }
  get endMs(): number {
    return this.midnightMs + 24 * HOUR_MS;
  }
  targetAt(atMs: number): number {
    const entry = this.schedule.find((e) => e.fromMs <= atMs && atMs < e.toMs);
    if (!entry) throw new Error(`no schedule entry at ${new Date(atMs).toISOString()}`);
    return entry.gridW;
  }
}

interface Sample {
  atMs: number;
  gridW: number;
  targetW: number;
  batteries: ReadonlyArray<{ powerW: number | null; socPct: number | null }>;
  pvW: number;
  minersW: number;
}

/** What balancing gave at the connection point, over one day or many. */
class Tally {
  squaredDeviationSum = 0;
  samples = 0;
  outsideWh = 0;
  outsideSamples = 0;
  maxOutsideW = 0;
  throughputWh = 0;
  pvWh = 0;
  minersWh = 0;
  socSpreadAt6hPct: number | null = null;
  /** Per local hour of the day: squared deviation sum and samples (for --hourly). */
  readonly hourly = Array.from({ length: 24 }, () => ({ squared: 0, samples: 0 }));

  add(s: Sample, day: Day): void {
    this.squaredDeviationSum += (s.gridW - s.targetW) ** 2;
    this.samples++;
    const hour = this.hourly[Math.min(23, Math.floor((s.atMs - day.midnightMs) / HOUR_MS))]!;
    hour.squared += (s.gridW - s.targetW) ** 2;
    hour.samples++;
    const beyondW = Math.max(0, s.gridW - IMPORT_CAP_W, -EXPORT_CAP_W - s.gridW);
    if (beyondW > 0) {
      this.outsideSamples++;
      this.outsideWh += (beyondW * PERIOD_MS) / HOUR_MS;
      this.maxOutsideW = Math.max(this.maxOutsideW, beyondW);
    }
    for (const b of s.batteries) this.throughputWh += (Math.abs(b.powerW ?? 0) * PERIOD_MS) / HOUR_MS;
    this.pvWh += (s.pvW * PERIOD_MS) / HOUR_MS;
    this.minersWh += (s.minersW * PERIOD_MS) / HOUR_MS;
    const socs = s.batteries.map((b) => b.socPct).filter((v): v is number => v !== null);
    if (s.atMs <= day.midnightMs + 6 * HOUR_MS && socs.length > 0)
      this.socSpreadAt6hPct = Math.max(...socs) - Math.min(...socs);
  }

  merge(other: Tally): void {
    this.squaredDeviationSum += other.squaredDeviationSum;
    this.samples += other.samples;
    this.outsideWh += other.outsideWh;
    this.outsideSamples += other.outsideSamples;
    this.maxOutsideW = Math.max(this.maxOutsideW, other.maxOutsideW);
    this.throughputWh += other.throughputWh;
    this.pvWh += other.pvWh;
    this.minersWh += other.minersWh;
  }

  get rmsW(): number {
    return Math.sqrt(this.squaredDeviationSum / this.samples);
  }
}

function modbusEndpoint(endpoints: readonly PlantEndpoint[], id: string): ModbusEndpoint {
  const found = endpoints.find((e) => e.id === id);
  if (!found?.host || !found.port) throw new Error(`device ${id}: no Modbus TCP endpoint`);
  return { transport: 'tcp', host: found.host, port: found.port, unitId: found.unitId ?? 1 };
}

async function runGridCoop(day: Day): Promise<Tally> {
  const site = await startControlledPlant({
    startMs: day.midnightMs,
    plant: PLANT,
    importCapW: IMPORT_CAP_W,
    exportCapW: EXPORT_CAP_W,
    timing: {
      periodMs: PERIOD_MS,
      readTimeoutMs: Math.min(5_000, PERIOD_MS * 0.4),
      writeTimeoutMs: Math.min(5_000, PERIOD_MS * 0.4),
    },
    pvReversionS: Math.max(60, (3 * PERIOD_MS) / 1000),
    batteryReversionS: Math.max(30, (3 * PERIOD_MS) / 1000),
    minerMinOnS: MINER_MIN_ON_OFF_S,
    minerMinOffS: MINER_MIN_ON_OFF_S,
    pvMinPowerLimitPct: PV_MIN_LIMIT_PCT,
    minerDriver: inProcessMiner,
  });
  const tally = new Tally();
  try {
    site.cycle.operatorSetpoints.setSchedule(day.schedule);
    const planning = WITH_PLAN ? await freshStartPlanning(site) : null;
    while (site.scheduler.now() + PERIOD_MS < day.endMs) {
      const report = await site.step(PERIOD_MS);
      planning?.afterCycle(report);
      const reading = <T>(id: string): T | null => (report.image.devices[id]?.reading as T | null | undefined) ?? null;
      tally.add(
        {
          atMs: report.atMs,
          gridW: site.gridW(report),
          targetW: day.targetAt(report.atMs),
          batteries: BATTERY_IDS.map((id) => {
            const r = reading<BatteryReading>(id);
            return { powerW: r?.powerW ?? null, socPct: r?.socPct ?? null };
          }),
          pvW: PV_IDS.reduce((s, id) => s + (reading<PvInverterReading>(id)?.powerW ?? 0), 0),
          minersW: MINER_IDS.reduce((s, id) => s + (reading<FlexibleLoadReading>(id)?.powerW ?? 0), 0),
        },
        day,
      );
    }
  } finally {
    await site.stop();
  }
  return tally;
}

/** Runs a rule-based baseline on the same drivers and clock; `decide` gets the readings and writes what it wants. */
async function runBaseline(day: Day, name: BaselineName): Promise<{ tally: Tally; notes: string[] }> {
  const scheduler = new ManualScheduler(day.midnightMs);
  const plant = await startPlant(PLANT, { clock: scheduler });
  const options = { timer: scheduler, timeoutMs: 2_000 };
  const meter = sunSpecMeter('meter-1', modbusEndpoint(plant.endpoints, 'meter-1'), options);
  const batteries = BATTERY_IDS.map((id) => sunSpecBattery(id, modbusEndpoint(plant.endpoints, id), options));
  const pvs = PV_IDS.map((id) =>
    sunSpecPvInverter(id, modbusEndpoint(plant.endpoints, id), { ...options, minPowerLimitPct: PV_MIN_LIMIT_PCT }),
  );
  const miners = MINER_IDS.map((id) => inProcessMiner(plant, id));
  const batteryReversionS = Math.max(30, (3 * PERIOD_MS) / 1000);
  const pvReversionS = Math.max(60, (3 * PERIOD_MS) / 1000);
  const edge = new OpenEmsEdge(OPENEMS_PARAMETERS, MINER_IDS.length);
  const tally = new Tally();
  let peakShavingOverridden = 0;
  let minerRefusals = 0;
  try {
    for (const d of [meter, ...batteries, ...pvs, ...miners]) await d.connect();
    while (scheduler.now() + PERIOD_MS < day.endMs) {
      await scheduler.advance(PERIOD_MS);
      const nowMs = scheduler.now();
      const gridW = (await meter.read()).powerW;
      const batteryReadings = await Promise.all(batteries.map((b) => b.read()));
      const pvReadings = await Promise.all(pvs.map((p) => p.read()));
      const minerReadings = await Promise.all(miners.map((m) => m.read()));
      if (gridW === null) throw new Error('meter-1: grid power unknown');
      const targetW = day.targetAt(nowMs);
      tally.add(
        {
          atMs: nowMs,
          gridW,
          targetW,
          batteries: batteryReadings,
          pvW: pvReadings.reduce((s, r) => s + (r.powerW ?? 0), 0),
          minersW: minerReadings.reduce((s, r) => s + (r.powerW ?? 0), 0),
        },
        day,
      );
      if (name === 'balancing-only') {
        // Controller.Symmetric.Balancing alone, without the ESS PID filter, shared by rating; PV and miners untouched.
        const essW = batteryReadings.reduce((sum, r) => sum + (r.powerW ?? 0), 0);
        const setpointW = gridW + essW - targetW;
        const totalMaxW = PLANT.batteries!.reduce((sum, b) => sum + b.maxDischargeW, 0);
        await Promise.all(
          batteries.map((b, i) => {
            const maxW = PLANT.batteries![i]!.maxDischargeW;
            const shareW = Math.max(-maxW, Math.min(maxW, (setpointW * maxW) / totalMaxW));
            return b.write({ powerW: Math.round(shareW), reversionS: batteryReversionS });
          }),
        );
        continue;
      }
      const out = edge.cycle({
        nowMs,
        gridW,
        targetGridW: targetW,
        batteries: batteryReadings.map((r, i) => ({
          powerW: r.powerW ?? 0,
          socPct: r.socPct ?? 50,
          maxChargeW: r.maxChargeW ?? PLANT.batteries![i]!.maxChargeW,
          maxDischargeW: r.maxDischargeW ?? PLANT.batteries![i]!.maxDischargeW,
          minReservePct: r.minReservePct ?? 10,
        })),
        pvInverters: pvReadings.map((r) => ({ powerW: r.powerW ?? 0, ratedPowerW: r.ratedPowerW ?? 0 })),
      });
      if (out.peakShavingOverridden) peakShavingOverridden++;
      await Promise.all([
        ...batteries.map((b, i) => b.write({ powerW: out.batteryW[i]!, reversionS: batteryReversionS })),
        ...pvs.map((p, i) => {
          const ratedW = pvReadings[i]!.ratedPowerW ?? 1;
          const pct = Math.max(PV_MIN_LIMIT_PCT, Math.min(100, (out.pvLimitW[i]! / ratedW) * 100));
          return p.write({ powerLimitPct: Math.round(pct * 10) / 10, reversionS: pvReversionS });
        }),
        ...miners.map(async (m, i) => {
          const running = minerReadings[i]!.state === 'running' || minerReadings[i]!.state === 'ramping-up';
          const wanted = i < out.minerLevel;
          if (wanted === running) return;
          await m.write({ kind: wanted ? 'resume' : 'pause' }).catch(() => {
            minerRefusals++;
          });
        }),
      ]);
    }
  } finally {
    for (const d of [meter, ...batteries, ...pvs, ...miners]) await d.close();
    await plant.stop();
  }
  const notes =
    name === 'openems' ? [`ctrlPeakShaving0 overridden by ctrlBalancing0 in ${peakShavingOverridden} cycles`] : [];
  if (minerRefusals > 0) notes.push(`${minerRefusals} miner switch(es) refused by the miner`);
  return { tally, notes };
}

const f = (n: number, digits = 0): string => n.toFixed(digits).padStart(7);
function line(label: string, t: Tally, extra = ''): string {
  const spread = t.socSpreadAt6hPct === null ? '' : `   SoC spread after 6 h ${t.socSpreadAt6hPct.toFixed(1)} points`;
  return `  ${label.padEnd(30)} RMS ${f(t.rmsW)} W   outside caps ${f(t.outsideWh, 1)} Wh (${t.outsideSamples}/${t.samples} samples, worst ${f(t.maxOutsideW)} W)   battery throughput ${f(t.throughputWh / 1000, 1)} kWh   PV ${f(t.pvWh / 1000, 1)} kWh   miners ${f(t.minersWh / 1000, 1)} kWh${spread}${extra}`;
}

function describeParameters(p: OpenEmsParameters): string {
  return [
    `ctrlBalancing0 (Controller.Symmetric.Balancing): ess0 = Ess.Cluster of battery-1, battery-2; SetGridActivePower = the schedule's target every cycle; ESS Power PID p ${p.pid.p} i ${p.pid.i} d ${p.pid.d}`,
    `ctrlIoHeatingElement0 (Controller.IO.HeatingElement, AUTOMATIC, work mode NONE, no meter): powerPerPhase ${p.heatingPowerPerPhaseW} W = one miner each, minimumSwitchingTime ${p.heatingMinimumSwitchingTimeS} s; excess measured against the schedule's target instead of 0 W`,
    `ctrlPeakShaving0 (Controller.Symmetric.PeakShaving): peakShavingPower ${p.peakShavingPowerW} W (the import cap), rechargePower ${p.rechargePowerW} W`,
    `ctrlPvInverterSellToGridLimit0 (Controller.PvInverter.SellToGridLimit, symmetric): pvInverter0 = PvInverter.Cluster of pv-1..3; maximumSellToGridPower = min(export cap ${p.exportCapW}, -target + ${p.sellToGridMarginW}) W every cycle (margin chosen on 2013-12-01); 20 %/cycle adjustment limit; never below ${PV_MIN_LIMIT_PCT} % (the SunSpec driver's floor, as for GridCoop)`,
  ].join('\n  ');
}

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at the start`,
);
console.log(
  `days (Melbourne, each from midnight alone): ${DAYS.join(', ')}${daysArg === 'eval' ? " (the evaluation days: none used by the controller's tests)" : ''}`,
);
console.log(
  `cycle ${PERIOD_MS / 1000} s on both sides; caps import ${IMPORT_CAP_W} W / export ${EXPORT_CAP_W} W; batteries from ${START_SOC_PCT.join(' % / ')} %; miners ${WITH_MINERS ? `${MINER_IDS.length} x 1-${MINER_MAX_W} W, min on/off ${MINER_MIN_ON_OFF_S} s, reached in-process by both sides` : 'none'}`,
);
console.log(`schedule: ${SCHEDULE_HOURS.map((e) => `${e.fromH}-${e.toH} h ${e.gridW} W`).join(', ')}`);
console.log(
  WITH_PLAN
    ? 'GridCoop: plans as the service does (every 15 min, 24 h ahead; test/e2e/fresh-start-planning.ts) with no history, so its PV and load forecasts are its fallbacks (clear-sky PV, seasonal load shape)'
    : 'GridCoop: --no-plan, the control cycle alone (no planner, as this benchmark ran before issue 11)',
);
if (WANTED_BASELINES.includes('openems'))
  console.log(`OpenEMS at its best, AllAlphabetically order:\n  ${describeParameters(OPENEMS_PARAMETERS)}`);
if (WANTED_BASELINES.includes('balancing-only'))
  console.log(
    'balancing-only: Controller.Symmetric.Balancing alone, no PID filter, split by rating, no PV limit, miners left running',
  );

const labels: Record<BaselineName, string> = {
  openems: 'OpenEMS (4 controllers)',
  'balancing-only': 'OpenEMS Balancing alone',
};
const totals = new Map<string, Tally>();
const started = performance.now();
for (const date of DAYS) {
  const day = new Day(date);
  console.log(`${date}:`);
  const runs: Array<[string, () => Promise<{ tally: Tally; notes: string[] }>]> = [
    ...WANTED_BASELINES.map((b): [string, () => Promise<{ tally: Tally; notes: string[] }>] => [
      labels[b as BaselineName],
      () => runBaseline(day, b as BaselineName),
    ]),
    ['GridCoop controller', async () => ({ tally: await runGridCoop(day), notes: [] })],
  ];
  for (const [label, run] of runs) {
    const { tally, notes } = await run();
    console.log(line(label, tally, notes.length ? `   (${notes.join('; ')})` : ''));
    if (values.hourly)
      console.log(
        `    RMS by hour: ${tally.hourly.map((h, i) => `${i}h ${h.samples ? Math.sqrt(h.squared / h.samples).toFixed(0) : '-'}`).join(', ')}`,
      );
    const total = totals.get(label) ?? new Tally();
    total.merge(tally);
    totals.set(label, total);
  }
}
console.log(`\nover ${DAYS.length} day(s), RMS over every sample of every day:`);
for (const [label, total] of totals) console.log(line(label, total));
const gridCoop = totals.get('GridCoop controller')!;
for (const b of WANTED_BASELINES) {
  const base = totals.get(labels[b as BaselineName])!;
  console.log(
    `GridCoop RMS ${((1 - gridCoop.rmsW / base.rmsW) * 100).toFixed(1)} % lower than ${labels[b as BaselineName]}; outside caps ${gridCoop.outsideWh.toFixed(1)} vs ${base.outsideWh.toFixed(1)} Wh; battery throughput ${(gridCoop.throughputWh / 1000).toFixed(1)} vs ${(base.throughputWh / 1000).toFixed(1)} kWh`,
  );
}
console.log(
  `run ${((performance.now() - started) / 1000).toFixed(0)} s wall; load average ${loadavg()[0]!.toFixed(2)} at the end`,
);
process.exit(0);
