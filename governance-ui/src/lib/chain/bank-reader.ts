import { abciQuery } from './comet-rpc.ts';
import { decodeFields, encodeFields } from './protobuf.ts';

const BALANCE_PATH = '/cosmos.bank.v1beta1.Query/Balance';
const decoder = new TextDecoder();

/** An account's balance of one denom (QueryBalanceRequest{address, denom} -> {balance: Coin{denom, amount}}). */
export async function balanceOf(rpcUrl: string, address: string, denom: string): Promise<bigint> {
  const answer = decodeFields(await abciQuery(rpcUrl, BALANCE_PATH, encodeFields([address, denom])));
  const coin = answer.get(1);
  if (!coin) return 0n;
  const amount = decodeFields(coin).get(2);
  return amount ? BigInt(decoder.decode(amount) || '0') : 0n;
}
