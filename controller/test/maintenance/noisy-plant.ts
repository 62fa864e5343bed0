/**
 * A plant as real meters, BMSs and miners report it, for testing the maintenance monitors (issue 12): measurement
 * noise and quantisation of the size real devices show, missing samples and outages, cloudy days and soiling, a
 * battery that is rarely fully cycled and whose BMS state of charge drifts, a miner room whose temperature moves.
 * Each simulation feeds one monitor for a number of device-years and counts, per device, the alarms while healthy
 * (each one acknowledged at once, as an operator would, so the monitor relearns normal) and the delay from a
 * degradation to the first alarm. The noise sizes are stated in NOISE so tests and the benchmark print them.
 */
import { seededRandom, type RandomSource } from '../../src/forecasting/seeded-random.ts';
import { BatteryHealthMonitor } from '../../src/maintenance/battery-health-monitor.ts';
import type { AlertKind, MaintenanceAlert } from '../../src/maintenance/maintenance-alert.ts';
import { MinerHealthMonitor } from '../../src/maintenance/miner-health-monitor.ts';
import { PvPerformanceMonitor, type PvReading } from '../../src/maintenance/pv-performance-monitor.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const YEAR_DAYS = 365;

/** The degradation sizes the README claims, injected exactly. */
export const DEGRADATION = {
  /** PV: the inverter's output falls to 80 % of its own normal (a lost string of five). */
  pvLoss: 0.2,
  /** Battery: usable capacity falls by 15 %. */
  batteryFade: 0.15,
  /** Battery: round-trip efficiency falls by 8 % of itself (0.90 -> 0.828). */
  batteryEfficiencyLoss: 0.08,
  /** Miner: cooling loses 30 % (thermal resistance x 1/0.7, 15 -> 21.4 °C/kW). */
  minerCoolingLoss: 0.3,
} as const;

export const NOISE = {
  pv:
    '5-min samples; AC power with 1 % (1 sigma) meter noise, quantised to 10 W; 2 % of samples missing at random and ' +
    'a 1-6 h outage of one inverter every 30 days on average; days clear 40 % / broken cloud 35 % / overcast 25 %, ' +
    'passing clouds seen differently by each inverter (15 % per sample on broken-cloud days); soiling 0.03-0.07 %/day ' +
    'per inverter, washed off by rain; irradiance sensor (solo inverter) 3 % noise, 1 W/m2 steps, 1 % missing',
  battery:
    '10 kWh, round trip 0.90; 5-min samples; SoC from the BMS in whole percent with a drifting estimation error ' +
    '(AR(1), about 1 % sd, correlation time about 1.7 days, reset at 100 %); energy counters in 0.1 kWh steps; one charge and one ' +
    'discharge a day of 15-70 % of capacity between 10 and 95 %, 30 % of days with a 1-3 % dip mid-charge (a cloud), ' +
    'seasonal capacity +-1.5 % and efficiency +-1 %; 2 % of samples missing',
  miner:
    '3 kW miner, 15 °C/kW, time constant 120 s; 1-min samples; power target moved every 2 h (1.5-2.8 kW), ' +
    'paused 10 % of the time; power 0.5 % noise in 1 W steps; chip temperature 0.5 °C noise in whole degrees; ' +
    'hashrate 2 % noise; room 25 °C +-4 °C daily and +-6 °C seasonal, measured by an inlet sensor with 0.3 °C noise; ' +
    '1 % of samples missing',
} as const;

function gaussian(random: RandomSource): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Counts alarms of `kind` while healthy and the delay of the first one after `degradedAtMs`. */
class AlarmTally {
  falseAlarms = 0;
  firstAfterDegradeMs: number | null = null;
  constructor(
    readonly kind: AlertKind,
    private readonly degradedAtMs: number | null,
  ) {}

  /** True when the alarm is a false one (to acknowledge and relearn). */
  record(alert: MaintenanceAlert, nowMs: number): boolean {
    if (alert.kind !== this.kind) return false;
    if (this.degradedAtMs !== null && nowMs >= this.degradedAtMs) {
      this.firstAfterDegradeMs ??= nowMs - this.degradedAtMs;
      return false;
    }
    this.falseAlarms += 1;
    return true;
  }
}

