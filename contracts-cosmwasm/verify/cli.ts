// `npm run verify -- --node N --from <time> --to <time> [--rpc URL] [--registry ADDR | --deployment FILE]`
// Recomputes a node's recorded output, rewards and batch digests from the chain alone; prints "consistent" or names
// the first record (or epoch) that is not, and exits 1. Usage errors exit 2.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLedgerEvidence } from './chain-reader.ts';
import { EVIDENCE_FORMAT, type LedgerEvidence } from './ledger-evidence.ts';
import { verifyLedger, type VerificationReport } from './verify-ledger.ts';

const usage = `Usage: npm run verify -- --node N [--from TIME] [--to TIME] [options]

Recomputes node N's recorded output from the chain alone: every interval's energy from its meter counters, each
record against the signed transaction that carried it, reward weights from the policy versions, epoch and lifetime
totals, claimable rewards, and every batch's digest. Prints "consistent", or names the first record (or epoch) that
is not and exits 1.

TIME is an ISO 8601 time (2026-12-01T00:00:00Z) or Unix seconds; the range is [--from, --to) of interval starts
(default: from the beginning to now).

Options:
  --node N            the registry node id (required)
  --from TIME         first interval start to check (default 0)
  --to TIME           end of the range, exclusive (default now)
  --rpc URL           CometBFT RPC of the chain (default: the deployment file's, else http://127.0.0.1:26657)
  --registry ADDR     the registry contract's address
  --deployment FILE   a deployment file written by npm run deploy (default: the only one in .gridcoop/deployments/)
  --save FILE         also write what was read from the chain to FILE (JSON), to verify again later with --evidence
  --evidence FILE     verify a saved copy instead of reading the chain
  -h, --help          show this help

Exit status: 0 consistent, 1 inconsistent, 2 usage or connection error.`;

function fail(message: string): never {
  console.error(`${message}\n(see npm run verify -- --help)`);
  process.exit(2);
}

function parseTime(flag: string, text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) fail(`--${flag} ${text}: not an ISO 8601 time or Unix seconds`);
  return Math.floor(ms / 1000);
}

interface DeploymentFile {
  rpcUrl?: string;
  contracts?: { registry?: { address?: string } };
}

function readDeployment(file: string): DeploymentFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DeploymentFile;
  } catch (error) {
    fail(`--deployment ${file}: ${(error as Error).message}`);
  }
}

function defaultDeployment(): string | null {
  const dir = join(process.env.GRIDCOOP_DATA_DIR ?? '.gridcoop', 'deployments');
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  return files.length === 1 ? join(dir, files[0]!) : null;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function print(evidence: LedgerEvidence, report: VerificationReport): void {
  const { node } = evidence;
  console.log(
    `node ${node.id} (${node.kind}, ${node.rated_power_w} W, zone ${node.zone}) on ${evidence.chainId}, registry ${evidence.registry}`,
  );
  console.log(`range ${iso(evidence.fromS)} to ${iso(evidence.toS)}: ${report.records} records`);
  if (report.inconsistency === null) {
    console.log(
      `  energy out ${report.energyOutWh} Wh, in ${report.energyInWh} Wh, flexibility ${report.flexibilityWh} Wh, reward weight ${report.rewardWeight}` +
        (report.lifetimeTotalsCompared ? ' (the whole history: lifetime totals compared)' : ''),
    );
    for (const e of report.epochs)
      console.log(
        `  epoch ${e.epoch}: ${e.records} records, out ${e.energyOutWh} Wh, flexibility ${e.flexibilityWh} Wh, weight ${e.rewardWeight} of ${e.totalWeight}, pool ${e.pool}` +
          (e.entitled === null ? ', not settled' : `, share ${e.entitled}, claimed ${e.claimed}`),
      );
    for (const b of report.batches)
      console.log(`  batch ${b.txHash} at height ${b.height}: ${b.records} records, digest ${b.digest}`);
    console.log('consistent');
    return;
  }
  const { intervalStart, epoch, reason } = report.inconsistency;
  const where =
    intervalStart !== null
      ? `record of node ${node.id} for interval ${intervalStart} (${iso(intervalStart)})`
      : epoch !== null
        ? `epoch ${epoch} of node ${node.id}`
        : `totals of node ${node.id}`;
  console.log(`inconsistent: ${where}: ${reason}`);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        node: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        rpc: { type: 'string' },
        registry: { type: 'string' },
        deployment: { type: 'string' },
        save: { type: 'string' },
        evidence: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  let evidence: LedgerEvidence;
  if (values.evidence) {
    try {
      evidence = JSON.parse(readFileSync(values.evidence, 'utf8')) as LedgerEvidence;
    } catch (error) {
      fail(`--evidence ${values.evidence}: ${(error as Error).message}`);
    }
    if (evidence.format !== EVIDENCE_FORMAT) fail(`--evidence ${values.evidence}: not a ${EVIDENCE_FORMAT} file`);
  } else {
    if (values.node === undefined) fail('--node is required');
    if (!/^\d+$/.test(values.node)) fail(`--node ${values.node}: not a node id`);
    const fromS = values.from === undefined ? 0 : parseTime('from', values.from);
    const toS = values.to === undefined ? Math.floor(Date.now() / 1000) : parseTime('to', values.to);
    if (toS <= fromS) fail(`--to ${values.to} is not after --from ${values.from ?? 0}`);
    const deploymentFile = values.deployment ?? (values.registry ? null : defaultDeployment());
    const deployment = deploymentFile ? readDeployment(deploymentFile) : null;
    const registry = values.registry ?? deployment?.contracts?.registry?.address;
    if (!registry) fail('no registry: give --registry ADDR or --deployment FILE');
    const rpcUrl = values.rpc ?? deployment?.rpcUrl ?? 'http://127.0.0.1:26657';
    try {
      evidence = await readLedgerEvidence({ rpcUrl, registry, nodeId: Number(values.node), fromS, toS });
    } catch (error) {
      fail(`reading the ledger from ${rpcUrl}: ${(error as Error).message}`);
    }
  }
  if (values.save) writeFileSync(values.save, JSON.stringify(evidence, null, 1) + '\n');
  const report = verifyLedger(evidence);
  print(evidence, report);
  process.exitCode = report.inconsistency === null ? 0 : 1;
}

await main();
