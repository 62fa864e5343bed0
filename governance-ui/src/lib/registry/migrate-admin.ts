import { abciQuery } from '../chain/comet-rpc.ts';
import { decodeFields, encodeFields } from '../chain/protobuf.ts';

const CONTRACT_INFO_PATH = '/cosmwasm.wasm.v1.Query/ContractInfo';
const decoder = new TextDecoder();

/**
 * The wasm migrate admin of a contract (who may replace its code), read from the chain's wasm module over a plain
 * ABCI query: QueryContractInfoResponse{address = 1, contract_info = 2}, ContractInfo{admin = 3}. Null when the
 * contract has none (its code is frozen). Read without CosmJS, like every other read of the app.
 */
export async function migrateAdminOf(rpcUrl: string, contract: string): Promise<string | null> {
  const answer = decodeFields(await abciQuery(rpcUrl, CONTRACT_INFO_PATH, encodeFields([contract])));
  const info = answer.get(2);
  if (!info) return null;
  const admin = decodeFields(info).get(3);
  return admin && admin.length > 0 ? decoder.decode(admin) : null;
}