// ---------------------------------------------------------------- PV

export interface PvRun {
  seed: number;
  days: number;
  /** Day (from the start) at noon of which `degradedInverter` loses DEGRADATION.pvLoss; null: all healthy. */
  degradeOnDay: number | null;
  /** Site with 4 inverters compared with each other (true) or one inverter against an irradiance sensor. */
  peers: boolean;
}

/** Alarms while healthy (each acknowledged), device-days simulated healthy (learning included) and the delay. */
export interface Outcome {
  falseAlarms: number;
  healthyDeviceDays: number;
  /** From the degradation to the first alarm of its kind, ms; null when none came (or nothing was degraded). */
  detectionDelayMs: number | null;
}

const PV_SAMPLE_MS = 5 * 60_000;

/** Clear-sky capacity factor at a mid-latitude site (day length 9.5-14.5 h over the year), local solar time. */
function clearSky(dayOfYear: number, hourOfDay: number): number {
  const season = Math.cos((2 * Math.PI * (dayOfYear - 172)) / 365); // 1 at midsummer (northern)
  const halfDay = 6 + 2.5 * season;
  const x = (hourOfDay - 12) / halfDay;
  if (Math.abs(x) >= 1) return 0;
  return (0.8 + 0.15 * season) * Math.cos((x * Math.PI) / 2) ** 1.3;
}

export function simulatePv(run: PvRun): Outcome {
  const random = seededRandom(run.seed);
  const ids = run.peers ? ['pv-1', 'pv-2', 'pv-3', 'pv-4'] : ['pv-solo'];
  const rated = run.peers ? [5000, 5000, 6000, 4000] : [8000];
  const normal = ids.map(() => 0.9 + 0.1 * random()); // each inverter's own normal (shading, orientation)
  const soilRate = ids.map(() => 0.0003 + 0.0004 * random());
  const soiling = ids.map(() => 0);
  const degradedId = ids[1 % ids.length] as string;
  const startMs = Date.UTC(2025, 0, 1);
  const degradedAtMs = run.degradeOnDay === null ? null : startMs + run.degradeOnDay * DAY_MS + 12 * HOUR_MS;
  const monitor = new PvPerformanceMonitor({ sampleMs: PV_SAMPLE_MS });
  const tallies = new Map(
    ids.map((id) => [id, new AlarmTally('pv-underperformance', id === degradedId ? degradedAtMs : null)]),
  );
  const outage = new Map<string, number>(); // id -> outage end ms
  for (let day = 0; day < run.days; day += 1) {
    const dayOfYear = day % YEAR_DAYS;
    const weather = random();
    const clearness =
      weather < 0.4 ? 0.95 + 0.05 * random() : weather < 0.75 ? 0.5 + 0.4 * random() : 0.1 + 0.3 * random();
    const broken = weather >= 0.4 && weather < 0.75;
    if (weather >= 0.75 && random() < 0.5) soiling.fill(0); // rain
    for (let i = 0; i < ids.length; i += 1)
      soiling[i] = Math.min(0.08, (soiling[i] as number) + (soilRate[i] as number));
    if (random() < ids.length / 30) {
      const who = ids[Math.floor(random() * ids.length)] as string;
      outage.set(who, startMs + day * DAY_MS + Math.floor(24 * random()) * HOUR_MS + (1 + 5 * random()) * HOUR_MS);
    }
    let cloud = clearness;
    for (let t = 0; t < DAY_MS; t += PV_SAMPLE_MS) {
      const now = startMs + day * DAY_MS + t;
      const hour = t / HOUR_MS;
      // Cloud cover wanders within the day around the day's clearness.
      cloud = Math.min(
        1,
        Math.max(0.05, cloud + 0.5 * (clearness - cloud) + (broken ? 0.25 : 0.03) * gaussian(random)),
      );
      const sky = clearSky(dayOfYear, hour) * cloud;
      const readings: PvReading[] = ids.map((id, i) => {
        const offline = (outage.get(id) ?? 0) > now && now > (outage.get(id) ?? 0) - 6 * HOUR_MS;
        if (offline || random() < 0.02) return { deviceId: id, ratedPowerW: rated[i] as number, acPowerW: Number.NaN };
        const local = broken ? 1 + 0.15 * gaussian(random) : 1 + 0.01 * gaussian(random);
        const lost = degradedAtMs !== null && id === degradedId && now >= degradedAtMs ? 1 - DEGRADATION.pvLoss : 1;
        const truePower = Math.max(
          0,
          (rated[i] as number) * sky * local * (normal[i] as number) * (1 - (soiling[i] as number)) * lost,
        );
        const measured = truePower * (1 + 0.01 * gaussian(random));
        return { deviceId: id, ratedPowerW: rated[i] as number, acPowerW: Math.max(0, Math.round(measured / 10) * 10) };
      });
      let irradiance: number | null = null;
      if (!run.peers && random() >= 0.01)
        irradiance = Math.max(0, Math.round(1000 * sky * (1 + 0.03 * gaussian(random)))) / 1000;
      for (const alert of monitor.observe(now, readings, run.peers ? null : irradiance)) {
        const tally = tallies.get(alert.deviceId);
        if (tally?.record(alert, now)) monitor.reset(alert.deviceId);
      }
    }
  }
  let falseAlarms = 0;
  for (const tally of tallies.values()) falseAlarms += tally.falseAlarms;
  const degradedDays = run.degradeOnDay === null ? 0 : run.days - run.degradeOnDay;
  return {
    falseAlarms,
    healthyDeviceDays: ids.length * run.days - degradedDays,
    detectionDelayMs: tallies.get(degradedId)?.firstAfterDegradeMs ?? null,
  };
}

