import { REGISTRY_LIMITS, type RegistryExecuteMsg, type RegistryNode } from '@gridcoop/contracts/client/registry-types';

/**
 * What the connected account may do to a node's lifecycle, as the registry contract allows it: the operator suspends
 * an active node (with a reason the owner reads) and resumes a suspended one; the operator or the owner retires a node
 * for good. Each action not offered says why, so the page can show the reason instead of a button that fails.
 */
export type LifecycleAction = 'suspend' | 'resume' | 'retire';

export interface LifecycleChoice {
  action: LifecycleAction;
  /** null when the account may do it now, else why not, in words */
  unavailable: string | null;
}

export interface Viewer {
  isOperator: boolean;
  isOwner: boolean;
}

export function lifecycleChoices(node: Pick<RegistryNode, 'status'>, viewer: Viewer): LifecycleChoice[] {
  const choices: LifecycleChoice[] = [];
  if (viewer.isOperator) {
    choices.push({
      action: 'suspend',
      unavailable:
        node.status === 'active' ? null : `Only an active node can be suspended; this one is ${node.status}.`,
    });
    choices.push({
      action: 'resume',
      unavailable:
        node.status === 'suspended' ? null : `Only a suspended node can be resumed; this one is ${node.status}.`,
    });
  }
  if (viewer.isOperator || viewer.isOwner) {
    choices.push({
      action: 'retire',
      unavailable: node.status === 'retired' ? 'This node is already retired.' : null,
    });
  }
  return choices;
}

/** The suspension reason as the contract checks it (it is sent trimmed): not blank, at most maxReasonBytes of UTF-8. */
export function suspendReasonProblem(reason: string): string | null {
  if (reason.trim() === '') return 'Reason: required, the owner reads it on the node page.';
  const bytes = new TextEncoder().encode(reason.trim()).length;
  if (bytes > REGISTRY_LIMITS.maxReasonBytes)
    return `Reason: ${bytes} bytes, at most ${REGISTRY_LIMITS.maxReasonBytes}.`;
  return null;
}

/** The registry message for an action, or the problem with its input. */
export function lifecycleMessage(
  action: LifecycleAction,
  nodeId: number,
  reason = '',
): { msg: RegistryExecuteMsg; problem: null } | { msg: null; problem: string } {
  switch (action) {
    case 'suspend': {
      const problem = suspendReasonProblem(reason);
      return problem
        ? { msg: null, problem }
        : { msg: { suspend_node: { node_id: nodeId, reason: reason.trim() } }, problem: null };
    }
    case 'resume':
      return { msg: { resume_node: { node_id: nodeId } }, problem: null };
    case 'retire':
      return { msg: { retire_node: { node_id: nodeId } }, problem: null };
  }
}

/** What an action did, as the outcome line's label ("…: included in block N"); the status line says what it means. */
export function lifecycleDone(action: LifecycleAction, nodeId: number): string {
  switch (action) {
    case 'suspend':
      return `Node ${nodeId} suspended`;
    case 'resume':
      return `Node ${nodeId} resumed`;
    case 'retire':
      return `Node ${nodeId} retired for good`;
  }
}
