/**
 * `npm run aggregator -- --broker mqtt://host:1883 --credentials credentials.json`: the VPP aggregator as the fleet's
 * Sparkplug primary host, with its HTTP API, until SIGINT/SIGTERM. The grid operator's token comes from
 * GRIDCOOP_AGGREGATOR_TOKEN (never a flag: flags show in `ps`); without one the API is read-only.
 * Exit codes: 0 stopped cleanly, 2 bad flag, value or file, 1 anything else (e.g. the broker refused us).
 */
import { parseArgs } from 'node:util';
import { pino, type Level } from 'pino';
import {
  AggregatorConfigError,
  loadAggregatorCredentials,
  loadPolicyBasis,
  loadZoneLimits,
} from './aggregator-config.ts';

const USAGE = `usage: npm run aggregator -- --broker <mqtt[s]://host:port> --credentials <credentials.json> [options]
  --broker <url>          the MQTT 5 broker (mqtt:// or mqtts://); or GRIDCOOP_MQTT_URL
  --credentials <file>    credentials.json of the fleet (the aggregator's user, password and host id)
  --ca <file>             CA certificate (PEM) to check an mqtts:// broker with
  --zones <file>          zone congestion limits: [{"zone":"north","importLimitW":40000,"exportLimitW":25000}]
  --policy <file>         the allocation policy in force ({version, policy} or the policy), for the advisor
  --api-host <host>       API address (default 127.0.0.1)
  --api-port <port>       API port (default 8081; 0 = any free port)
  --cors-origin <origin>  allow this browser origin (repeatable)
  --cycle-ms <ms>         dispatch period (default 1000, at least 100)
  --target-ttl-s <s>      validity of each site's target and its MQTT message expiry (default 10)
  --target-valid-s <s>    validity of a live VPP target sent without validForS (default 300)
  --log-level <level>     fatal, error, warn, info, debug (default info)
  --help                  this text
environment: GRIDCOOP_AGGREGATOR_TOKEN  the grid operator's bearer token for PUT/DELETE /api/target, PUT /api/schedule`;

function fail(problem: string): never {
  console.error(`aggregator: ${problem}`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        broker: { type: 'string' },
        credentials: { type: 'string' },
        ca: { type: 'string' },
        zones: { type: 'string' },
        policy: { type: 'string' },
        'api-host': { type: 'string', default: '127.0.0.1' },
        'api-port': { type: 'string', default: '8081' },
        'cors-origin': { type: 'string', multiple: true, default: [] },
        'cycle-ms': { type: 'string', default: '1000' },
        'target-ttl-s': { type: 'string', default: '10' },
        'target-valid-s': { type: 'string', default: '300' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

async function main(): Promise<void> {
  const values = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const brokerUrl = values.broker ?? process.env.GRIDCOOP_MQTT_URL;
  if (brokerUrl === undefined) fail('--broker is required (or GRIDCOOP_MQTT_URL)');
  if (!/^mqtts?:\/\/[^/\s]+$/.test(brokerUrl))
    fail(`--broker: expected mqtt://host:port or mqtts://host:port, got ${JSON.stringify(brokerUrl)}`);
  if (values.credentials === undefined) fail('--credentials is required');
  const levels: Level[] = ['fatal', 'error', 'warn', 'info', 'debug'];
  const logLevel = values['log-level'] as Level;
  if (!levels.includes(logLevel))
    fail(`--log-level: expected one of ${levels.join(', ')}, got ${JSON.stringify(values['log-level'])}`);
  const apiPort = integer('--api-port', values['api-port'], 0, 65_535);
  const cycleMs = integer('--cycle-ms', values['cycle-ms'], 100, 3_600_000);
  const ttlS = integer('--target-ttl-s', values['target-ttl-s'], 1, 3_600);
  const validS = integer('--target-valid-s', values['target-valid-s'], 1, 86_400);
  if (ttlS * 1000 <= cycleMs)
    fail(`--target-ttl-s: ${ttlS} s must be longer than one cycle (${cycleMs} ms), or targets lapse between cycles`);
  const credentials = loadAggregatorCredentials(values.credentials);
  const zoneLimits = values.zones === undefined ? [] : loadZoneLimits(values.zones);
  const policy = values.policy === undefined ? undefined : loadPolicyBasis(values.policy);
  const token = process.env.GRIDCOOP_AGGREGATOR_TOKEN || null;

  const logger = pino({
    level: logLevel,
    base: { service: 'gridcoop-aggregator' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  const { startAggregator } = await import('./start-aggregator.ts');
  const running = await startAggregator({
    brokerUrl,
    username: credentials.username,
    password: credentials.password,
    hostId: credentials.hostId,
    groupId: credentials.groupId,
    ...(values.ca ? { tlsCaFile: values.ca } : {}),
    api: { host: values['api-host'], port: apiPort, token, corsOrigins: values['cors-origin'] },
    defaultTargetValidForS: validS,
    timing: { cyclePeriodMs: cycleMs, targetTtlMs: ttlS * 1000 },
    zoneLimits,
    ...(policy ? { policy } : {}),
    logger,
  });
  console.log(`GridCoop aggregator: primary host ${credentials.hostId} on ${brokerUrl}, cycle ${cycleMs} ms`);
  console.log(
    `  fleet API  ${running.api.url}/api/fleet   (stream ${running.api.url}/api/stream, metrics ${running.api.url}/metrics)`,
  );
  console.log(`  advisor    ${running.api.url}/api/advisor/proposal`);
  console.log(
    `  writes     ${token === null ? 'disabled: set GRIDCOOP_AGGREGATOR_TOKEN' : 'Authorization: Bearer <GRIDCOOP_AGGREGATOR_TOKEN>'}`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the aggregator (sites return to local control when their targets expire)`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof AggregatorConfigError) fail(error.message);
  console.error(`aggregator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