// ---------------------------------------------------------------- battery

export interface BatteryRun {
  seed: number;
  days: number;
  degradeOnDay: number | null;
  degradation: 'fade' | 'efficiency';
}

const BATTERY_SAMPLE_MS = 5 * 60_000;

export function simulateBattery(run: BatteryRun): Outcome {
  const random = seededRandom(run.seed);
  const ratedWh = 10_000;
  const startMs = Date.UTC(2025, 0, 1);
  const degradedAtMs = run.degradeOnDay === null ? null : startMs + run.degradeOnDay * DAY_MS;
  const kind: AlertKind = run.degradation === 'fade' ? 'battery-capacity-fade' : 'battery-efficiency-loss';
  const tally = new AlarmTally(kind, degradedAtMs);
  const monitor = new BatteryHealthMonitor({ deviceId: 'bat-1', ratedCapacityWh: ratedWh });
  let soc = 30;
  let socError = 0;
  let inWh = 1_234_567;
  let outWh = 1_111_111;
  let now = startMs;
  const step = (powerW: number) => {
    // powerW > 0 charges. Capacity and efficiency this day, with the season and any degradation.
    const season = Math.cos((2 * Math.PI * ((now - startMs) / DAY_MS)) / 365);
    const degraded = degradedAtMs !== null && now >= degradedAtMs;
    const capacityWh =
      ratedWh * (1 + 0.015 * season) * (degraded && run.degradation === 'fade' ? 1 - DEGRADATION.batteryFade : 1);
    const roundTrip =
      0.9 *
      (1 + 0.01 * season) *
      (degraded && run.degradation === 'efficiency' ? 1 - DEGRADATION.batteryEfficiencyLoss : 1);
    const oneWay = Math.sqrt(roundTrip);
    const hours = BATTERY_SAMPLE_MS / HOUR_MS;
    if (powerW > 0) {
      inWh += powerW * hours;
      soc += (100 * powerW * hours * oneWay) / capacityWh;
    } else if (powerW < 0) {
      outWh += -powerW * hours;
      soc -= (100 * -powerW * hours) / oneWay / capacityWh;
    }
    soc = Math.min(100, Math.max(0, soc));
    socError = 0.998 * socError + 0.06 * gaussian(random);
    if (soc >= 99.9) socError = 0; // the BMS recalibrates at full
    now += BATTERY_SAMPLE_MS;
    if (random() < 0.02) return;
    const reported = {
      timeMs: now,
      socPct: Math.min(100, Math.max(0, Math.round(soc + socError))),
      energyInWh: Math.floor(inWh / 100) * 100,
      energyOutWh: Math.floor(outWh / 100) * 100,
    };
    for (const alert of monitor.observe(reported)) if (tally.record(alert, now)) monitor.reset();
  };
  const samplesPerDay = DAY_MS / BATTERY_SAMPLE_MS;
  for (let day = 0; day < run.days; day += 1) {
    // Morning idle, midday charge, evening discharge, night idle; rarely a full cycle.
    const low = 10 + 30 * random();
    const swing = 15 + 55 * random();
    const high = Math.min(95, low + swing);
    const dip = random() < 0.3 ? 1 + 2 * random() : 0;
    let dipFrom: number | null = null;
    let dipDone = dip === 0;
    for (let s = 0; s < samplesPerDay; s += 1) {
      const hour = (s * BATTERY_SAMPLE_MS) / HOUR_MS;
      let powerW = 0;
      if (hour >= 9 && hour < 16 && soc < high) {
        if (!dipDone && hour >= 12) {
          // A cloud: the battery covers the load for a while in the middle of its charge.
          dipFrom ??= soc;
          powerW = -2000;
          if (soc <= dipFrom - dip) dipDone = true;
        } else powerW = 2500 * (0.8 + 0.4 * random());
      } else if (hour >= 17 && hour < 23.5 && soc > low) powerW = -2000 * (0.8 + 0.4 * random());
      step(powerW);
    }
  }
  const healthyDeviceDays = run.degradeOnDay === null ? run.days : run.degradeOnDay;
  return { falseAlarms: tally.falseAlarms, healthyDeviceDays, detectionDelayMs: tally.firstAfterDegradeMs };
}

