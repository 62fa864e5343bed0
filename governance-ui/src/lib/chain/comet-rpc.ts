/**
 * A small CometBFT JSON-RPC client over fetch: what the app reads before (or without) a wallet, so the first pages
 * load no CosmJS. It speaks to any CometBFT node (the local chain, Neutron, Archway) that allows this origin (CORS).
 */
export class ChainUnreachableError extends Error {
  override name = 'ChainUnreachableError';
  constructor(
    readonly rpcUrl: string,
    cause: string,
  ) {
    super(`the chain (${rpcUrl}) is not reachable: ${cause}`);
  }
}

/** The node answered with a JSON-RPC error (a bad parameter, a transaction that is not there, ...). */
export class ChainRpcError extends Error {
  override name = 'ChainRpcError';
  constructor(
    readonly method: string,
    readonly detail: string,
  ) {
    super(`${method}: ${detail}`);
  }
}

const TIMEOUT_MS = 8_000;
let nextId = 1;

export async function cometCall<T>(rpcUrl: string, method: string, params: Record<string, unknown>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ChainUnreachableError(rpcUrl, error instanceof Error ? error.message : String(error));
  }
  if (res.status >= 500 || res.status === 0) throw new ChainUnreachableError(rpcUrl, `HTTP ${res.status}`);
  let body: { result?: T; error?: { message?: string; data?: string } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ChainUnreachableError(rpcUrl, `HTTP ${res.status} without a JSON body`);
  }
  if (body.error) throw new ChainRpcError(method, body.error.data || body.error.message || 'error');
  if (body.result === undefined) throw new ChainRpcError(method, 'no result');
  return body.result;
}

export interface ChainStatus {
  chainId: string;
  height: number;
  /** the latest block's time, epoch ms */
  latestBlockTimeMs: number;
}

export async function chainStatus(rpcUrl: string): Promise<ChainStatus> {
  const status = await cometCall<{
    node_info: { network: string };
    sync_info: { latest_block_height: string; latest_block_time: string };
  }>(rpcUrl, 'status', {});
  return {
    chainId: status.node_info.network,
    height: Number(status.sync_info.latest_block_height),
    latestBlockTimeMs: Date.parse(status.sync_info.latest_block_time),
  };
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** An ABCI query refused by the app (a contract error, an unknown address): its log carries the reason. */
export class AbciQueryError extends Error {
  override name = 'AbciQueryError';
  constructor(
    readonly path: string,
    readonly code: number,
    readonly log: string,
  ) {
    super(log || `query ${path} failed with code ${code}`);
  }
}

export async function abciQuery(rpcUrl: string, path: string, data: Uint8Array): Promise<Uint8Array> {
  const { response } = await cometCall<{ response: { code: number; log: string; value: string | null } }>(
    rpcUrl,
    'abci_query',
    { path, data: toHex(data), prove: false },
  );
  if (response.code !== 0) throw new AbciQueryError(path, response.code, response.log);
  return response.value ? fromBase64(response.value) : new Uint8Array();
}
