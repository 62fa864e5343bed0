import {
  AttributeIds,
  ClientMonitoredItemGroup,
  OPCUAClient,
  ReferenceTypeIds,
  TimestampsToReturn,
  type BrowsePathLike,
  type ClientMonitoredItemBase,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type NodeId,
  type NotificationMessage,
  type Variant,
} from 'node-opcua';
import { callWithReasons, type MethodOutcome } from './call-with-reasons.ts';
import {
  clientSecurityOptions,
  defaultOpcUaSecurity,
  securityKey,
  securityRefusal,
  userIdentity,
  type OpcUaClientSecurity,
} from './opcua-security.ts';
import { classifyOpcUaError, OpcUaFailure, withTimeout } from './opcua-failure.ts';

/** Subscriptions publish no faster than every 50 ms in node-opcua; 200 ms keeps 50 miners cheap for both sides. */
const PUBLISHING_INTERVAL_MS = 200;
const SAMPLING_INTERVAL_MS = 200;
/** The OPC UA Objects folder and the HierarchicalReferences type, where every browse path starts and walks. */
const OBJECTS_FOLDER = 'i=85';
const RECREATE_RETRY_MS = 1000;

/** A browse path below Objects, each step a (namespace URI, browse name) pair, e.g. DI DeviceSet / miner-1 / ... */
export type NamedPath = Array<{ namespaceUri: string; name: string }>;

export type { MethodOutcome };

type ValueListener = (index: number, dataValue: DataValue) => void;

interface Registration {
  nodeIds: NodeId[];
  onValue: ValueListener;
  group: ClientMonitoredItemGroup | null;
}

/**
 * One OPC UA client, session and subscription per server endpoint, shared by every device on that server: a fleet
 * gateway hosting 50 miners then costs one TCP connection and one publish stream, not 50.
 * Measurements come through the subscription (MonitoredItems); the connection watches its publish responses
 * (data and keep-alives both) and calls itself stale when none has come for longer than a device's timeout.
 * After a connection loss node-opcua reconnects by itself (retrying forever, backing off to 1 s); when it had to
 * create a new session (the server restarted), the subscription and its monitored items are created again here.
 */
export class OpcUaEndpointConnection {
  private static readonly shared = new Map<string, OpcUaEndpointConnection>();

  /**
   * The connection for `endpointUrl` with `security`, shared with every other user of that endpoint and security until
   * they all release it.
   */
  static acquire(
    endpointUrl: string,
    timeoutMs: number,
    security: OpcUaClientSecurity = defaultOpcUaSecurity(),
  ): OpcUaEndpointConnection {
    const key = `${endpointUrl}#${securityKey(security)}`;
    let connection = OpcUaEndpointConnection.shared.get(key);
    if (!connection) {
      connection = new OpcUaEndpointConnection(endpointUrl, timeoutMs, security, key);
      OpcUaEndpointConnection.shared.set(key, connection);
    }
    connection.users += 1;
    return connection;
  }

  private users = 0;
  private client: OPCUAClient | null = null;
  private session: ClientSession | null = null;
  private subscription: ClientSubscription | null = null;
  private opening: Promise<void> | null = null;
  private connectionLost = false;
  /** Why there is no working subscription (it failed, or is being created again), or null when it works. */
  private subscriptionFailure: OpcUaFailure | null = null;
  private recreating: Promise<void> | null = null;
  /** Local time of the last publish response, data or keep-alive. */
  private lastPublishMs = 0;
  private namespaceArray: string[] = [];
  private readonly registrations = new Set<Registration>();

  private constructor(
    readonly endpointUrl: string,
    private readonly timeoutMs: number,
    private readonly security: OpcUaClientSecurity,
    private readonly key: string,
  ) {}

  /** Opens the client, session and subscription once; concurrent and later callers share the same attempt. */
  async connect(): Promise<void> {
    if (this.session) return;
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    await this.opening;
  }

  /** Why this connection cannot be trusted right now, or null when it can. */
  failure(timeoutMs: number): OpcUaFailure | null {
    if (!this.session) return new OpcUaFailure('not-connected', `${this.endpointUrl}: no session (connect() first)`);
    if (this.connectionLost)
      return new OpcUaFailure('disconnected', `${this.endpointUrl}: connection lost, reconnecting`);
    if (this.subscriptionFailure !== null) return this.subscriptionFailure;
    const silentMs = Date.now() - this.lastPublishMs;
    if (silentMs > timeoutMs) {
      return new OpcUaFailure(
        'timeout',
        `${this.endpointUrl}: subscription stale, no publish response for ${silentMs} ms (timeout ${timeoutMs} ms)`,
      );
    }
    return null;
  }

