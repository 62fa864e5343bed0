export { countersOf, type CounterSample } from './node-counters.ts';
export { samplesDigest, type ClosedInterval } from './closed-interval.ts';
export type { Boundary } from './boundary.ts';
export { IntervalMeter, type MeteredNode } from './interval-meter.ts';
