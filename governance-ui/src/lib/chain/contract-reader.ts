import type { ContractQuerier } from '@gridcoop/contracts/client/governance-client';
import { abciQuery } from './comet-rpc.ts';
import { decodeFields, encodeFields } from './protobuf.ts';

const SMART_QUERY_PATH = '/cosmwasm.wasm.v1.Query/SmartContractState';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Smart queries of a CosmWasm contract over plain ABCI queries (QuerySmartContractStateRequest{address, query_data}
 * -> QuerySmartContractStateResponse{data}), the same request CosmJS's queryContractSmart makes. It fits the
 * contracts' typed query clients (`ContractQuerier`), so reads never wait for CosmJS to load.
 */
export class ContractReader implements ContractQuerier {
  constructor(private readonly rpcUrl: string) {}

  async queryContractSmart(address: string, queryMsg: object): Promise<unknown> {
    const request = encodeFields([address, encoder.encode(JSON.stringify(queryMsg))]);
    const answer = decodeFields(await abciQuery(this.rpcUrl, SMART_QUERY_PATH, request));
    return JSON.parse(decoder.decode(answer.get(1) ?? new Uint8Array())) as unknown;
  }
}
