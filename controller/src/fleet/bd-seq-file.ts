import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type BdSeqLoad =
  { kind: 'missing' } | { kind: 'loaded'; bdSeq: number } | { kind: 'unreadable'; reason: string };

/**
 * Where the site link keeps the bdSeq of its latest MQTT session, so a restarted controller births with the next
 * one (Sparkplug B: the host matches a death to its birth by bdSeq; a restart that began again at 0 could have the
 * host take the previous session's late death for the new one). A small JSON file, replaced atomically.
 */
export class BdSeqFile {
  constructor(readonly path: string) {}

  load(): BdSeqLoad {
    if (!existsSync(this.path)) return { kind: 'missing' };
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { bdSeq?: unknown };
      const bdSeq = parsed.bdSeq;
      if (typeof bdSeq !== 'number' || !Number.isInteger(bdSeq) || bdSeq < 0 || bdSeq > 255) {
        return { kind: 'unreadable', reason: `bdSeq ${JSON.stringify(bdSeq)} is not an integer 0-255` };
      }
      return { kind: 'loaded', bdSeq };
    } catch (error) {
      return { kind: 'unreadable', reason: (error as Error).message };
    }
  }

  /** Written before the CONNECT that registers this bdSeq's will, so no session's bdSeq is ever reused. */
  save(bdSeq: number): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ bdSeq })}\n`);
    renameSync(temporary, this.path);
  }
}
