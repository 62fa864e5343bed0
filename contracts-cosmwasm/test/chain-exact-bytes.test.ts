import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromUtf8, toHex, toUtf8 } from '@cosmjs/encoding';
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from 'cosmjs-types/cosmwasm/wasm/v1/query';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { startLocalChain } from '../chain/local-chain.ts';
import { signingClient } from './chain-fixture.ts';
import { registryWasm } from './registry-fixture.ts';

// The contract receives the bytes the client signed, and its answer reaches the client as the contract wrote it: a
// u64 above 2^53, which a JavaScript number cannot hold, arrives unchanged (the registry echoes it in its refusal).

test('a u64 above 2^53 in a signed contract message or in a query reaches the contract unchanged', async () => {
  const chain = await startLocalChain({ blockTimeMs: 50 });
  try {
    const { client, address } = await signingClient(chain, 0, 20);
    const { codeId } = await client.upload(address, registryWasm(), 'auto');
    const { contractAddress } = await client.instantiate(
      address,
      codeId,
      {
        admin: null,
        operator: address,
        governance: null,
        oracles: [],
        reward_denom: chain.denom,
        interval_s: 900,
        epoch_length_s: 86_400,
        settlement_delay_s: 3_600,
        reward_policy: null,
      },
      'registry',
      'auto',
    );
    // written by hand: JSON.stringify of a JS number would already have rounded it to ...992. The registry bounds
    // the capacity and names the value it received in its refusal, so the refusal shows what reached the contract.
    const signedText =
      '{"register_node":{"kind":"battery","rated_power_w":5000,"energy_capacity_wh":9007199254740993,' +
      '"zone":"zone-a","metadata":[]}}';
    const result = await client.signAndBroadcast(
      address,
      [
        {
          typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
          value: MsgExecuteContract.fromPartial({
            sender: address,
            contract: contractAddress,
            msg: toUtf8(signedText),
          }),
        },
      ],
      { amount: [{ denom: chain.denom, amount: '25000' }], gas: '1000000' },
    );
    assert.equal(result.code, 5);
    assert.match(result.rawLog ?? '', /invalid energy_capacity_wh: 9007199254740993 is outside/);

    // a query's bytes pass unchanged too, and the answer comes back as the contract wrote it
    const smartQuery = async (queryText: string) => {
      const data = QuerySmartContractStateRequest.encode({
        address: contractAddress,
        queryData: toUtf8(queryText),
      }).finish();
      const res = await fetch(chain.rpcUrl, {
        method: 'POST',
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'abci_query',
          params: { path: '/cosmwasm.wasm.v1.Query/SmartContractState', data: toHex(data) },
        }),
      });
      const { result: answer } = (await res.json()) as {
        result: { response: { code: number; log: string; value: string } };
      };
      return answer.response;
    };
    const missing = await smartQuery('{"node":{"node_id":9007199254740993}}');
    assert.notEqual(missing.code, 0);
    assert.match(missing.log, /9007199254740993/);
    const config = await smartQuery('{"config":{}}');
    assert.equal(config.code, 0);
    const text = fromUtf8(QuerySmartContractStateResponse.decode(Buffer.from(config.value, 'base64')).data);
    assert.match(text, /^\{"/, "the contract's own JSON text");
  } finally {
    await chain.stop();
  }
});
