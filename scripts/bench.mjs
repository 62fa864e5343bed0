// `npm run bench [-- name ...]`: every benchmark of the project, one after the other, each printing its figures.
// Benchmarks measure; they never pass or fail on a time. Run them on a quiet machine and quote the machine.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = (script, ...args) => [process.execPath, ['--import', 'tsx', script, ...args]];
const vicElec = [
  '--csv',
  'devices/data/vic_elec.csv.gz',
  '--time-zone',
  'Australia/Melbourne',
  '--train-from',
  '2012-01-01',
  '--train-to',
  '2013-12-31',
  '--test-from',
  '2014-01-01',
  '--test-to',
  '2014-12-31',
];

/** name -> [what it measures, command] */
const benchmarks = {
  'read-cycle': [
    'issue 2: reading 200 SunSpec + 50 OPC UA devices per cycle vs bare loops (modbus-serial, raw sockets)',
    tsx('test/bench/read-cycle.ts'),
  ],
  'plant-scale': [
    'issue 2: the simulator with 1,001 SunSpec devices (start, answer, idle CPU) and 50 OPC UA miners (Read, SetPowerTarget)',
    tsx('test/bench/plant-scale.ts'),
  ],
  'cycle-time': [
    'issue 3: control-cycle time, in memory and over sockets, 10/100/1,000 devices',
    tsx('controller/bench/cycle-time.ts'),
  ],
  'cycle-time-plant': [
    'issue 3: the real cycle against the simulator in another process',
    tsx('test/bench/cycle-time-plant.ts'),
  ],
  'ui-first-load': [
    'issue 9: the governance UI first visit: JS (gzip) per page, CosmJS chunks, time to interactive',
    tsx('governance-ui/bench/first-load.ts'),
  ],
  'recording-path': [
    'issue 10: the recording path at 1 s blocks: blocks until a 50-record batch is in, sustained records/s, gas per record (plain and with a flexibility claim) against the block gas limit',
    tsx('test/bench/recording-path.ts'),
  ],
  'verify-day': [
    "issue 10: the verifier over a day of demo recording (9 nodes x 1,440 one-minute intervals recorded on the local chain, then npm run verify's check per node)",
    tsx('test/bench/verify-day.ts'),
  ],
  'chain-gas': [
    'issue 10: record_intervals gas on the local chain with metering on (1/10/50/100 records)',
    tsx('contracts-cosmwasm/bench/chain-record-gas.ts'),
  ],
  balancing: [
    'issues 3/11: balancing quality on 14 days across seasons vs OpenEMS (Balancing, PV sell-to-grid limit, peak shaving, heating element on the miners)',
    tsx('test/bench/balancing.ts'),
  ],
  'forecast-temperature': [
    'issue 4: day-ahead load backtest on vic_elec 2014, hourly, with observed temperature (a perfect weather forecast)',
    tsx('controller/src/cli/backtest.ts', ...vicElec, '--step-min', '60'),
  ],
  'forecast-no-temperature': [
    'issue 4: the same without temperature',
    tsx('controller/src/cli/backtest.ts', ...vicElec, '--step-min', '60', '--no-temperature'),
  ],
  'forecast-weather-forecast': [
    'issue 12: vic_elec 2014 with forecast temperature (observed + AR(1) error, sd 1.5 °C, hourly correlation 0.9, 5 seeds) next to perfect temperature',
    tsx(
      'controller/src/cli/backtest.ts',
      ...vicElec,
      '--step-min',
      '60',
      '--temperature-error-sd',
      '1.5',
      '--temperature-error-corr',
      '0.9',
      '--temperature-error-seeds',
      '5',
    ),
  ],
  'forecast-goals': [
    'issue 12: vic_elec 2014 hourly goals: no temperature, forecast temperature (AR(1) error sd 1.5 °C, corr 0.9, 5 seeds; trained on observed and on forecast temperature), perfect temperature; training CPU-s',
    tsx('test/bench/forecast-goals.ts'),
  ],
  'forecast-pv': [
    'issue 12: day-ahead PV on the vendored Victorian capacity-factor series (modelled), 2014, daylight hours (capacity factor >= 0.05)',
    tsx(
      'controller/src/cli/backtest.ts',
      '--csv',
      'devices/data/vic_pv_capacity_factor_2012_2014.csv.gz',
      '--value-col',
      'PV_capacity_factor',
      '--kind',
      'pv',
      '--local-time',
      '--time-zone',
      'Australia/Brisbane',
      '--step-min',
      '60',
      '--mape-min-actual',
      '0.05',
      '--train-from',
      '2012-01-01',
      '--train-to',
      '2013-12-31',
      '--test-from',
      '2014-01-01',
      '--test-to',
      '2014-12-31',
    ),
  ],
  'forecast-suite': [
    'issue 12: day-ahead load on public demand series it was never tuned on (short and long histories, 30 and 60 min)',
    tsx('test/bench/forecast-suite.ts'),
  ],
  'forecast-windows': [
    'issue 12: day-ahead load on dozens of short-history windows through the seasons that the suite does not contain: model chosen, MAPE vs weekly naive, P10-P90 coverage spread (~10 min)',
    tsx('test/bench/forecast-windows.ts'),
  ],
  'maintenance-noise': [
    'issue 12: maintenance detectors under realistic meter/BMS noise: false alarms per device-year (100 device-years) and detection delay (100 runs)',
    tsx('test/bench/maintenance-noise.ts'),
  ],
  'fleet-dispatch': [
    'issue 13: VPP aggregator over a real Mosquitto with 100/250/500 simulated sites: target change to every share received (p50/p99), dispatch cycle, aggregator CPU per site, broker msgs/s; --real-cycles: sites run the real control cycle on in-memory devices and the target follows a compressed day (share applied p50/p99, aggregate tracking error)',
    tsx('test/bench/fleet-dispatch.ts'),
  ],
  'tx-roundtrip': [
    'issue 5: transaction round trip on the local chain',
    tsx('contracts-cosmwasm/bench/tx-roundtrip.ts'),
  ],
  'outbox-throughput': [
    'issue 5: outbox store rate and recording rate per batch size',
    tsx('test/bench/outbox-throughput.ts'),
  ],
  'chain-outage-recovery': [
    'issue 5: recovery after a 10-simulated-minute chain outage',
    tsx('test/bench/chain-outage-recovery.ts'),
  ],
  'registry-gas': [
    'issue 6: registry gas for batches of 1, 10, 100 records',
    tsx('contracts-cosmwasm/scripts/bench-registry-gas.ts'),
  ],
  'governance-gas': [
    'issue 6: governance gas per message',
    tsx('contracts-cosmwasm/contracts/governance/bench/gas.ts'),
  ],
};

const usage = `usage: npm run bench [-- name ...] | npm run bench -- name --flag value ... (flags go to that one benchmark; name --help shows them)
benchmarks:
${Object.entries(benchmarks)
  .map(([name, [what]]) => `  ${name.padEnd(26)} ${what}`)
  .join('\n')}`;
const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((a) => a.startsWith('-'));
const wanted = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
const passed = firstFlag < 0 ? [] : argv.slice(firstFlag);
if (wanted.length === 0 && passed.some((a) => a === '--help' || a === '-h')) {
  console.log(usage);
  process.exit(0);
}
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
if (passed.length && wanted.length !== 1) {
  console.error(`flags (${passed.join(' ')}) go to one named benchmark, e.g. npm run bench -- balancing --days dev`);
  process.exit(2);
}
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
let failed = 0;
for (const [name, [what, [cmd, args]]] of Object.entries(benchmarks)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n=== ${name}: ${what}`);
  const result = spawnSync(cmd, [...args, ...passed], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status !== 0) {
    failed += 1;
    console.log(`(${name} exited with ${result.status})`);
    // Flags went to this one benchmark: a usage error (2) stays a usage error.
    if (passed.length && result.status === 2) process.exit(2);
  }
}
process.exit(failed ? 1 : 0);
