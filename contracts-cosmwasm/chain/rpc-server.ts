import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromBase64, fromHex, toBase64, toHex } from '@cosmjs/encoding';
import {
  blockJson,
  blockMetaJson,
  cometVersion,
  indexedTxJson,
  rfc3339,
  txResultJson,
  validatorIdentity,
} from './comet-json.ts';
import { TxSearchTooBroadError } from './block-store.ts';
import { CorsPolicy } from './cors-policy.ts';
import type { ThreadedChainNode } from './threaded-chain-node.ts';

// The CometBFT JSON-RPC endpoint: POST with a JSON-RPC body (what CosmJS sends) and the GET form
// (/status, /abci_query?path="..."&data=0x...) that curl users and some tools use.

type Params = Record<string, unknown>;

export class RpcParamError extends Error {
  constructor(
    readonly method: string,
    readonly param: string,
    reason: string,
  ) {
    super(`${method}: parameter ${param}: ${reason}`);
    this.name = 'RpcParamError';
  }
}

function stringParam(method: string, params: Params, name: string, required = true): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new RpcParamError(method, name, 'missing');
    return undefined;
  }
  return String(value);
}

function intParam(method: string, params: Params, name: string): number | undefined {
  const text = stringParam(method, params, name, false);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new RpcParamError(method, name, `not an integer: ${text}`);
  return value;
}

function hexOrEmpty(text: string | undefined): Uint8Array {
  if (!text) return new Uint8Array();
  return fromHex(text.startsWith('0x') ? text.slice(2) : text);
}

export interface RpcServerOptions {
  /** origins a browser page may call the RPC from (CometBFT's cors_allowed_origins); "*" for any; none by default */
  readonly corsAllowedOrigins?: readonly string[];
  /** largest request body read, in bytes (CometBFT max_body_bytes, default 1,000,000); larger ones get 413 */
  readonly maxBodyBytes?: number;
  /** most calls in one JSON-RPC batch (CometBFT max_request_batch_size, default 10) */
  readonly maxBatchSize?: number;
  /** most transactions one tx_search may match before it must be narrowed (default 10,000) */
  readonly maxSearchResults?: number;
  /** dev_advance_time's handler; the method is refused when this is left out (see LocalChainOptions.allowTimeTravel) */
  readonly advanceTime?: (seconds: number) => Promise<unknown>;
}

export const rpcLimitDefaults = { maxBodyBytes: 1_000_000, maxBatchSize: 10, maxSearchResults: 10_000 } as const;

class BodyTooLargeError extends Error {}

export class RpcServer {
  private server: Server | null = null;
  private listenAddress = '';
  private readonly cors: CorsPolicy;
  private readonly advanceTime: ((seconds: number) => Promise<unknown>) | undefined;
  private readonly limits: { maxBodyBytes: number; maxBatchSize: number; maxSearchResults: number };

  constructor(
    private readonly node: ThreadedChainNode,
    private readonly host: string,
    options: RpcServerOptions = {},
  ) {
    this.cors = new CorsPolicy(options.corsAllowedOrigins ?? []);
    this.advanceTime = options.advanceTime;
    this.limits = {
      maxBodyBytes: options.maxBodyBytes ?? rpcLimitDefaults.maxBodyBytes,
      maxBatchSize: options.maxBatchSize ?? rpcLimitDefaults.maxBatchSize,
      maxSearchResults: options.maxSearchResults ?? rpcLimitDefaults.maxSearchResults,
    };
  }

