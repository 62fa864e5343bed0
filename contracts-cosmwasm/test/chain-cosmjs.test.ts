import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import { cw20BaseWasm, cw20InitMsg, signingClient } from './chain-fixture.ts';

describe('local chain with unmodified CosmJS clients', () => {
  let chain: LocalChain;
  let client: SigningCosmWasmClient;
  let alice: string;
  let bob: string;
  let codeId: number;
  let token: string;

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 50 });
    ({ client, address: alice } = await signingClient(chain, 0));
    bob = chain.devAccounts[1]!.address;
  });
  after(async () => {
    client?.disconnect();
    await chain?.stop();
  });

  test('a cw20 contract is uploaded, instantiated, executed and queried with fee "auto"', async () => {
    const upload = await client.upload(alice, cw20BaseWasm(), 'auto');
    codeId = upload.codeId;
    assert.ok(codeId >= 1);
    const details = await client.getCodeDetails(codeId);
    assert.equal(details.checksum, upload.checksum);
    const instantiated = await client.instantiate(alice, codeId, cw20InitMsg(alice, alice), 'grid token', 'auto', {
      admin: alice,
    });
    token = instantiated.contractAddress;
    assert.match(token, /^gridcoop1/);
    const contract = await client.getContract(token);
    assert.equal(contract.codeId, codeId);
    assert.equal(contract.admin, alice);
    assert.deepEqual(await client.getContracts(codeId), [token]);
    const executed = await client.execute(alice, token, { transfer: { recipient: bob, amount: '250' } }, 'auto');
    const wasmEvent = executed.events.find((e) => e.type === 'wasm');
    assert.ok(wasmEvent?.attributes.some((a) => a.key === 'action' && a.value === 'transfer'));
    assert.ok(wasmEvent?.attributes.some((a) => a.key === '_contract_address' && a.value === token));
    assert.deepEqual(await client.queryContractSmart(token, { balance: { address: bob } }), { balance: '250' });
    assert.deepEqual(await client.queryContractSmart(token, { balance: { address: alice } }), { balance: '999750' });
  });

  test('gas used is deterministic: the same kind of execute costs the same gas each time', async () => {
    const first = await client.execute(alice, token, { transfer: { recipient: bob, amount: '1' } }, 'auto');
    const second = await client.execute(alice, token, { transfer: { recipient: bob, amount: '1' } }, 'auto');
    assert.equal(first.gasUsed, second.gasUsed);
    assert.ok(first.gasWanted > first.gasUsed, 'auto fee asks for more gas than the simulation measured');
  });

  test('getTx and searchTx find an executed transaction by hash and by event', async () => {
    const executed = await client.execute(
      alice,
      token,
      { transfer: { recipient: bob, amount: '7' } },
      'auto',
      'find me',
    );
    const found = await client.getTx(executed.transactionHash);
    assert.ok(found);
    assert.equal(found.height, executed.height);
    assert.equal(found.code, 0);
    assert.equal(decodeTxRaw(found.tx).body.memo, 'find me');
    assert.equal(found.msgResponses[0]?.typeUrl, '/cosmwasm.wasm.v1.MsgExecuteContractResponse');
    const bySender = await client.searchTx([{ key: 'message.sender', value: alice }]);
    assert.ok(bySender.some((t) => t.hash === executed.transactionHash));
    const byContract = await client.searchTx(`wasm._contract_address='${token}' AND tx.height=${executed.height}`);
    assert.deepEqual(
      byContract.map((t) => t.hash),
      [executed.transactionHash],
    );
    const block = await client.getBlock(executed.height);
    assert.equal(block.header.height, executed.height);
    assert.equal(block.txs.length >= 1, true);
  });

  test('a bank send with a memo moves the coins and keeps the memo on chain', async () => {
    const stargate = await SigningStargateClient.connectWithSigner(
      chain.rpcUrl,
      await (
        await import('@cosmjs/proto-signing')
      ).DirectSecp256k1HdWallet.fromMnemonic(chain.devAccounts[1]!.mnemonic, { prefix: chain.prefix }),
      { gasPrice: GasPrice.fromString(chain.gasPrice), broadcastPollIntervalMs: 50 },
    );
    try {
      const carol = chain.devAccounts[2]!.address;
      const before = BigInt((await stargate.getBalance(carol, chain.denom)).amount);
      const result = await stargate.sendTokens(
        bob,
        carol,
        [{ denom: chain.denom, amount: '12345' }],
        'auto',
        'interval 2026-11-23T10:00Z hash ab12',
      );
      assert.equal(result.code, 0);
      const after = BigInt((await stargate.getBalance(carol, chain.denom)).amount);
      assert.equal(after - before, 12345n);
      const tx = await stargate.getTx(result.transactionHash);
      assert.equal(decodeTxRaw(tx!.tx).body.memo, 'interval 2026-11-23T10:00Z hash ab12');
      const transfer = result.events.find((e) => e.type === 'transfer' && e.attributes.some((a) => a.value === carol));
      assert.ok(transfer?.attributes.some((a) => a.key === 'amount' && a.value === `12345${chain.denom}`));
    } finally {
      stargate.disconnect();
    }
  });

  test('an unknown address reads as no account until it first receives coins, then has sequence 0', async () => {
    const wallet = await Secp256k1HdWallet.generate(12, { prefix: chain.prefix });
    const [fresh] = await wallet.getAccounts();
    const reader = await StargateClient.connect(chain.rpcUrl);
    try {
      assert.equal(await reader.getAccount(fresh!.address), null, 'an unknown account reads as null (NotFound)');
      await client.sendTokens(alice, fresh!.address, [{ denom: chain.denom, amount: '5000000' }], 'auto');
      const account = await reader.getAccount(fresh!.address);
      assert.ok(account);
      assert.equal(account.sequence, 0);
    } finally {
      reader.disconnect();
    }
  });

  test('amino JSON signing (LEGACY_AMINO_JSON) is accepted for a bank send and a contract execute', async () => {
    const wallet = await Secp256k1HdWallet.fromMnemonic(chain.devAccounts[2]!.mnemonic, { prefix: chain.prefix });
    const amino = await SigningCosmWasmClient.connectWithSigner(chain.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString(chain.gasPrice),
      broadcastPollIntervalMs: 50,
    });
    try {
      const carol = chain.devAccounts[2]!.address;
      const sent = await amino.sendTokens(carol, alice, [{ denom: chain.denom, amount: '1' }], 'auto', 'amino memo');
      assert.equal(sent.code, 0);
      await client.execute(alice, token, { transfer: { recipient: carol, amount: '40' } }, 'auto');
      const executed = await amino.execute(
        carol,
        token,
        { transfer: { recipient: bob, amount: '15' } },
        'auto',
        'amino execute',
        [],
      );
      assert.ok(executed.transactionHash);
      assert.deepEqual(await amino.queryContractSmart(token, { balance: { address: carol } }), { balance: '25' });
      const account = await amino.getAccount(carol);
      assert.ok(account?.pubkey, 'the first signed tx records the public key');
    } finally {
      amino.disconnect();
    }
  });
});
