import { fromUtf8 } from '@cosmjs/encoding';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  QueryCodeRequest,
  QueryCodeResponse,
  QueryCodesRequest,
  QueryCodesResponse,
  QueryContractInfoRequest,
  QueryContractInfoResponse,
  QueryContractsByCodeRequest,
  QueryContractsByCodeResponse,
  QueryContractsByCreatorRequest,
  QueryContractsByCreatorResponse,
  QueryRawContractStateRequest,
  QueryRawContractStateResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
  type CodeInfoResponse,
} from 'cosmjs-types/cosmwasm/wasm/v1/query';
import { AccessType } from 'cosmjs-types/cosmwasm/wasm/v1/types';
import type { ChainNode } from './chain-node.ts';
import { GasMeter } from './gas-meter.ts';
import { SdkCode, SdkError, WasmCode } from './sdk-error.ts';
import { withWasmGas } from './wasm-gas.ts';
import { codeChecksum } from './wasm-messages.ts';

// The gRPC query services CosmJS reaches through abci_query, by path. Each answer is the protobuf response a Cosmos
// SDK node would give; errors carry the gRPC status text CosmJS matches on ("rpc error: code = NotFound ...").

type QueryHandler = (node: ChainNode, data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

interface ContractRecord {
  readonly address: string;
  readonly codeId: number;
  readonly creator: string;
  readonly admin: string | null;
  readonly label: string;
  readonly created: number;
}

function allContracts(node: ChainNode): ContractRecord[] {
  const contracts = node.runtime.app.wasm.store.get('contracts') as unknown as
    { keySeq(): { toArray(): string[] } } | undefined;
  const addresses = contracts ? contracts.keySeq().toArray() : [];
  return addresses.map((address) => ({ address, ...node.runtime.app.wasm.getContractInfo(address) }));
}

function codeInfo(node: ChainNode, codeId: number): CodeInfoResponse | null {
  const info = node.runtime.app.wasm.getCodeInfo(codeId) as { creator: string } | undefined;
  const checksum = codeChecksum(node.runtime, codeId);
  if (!info || !checksum) return null;
  return {
    codeId: BigInt(codeId),
    creator: info.creator,
    dataHash: checksum,
    instantiatePermission: { permission: AccessType.ACCESS_TYPE_EVERYBODY, addresses: [] },
  };
}

function notFound(what: string): SdkError {
  return new SdkError(SdkCode.keyNotFound, 'sdk', `rpc error: code = NotFound desc = ${what} not found: key not found`);
}

const handlers: Record<string, QueryHandler> = {
  '/cosmos.auth.v1beta1.Query/Account': (node, data) => {
    const { address } = QueryAccountRequest.decode(data);
    const account = node.accounts.get(address);
    if (!account) throw notFound(`account ${address}`);
    const base = BaseAccount.fromPartial({
      address,
      accountNumber: account.accountNumber,
      sequence: account.sequence,
      pubKey: account.pubKey
        ? { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: account.pubKey }).finish() }
        : undefined,
    });
    return QueryAccountResponse.encode({
      account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: BaseAccount.encode(base).finish() },
    }).finish();
  },
  '/cosmos.bank.v1beta1.Query/Balance': (node, data) => {
    const { address, denom } = QueryBalanceRequest.decode(data);
    return QueryBalanceResponse.encode({
      balance: { denom, amount: node.runtime.balance(address, denom).toString() },
    }).finish();
  },
  '/cosmos.bank.v1beta1.Query/AllBalances': (node, data) => {
    const { address } = QueryAllBalancesRequest.decode(data);
    const balances = [...node.runtime.balances(address)].sort((a, b) => a.denom.localeCompare(b.denom));
    return QueryAllBalancesResponse.encode({
      balances,
      pagination: { nextKey: new Uint8Array(), total: BigInt(balances.length) },
    }).finish();
  },
  '/cosmos.tx.v1beta1.Service/Simulate': async (node, data) => {
    const request = SimulateRequest.decode(data);
    const txBytes = request.txBytes.length
      ? request.txBytes
      : request.tx
        ? Tx.encode(request.tx).finish()
        : new Uint8Array();
    const result = await node.simulate(txBytes);
    if (result.code !== 0) throw new SdkError(result.code, result.codespace === 'wasm' ? 'wasm' : 'sdk', result.log);
    return SimulateResponse.encode({
      gasInfo: { gasWanted: result.gasWanted, gasUsed: result.gasUsed },
      result: {
        data: result.data,
        log: result.log,
        events: result.events.map((e) => ({
          type: e.type,
          attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })),
        })),
        msgResponses: result.msgResponses,
      },
    }).finish();
  },
  '/cosmwasm.wasm.v1.Query/ContractInfo': (node, data) => {
    const { address } = QueryContractInfoRequest.decode(data);
    const info = allContracts(node).find((c) => c.address === address);
    if (!info) throw new SdkError(WasmCode.notFound, 'wasm', `address ${address}: not found`);
    return QueryContractInfoResponse.encode({
      address,
      contractInfo: {
        codeId: BigInt(info.codeId),
        creator: info.creator,
        admin: info.admin ?? '',
        label: info.label,
        created: { blockHeight: BigInt(info.created), txIndex: 0n },
        ibcPortId: '',
        ibc2PortId: '',
      },
    }).finish();
  },
  '/cosmwasm.wasm.v1.Query/Code': (node, data) => {
    const codeId = Number(QueryCodeRequest.decode(data).codeId);
    const info = codeInfo(node, codeId);
    if (!info) throw new SdkError(WasmCode.notFound, 'wasm', `code id ${codeId}: not found`);
    const wasm = (node.runtime.app.wasm.getCodeInfo(codeId) as { wasmCode: Uint8Array }).wasmCode;
    return QueryCodeResponse.encode({ codeInfo: info, data: wasm }).finish();
  },
  '/cosmwasm.wasm.v1.Query/Codes': (node, data) => {
    QueryCodesRequest.decode(data);
    const codeInfos: CodeInfoResponse[] = [];
    for (let codeId = 1; codeId <= node.runtime.app.wasm.lastCodeId; codeId++) {
      const info = codeInfo(node, codeId);
      if (info) codeInfos.push(info);
    }
    return QueryCodesResponse.encode({
      codeInfos,
      pagination: { nextKey: new Uint8Array(), total: BigInt(codeInfos.length) },
    }).finish();
  },
  '/cosmwasm.wasm.v1.Query/ContractsByCode': (node, data) => {
    const codeId = Number(QueryContractsByCodeRequest.decode(data).codeId);
    const contracts = allContracts(node)
      .filter((c) => c.codeId === codeId)
      .map((c) => c.address);
    return QueryContractsByCodeResponse.encode({
      contracts,
      pagination: { nextKey: new Uint8Array(), total: BigInt(contracts.length) },
    }).finish();
  },
  '/cosmwasm.wasm.v1.Query/ContractsByCreator': (node, data) => {
    const { creatorAddress } = QueryContractsByCreatorRequest.decode(data);
    const contractAddresses = allContracts(node)
      .filter((c) => c.creator === creatorAddress)
      .map((c) => c.address);
    return QueryContractsByCreatorResponse.encode({
      contractAddresses,
      pagination: { nextKey: new Uint8Array(), total: BigInt(contractAddresses.length) },
    }).finish();
  },
  '/cosmwasm.wasm.v1.Query/RawContractState': (node, data) => {
    const { address, queryData } = QueryRawContractStateRequest.decode(data);
    const storage = node.runtime.app.wasm.getContractStorage(address) as unknown as
      { get(key: Uint8Array): Uint8Array | undefined } | undefined;
    if (!storage) throw new SdkError(WasmCode.noSuchContract, 'wasm', `no such contract: ${address}: not found`);
    // the store is a SortedMap with a byte comparator, so a fresh Uint8Array with the same bytes finds the entry
    const value = storage.get(new Uint8Array(queryData));
    return QueryRawContractStateResponse.encode({ data: value ?? new Uint8Array() }).finish();
  },
  '/cosmwasm.wasm.v1.Query/SmartContractState': async (node, data) => {
    const { address, queryData } = QuerySmartContractStateRequest.decode(data);
    if (!node.runtime.app.wasm.getContractInfo(address))
      throw new SdkError(WasmCode.noSuchContract, 'wasm', `no such contract: ${address}: not found`);
    try {
      JSON.parse(fromUtf8(queryData));
    } catch (error) {
      throw new SdkError(
        WasmCode.invalidMsg,
        'wasm',
        `query data must be valid JSON: ${(error as Error).message}: invalid`,
      );
    }
    await node.runtime.ensureContractVm(address);
    // wasmd's smart_query_gas_limit: a query that loops is stopped, and answers out of gas
    const meter = new GasMeter(node.gasLimits.queryGasLimit);
    // the query's bytes and the contract's answer pass unchanged (u64 values above 2^53 stay exact)
    const result = await withWasmGas(node.runtime.vmGas, meter, 'wasm query', () =>
      node.runtime.queryRaw(address, queryData),
    );
    if ('error' in result)
      throw new SdkError(WasmCode.queryFailed, 'wasm', `${result.error}: query wasm contract failed`);
    return QuerySmartContractStateResponse.encode({ data: result.ok }).finish();
  },
};

export interface AbciQueryAnswer {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly value: Uint8Array;
  readonly height: number;
}

/** Answers one abci_query. Queries read the latest state, including transactions of the block being built. */
export async function answerAbciQuery(node: ChainNode, path: string, data: Uint8Array): Promise<AbciQueryAnswer> {
  const handler = handlers[path];
  const height = node.height;
  if (!handler) {
    return {
      code: SdkCode.unknownRequest,
      codespace: 'sdk',
      log: `unknown query path ${path}: unknown request`,
      value: new Uint8Array(),
      height,
    };
  }
  try {
    // simulation queues itself; every other query runs on the queue so it never sees a half-applied transaction
    const value = path.endsWith('/Simulate')
      ? await handler(node, data)
      : await node.queue.run(() => handler(node, data));
    return { code: 0, codespace: '', log: '', value, height };
  } catch (error) {
    if (error instanceof SdkError)
      return { code: error.code, codespace: error.codespace, log: error.message, value: new Uint8Array(), height };
    return {
      code: 1,
      codespace: 'sdk',
      log: `query ${path} failed: ${(error as Error).message}`,
      value: new Uint8Array(),
      height,
    };
  }
}
