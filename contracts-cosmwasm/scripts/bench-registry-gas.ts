// Benchmark (not a test): cw-simulate's gas and wall time for recording a batch of 1, 10, 50 and 100 interval records
// in the registry wasm, to choose the controller's batch size. cw-simulate's gas is not a chain's gas: compare
// the figures with each other, not with a chain's limits.
//   node --import tsx contracts-cosmwasm/scripts/bench-registry-gas.ts
import { performance } from 'node:perf_hooks';
import { address, INTERVAL_S, registryWorld, START_TIME_S } from '../test/registry-fixture.ts';

const BATCH_SIZES = [1, 10, 50, 100];
const REPEATS = 5;

const world = await registryWorld({ metering: true });
const nodes: number[] = [];
for (let i = 0; i < 10; i++) nodes.push(await world.activeNode(address(`bench-owner-${i}`), { ratedPowerW: 10_000 }));
world.advanceSeconds(3 * 86_400);

let nextInterval = 0;
console.log('batch  gas (median of 5)  gas/record  ms (median)');
for (const size of BATCH_SIZES) {
  const gas: number[] = [];
  const ms: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    // Fresh intervals each time, spread over the 10 nodes as a controller's batch would be.
    const batch = Array.from({ length: size }, (_, i) => {
      const node = nodes[i % nodes.length]!;
      const slot = nextInterval + Math.floor(i / nodes.length);
      return world.record(node, START_TIME_S + slot * INTERVAL_S, { counter_out_wh: 1_000 * (slot + 1) });
    });
    nextInterval += Math.ceil(size / nodes.length);
    const started = performance.now();
    const result = await world.as(world.oracle).recordIntervals(batch);
    ms.push(performance.now() - started);
    gas.push(Number(result.gasUsed));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const gasMedian = median(gas);
  console.log(
    `${String(size).padStart(5)}  ${String(gasMedian).padStart(17)}  ${String(Math.round(gasMedian / size)).padStart(10)}  ${median(ms).toFixed(2).padStart(11)}`,
  );
}
