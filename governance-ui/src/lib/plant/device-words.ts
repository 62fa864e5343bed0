import { formatPower } from '../format/units.ts';
import type { DeviceHealth, DeviceNature, DeviceSnapshot } from './controller-api.ts';

export const NATURE_WORDS: Record<DeviceNature, string> = {
  'pv-inverter': 'PV inverter',
  battery: 'Battery',
  'flexible-load': 'Miner',
  meter: 'Grid meter',
};

/** The device supervisor's state in words, with the tone of its badge (never colour alone: the word is shown). */
export function healthInWords(snapshot: Pick<DeviceSnapshot, 'health' | 'fresh' | 'reading'>): {
  words: string;
  tone: 'good' | 'bad' | 'info' | 'muted';
} {
  const byHealth: Record<DeviceHealth, { words: string; tone: 'good' | 'bad' | 'info' | 'muted' }> = {
    online: { words: 'online', tone: 'good' },
    connecting: { words: 'connecting', tone: 'info' },
    stale: { words: 'stale: not read this cycle', tone: 'bad' },
    faulted: { words: 'offline: not answering', tone: 'bad' },
    outOfService: { words: 'out of service', tone: 'muted' },
  };
  const base = byHealth[snapshot.health] ?? { words: snapshot.health, tone: 'info' as const };
  if (snapshot.health === 'online' && !snapshot.fresh) return { words: 'stale: last reading held over', tone: 'bad' };
  return base;
}

const num = (snapshot: DeviceSnapshot, point: string): number | null => {
  const value = snapshot.reading?.[point];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

/** What a device is doing, in one line: "charging 1.74 kW, 50 % SoC", "mppt 6.18 kW (100 % limit)". */
export function readingInWords(snapshot: DeviceSnapshot): string {
  if (snapshot.reading === null) return 'no reading yet';
  const state = typeof snapshot.reading.state === 'string' ? snapshot.reading.state : null;
  const powerW = num(snapshot, 'powerW');
  const power = powerW === null ? 'power unknown' : formatPower(Math.abs(powerW));
  switch (snapshot.kind) {
    case 'battery': {
      const soc = num(snapshot, 'socPct');
      const direction = powerW === null ? '' : powerW < 0 ? 'charging ' : powerW > 0 ? 'discharging ' : 'idle ';
      return `${direction}${power}${soc === null ? ', state of charge unknown' : `, ${soc.toFixed(0)} % charged`}${state ? ` (${state})` : ''}`;
    }
    case 'pv-inverter': {
      const limit = num(snapshot, 'powerLimitPct');
      return `producing ${power}${limit !== null && limit < 100 ? `, limited to ${limit} %` : ''}${state ? ` (${state})` : ''}`;
    }
    case 'flexible-load': {
      const target = num(snapshot, 'powerTargetW');
      return `using ${power}${target !== null ? `, target ${formatPower(target)}` : ''}${state ? ` (${state})` : ''}`;
    }
    case 'meter':
      return powerW === null ? 'grid power unknown' : powerW >= 0 ? `importing ${power}` : `exporting ${power}`;
  }
}

/** The controller names: what each one guards, for the reason trail. */
export const CONTROLLER_WORDS: Record<string, string> = {
  safety: 'Safety (ratings, reserve, ramps)',
  'grid-limits': 'Grid limits (import and export caps)',
  'operator-setpoint': "Operator's grid target",
  'allocation-policy': "DAO's allocation policy",
  'plan-following': 'Day-ahead plan',
  dispatcher: 'Dispatcher (share of the balance)',
};
