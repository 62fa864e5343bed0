/**
 * Predictive maintenance under realistic noise (issue 12): each detector fed as a real plant would feed it (noise and
 * quantisation of real meters and BMSs, missing samples, cloudy days, a battery rarely fully cycled; see NOISE in
 * controller/test/maintenance/noisy-plant.ts), for at least 100 device-years healthy, and on 100 runs with the
 * degradation the README claims injected on a random day. Prints, per detector, false alarms per device-year (every
 * alarm acknowledged at once, so the monitor relearns normal, as an operator would) and the detection delay.
 *
 *   node --import tsx test/bench/maintenance-noise.ts [--device-years 100] [--runs 100]
 */
import { cpus, loadavg } from 'node:os';
import {
  DEGRADATION,
  NOISE,
  simulateBattery,
  simulateMiner,
  simulatePv,
  type Outcome,
} from '../../controller/test/maintenance/noisy-plant.ts';
import { benchArgs } from './bench-args.ts';
import { printMarkdownTable } from './markdown-table.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const args = benchArgs(
  'maintenance-noise',
  'usage: npm run bench -- maintenance-noise [--device-years 100] [--runs 100]\n' +
    '  --device-years: healthy device-years per detector (false alarms); --runs: degraded runs per detector (delay)',
  { 'device-years': { type: 'string', default: '100' }, runs: { type: 'string', default: '100' } },
);
const deviceYears = Number(args['device-years']);
const runs = Number(args.runs);
if (!(deviceYears > 0) || !Number.isInteger(runs) || runs < 1) {
  console.error('--device-years must be a positive number and --runs a positive whole number');
  process.exit(2);
}

interface Detector {
  name: string;
  size: string;
  devicesPerRun: number;
  healthy: (seed: number, days: number) => Outcome;
  degraded: (seed: number, degradeOnDay: number) => Outcome;
  /** How the delay reads best. */
  unit: 'h' | 'min' | 'd';
}

const detectors: Detector[] = [
  {
    name: 'PV vs 3 peers',
    size: `output -${DEGRADATION.pvLoss * 100} %`,
    devicesPerRun: 4,
    healthy: (seed, days) => simulatePv({ seed, days, degradeOnDay: null, peers: true }),
    degraded: (seed, day) => simulatePv({ seed, days: day + 14, degradeOnDay: day, peers: true }),
    unit: 'h',
  },
  {
    name: 'PV vs irradiance sensor',
    size: `output -${DEGRADATION.pvLoss * 100} %`,
    devicesPerRun: 1,
    healthy: (seed, days) => simulatePv({ seed, days, degradeOnDay: null, peers: false }),
    degraded: (seed, day) => simulatePv({ seed, days: day + 14, degradeOnDay: day, peers: false }),
    unit: 'h',
  },
  {
    name: 'battery capacity',
    size: `capacity -${DEGRADATION.batteryFade * 100} %`,
    devicesPerRun: 1,
    healthy: (seed, days) => simulateBattery({ seed, days, degradeOnDay: null, degradation: 'fade' }),
    degraded: (seed, day) => simulateBattery({ seed, days: day + 30, degradeOnDay: day, degradation: 'fade' }),
    unit: 'd',
  },
  {
    name: 'battery efficiency',
    size: `round trip -${DEGRADATION.batteryEfficiencyLoss * 100} %`,
    devicesPerRun: 1,
    healthy: (seed, days) => simulateBattery({ seed, days, degradeOnDay: null, degradation: 'efficiency' }),
    degraded: (seed, day) => simulateBattery({ seed, days: day + 30, degradeOnDay: day, degradation: 'efficiency' }),
    unit: 'd',
  },
  {
    name: 'miner cooling',
    size: `cooling -${DEGRADATION.minerCoolingLoss * 100} %`,
    devicesPerRun: 1,
    healthy: (seed, days) => simulateMiner({ seed, days, degradeOnDay: null }),
    degraded: (seed, day) => simulateMiner({ seed, days: day + 3, degradeOnDay: day }),
    unit: 'min',
  },
];

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('noise and plant, as simulated (controller/test/maintenance/noisy-plant.ts):');
for (const [what, text] of Object.entries(NOISE)) console.log(`  ${what}: ${text}`);
console.log(
  `healthy: whole years per seed (seeds 1, 2, ...), learning weeks included, until ${deviceYears} device-years; ` +
    `degraded: ${runs} runs (seeds 1001, ...), the degradation on a day drawn from 20-59 (PV at noon, miner at 10:00)`,
);

const unitMs = { h: HOUR_MS, min: 60_000, d: DAY_MS };
const rows: string[][] = [];
for (const detector of detectors) {
  const cpuStart = process.cpuUsage();
  let falseAlarms = 0;
  let deviceDays = 0;
  for (let seed = 1; deviceDays < deviceYears * 365; seed += 1) {
    const outcome = detector.healthy(seed, 365);
    falseAlarms += outcome.falseAlarms;
    deviceDays += outcome.healthyDeviceDays;
  }
  const delays: number[] = [];
  let missed = 0;
  for (let run = 0; run < runs; run += 1) {
    const seed = 1001 + run;
    const day = 20 + ((seed * 7919) % 40);
    const outcome = detector.degraded(seed, day);
    if (outcome.detectionDelayMs === null) missed += 1;
    else delays.push(outcome.detectionDelayMs / unitMs[detector.unit]);
  }
  delays.sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
  const show = (v: number | undefined) =>
    v === undefined ? '-' : `${v.toFixed(detector.unit === 'd' ? 1 : 0)} ${detector.unit}`;
  const cpu = process.cpuUsage(cpuStart);
  rows.push([
    detector.name,
    detector.size,
    (deviceDays / 365).toFixed(0),
    String(falseAlarms),
    (falseAlarms / (deviceDays / 365)).toFixed(2),
    show(at(0.5)),
    show(at(0.9)),
    show(delays[delays.length - 1]),
    `${missed}/${runs}`,
    ((cpu.user + cpu.system) / 1e6).toFixed(1),
  ]);
}

const header = [
  'detector',
  'degradation',
  'device-years',
  'false alarms',
  'per device-year',
  'delay median',
  'delay p90',
  'delay max',
  'missed',
  'CPU-s',
];
printMarkdownTable(header, rows);
console.log(
  'missed: no alarm within the run (PV 14 days, battery 30 days, miner 3 days after the degradation). ' +
    'A PV delay counts from noon to the close of the day that shows it (the monitor judges whole days).',
);
