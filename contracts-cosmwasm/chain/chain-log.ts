import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '@cosmjs/encoding';

// The chain's durable state: the genesis it started from and an append-only log of blocks (time + raw transactions).
// A restart replays the log through the same transaction pipeline, which rebuilds every balance, account and
// contract store exactly (wasm execution is deterministic). One line per block, written when the block is sealed.

export interface LoggedBlock {
  readonly height: number;
  readonly timeMs: number;
  readonly txs: Uint8Array[];
}

export class ChainLogCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly lineNumber: number,
    reason: string,
  ) {
    super(`chain log ${file} line ${lineNumber}: ${reason}`);
    this.name = 'ChainLogCorruptError';
  }
}

export class ChainLog {
  private readonly genesisFile: string;
  private readonly blocksFile: string;

  constructor(readonly dataDir: string) {
    this.genesisFile = join(dataDir, 'genesis.json');
    this.blocksFile = join(dataDir, 'blocks.jsonl');
  }

  /** Removes the chain's files (the --reset of the CLI). Other files in the directory are left alone. */
  reset(): void {
    rmSync(this.genesisFile, { force: true });
    rmSync(this.blocksFile, { force: true });
  }

  readGenesis(): unknown | null {
    return existsSync(this.genesisFile) ? (JSON.parse(readFileSync(this.genesisFile, 'utf8')) as unknown) : null;
  }

  /** Owner-only: the directory 0700, the files 0600 (the log holds every signed transaction of the chain). */
  writeGenesis(genesis: unknown): void {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(this.dataDir, 0o700);
    writeFileSync(this.genesisFile, JSON.stringify(genesis, null, 2) + '\n', { mode: 0o600 });
    writeFileSync(this.blocksFile, '', { mode: 0o600 });
  }

  /** Rewrites genesis.json alone (owner-only), keeping the block log: for a genesis that held what it must not. */
  rewriteGenesis(genesis: unknown): void {
    chmodSync(this.dataDir, 0o700);
    writeFileSync(this.genesisFile, JSON.stringify(genesis, null, 2) + '\n', { mode: 0o600 });
    chmodSync(this.genesisFile, 0o600);
  }

  /**
   * The logged blocks in order. A torn last line (the process died mid-write) is dropped: that block was never
   * acknowledged. Any other unreadable line is corruption and stops the start with its line number.
   */
  readBlocks(): LoggedBlock[] {
    if (!existsSync(this.blocksFile)) return [];
    const lines = readFileSync(this.blocksFile, 'utf8').split('\n');
    const blocks: LoggedBlock[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: { h: number; t: number; txs?: string[] };
      try {
        parsed = JSON.parse(line) as { h: number; t: number; txs?: string[] };
      } catch {
        const isLastLine = lines.slice(i + 1).every((rest) => rest.trim() === '');
        if (isLastLine) {
          // cut the torn line so the next append starts on a clean line
          writeFileSync(
            this.blocksFile,
            lines
              .slice(0, i)
              .map((l) => l + '\n')
              .join(''),
          );
          return;
        }
        throw new ChainLogCorruptError(this.blocksFile, i + 1, 'not valid JSON');
      }
      const expectedHeight = blocks.length + 1;
      if (parsed.h !== expectedHeight)
        throw new ChainLogCorruptError(this.blocksFile, i + 1, `height ${parsed.h}, expected ${expectedHeight}`);
      blocks.push({ height: parsed.h, timeMs: parsed.t, txs: (parsed.txs ?? []).map(fromBase64) });
    });
    return blocks;
  }

  appendBlock(block: LoggedBlock): void {
    const line = block.txs.length
      ? { h: block.height, t: block.timeMs, txs: block.txs.map(toBase64) }
      : { h: block.height, t: block.timeMs };
    appendFileSync(this.blocksFile, JSON.stringify(line) + '\n');
  }
}
