import type { NodeStatus, RegistryNode } from '@gridcoop/contracts/client/registry-types';

/** A node's status as an icon, a word and a tone: never colour alone. */
export interface StatusLook {
  icon: string;
  word: string;
  tone: 'good' | 'bad' | 'info' | 'muted';
}

const LOOKS: Record<NodeStatus, StatusLook> = {
  pending: { icon: '○', word: 'Pending approval', tone: 'info' },
  active: { icon: '✓', word: 'Active', tone: 'good' },
  suspended: { icon: '‖', word: 'Suspended', tone: 'bad' },
  retired: { icon: '■', word: 'Retired', tone: 'muted' },
};

export function statusLook(status: string): StatusLook {
  return (
    LOOKS[status as NodeStatus] ?? {
      icon: '•',
      word: status.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
      tone: 'muted',
    }
  );
}

/** What the node needs next, in words, from its owner's point of view. */
export function nextStep(node: Pick<RegistryNode, 'status' | 'status_reason'>): string {
  switch (node.status) {
    case 'pending':
      return "Waiting for the operator's approval; its output is recorded once it is active.";
    case 'active':
      return 'Nothing to do: its output is recorded every interval and earns rewards; claim them once an epoch settles.';
    case 'suspended':
      return `Suspended by the operator${node.status_reason ? `: ${node.status_reason}` : ''}. Nothing is recorded and rewards cannot be claimed until the operator resumes it.`;
    case 'retired':
      return 'Retired: nothing more is recorded. Rewards of settled epochs can still be claimed.';
    default:
      return '';
  }
}

export const KIND_WORDS: Record<string, string> = {
  pv: 'PV inverter',
  battery: 'Battery',
  flexible_load: 'Flexible load (miner)',
};

export function kindWord(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}

/** The plant device a node stands for, from its metadata ['device', id] (how the controller names it). */
export function deviceIdOf(node: Pick<RegistryNode, 'metadata'>): string | null {
  return node.metadata.find(([key]) => key === 'device')?.[1] ?? null;
}
