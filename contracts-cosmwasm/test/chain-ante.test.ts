import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fromHex, toHex } from '@cosmjs/encoding';
import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { BroadcastTxError, type StdFee } from '@cosmjs/stargate';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgStoreCode } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import { defaultMaxTxBytes } from '../chain/tx-runner.ts';
import { signingClient } from './chain-fixture.ts';

// What the SDK's ante handler and CometBFT's mempool refuse, refused here with the same code (codespace sdk), before
// any fee is taken: the balance and the sequence are exactly as before each refusal.

const secp256k1Order = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('local chain ante checks', () => {
  let chain: LocalChain;
  let client: SigningCosmWasmClient;
  let alice: string;
  let bob: string;

  const send = (amount: string) => ({
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: { fromAddress: alice, toAddress: bob, amount: [{ denom: chain.denom, amount }] },
  });
  const fee: () => StdFee = () => ({ amount: [{ denom: chain.denom, amount: '5000' }], gas: '200000' });

  async function snapshot() {
    return {
      balance: (await client.getBalance(alice, chain.denom)).amount,
      sequence: (await client.getSequence(alice)).sequence,
    };
  }

  async function expectRefused(txBytes: Uint8Array, code: number, log: RegExp) {
    const before = await snapshot();
    await assert.rejects(client.broadcastTx(txBytes, 5_000, 50), (error: unknown) => {
      assert.ok(error instanceof BroadcastTxError, String(error));
      assert.equal(error.code, code);
      assert.equal(error.codespace, 'sdk');
      assert.match(error.log ?? '', log);
      return true;
    });
    assert.deepEqual(await snapshot(), before, 'no fee taken, sequence unchanged');
  }

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 50 });
    ({ client, address: alice } = await signingClient(chain, 0));
    bob = chain.devAccounts[1]!.address;
  });
  after(async () => {
    client?.disconnect();
    await chain?.stop();
  });

  test('a high-S (malleated) signature of a valid tx is refused with code 4; the low-S original is accepted', async () => {
    const signed = await client.sign(alice, [send('7')], fee(), '');
    const signature = signed.signatures[0]!;
    const s = BigInt('0x' + toHex(signature.slice(32)));
    const highS = fromHex((secp256k1Order - s).toString(16).padStart(64, '0'));
    const malleated = TxRaw.encode({ ...signed, signatures: [new Uint8Array([...signature.slice(0, 32), ...highS])] });
    await expectRefused(malleated.finish(), 4, /signature verification failed/);
    const result = await client.broadcastTx(TxRaw.encode(signed).finish(), 5_000, 50);
    assert.equal(result.code, 0);
  });

  test('a memo of 130 two-byte characters (260 bytes) is refused with code 12; 128 of them (256 bytes) pass', async () => {
    const tooLong = await client.sign(alice, [send('1')], fee(), 'é'.repeat(130));
    await expectRefused(TxRaw.encode(tooLong).finish(), 12, /maximum number of characters is 256 but received 260/);
    const fits = await client.signAndBroadcast(alice, [send('1')], fee(), 'é'.repeat(128));
    assert.equal(fits.code, 0);
  });

  test('a tx whose timeout height has passed is refused with code 30', async () => {
    const passed = BigInt(chain.height() - 1);
    const signed = await client.sign(alice, [send('1')], fee(), '', undefined, passed);
    await expectRefused(TxRaw.encode(signed).finish(), 30, new RegExp(`timeout height: ${passed}: tx timeout height`));
    const future = await client.signAndBroadcast(alice, [send('1')], fee(), '', BigInt(chain.height() + 1000));
    assert.equal(future.code, 0, 'a timeout height still ahead is accepted');
  });

  test('a tx with an extension option is refused with code 31', async () => {
    const { accountNumber, sequence } = await client.getSequence(alice);
    const signed = await client.sign(alice, [send('1')], fee(), '', {
      accountNumber,
      sequence,
      chainId: chain.chainId,
    });
    const body = TxBody.decode(signed.bodyBytes);
    body.extensionOptions = [{ typeUrl: '/gridcoop.test.v1.Unknown', value: new Uint8Array([1]) }];
    // re-signed with the option inside, so only the option can be the reason for the refusal
    const { DirectSecp256k1HdWallet, makeSignDoc } = await import('@cosmjs/proto-signing');
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.devAccounts[0]!.mnemonic, { prefix: chain.prefix });
    const bodyBytes = TxBody.encode(body).finish();
    const { signature } = await wallet.signDirect(
      alice,
      makeSignDoc(bodyBytes, signed.authInfoBytes, chain.chainId, accountNumber),
    );
    const tx = TxRaw.encode({
      bodyBytes,
      authInfoBytes: signed.authInfoBytes,
      signatures: [Buffer.from(signature.signature, 'base64')],
    }).finish();
    await expectRefused(tx, 31, /unsupported extension option \/gridcoop.test.v1.Unknown: unknown extension options/);
  });

  test('a send of 0 is refused at check time with code 10 and no fee is taken', async () => {
    const signed = await client.sign(alice, [send('0')], fee(), '');
    await expectRefused(TxRaw.encode(signed).finish(), 10, /invalid send amount '0ugrid': invalid coins/);
  });

  test('a tx over the 1 MiB mempool limit is refused with code 21 before it is decoded', async () => {
    const before = await snapshot();
    const upload = {
      typeUrl: '/cosmwasm.wasm.v1.MsgStoreCode',
      value: MsgStoreCode.fromPartial({ sender: alice, wasmByteCode: new Uint8Array(defaultMaxTxBytes + 1) }),
    };
    const signed = await client.sign(
      alice,
      [upload],
      { ...fee(), gas: '20000000', amount: [{ denom: chain.denom, amount: '500000' }] },
      '',
    );
    const bytes = TxRaw.encode(signed).finish();
    assert.ok(bytes.length > defaultMaxTxBytes);
    // over HTTP such a tx does not even reach the node (its JSON-RPC body is over the 1 MB body limit: see
    // chain-rpc-limits); the node's own check is asked directly
    const outcome = await chain.node.broadcast(bytes);
    assert.equal(outcome.checkCode, 21);
    assert.equal(outcome.checkCodespace, 'sdk');
    assert.match(outcome.checkLog, /tx too large/);
    assert.deepEqual(await snapshot(), before);
  });
});
