import { REGISTRY_LIMITS } from '@gridcoop/contracts/client/registry-types';
import type { NodeKind, RegistryExecuteMsg } from '@gridcoop/contracts/client/registry-types';

/** What the owner typed, as the inputs hold it (numbers as text, so "12a" can be named as wrong). */
export interface RegisterDraft {
  kind: NodeKind;
  ratedPowerW: string;
  energyCapacityWh: string;
  zone: string;
  metadata: { key: string; value: string }[];
}

/** Problems by field: "ratedPowerW", "energyCapacityWh", "zone", "metadata", "metadata.<row>.key|value". */
export type DraftProblems = Record<string, string>;

const ZONE_SHAPE = /^[a-z0-9-]+$/;
const KEY_SHAPE = /^[a-z0-9_-]+$/;
const WHOLE_NUMBER = /^\d+$/;
const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

function wholeNumberProblem(text: string, min: number, max: number, unit: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'Required.';
  if (!WHOLE_NUMBER.test(trimmed)) return `A whole number of ${unit}, without decimals or units.`;
  const value = Number(trimmed);
  if (value < min || value > max)
    return `Must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')} ${unit}.`;
  return null;
}

/**
 * Checks a registration as the registry contract will (contracts/registry/src/limits.rs, nodes.rs), so the owner
 * sees each problem by its field while typing; the message is built only when nothing is wrong. Metadata rows left
 * entirely empty are ignored.
 */
export function checkRegisterDraft(draft: RegisterDraft): {
  problems: DraftProblems;
  msg: Extract<RegistryExecuteMsg, { register_node: unknown }> | null;
} {
  const problems: DraftProblems = {};
  const power = wholeNumberProblem(draft.ratedPowerW, 1, REGISTRY_LIMITS.maxRatedPowerW, 'W');
  if (power) problems.ratedPowerW = power;
  if (draft.kind === 'battery') {
    const capacity = wholeNumberProblem(draft.energyCapacityWh, 1, REGISTRY_LIMITS.maxEnergyCapacityWh, 'Wh');
    if (capacity) problems.energyCapacityWh = capacity;
  }
  const zone = draft.zone.trim();
  if (zone === '') problems.zone = 'Required: the grid zone the node is connected in.';
  else if (zone.length > REGISTRY_LIMITS.maxZoneChars || !ZONE_SHAPE.test(zone))
    problems.zone = `Use 1 to ${REGISTRY_LIMITS.maxZoneChars} lower-case letters, digits or dashes.`;

  const rows = draft.metadata
    .map((row, index) => ({ index, key: row.key.trim(), value: row.value }))
    .filter((row) => row.key !== '' || row.value !== '');
  if (rows.length > REGISTRY_LIMITS.maxMetadataEntries)
    problems.metadata = `At most ${REGISTRY_LIMITS.maxMetadataEntries} entries (${rows.length} given).`;
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.key === '') problems[`metadata.${row.index}.key`] = 'A key is required for this value.';
    else if (row.key.length > REGISTRY_LIMITS.maxMetadataKeyChars || !KEY_SHAPE.test(row.key))
      problems[`metadata.${row.index}.key`] =
        `Use 1 to ${REGISTRY_LIMITS.maxMetadataKeyChars} lower-case letters, digits, "_" or "-".`;
    else if (seen.has(row.key)) problems[`metadata.${row.index}.key`] = `"${row.key}" is already used above.`;
    seen.add(row.key);
    const bytes = utf8Bytes(row.value);
    if (bytes > REGISTRY_LIMITS.maxMetadataValueBytes)
      problems[`metadata.${row.index}.value`] =
        `${bytes} bytes; at most ${REGISTRY_LIMITS.maxMetadataValueBytes} (UTF-8).`;
  }
  if (Object.keys(problems).length > 0) return { problems, msg: null };
  return {
    problems,
    msg: {
      register_node: {
        kind: draft.kind,
        rated_power_w: Number(draft.ratedPowerW.trim()),
        energy_capacity_wh: draft.kind === 'battery' ? Number(draft.energyCapacityWh.trim()) : null,
        zone,
        metadata: rows.map((row) => [row.key, row.value] as [string, string]),
      },
    },
  };
}
