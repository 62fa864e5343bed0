import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toUtf8 } from '@cosmjs/encoding';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { BroadcastTxError, type StdFee } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import { cw20BaseWasm, cw20InitMsg, signingClient } from './chain-fixture.ts';

// Every refusal carries the Cosmos SDK's code and codespace, and loses nothing: balances, sequences and contract
// state are exactly as before (or, for a failed message, only the fee and the sequence moved).

describe('local chain refusals', () => {
  let chain: LocalChain;
  let client: SigningCosmWasmClient;
  let alice: string;
  let bob: string;
  let token: string;

  const transferMsg = (amount: string) => ({
    typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
    value: MsgExecuteContract.fromPartial({
      sender: alice,
      contract: token,
      msg: toUtf8(JSON.stringify({ transfer: { recipient: bob, amount } })),
      funds: [],
    }),
  });
  const fee = (gas: number, amount: number): StdFee => ({
    amount: [{ denom: chain.denom, amount: String(amount) }],
    gas: String(gas),
  });

  async function snapshot() {
    return {
      balance: BigInt((await client.getBalance(alice, chain.denom)).amount),
      sequence: (await client.getSequence(alice)).sequence,
      tokenBalance: ((await client.queryContractSmart(token, { balance: { address: alice } })) as { balance: string })
        .balance,
    };
  }

  async function expectRefused(txBytes: Uint8Array, code: number, log: RegExp) {
    await assert.rejects(client.broadcastTx(txBytes, 5_000, 50), (error: unknown) => {
      assert.ok(error instanceof BroadcastTxError, String(error));
      assert.equal(error.code, code);
      assert.equal(error.codespace, 'sdk');
      assert.match(error.log ?? '', log);
      return true;
    });
  }

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 50 });
    ({ client, address: alice } = await signingClient(chain, 0));
    bob = chain.devAccounts[1]!.address;
    const { codeId } = await client.upload(alice, cw20BaseWasm(), 'auto');
    token = (await client.instantiate(alice, codeId, cw20InitMsg(alice, alice), 'grid token', 'auto')).contractAddress;
  });
  after(async () => {
    client?.disconnect();
    await chain?.stop();
  });

  test('a bad signature is refused with code 4 and changes nothing', async () => {
    const before = await snapshot();
    const signed = await client.sign(alice, [transferMsg('1')], fee(300_000, 10_000), '');
    signed.signatures[0]![5]! ^= 0xff;
    await expectRefused(TxRaw.encode(signed).finish(), 4, /signature verification failed/);
    assert.deepEqual(await snapshot(), before);
  });

  test('a wrong sequence is refused with code 32 and changes nothing', async () => {
    const before = await snapshot();
    const { accountNumber, sequence } = await client.getSequence(alice);
    const signed = await client.sign(alice, [transferMsg('1')], fee(300_000, 10_000), '', {
      accountNumber,
      sequence: sequence + 3,
      chainId: chain.chainId,
    });
    await expectRefused(
      TxRaw.encode(signed).finish(),
      32,
      new RegExp(`account sequence mismatch, expected ${sequence}, got ${sequence + 3}`),
    );
    assert.deepEqual(await snapshot(), before);
  });

  test('a fee below the minimum gas price is refused with code 13 and changes nothing', async () => {
    const before = await snapshot();
    const signed = await client.sign(alice, [transferMsg('1')], fee(300_000, 1), '');
    await expectRefused(TxRaw.encode(signed).finish(), 13, /insufficient fees; got: 1ugrid required: 7500ugrid/);
    assert.deepEqual(await snapshot(), before);
  });

  test('a gas limit too small for the execution fails with code 11; the fee and sequence are taken, the state is not', async () => {
    const before = await snapshot();
    const result = await client.signAndBroadcast(alice, [transferMsg('100')], fee(40_000, 1_000));
    assert.equal(result.code, 11);
    assert.match(result.rawLog ?? '', /out of gas/);
    const afterTx = await snapshot();
    assert.equal(afterTx.sequence, before.sequence + 1);
    assert.equal(afterTx.balance, before.balance - 1_000n);
    assert.equal(afterTx.tokenBalance, before.tokenBalance);
  });

  test('a failing contract execute rolls back its state but takes the fee and the sequence', async () => {
    const before = await snapshot();
    const result = await client.signAndBroadcast(
      alice,
      [transferMsg('100'), transferMsg('999999999')],
      fee(600_000, 15_000),
    );
    assert.equal(result.code, 5);
    assert.match(result.rawLog ?? '', /message index: 1: .*execute wasm contract failed/);
    const afterTx = await snapshot();
    assert.equal(
      afterTx.tokenBalance,
      before.tokenBalance,
      'the first, successful transfer of the tx is rolled back too',
    );
    assert.equal(afterTx.sequence, before.sequence + 1);
    assert.equal(afterTx.balance, before.balance - 15_000n);
    // the contract VM reads the restored store: a following transfer sees the pre-failure balance
    await client.execute(alice, token, { transfer: { recipient: bob, amount: '5' } }, 'auto');
    assert.deepEqual(await client.queryContractSmart(token, { balance: { address: alice } }), {
      balance: String(BigInt(before.tokenBalance) - 5n),
    });
  });

  test('an unknown message type is refused with code 2 (tx parse error)', async () => {
    const before = await snapshot();
    const signed = await client.sign(alice, [transferMsg('1')], fee(300_000, 10_000), '');
    const { TxBody } = await import('cosmjs-types/cosmos/tx/v1beta1/tx');
    const body = TxBody.decode(signed.bodyBytes);
    body.messages[0] = { typeUrl: '/cosmos.gov.v1.MsgVote', value: new Uint8Array([8, 1]) };
    const tampered = TxRaw.encode({ ...signed, bodyBytes: TxBody.encode(body).finish() }).finish();
    await expectRefused(tampered, 2, /unable to resolve type URL \/cosmos.gov.v1.MsgVote/);
    assert.deepEqual(await snapshot(), before);
  });

  test('a send of more coins than the account holds fails with code 5 and only the fee moves', async () => {
    const before = await snapshot();
    const result = await client.signAndBroadcast(
      alice,
      [
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSend',
          value: { fromAddress: alice, toAddress: bob, amount: [{ denom: chain.denom, amount: '99999999999999999' }] },
        },
      ],
      fee(200_000, 5_000),
    );
    assert.equal(result.code, 5);
    assert.match(result.rawLog ?? '', /insufficient funds/);
    const afterTx = await snapshot();
    assert.equal(afterTx.balance, before.balance - 5_000n);
    assert.equal(afterTx.sequence, before.sequence + 1);
  });
});