  async listen(port: number): Promise<string> {
    const server = createServer((req, res) => void this.serveSafely(req, res));
    // a request must arrive whole within 10 s (CometBFT's read timeout): a client that sends half a request and
    // stalls holds a socket for no longer than that
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.listenAddress = `${this.host}:${address.port}`;
    return `http://${this.listenAddress}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Serves one request; a client that disconnects mid-request (or any fault) costs that request only. */
  private async serveSafely(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.serve(req, res);
    } catch (error) {
      if (res.headersSent || res.destroyed || req.destroyed) {
        res.destroy();
        return;
      }
      const code = error instanceof BodyTooLargeError ? 413 : 500;
      this.send(
        res,
        {
          jsonrpc: '2.0',
          id: -1,
          error:
            code === 413
              ? { code: -32600, message: 'Invalid Request', data: (error as Error).message }
              : { code: -32603, message: 'Internal error', data: (error as Error).message },
        },
        code,
      );
    }
  }

  /**
   * The request body, refused past the limit without keeping it: a declared Content-Length over the limit is refused
   * before a byte is read, and a body without one is refused when it crosses the limit. The rest of a refused body is
   * read and dropped (not buffered) so the client gets its 413 instead of a reset connection; the request timeout
   * ends a client that never stops sending.
   */
  private readBody(req: IncomingMessage): Promise<Buffer> {
    const limit = this.limits.maxBodyBytes;
    const tooLarge = () =>
      new BodyTooLargeError(`error reading request body: http: request body too large (limit ${limit} bytes)`);
    return new Promise((resolve, reject) => {
      let chunks: Buffer[] = [];
      let size = 0;
      let refused = Number(req.headers['content-length'] ?? 0) > limit;
      if (refused) reject(tooLarge());
      req.on('data', (chunk: Buffer) => {
        if (refused) return;
        size += chunk.length;
        if (size > limit) {
          refused = true;
          chunks = [];
          reject(tooLarge());
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      // a client that disconnects mid-body: nothing to answer, nothing kept
      req.on('close', () => {
        if (!req.complete) reject(new Error('client disconnected before sending the whole request'));
      });
      req.on('error', reject);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.cors.answerPreflight(req, res)) return;
    this.cors.decorate(req, res);
    let body: unknown;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST') {
      const bytes = await this.readBody(req);
      try {
        body = JSON.parse(bytes.toString('utf8'));
      } catch {
        return this.send(res, {
          jsonrpc: '2.0',
          id: -1,
          error: { code: -32700, message: 'Parse error', data: 'request body is not JSON' },
        });
      }
    } else {
      const params: Params = {};
      // GET values are quoted strings ("...") or bare numbers, as CometBFT's URI form expects
      for (const [key, value] of url.searchParams) params[key] = value.replace(/^"(.*)"$/, '$1');
      body = { jsonrpc: '2.0', id: -1, method: url.pathname.replace(/^\//, ''), params };
    }
    if (Array.isArray(body)) {
      if (body.length === 0 || body.length > this.limits.maxBatchSize) {
        return this.send(res, {
          jsonrpc: '2.0',
          id: -1,
          error: {
            code: -32600,
            message: 'Invalid Request',
            data: `batch of ${body.length} requests: a batch holds 1 to ${this.limits.maxBatchSize} requests`,
          },
        });
      }
      return this.send(res, await Promise.all(body.map((r) => this.answer(r))));
    }
    this.send(res, await this.answer(body));
  }

  private send(res: ServerResponse, payload: unknown, status = 200): void {
    const text = JSON.stringify(payload);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    };
    // a refused body may still be arriving: the connection is not reused after it
    if (status === 413) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(text);
  }

  private async answer(request: unknown): Promise<unknown> {
    const { id = -1, method, params } = (request ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
    try {
      if (typeof method !== 'string') throw new RpcParamError('?', 'method', 'missing');
      const result = await this.call(method, (params && typeof params === 'object' ? params : {}) as Params);
      if (result === undefined)
        return {
          jsonrpc: '2.0',
          id,
          error: { code: -32601, message: 'Method not found', data: `unknown method ${method}` },
        };
      return { jsonrpc: '2.0', id, result };
    } catch (error) {
      const code = error instanceof RpcParamError ? -32602 : -32603;
      return {
        jsonrpc: '2.0',
        id,
        error: { code, message: code === -32602 ? 'Invalid params' : 'Internal error', data: (error as Error).message },
      };
    }
  }

  private status() {
    const { node } = this;
    const latest = node.blocks.latest;
    const first = node.blocks.block(1);
    const validator = validatorIdentity(node.genesis.chainId);
    return {
      node_info: {
        protocol_version: { p2p: '8', block: '11', app: '0' },
        id: validator.address.toLowerCase(),
        listen_addr: `tcp://${this.listenAddress}`,
        network: node.genesis.chainId,
        version: cometVersion,
        channels: '40202122233038606100',
        moniker: 'gridcoop-local',
        other: { tx_index: 'on', rpc_address: `tcp://${this.listenAddress}` },
      },
      sync_info: {
        latest_block_hash: latest?.hashHex ?? '',
        latest_app_hash: latest?.appHashHex ?? node.blocks.genesisAppHashHex,
        latest_block_height: String(node.height),
        latest_block_time: rfc3339(latest?.timeMs ?? node.genesis.genesisTimeMs),
        earliest_block_hash: first?.hashHex ?? '',
        earliest_app_hash: first?.appHashHex ?? '',
        earliest_block_height: first ? '1' : '0',
        earliest_block_time: rfc3339(first?.timeMs ?? node.genesis.genesisTimeMs),
        catching_up: false,
      },
      validator_info: { address: validator.address, pub_key: validator.pub_key, voting_power: validator.voting_power },
    };
  }

  private blockAt(method: string, params: Params) {
    const height = intParam(method, params, 'height') ?? this.node.height;
    const block = this.node.blocks.block(height);
    if (!block)
      throw new RpcParamError(
        method,
        'height',
        `must be between 1 and the current height ${this.node.height}, got ${height}`,
      );
    return block;
  }

  private async call(method: string, params: Params): Promise<unknown> {
    const { node } = this;
    const chainId = node.genesis.chainId;
    switch (method) {
      case 'health':
        return {};
      case 'status':
        return this.status();
      case 'abci_info':
        return {
          response: {
            data: 'gridcoop',
            version: cometVersion,
            last_block_height: String(node.height),
            last_block_app_hash: toBase64(fromHex(node.blocks.latest?.appHashHex ?? node.blocks.genesisAppHashHex)),
          },
        };
      case 'abci_query': {
        const path = stringParam(method, params, 'path')!;
        const answer = await node.query(path, hexOrEmpty(stringParam(method, params, 'data', false)));
        return {
          response: {
            code: answer.code,
            log: answer.log,
            info: '',
            index: '0',
            key: null,
            value: toBase64(answer.value),
            proofOps: null,
            height: String(answer.height),
            codespace: answer.codespace,
          },
        };
      }
      case 'broadcast_tx_sync':
      case 'broadcast_tx_async': {
        const tx = fromBase64(stringParam(method, params, 'tx')!);
        const outcome = await node.broadcast(tx);
        return {
          code: outcome.checkCode,
          data: '',
          log: outcome.checkLog,
          codespace: outcome.checkCodespace,
          hash: outcome.hashHex,
        };
      }
      case 'broadcast_tx_commit': {
        const tx = fromBase64(stringParam(method, params, 'tx')!);
        const outcome = await node.broadcast(tx);
        const checkTx = {
          code: outcome.checkCode,
          data: '',
          log: outcome.checkLog,
          codespace: outcome.checkCodespace,
          gas_wanted: '0',
          gas_used: '0',
          events: [],
        };
        if (outcome.checkCode !== 0)
          return {
            check_tx: checkTx,
            tx_result: { code: 0, data: '', log: '', events: [] },
            hash: outcome.hashHex,
            height: '0',
          };
        const committed = await node.waitForCommit(outcome.hashHex);
        return {
          check_tx: checkTx,
          tx_result: txResultJson(committed.result),
          hash: outcome.hashHex,
          height: String(committed.height),
        };
      }
      case 'tx': {
        const hashText = stringParam(method, params, 'hash')!;
        // JSON-RPC callers send base64; the URI form sends 0x-hex
        const hashHex = hashText.startsWith('0x')
          ? hashText.slice(2).toUpperCase()
          : toHex(fromBase64(hashText)).toUpperCase();
        const tx = node.blocks.tx(hashHex);
        if (!tx) throw new Error(`tx (${hashHex}) not found`);
        return indexedTxJson(tx);
      }
      case 'tx_search': {
        const query = stringParam(method, params, 'query')!;
        const page = intParam(method, params, 'page') ?? 1;
        const perPage = Math.min(Math.max(intParam(method, params, 'per_page') ?? 30, 1), 100);
        const order = stringParam(method, params, 'order_by', false) === 'desc' ? 'desc' : 'asc';
        // committed blocks only, read synchronously: no need to wait behind transactions and block sealing
        let found;
        try {
          found = node.blocks.search(query, order, this.limits.maxSearchResults);
        } catch (error) {
          if (error instanceof TxSearchTooBroadError) throw new RpcParamError(method, 'query', error.message);
          throw error;
        }
        const pages = Math.max(1, Math.ceil(found.length / perPage));
        if (page < 1 || page > pages)
          throw new RpcParamError(method, 'page', `should be within [1, ${pages}] range, given ${page}`);
        return {
          txs: found.slice((page - 1) * perPage, page * perPage).map(indexedTxJson),
          total_count: String(found.length),
        };
      }
      case 'block':
        return blockJson(chainId, this.blockAt(method, params));
      case 'block_results': {
        const block = this.blockAt(method, params);
        return {
          height: String(block.height),
          txs_results: block.txs.map((t) => txResultJson(t.result)),
          finalize_block_events: [],
          validator_updates: [],
          consensus_param_updates: null,
          app_hash: block.appHashHex,
        };
      }
      case 'blockchain': {
        const maxHeight = Math.min(intParam(method, params, 'maxHeight') ?? node.height, node.height);
        const minHeight = Math.max(intParam(method, params, 'minHeight') ?? 1, maxHeight - 19, 1);
        const metas = [];
        for (let h = maxHeight; h >= minHeight; h--) metas.push(blockMetaJson(chainId, node.blocks.block(h)!));
        return { last_height: String(node.height), block_metas: metas };
      }
      case 'validators': {
        const validator = validatorIdentity(chainId);
        return {
          block_height: String(intParam(method, params, 'height') ?? node.height),
          validators: [validator],
          count: '1',
          total: '1',
        };
      }
      case 'dev_advance_time': {
        if (!this.advanceTime)
          throw new RpcParamError(
            method,
            'method',
            'time travel is off: only a local development chain started with --allow-time-travel answers it',
          );
        const seconds = Number(stringParam(method, params, 'seconds'));
        if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 10 * 365 * 86_400)
          throw new RpcParamError(
            method,
            'seconds',
            `must be a positive whole number of seconds, got ${params.seconds}`,
          );
        return this.advanceTime(seconds);
      }
      case 'num_unconfirmed_txs':
        return { n_txs: '0', total: '0', total_bytes: '0', txs: null };
      default:
        return undefined;
    }
  }
}
