import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { refuseDevKeyOffLocalChain } from '@gridcoop/contracts/deploy/dev-keys';
import { ControllerConfigError } from '../config/config-error.ts';
import { ORACLE_MNEMONIC_ENV, type ChainConfig } from '../config/ledger-config.ts';

/**
 * The controller's one signing connection to a chain, with its oracle key. It connects on first use, not at
 * start-up, so a controller whose chain is down still meters and fills its outbox; a failed connect is tried again
 * at the next use. CosmJS speaks HTTP to the node, so once connected the client survives node restarts.
 */
export class ChainConnection {
  private wallet: Promise<DirectSecp256k1HdWallet>;
  private connected: Promise<SigningCosmWasmClient> | null = null;

  constructor(
    readonly chain: ChainConfig,
    mnemonic: string,
  ) {
    // the local chain's development keys are public: anyone could record as this controller anywhere else
    try {
      refuseDevKeyOffLocalChain(mnemonic, chain.chainId, ORACLE_MNEMONIC_ENV);
    } catch (error) {
      throw new ControllerConfigError([{ path: 'ledger.chain.chainId', message: (error as Error).message }]);
    }
    this.wallet = DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: chain.prefix });
  }

  async address(): Promise<string> {
    const [account] = await (await this.wallet).getAccounts();
    if (!account) throw new Error('the oracle mnemonic gives no account');
    return account.address;
  }

  client(): Promise<SigningCosmWasmClient> {
    this.connected ??= this.wallet
      .then((wallet) =>
        SigningCosmWasmClient.connectWithSigner(this.chain.rpcUrl, wallet, {
          gasPrice: GasPrice.fromString(this.chain.gasPrice),
          broadcastPollIntervalMs: this.chain.broadcastPollIntervalMs,
        }),
      )
      .catch((error: unknown) => {
        this.connected = null;
        throw error;
      });
    return this.connected;
  }

  /** The client's calls, connecting first: what the senders and the policy watcher are given. */
  readonly calls = {
    execute: async (...args: Parameters<SigningCosmWasmClient['execute']>) => (await this.client()).execute(...args),
    executeMultiple: async (...args: Parameters<SigningCosmWasmClient['executeMultiple']>) =>
      (await this.client()).executeMultiple(...args),
    sendTokens: async (...args: Parameters<SigningCosmWasmClient['sendTokens']>) =>
      (await this.client()).sendTokens(...args),
    queryContractSmart: async (...args: Parameters<SigningCosmWasmClient['queryContractSmart']>) =>
      (await this.client()).queryContractSmart(...args),
    getBlock: async (...args: Parameters<SigningCosmWasmClient['getBlock']>) => (await this.client()).getBlock(...args),
  };

  async disconnect(): Promise<void> {
    const client = await this.connected?.catch(() => null);
    client?.disconnect();
    this.connected = null;
  }
}
