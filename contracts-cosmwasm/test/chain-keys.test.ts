// The local chain keeps no key in a file and hands migrate rights on as wasmd does: genesis.json holds addresses
// only (owner-only files in an owner-only directory, an older genesis with mnemonics is cleaned at start), and a
// contract's admin can be moved to another address (a multisig, the governance contract) or cleared for good.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { devMnemonic } from '../chain/chain-config.ts';
import { startLocalChain } from '../chain/local-chain.ts';
import { cw20BaseWasm, cw20InitMsg, signingClient } from './chain-fixture.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gridcoop-chain-keys-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

test('genesis.json holds no mnemonic, the data directory is 0700 and its files 0600', async () => {
  const chain = await startLocalChain({ dataDir, blockTimeMs: 50, genesis: { devAccountCount: 3 } });
  await chain.stop();
  const genesisFile = join(dataDir, 'genesis.json');
  const text = readFileSync(genesisFile, 'utf8');
  for (let i = 0; i < 3; i++) assert.ok(!text.includes(devMnemonic(i)), `dev mnemonic ${i} is in genesis.json`);
  assert.ok(!/mnemonic/i.test(text), 'genesis.json names no mnemonic');
  assert.equal(modeOf(dataDir), 0o700);
  assert.equal(modeOf(genesisFile), 0o600);
  assert.equal(modeOf(join(dataDir, 'blocks.jsonl')), 0o600);

  // a genesis written by an older chain kept the mnemonics: a start removes them and still offers the dev keys
  const stored = JSON.parse(text) as { devAccounts: { address: string; devIndex?: number }[] };
  const legacy = {
    ...stored,
    devAccounts: stored.devAccounts.map((a, i) => ({ address: a.address, mnemonic: devMnemonic(i) })),
  };
  writeFileSync(genesisFile, JSON.stringify(legacy), { mode: 0o644 });
  const restarted = await startLocalChain({ dataDir, blockTimeMs: 50 });
  await restarted.stop();
  assert.equal(restarted.devAccounts[2]!.mnemonic, devMnemonic(2));
  assert.ok(
    !readFileSync(genesisFile, 'utf8').includes(devMnemonic(0)),
    'the restart rewrote genesis.json without keys',
  );
  assert.equal(modeOf(genesisFile), 0o600);
});

test('only a contract’s admin moves its admin (MsgUpdateAdmin) or clears it (MsgClearAdmin); then nobody migrates', async () => {
  const chain = await startLocalChain({ blockTimeMs: 20, genesis: { devAccountCount: 3 } });
  try {
    const deployer = await signingClient(chain, 0);
    const multisig = await signingClient(chain, 1);
    const stranger = await signingClient(chain, 2);
    const { codeId } = await deployer.client.upload(deployer.address, cw20BaseWasm(), 'auto');
    const { contractAddress } = await deployer.client.instantiate(
      deployer.address,
      codeId,
      cw20InitMsg(deployer.address, deployer.address),
      'token',
      'auto',
      { admin: deployer.address },
    );
    await assert.rejects(
      () => stranger.client.updateAdmin(stranger.address, contractAddress, multisig.address, 'auto'),
      /only the admin of .* may change its admin: unauthorized/,
    );
    await deployer.client.updateAdmin(deployer.address, contractAddress, multisig.address, 'auto');
    assert.equal((await deployer.client.getContract(contractAddress)).admin, multisig.address);
    await assert.rejects(
      () => deployer.client.clearAdmin(deployer.address, contractAddress, 'auto'),
      /only the admin of .* may change its admin/,
    );
    await multisig.client.clearAdmin(multisig.address, contractAddress, 'auto');
    assert.equal((await deployer.client.getContract(contractAddress)).admin, undefined);
    await assert.rejects(
      () => multisig.client.migrate(multisig.address, contractAddress, codeId, {}, 'auto'),
      /only the admin of .* may migrate it/,
    );
    for (const c of [deployer, multisig, stranger]) c.client.disconnect();
  } finally {
    await chain.stop();
  }
});
