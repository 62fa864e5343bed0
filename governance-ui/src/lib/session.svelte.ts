import { GovernanceQueryClient } from '@gridcoop/contracts/client/governance-client';
import { RegistryQueryClient } from '@gridcoop/contracts/client/registry-client';
import type { GovernanceExecuteMsg } from '@gridcoop/contracts/client/governance-types';
import type { RegistryExecuteMsg } from '@gridcoop/contracts/client/registry-types';
import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { runtimeConfig, type RuntimeConfig } from './config/runtime-config.ts';
import { balanceOf } from './chain/bank-reader.ts';
import { chainStatus } from './chain/comet-rpc.ts';
import { now } from './clock.svelte.ts';
import { ContractReader } from './chain/contract-reader.ts';
import { errorInWords } from './contracts/error-words.ts';
import type { ConnectedWallet, WalletKind } from './wallet/connected-wallet.ts';
import { connectDevWallet } from './wallet/dev-wallet.ts';
import { connectInjected, keystoreChangeEvent } from './wallet/injected-wallet.ts';

/** What a signed transaction left behind, for a link to its page. */
export interface SentTx {
  hash: string;
  height: number;
  gasUsed: number;
}

export interface FeeEstimate {
  gas: number;
  /** in the chain's base denom */
  feeAmount: bigint;
}

/** A transaction the chain or a contract refused, with the refusal in words. */
export class TxRefusedError extends Error {
  override name = 'TxRefusedError';
  constructor(readonly raw: string) {
    super(errorInWords(raw));
  }
}

type ContractName = 'governance' | 'registry';
type ExecuteMsgOf<C extends ContractName> = C extends 'governance' ? GovernanceExecuteMsg : RegistryExecuteMsg;
type Funds = { denom: string; amount: string }[];

const REMEMBERED_WALLET = 'gridcoop.wallet';
/** gas the fee covers over the simulated amount, as CosmJS's "auto" does */
const GAS_MARGIN = 1.4;

/**
 * The app's one session: the deployment's configuration, read clients for both contracts (no CosmJS: plain ABCI
 * queries), and the connected wallet with a signing client loaded only when a wallet connects.
 */
class AppSession {
  config = $state<RuntimeConfig | null>(null);
  configError = $state<string | null>(null);
  wallet = $state<ConnectedWallet | null>(null);
  walletError = $state<string | null>(null);
  connecting = $state(false);
  balance = $state<bigint | null>(null);
  /** bumps whenever the account changes or a transaction lands, so pages reload what they show */
  revision = $state(0);
  /** the chain's latest height, null until known; `chainReachable` false while it does not answer */
  chainHeight = $state<number | null>(null);
  chainReachable = $state(true);

  #signing: Promise<SigningCosmWasmClient> | null = null;
  #keystoreListener: (() => void) | null = null;
  #ready: Promise<RuntimeConfig> | null = null;

