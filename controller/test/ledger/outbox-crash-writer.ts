// Child process for the crash test: stores intervals of three nodes as fast as it can until it is killed.
import { Outbox } from '../../src/ledger/outbox.ts';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: outbox-crash-writer <db path>');
const outbox = new Outbox(path);
const boundaries = outbox.boundaries();
let startS = Math.max(0, ...[...boundaries.values()].map((b) => b.atS));
const counters = new Map([...boundaries].map(([id, b]) => [id, b.counterOutWh]));
process.send?.('ready');
for (;;) {
  const batch = ['pv-1', 'pv-2', 'bat-1'].map((deviceId, i) => {
    const before = counters.get(deviceId) ?? 0;
    const energy = 100 + i;
    counters.set(deviceId, before + energy);
    return {
      deviceId,
      nodeId: i + 1,
      intervalStartS: startS,
      intervalS: 900,
      energyInWh: 0,
      energyOutWh: energy,
      counterInWh: 0,
      counterOutWh: before + energy,
      samplesHash: 'a'.repeat(64),
      sampleCount: 900,
      estimated: false,
    };
  });
  outbox.store(batch);
  startS += 900;
}