  /** Resolves browse paths below Objects to node ids; a path that does not exist gives null. */
  async resolve(paths: NamedPath[]): Promise<Array<NodeId | null>> {
    const session = this.requireSession();
    const browsePaths: BrowsePathLike[] = paths.map((path) => ({
      startingNode: OBJECTS_FOLDER,
      relativePath: {
        elements: path.map((step) => ({
          referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
          isInverse: false,
          includeSubtypes: true,
          targetName: { namespaceIndex: this.namespaceIndex(step.namespaceUri), name: step.name },
        })),
      },
    }));
    try {
      const results = await withTimeout(
        session.translateBrowsePath(browsePaths),
        this.timeoutMs,
        'translate browse paths',
      );
      return results.map((result) => (result.statusCode.isGood() ? (result.targets?.[0]?.targetId ?? null) : null));
    } catch (error) {
      throw classifyOpcUaError(error, 'translate browse paths');
    }
  }

  /** Reads the Value attribute of each node once (for metadata such as EURange, and read-backs). */
  async readValues(nodeIds: NodeId[], timeoutMs: number): Promise<DataValue[]> {
    const session = this.requireSession();
    try {
      return await withTimeout(
        session.read(nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }))),
        timeoutMs,
        'read',
      );
    } catch (error) {
      throw classifyOpcUaError(error, 'read');
    }
  }

  /**
   * Subscribes to the nodes' values; `onValue` gets each change (index into `nodeIds`), also after the subscription
   * is recreated following a server restart. Resolves once the items are created. Returns the unsubscribe function.
   */
  async monitor(nodeIds: NodeId[], onValue: ValueListener): Promise<() => Promise<void>> {
    const registration: Registration = { nodeIds, onValue, group: null };
    this.registrations.add(registration);
    try {
      if (this.subscription) await this.addMonitoredItems(this.subscription, registration);
    } catch (error) {
      this.registrations.delete(registration);
      throw classifyOpcUaError(error, 'create monitored items');
    }
    return async () => {
      this.registrations.delete(registration);
      const group = registration.group;
      registration.group = null;
      if (group && !this.connectionLost) {
        await withTimeout(group.terminate(), this.timeoutMs, 'delete monitored items').catch(() => undefined);
      }
    };
  }

  /** Calls a method and returns its status and the server's reason for it; rejects only if no answer came. */
  async call(
    objectId: NodeId,
    methodId: NodeId,
    inputArguments: Variant[],
    timeoutMs: number,
    doing: string,
  ): Promise<MethodOutcome> {
    const session = this.requireSession();
    try {
      // The request asks for operation-level diagnostics, where the server says why it refused.
      return await withTimeout(callWithReasons(session, { objectId, methodId, inputArguments }), timeoutMs, doing);
    } catch (error) {
      throw classifyOpcUaError(error, doing);
    }
  }

  /** Gives the connection back; the last user's release closes it. */
  async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0) return;
    if (OpcUaEndpointConnection.shared.get(this.key) === this) OpcUaEndpointConnection.shared.delete(this.key);
    await this.opening?.catch(() => undefined);
    await this.close();
  }

  private requireSession(): ClientSession {
    const failure = this.failure(Number.POSITIVE_INFINITY);
    if (failure) throw failure;
    if (!this.session) throw new OpcUaFailure('not-connected', `${this.endpointUrl}: no session`);
    return this.session;
  }

  private namespaceIndex(namespaceUri: string): number {
    const index = this.namespaceArray.indexOf(namespaceUri);
    if (index < 0)
      throw new OpcUaFailure('protocol-exception', `${this.endpointUrl}: the server has no namespace ${namespaceUri}`);
    return index;
  }

  private async open(): Promise<void> {
    const client = OPCUAClient.create({
      applicationName: 'GridCoop controller',
      ...clientSecurityOptions(this.security),
      // A gateway behind port mapping may advertise another host or port than the one we reach it by.
      endpointMustExist: false,
      // One retry for the first connection so a refused connect fails fast; after a loss node-opcua retries forever.
      connectionStrategy: { initialDelay: 100, maxDelay: 1000, maxRetry: 1 },
      keepSessionAlive: true,
      requestedSessionTimeout: 60_000,
    });
    client.on('connection_lost', () => {
      this.connectionLost = true;
    });
    client.on('connection_reestablished', () => {
      this.connectionLost = false;
    });
    this.client = client;
    try {
      await withTimeout(client.connect(this.endpointUrl), this.timeoutMs + 500, `connect to ${this.endpointUrl}`);
      const session = await withTimeout(
        client.createSession(userIdentity(this.security)),
        this.timeoutMs,
        'create session',
      );
      this.namespaceArray = await withTimeout(session.readNamespaceArray(), this.timeoutMs, 'read the namespace array');
      session.on('session_restored', () => {
        // A restarted server knows neither our session nor our subscription: start both again.
        this.scheduleRecreation();
      });
      this.session = session;
      this.subscription = await this.createSubscription(session);
    } catch (error) {
      await this.close();
      throw (
        securityRefusal(error, this.security, this.endpointUrl) ??
        classifyOpcUaError(error, `connect to ${this.endpointUrl}`)
      );
    }
  }

  private async createSubscription(session: ClientSession): Promise<ClientSubscription> {
    // Keep-alives come often enough that a silent server is noticed well within the timeout.
    const keepAliveCount = Math.max(1, Math.floor(this.timeoutMs / 4 / PUBLISHING_INTERVAL_MS));
    const subscription = await withTimeout(
      session.createSubscription2({
        requestedPublishingInterval: PUBLISHING_INTERVAL_MS,
        requestedMaxKeepAliveCount: keepAliveCount,
        requestedLifetimeCount: keepAliveCount * 20,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 1,
      }),
      this.timeoutMs,
      'create subscription',
    );
    this.lastPublishMs = Date.now();
    this.subscriptionFailure = null;
    subscription.on('raw_notification', (_message: NotificationMessage) => {
      this.lastPublishMs = Date.now();
    });
    const broken = (error: Error): void => {
      this.subscriptionFailure = new OpcUaFailure(
        'disconnected',
        `${this.endpointUrl}: subscription failed: ${error.message}`,
      );
      this.scheduleRecreation();
    };
    subscription.on('internal_error', broken);
    subscription.on('error', broken);
    for (const registration of this.registrations) await this.addMonitoredItems(subscription, registration);
    return subscription;
  }

  private async addMonitoredItems(subscription: ClientSubscription, registration: Registration): Promise<void> {
    const group = ClientMonitoredItemGroup.create(
      subscription,
      registration.nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: SAMPLING_INTERVAL_MS, discardOldest: true, queueSize: 1 },
      TimestampsToReturn.Both,
    );
    // The listener goes on before the items exist: the first publish, carrying every item's initial value, can be
    // processed before the answer to CreateMonitoredItems is, and with constant values no second notification comes.
    group.on('changed', (_item: ClientMonitoredItemBase, dataValue: DataValue, index: number) =>
      registration.onValue(index, dataValue),
    );
    registration.group = group;
    const created = new Promise<void>((resolve, reject) => {
      group.once('initialized', () => resolve());
      group.once('err', (message: string) =>
        reject(new OpcUaFailure('protocol-exception', `create monitored items: ${message}`)),
      );
    });
    try {
      await withTimeout(created, this.timeoutMs, 'create monitored items');
    } catch (error) {
      registration.group = null;
      await withTimeout(group.terminate(), this.timeoutMs, 'delete monitored items').catch(() => undefined);
      throw error;
    }
  }

  /** Creates the subscription again (one attempt at a time), and keeps retrying every second while it fails. */
  private scheduleRecreation(): void {
    this.recreating ??= this.recreateSubscription().finally(() => {
      this.recreating = null;
    });
  }

  private async recreateSubscription(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const old = this.subscription;
    this.subscription = null;
    this.subscriptionFailure = new OpcUaFailure(
      'disconnected',
      `${this.endpointUrl}: re-creating the subscription after a reconnection`,
    );
    if (old)
      await withTimeout(old.terminate(), this.timeoutMs, 'terminate the old subscription').catch(() => undefined);
    try {
      this.subscription = await this.createSubscription(session);
    } catch (error) {
      const failure = classifyOpcUaError(error, 're-create the subscription');
      this.subscriptionFailure = new OpcUaFailure(failure.kind, `${this.endpointUrl}: ${failure.detail}`, {
        cause: error,
      });
      setTimeout(() => {
        if (this.session === session && this.subscription === null) this.scheduleRecreation();
      }, RECREATE_RETRY_MS).unref();
    }
  }

  /**
   * Closes everything, each step bounded by the timeout: on a dead or reconnecting connection node-opcua would queue
   * the terminate and close requests until the server came back, and a close must never wait for that.
   */
  private async close(): Promise<void> {
    const { client, session, subscription } = this;
    this.client = null;
    this.session = null;
    this.subscription = null;
    const bounded = (work: Promise<unknown> | undefined, doing: string): Promise<unknown> =>
      work ? withTimeout(work, this.timeoutMs, doing).catch(() => undefined) : Promise.resolve();
    if (!this.connectionLost) {
      await bounded(subscription?.terminate(), 'terminate subscription');
      await bounded(session?.close(), 'close session');
    }
    await bounded(client?.disconnect(), 'disconnect');
  }
}
