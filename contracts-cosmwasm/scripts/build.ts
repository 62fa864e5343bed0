// `npm run build:contracts`: builds every contract crate to wasm with Debian's offline toolchain, optimises it
// with wasm-opt, checks each file against the chain's upload rules with our own checker, and writes the
// artifacts (artifacts/*.wasm, gitignored) and the message schemas (schema/*.json).
//   node --import tsx contracts-cosmwasm/scripts/build.ts [--only <crate-dir>]   e.g. --only registry
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWasm, formatVerdict } from './check-wasm.ts';
import { writeSchemas } from './write-schemas.ts';

const contractsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const artifactsDir = join(contractsRoot, 'artifacts');

/** Debian's toolchain only: a rustup cargo/rustc earlier on PATH cannot build for wasm32 here. */
const toolchainEnv = {
  ...process.env,
  PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}`,
  RUSTC: '/usr/bin/rustc',
  RUSTDOC: '/usr/bin/rustdoc',
  CARGO_TERM_COLOR: 'never',
};

/**
 * wasm-opt keeps to what chains accept: MVP plus sign-extension (allowed since cosmwasm 1.x) and mutable globals;
 * no bulk memory (memory.copy/fill), no reference types, no SIMD. Debug info and the producers section go.
 */
const WASM_OPT_FLAGS = [
  '-Oz',
  '--mvp-features',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--strip-debug',
  '--strip-producers',
];

export interface ContractCrate {
  dir: string;
  packageName: string;
  wasmName: string;
}

export class ContractBuildError extends Error {
  constructor(
    readonly step: string,
    readonly crate: string,
    detail: string,
  ) {
    super(`${step} failed for ${crate}: ${detail}`);
    this.name = 'ContractBuildError';
  }
}

export function contractCrates(only?: string): ContractCrate[] {
  const dir = join(contractsRoot, 'contracts');
  return readdirSync(dir)
    .filter((name) => !only || name === only)
    .filter((name) => existsSync(join(dir, name, 'Cargo.toml')))
    .map((name) => {
      const manifest = readFileSync(join(dir, name, 'Cargo.toml'), 'utf8');
      const packageName = /^name\s*=\s*"([^"]+)"/m.exec(manifest)?.[1];
      if (!packageName) throw new ContractBuildError('manifest', name, 'no package name in Cargo.toml');
      return { dir: name, packageName, wasmName: `${packageName.replace(/-/g, '_')}.wasm` };
    });
}

function run(step: string, crate: string, cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, {
    cwd: contractsRoot,
    env: toolchainEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw new ContractBuildError(step, crate, result.error.message);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new ContractBuildError(step, crate, `exit ${result.status}\n${output}`);
  }
}

export interface BuiltContract {
  crate: ContractCrate;
  artifact: string;
  rawBytes: number;
  optimisedBytes: number;
  ok: boolean;
  verdict: string;
}

/** Builds, optimises and checks the contracts (all, or the one in contracts/<only>). */
export function buildContracts(only?: string): BuiltContract[] {
  const crates = contractCrates(only);
  if (crates.length === 0)
    throw new ContractBuildError('discovery', only ?? '*', 'no contract crate found under contracts/');
  mkdirSync(artifactsDir, { recursive: true });
  const built: BuiltContract[] = [];
  for (const crate of crates) {
    run('cargo build', crate.packageName, '/usr/bin/cargo', [
      'build',
      '--offline',
      '--release',
      '--target',
      'wasm32-unknown-unknown',
      '-p',
      crate.packageName,
    ]);
    const targetDir = process.env.CARGO_TARGET_DIR ?? join(contractsRoot, 'target');
    const raw = join(targetDir, 'wasm32-unknown-unknown/release', crate.wasmName);
    const artifact = join(artifactsDir, crate.wasmName);
    run('wasm-opt', crate.packageName, 'wasm-opt', [...WASM_OPT_FLAGS, raw, '-o', artifact]);
    const bytes = readFileSync(artifact);
    const report = checkWasm(bytes, crate.wasmName);
    built.push({
      crate,
      artifact,
      rawBytes: readFileSync(raw).length,
      optimisedBytes: bytes.length,
      ok: report.ok,
      verdict: formatVerdict(report),
    });
  }
  return built;
}

const USAGE = `usage: npm run build:contracts [-- --only <crate>]

Builds every contract to wasm with Debian's Rust (offline), optimises it with wasm-opt, checks it against the
upload rules of the target chains, and writes the JSON schemas and typed clients.
  --only <crate>   build one contract crate (registry or governance)
  --help           this text`;

function main(): number {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let only: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--only' && args[i + 1] && !args[i + 1]!.startsWith('--')) only = args[++i];
    else {
      console.error(
        `build:contracts: ${args[i] === '--only' ? '--only needs a crate name' : `unknown argument ${args[i]}`} (see --help)`,
      );
      return 2;
    }
  }
  const started = performance.now();
  let built: BuiltContract[];
  try {
    built = buildContracts(only);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
  for (const contract of built) {
    console.log(
      `${contract.crate.wasmName}: ${contract.rawBytes} bytes from cargo, ${contract.optimisedBytes} after wasm-opt`,
    );
    console.log(contract.verdict);
  }
  const schemaFiles = writeSchemas(join(contractsRoot, 'schema'));
  console.log(`schemas: ${schemaFiles.join(', ')}`);
  console.log(`build took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return built.every((c) => c.ok) ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
