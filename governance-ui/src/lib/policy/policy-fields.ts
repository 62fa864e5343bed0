import type { AllocationPolicy } from '@gridcoop/contracts/client/governance-types';

/** One line of a policy as a member reads it. */
export interface PolicyLine {
  key: string;
  label: string;
  value: string;
  /** what the line means, for the explanation column */
  help: string;
}

const bps = (v: number): string => `x${(v / 10_000).toFixed(2)}`;

/** The policy as labelled lines, zones sorted, so two policies can be compared line by line. */
export function policyLines(policy: AllocationPolicy): PolicyLine[] {
  const lines: PolicyLine[] = [
    {
      key: 'battery_reserve_pct',
      label: 'Battery reserve',
      value: `${policy.battery_reserve_pct} %`,
      help: 'The controller never discharges a battery below this state of charge.',
    },
    {
      key: 'surplus_split.battery_pct',
      label: 'Surplus to batteries',
      value: `${policy.surplus_split.battery_pct} %`,
      help: 'Share of surplus PV power that charges batteries.',
    },
    {
      key: 'surplus_split.miners_pct',
      label: 'Surplus to miners',
      value: `${policy.surplus_split.miners_pct} %`,
      help: 'Share of surplus PV power given to miners (the flexible load).',
    },
    {
      key: 'surplus_split.export_pct',
      label: 'Surplus exported',
      value: `${policy.surplus_split.export_pct} %`,
      help: 'Share of surplus PV power exported to the grid.',
    },
    {
      key: 'miner_flexibility_pct',
      label: 'Miner flexibility',
      value: `${policy.miner_flexibility_pct} %`,
      help: "Share of the miners' power range the controller may modulate.",
    },
  ];
  for (const [kind, label] of [
    ['pv', 'PV'],
    ['battery', 'battery'],
    ['flexible_load', 'flexible load'],
  ] as const)
    lines.push({
      key: `reward_multipliers.kind_bps.${kind}`,
      label: `Reward multiplier, ${label}`,
      value: bps(policy.reward_multipliers.kind_bps[kind]),
      help: `Weight of each Wh from ${label} nodes in the rewards (x1 = 10,000 bps).`,
    });
  // absent in a policy proposed before the multiplier existed: the registry then weighs flexibility x1
  lines.push({
    key: 'reward_multipliers.flexibility_bps',
    label: 'Reward multiplier, flexibility',
    value: bps(policy.reward_multipliers.flexibility_bps ?? 10_000),
    help:
      "Weight of each Wh of flexibility a flexible load delivered on the controller's request, measured against " +
      'its own baseline (the median of its 8 intervals before the request), in the rewards (x1 = 10,000 bps).',
  });
  // a later contract may add more multipliers: show every numeric field it sends
  for (const [key, v] of Object.entries(policy.reward_multipliers))
    if (key !== 'kind_bps' && key !== 'zone_bps' && key !== 'flexibility_bps' && typeof v === 'number')
      lines.push({
        key: `reward_multipliers.${key}`,
        label: `Reward multiplier, ${key.replace(/_bps$/, '').replace(/_/g, ' ')}`,
        value: bps(v),
        help: 'Weight in the rewards (x1 = 10,000 bps).',
      });
  for (const [zone, v] of [...policy.reward_multipliers.zone_bps].sort(([a], [b]) => a.localeCompare(b)))
    lines.push({
      key: `reward_multipliers.zone_bps.${zone}`,
      label: `Zone ${zone} multiplier`,
      value: bps(v),
      help: `Reward weight of nodes in zone ${zone}; an unlisted zone earns x1.`,
    });
  return lines;
}

export interface PolicyDiffLine {
  key: string;
  label: string;
  before: string | null;
  after: string | null;
  changed: boolean;
  help: string;
}

/** Line-by-line comparison of a proposed policy with the one in force. */
export function policyDiff(inForce: AllocationPolicy | null, proposed: AllocationPolicy): PolicyDiffLine[] {
  const before = new Map((inForce ? policyLines(inForce) : []).map((l) => [l.key, l]));
  const after = policyLines(proposed);
  const lines: PolicyDiffLine[] = after.map((l) => ({
    key: l.key,
    label: l.label,
    before: before.get(l.key)?.value ?? null,
    after: l.value,
    changed: inForce !== null && before.get(l.key)?.value !== l.value,
    help: l.help,
  }));
  for (const [key, l] of before)
    if (!after.some((a) => a.key === key))
      lines.push({ key, label: l.label, before: l.value, after: null, changed: true, help: l.help });
  return lines;
}
