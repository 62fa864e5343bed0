import { REGISTRY_LIMITS, type RegistryNode } from '@gridcoop/contracts/client/registry-types';
import type { RegistryQueryClient } from '@gridcoop/contracts/client/registry-client';

export interface NodePage {
  nodes: RegistryNode[];
  /** a full page came back: there may be more after the last one */
  more: boolean;
}

/** One page of nodes (all of them, or one owner's), after `startAfter`. */
export async function nodePage(
  registry: RegistryQueryClient,
  filter: { owner?: string },
  startAfter?: number,
): Promise<NodePage> {
  const limit = REGISTRY_LIMITS.maxPageLimit;
  const { nodes } = await registry.nodes({ owner: filter.owner, startAfter, limit });
  return { nodes, more: nodes.length === limit };
}

/** Reloads as many pages as were shown before (`atLeast` nodes), so a refresh keeps the reader's place. */
export async function nodePagesUpTo(
  registry: RegistryQueryClient,
  filter: { owner?: string },
  atLeast: number,
): Promise<NodePage> {
  const nodes: RegistryNode[] = [];
  let page = await nodePage(registry, filter);
  nodes.push(...page.nodes);
  while (page.more && nodes.length < atLeast) {
    page = await nodePage(registry, filter, nodes.at(-1)!.id);
    nodes.push(...page.nodes);
  }
  return { nodes, more: page.more };
}

/** Nodes with a status the operator acts on (pending, suspended); the registry has no status filter, so it pages
 * through all nodes, up to `maxPages` pages. */
export async function nodesAwaitingOperator(
  registry: RegistryQueryClient,
  maxPages = 20,
): Promise<{ pending: RegistryNode[]; suspended: RegistryNode[]; complete: boolean }> {
  const pending: RegistryNode[] = [];
  const suspended: RegistryNode[] = [];
  let startAfter: number | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await nodePage(registry, {}, startAfter);
    pending.push(...page.nodes.filter((n) => n.status === 'pending'));
    suspended.push(...page.nodes.filter((n) => n.status === 'suspended'));
    if (!page.more) return { pending, suspended, complete: true };
    startAfter = page.nodes.at(-1)!.id;
  }
  return { pending, suspended, complete: false };
}
