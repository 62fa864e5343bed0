// The local chain's development keys are public, so the controller refuses one as its oracle key on any other chain
// (one line, before anything is signed), and takes it on the local chain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bip39, Random } from '@cosmjs/crypto';
import { devMnemonic } from '@gridcoop/contracts/chain/chain-config';
import { ControllerConfigError } from '../../src/config/config-error.ts';
import { ChainConnection } from '../../src/ledger/chain-connection.ts';

const chain = (chainId: string) => ({
  rpcUrl: 'http://127.0.0.1:9',
  chainId,
  prefix: 'gridcoop',
  gasPrice: '0.025ugrid',
  broadcastPollIntervalMs: 1_000,
});

test('a development mnemonic as the oracle key is refused off the local chain and accepted on it', () => {
  assert.throws(
    () => new ChainConnection(chain('pion-1'), devMnemonic(6)),
    (error: unknown) =>
      error instanceof ControllerConfigError &&
      error.message ===
        'invalid configuration: ledger.chain.chainId: GRIDCOOP_ORACLE_MNEMONIC is the well-known development key of dev account 6: it is accepted on the local chain gridcoop-local-1 only, not on pion-1',
  );
  assert.doesNotThrow(() => new ChainConnection(chain('gridcoop-local-1'), devMnemonic(6)));
  const ownKey = Bip39.encode(Random.getBytes(32)).toString();
  assert.doesNotThrow(() => new ChainConnection(chain('pion-1'), ownKey));
});
