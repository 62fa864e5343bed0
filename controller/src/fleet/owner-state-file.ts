import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { BatteryCycleDay } from './battery-cycle-counter.ts';
import { ownerLimitsSchema, type OwnerLimits } from './owner-limits.ts';

/** What the site link keeps across restarts: the owner's say as last set, and today's battery cycles so far. */
export interface OwnerState {
  owner: OwnerLimits;
  batteryCycles: BatteryCycleDay | null;
}

const ownerStateSchema = z
  .object({
    owner: ownerLimitsSchema,
    batteryCycles: z
      .object({ dayUtc: z.number().int().nonnegative(), dischargedWh: z.number().nonnegative() })
      .strict()
      .nullable(),
  })
  .strict();

export type OwnerStateLoad =
  { kind: 'missing' } | { kind: 'loaded'; state: OwnerState } | { kind: 'unreadable'; reason: string; keptAs: string };

/**
 * Where the site link keeps the owner's say (PUT /api/fleet/owner) and the day's battery cycles, so a restarted
 * controller neither opts an owner who opted out back into the fleet nor forgets the cycles the day's budget has used
 * (evcc keeps a mode set in its UI across restarts the same way). A small JSON file, replaced atomically. An
 * unreadable file is moved aside (`.unreadable-<ms>`), not overwritten, so what it held can still be read by a person.
 */
export class OwnerStateFile {
  constructor(readonly path: string) {}

  load(nowMs: number): OwnerStateLoad {
    if (!existsSync(this.path)) return { kind: 'missing' };
    let reason: string;
    try {
      const parsed = ownerStateSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      if (parsed.success) return { kind: 'loaded', state: parsed.data };
      reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    } catch (error) {
      reason = (error as Error).message;
    }
    const keptAs = `${this.path}.unreadable-${nowMs}`;
    renameSync(this.path, keptAs);
    return { kind: 'unreadable', reason, keptAs };
  }

  save(state: OwnerState): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state)}\n`);
    renameSync(temporary, this.path);
  }
}
