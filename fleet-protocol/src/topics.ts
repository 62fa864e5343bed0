import { FleetProtocolError } from './protocol-error.ts';

/** Sparkplug B's topic namespace. */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';
/** The Sparkplug group every GridCoop site belongs to. */
export const FLEET_GROUP_ID = 'gridcoop';

/** The node-level Sparkplug messages a site (an edge node) and the aggregator (the primary host) exchange. */
export type NodeMessageType = 'NBIRTH' | 'NDATA' | 'NDEATH' | 'NCMD';
const NODE_MESSAGE_TYPES: readonly NodeMessageType[] = ['NBIRTH', 'NDATA', 'NDEATH', 'NCMD'];

/**
 * Site and host ids become MQTT topic levels and broker user names, so they exclude the topic wildcards and
 * separators (`/ + #`) and anything an ACL file or a shell would have to quote.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidFleetId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function assertValidFleetId(id: string, what: 'site id' | 'host id' | 'group id' | 'user name'): void {
  if (!isValidFleetId(id)) {
    throw new FleetProtocolError(what, `expected 1-64 letters, digits, '-' or '_', got ${JSON.stringify(id)}`);
  }
}

/** `spBv1.0/gridcoop/<type>/<siteId>` */
export function nodeTopic(type: NodeMessageType, siteId: string, groupId: string = FLEET_GROUP_ID): string {
  assertValidFleetId(siteId, 'site id');
  assertValidFleetId(groupId, 'group id');
  return `${SPARKPLUG_NAMESPACE}/${groupId}/${type}/${siteId}`;
}

/** `spBv1.0/STATE/<hostId>`: the primary host's online state (retained, Sparkplug 3.0 JSON). */
export function hostStateTopic(hostId: string): string {
  assertValidFleetId(hostId, 'host id');
  return `${SPARKPLUG_NAMESPACE}/STATE/${hostId}`;
}

/** What the aggregator subscribes to: every site's births, data and deaths in the group. */
export function allSitesTopicFilter(groupId: string = FLEET_GROUP_ID): string[] {
  assertValidFleetId(groupId, 'group id');
  return (['NBIRTH', 'NDATA', 'NDEATH'] as const).map((type) => `${SPARKPLUG_NAMESPACE}/${groupId}/${type}/+`);
}

/** Topic filters for the broker's ACL: a site may write only these (births, data, its own will)... */
export function siteWriteTopicPattern(siteId: string, groupId: string = FLEET_GROUP_ID): string {
  assertValidFleetId(siteId, 'site id');
  return `${SPARKPLUG_NAMESPACE}/${groupId}/+/${siteId}`;
}

export type ParsedTopic =
  { kind: 'node'; groupId: string; type: NodeMessageType; siteId: string } | { kind: 'host-state'; hostId: string };

/** Parses a topic the fleet uses; anything else is a FleetProtocolError naming the topic. */
export function parseFleetTopic(topic: string): ParsedTopic {
  const levels = topic.split('/');
  if (levels[0] !== SPARKPLUG_NAMESPACE) {
    throw new FleetProtocolError('topic', `expected it to start with ${SPARKPLUG_NAMESPACE}/`, topic);
  }
  if (levels.length === 3 && levels[1] === 'STATE') {
    const hostId = levels[2] ?? '';
    if (!isValidFleetId(hostId)) throw new FleetProtocolError('topic', 'host id is not a valid fleet id', topic);
    return { kind: 'host-state', hostId };
  }
  if (levels.length !== 4) {
    // Device-level topics (DBIRTH/DDATA .../<device>) are not used by GridCoop: a site reports as one node.
    throw new FleetProtocolError('topic', `expected ${SPARKPLUG_NAMESPACE}/<group>/<type>/<site>`, topic);
  }
  const [, groupId = '', type = '', siteId = ''] = levels;
  if (!isValidFleetId(groupId)) throw new FleetProtocolError('topic', 'group id is not a valid fleet id', topic);
  if (!(NODE_MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new FleetProtocolError('topic', `expected one of ${NODE_MESSAGE_TYPES.join(', ')}, got ${type}`, topic);
  }
  if (!isValidFleetId(siteId)) throw new FleetProtocolError('topic', 'site id is not a valid fleet id', topic);
  return { kind: 'node', groupId, type: type as NodeMessageType, siteId };
}
