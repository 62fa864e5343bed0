import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { MaintenanceAlert } from './maintenance-alert.ts';

/**
 * Where maintenance records go. Locally now (JSON lines); a chain recorder implements the same interface once the
 * registry contract has a maintenance message, and the alert book then writes to both.
 */
export interface MaintenanceRecorder {
  record(alert: MaintenanceAlert): void;
}

export class MaintenanceRecordError extends Error {
  override readonly name = 'MaintenanceRecordError';
}

export const maintenanceAlertSchema = z.object({
  deviceId: z.string().min(1),
  kind: z.enum([
    'pv-underperformance',
    'battery-capacity-fade',
    'battery-efficiency-loss',
    'miner-cooling-degraded',
    'miner-efficiency-loss',
  ]),
  severity: z.enum(['info', 'warning', 'critical']),
  evidence: z.record(z.string(), z.number().refine(Number.isFinite, 'evidence must be finite numbers')),
  suggestedAction: z.string().min(1),
  raisedAtMs: z.number().int().nonnegative(),
});

/**
 * One JSON object per line, appended and flushed by the OS on each record: a crash loses at most the line being
 * written, and a torn last line is reported by `read`, never silently skipped. A record that fails validation is
 * refused with the field named and nothing is written.
 */
export class JsonLinesMaintenanceLog implements MaintenanceRecorder {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  record(alert: MaintenanceAlert): void {
    const parsed = maintenanceAlertSchema.safeParse(alert);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MaintenanceRecordError(
        `maintenance record for ${String(alert?.deviceId)} refused: ${issue?.path.join('.') || 'record'}: ${issue?.message}`,
      );
    }
    appendFileSync(this.path, `${JSON.stringify(parsed.data)}\n`);
  }

  /** Every valid record in order, and the line numbers of any that could not be read (a torn write). */
  read(): { records: MaintenanceAlert[]; unreadableLines: number[] } {
    if (!existsSync(this.path)) return { records: [], unreadableLines: [] };
    const records: MaintenanceAlert[] = [];
    const unreadableLines: number[] = [];
    readFileSync(this.path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          records.push(maintenanceAlertSchema.parse(JSON.parse(line)));
        } catch {
          unreadableLines.push(i + 1);
        }
      });
    return { records, unreadableLines };
  }
}
