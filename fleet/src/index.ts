// The fleet's public entry points: the broker sites and aggregator meet at, the VPP aggregator, its policy advisor.
// The language they speak (topics, messages, envelope, targets) is its own package, @gridcoop/fleet-protocol, so a site
// controller depends on that alone.
export * from './broker/index.ts';
export { startAggregator, type AggregatorSetup, type RunningAggregator } from './aggregator/start-aggregator.ts';
export * from './advisor/index.ts';