// ---------------------------------------------------------------- miner

export interface MinerRun {
  seed: number;
  days: number;
  degradeOnDay: number | null;
}

const MINER_SAMPLE_MS = 60_000;

export function simulateMiner(run: MinerRun): Outcome {
  const random = seededRandom(run.seed);
  const startMs = Date.UTC(2025, 0, 1);
  const degradedAtMs = run.degradeOnDay === null ? null : startMs + run.degradeOnDay * DAY_MS + 10 * HOUR_MS;
  const tally = new AlarmTally('miner-cooling-degraded', degradedAtMs);
  const monitor = new MinerHealthMonitor({ deviceId: 'miner-1', maxPowerW: 3000, overheatC: 95 });
  const resistanceCPerKw = 15;
  const tauMs = 120_000;
  const decay = Math.exp(-MINER_SAMPLE_MS / tauMs);
  let targetW = 2000;
  let powerW = 2000;
  let chipC = 25 + 30;
  const totalSamples = (run.days * DAY_MS) / MINER_SAMPLE_MS;
  for (let s = 0; s < totalSamples; s += 1) {
    const now = startMs + s * MINER_SAMPLE_MS;
    if (now % (2 * HOUR_MS) === 0) targetW = random() < 0.1 ? 0 : Math.round(1500 + 1300 * random());
    powerW = targetW === 0 ? 0 : targetW * (1 + 0.003 * gaussian(random));
    const days = (now - startMs) / DAY_MS;
    const roomC = 25 + 6 * Math.cos((2 * Math.PI * days) / 365) + 4 * Math.cos(2 * Math.PI * (days % 1) - Math.PI);
    const degraded = degradedAtMs !== null && now >= degradedAtMs;
    const r = resistanceCPerKw / (degraded ? 1 - DEGRADATION.minerCoolingLoss : 1);
    const steadyC = roomC + (r * powerW) / 1000;
    chipC = steadyC + (chipC - steadyC) * decay;
    if (random() < 0.01) continue;
    const hashrate = powerW > 0 ? (powerW / 30) * (1 + 0.02 * gaussian(random)) : 0; // 30 J/TH
    const reading = {
      timeMs: now,
      powerW: Math.round(powerW * (1 + 0.005 * gaussian(random))),
      hashrateThs: hashrate,
      temperatureC: Math.round(chipC + 0.5 * gaussian(random)),
      ambientC: Math.round((roomC + 0.3 * gaussian(random)) * 10) / 10,
    };
    for (const alert of monitor.observe(reading)) if (tally.record(alert, now)) monitor.reset();
  }
  const healthyDeviceDays = run.degradeOnDay === null ? run.days : run.degradeOnDay;
  return { falseAlarms: tally.falseAlarms, healthyDeviceDays, detectionDelayMs: tally.firstAfterDegradeMs };
}