  /** Loads the configuration once; pages await it before their first read. */
  ready(): Promise<RuntimeConfig> {
    this.#ready ??= runtimeConfig().then(
      (config) => {
        this.config = config;
        this.configError = null;
        this.#restoreWallet();
        return config;
      },
      (error: unknown) => {
        this.#ready = null;
        this.configError = error instanceof Error ? error.message : String(error);
        throw error;
      },
    );
    return this.#ready;
  }

  /**
   * Follows the chain's head every few seconds: its height for the footer, its block time for every countdown
   * (voting periods end by block time), and whether it answers at all. Returns the stop function.
   */
  watchChain(everyMs = 5_000): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      try {
        const config = await this.ready();
        const status = await chainStatus(config.chain.rpcUrl);
        this.chainHeight = status.height;
        this.chainReachable = true;
        now.observeBlock(status.latestBlockTimeMs);
      } catch {
        this.chainReachable = false;
      }
      if (!stopped) timer = setTimeout(() => void tick(), this.chainReachable ? everyMs : 3_000);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  async governance(): Promise<GovernanceQueryClient> {
    const config = await this.ready();
    return new GovernanceQueryClient(new ContractReader(config.chain.rpcUrl), config.contracts.governance);
  }

  async registry(): Promise<RegistryQueryClient> {
    const config = await this.ready();
    return new RegistryQueryClient(new ContractReader(config.chain.rpcUrl), config.contracts.registry);
  }

  async connect(kind: WalletKind, devIndex = 1): Promise<void> {
    const config = await this.ready();
    this.connecting = true;
    this.walletError = null;
    try {
      const wallet =
        kind === 'dev'
          ? await connectDevWallet(config.chain, (await chainStatus(config.chain.rpcUrl)).chainId, devIndex)
          : await connectInjected(kind, config.chain);
      this.#use(wallet);
      localStorage.setItem(REMEMBERED_WALLET, JSON.stringify({ kind, devIndex }));
    } catch (error) {
      this.walletError = errorInWords(error);
    } finally {
      this.connecting = false;
    }
  }

  disconnect(): void {
    this.#use(null);
    localStorage.removeItem(REMEMBERED_WALLET);
  }

  #use(wallet: ConnectedWallet | null): void {
    if (this.#keystoreListener) window.removeEventListener('keplr_keystorechange', this.#keystoreListener);
    if (this.#keystoreListener) window.removeEventListener('leap_keystorechange', this.#keystoreListener);
    this.#keystoreListener = null;
    this.wallet = wallet;
    this.balance = null;
    this.#signing?.then((c) => c.disconnect()).catch(() => undefined);
    this.#signing = null;
    if (wallet && wallet.kind !== 'dev') {
      const kind = wallet.kind;
      // the user switched key in the extension: reload the account, as Keplr-era apps do
      this.#keystoreListener = () => void this.connect(kind);
      window.addEventListener(keystoreChangeEvent(kind), this.#keystoreListener);
    }
    this.revision += 1;
    void this.refreshBalance();
  }

  #restoreWallet(): void {
    const remembered = localStorage.getItem(REMEMBERED_WALLET);
    if (!remembered || this.wallet) return;
    try {
      const { kind, devIndex } = JSON.parse(remembered) as { kind: WalletKind; devIndex?: number };
      void this.connect(kind, devIndex);
    } catch {
      localStorage.removeItem(REMEMBERED_WALLET);
    }
  }

  async refreshBalance(): Promise<void> {
    const wallet = this.wallet;
    if (!wallet || !this.config) return;
    try {
      this.balance = await balanceOf(this.config.chain.rpcUrl, wallet.address, this.config.chain.denom);
    } catch {
      this.balance = null; // the header shows "balance unknown" while the chain is away
    }
  }

  #signingClient(): Promise<SigningCosmWasmClient> {
    const wallet = this.wallet;
    const config = this.config;
    if (!wallet || !config) return Promise.reject(new Error('connect a wallet first'));
    this.#signing ??= (async () => {
      // CosmJS is loaded here, when a member first signs, never on the first page
      const [{ SigningCosmWasmClient }, { GasPrice }] = await Promise.all([
        import('@cosmjs/cosmwasm-stargate'),
        import('@cosmjs/stargate'),
      ]);
      return SigningCosmWasmClient.connectWithSigner(config.chain.rpcUrl, wallet.signer, {
        gasPrice: GasPrice.fromString(`${config.chain.gasPrice}${config.chain.denom}`),
        broadcastPollIntervalMs: 300,
      });
    })();
    this.#signing.catch(() => (this.#signing = null));
    return this.#signing;
  }

  #address(contract: ContractName): string {
    const config = this.config!;
    return contract === 'governance' ? config.contracts.governance : config.contracts.registry;
  }

  /** Simulates a contract message: the gas it takes and the fee the wallet will be asked for. */
  async estimate<C extends ContractName>(contract: C, msg: ExecuteMsgOf<C>, funds: Funds = []): Promise<FeeEstimate> {
    const client = await this.#signingClient();
    const { toUtf8 } = await import('@cosmjs/encoding');
    try {
      const gas = await client.simulate(
        this.wallet!.address,
        [
          {
            typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
            value: {
              sender: this.wallet!.address,
              contract: this.#address(contract),
              msg: toUtf8(JSON.stringify(msg)),
              funds,
            },
          },
        ],
        undefined,
      );
      const gasLimit = Math.ceil(gas * GAS_MARGIN);
      return { gas: gasLimit, feeAmount: BigInt(Math.ceil(gasLimit * this.config!.chain.gasPrice)) };
    } catch (error) {
      throw new TxRefusedError(error instanceof Error ? error.message : String(error));
    }
  }

  /** Signs and sends a contract message with the connected wallet; a refusal comes back in words. */
  async execute<C extends ContractName>(contract: C, msg: ExecuteMsgOf<C>, funds: Funds = []): Promise<SentTx> {
    const client = await this.#signingClient();
    try {
      const result = await client.execute(this.wallet!.address, this.#address(contract), msg, 'auto', undefined, funds);
      return { hash: result.transactionHash, height: result.height, gasUsed: Number(result.gasUsed) };
    } catch (error) {
      throw new TxRefusedError(error instanceof Error ? error.message : String(error));
    } finally {
      this.revision += 1;
      void this.refreshBalance();
    }
  }
}

export const session = new AppSession();
