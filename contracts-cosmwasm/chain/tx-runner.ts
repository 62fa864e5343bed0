import type { Coin } from '@cosmjs/amino';
import { ripemd160, sha256 } from '@cosmjs/crypto';
import { toBase64, toBech32 } from '@cosmjs/encoding';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { abciEvent, coinsToString, withMsgIndex, type AbciEvent } from './abci-event.ts';
import type { AccountKeeper } from './accounts.ts';
import { requireAddress } from './address.ts';
import { handleMsgSend, transferEvents } from './bank-send.ts';
import { withContractStorageGas } from './contract-storage-gas.ts';
import type { ContractRuntime } from './contract-runtime.ts';
import { decodeTx, msgSigner, type ChainMsg, type DecodedTx } from './decoded-tx.ts';
import type { GasLimits } from './gas-limits.ts';
import { GasMeter } from './gas-meter.ts';
import { gasSchedule } from './gas-schedule.ts';
import type { MessageOutcome } from './message-outcome.ts';
import { OutOfGasError, SdkCode, SdkError } from './sdk-error.ts';
import { validateBasic } from './msg-validate-basic.ts';
import { verifySignature } from './signature-check.ts';
import { handleExecute, handleInstantiate, handleMigrate, handleSetAdmin, handleStoreCode } from './wasm-messages.ts';

// The transaction pipeline: the SDK's ante handler (decode, basic checks, gas for size and signatures, fee against the
// minimum gas price, sequence, signature) and then the messages. A refusal in the ante part means the transaction is
// not included at all (broadcast returns the code). A failing message is included with its code: its state changes
// are rolled back while the fee and the sequence increment stay, as on a Cosmos SDK chain.

export interface TxResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  /** TxMsgData with one response per message (empty on failure) */
  readonly data: Uint8Array;
  readonly events: AbciEvent[];
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly msgResponses: Any[];
}

export interface TxRunnerParams {
  readonly chainId: string;
  readonly prefix: string;
  readonly denom: string;
  readonly minGasPrice: number;
  readonly feeCollector: string;
  /** largest tx accepted, in bytes (CometBFT mempool max_tx_bytes) */
  readonly maxTxBytes: number;
  /** height of the block a tx is being checked for (timeout_height is compared with it) */
  readonly blockHeight: () => number;
  readonly gasLimits: GasLimits;
  /** who may store code: "everybody" or an allow-list (wasmd's code_upload_access) */
  readonly codeUploaders: 'everybody' | readonly string[];
}

/** auth params MaxMemoCharacters; the SDK compares it with len(memo), which in Go is the memo's UTF-8 byte count */
export const maxMemoCharacters = 256;
/** CometBFT's mempool max_tx_bytes default (1 MiB): a larger tx is refused before it is decoded */
export const defaultMaxTxBytes = 1024 * 1024;

/** How much fee (in the fee denom) a gas limit needs at the minimum gas price: ceil(price × limit). */
export function requiredFee(minGasPrice: number, gasLimit: bigint): bigint {
  // the price is a decimal; scale it to an integer so large gas limits stay exact
  const scale = 1_000_000_000n;
  const priceScaled = BigInt(Math.round(minGasPrice * Number(scale)));
  return (priceScaled * gasLimit + scale - 1n) / scale;
}

function addressOfPubKey(pubKey: Uint8Array, prefix: string): string {
  return toBech32(prefix, ripemd160(sha256(pubKey)));
}

interface CheckedTx {
  readonly tx: DecodedTx;
  readonly signer: string;
  readonly pubKey: Uint8Array;
  readonly fee: Coin[];
  readonly meter: GasMeter;
}

export class TxRunner {
  constructor(
    private readonly params: TxRunnerParams,
    private readonly runtime: ContractRuntime,
    private readonly accounts: AccountKeeper,
  ) {}

  /** The ante checks. Throws SdkError (the transaction is then refused, not included). Changes no state. */
  async check(txBytes: Uint8Array, mode: 'deliver' | 'simulate'): Promise<CheckedTx> {
    const { prefix, denom, chainId, minGasPrice, maxTxBytes } = this.params;
    if (txBytes.length > maxTxBytes) {
      throw new SdkError(SdkCode.txTooLarge, 'sdk', `tx is ${txBytes.length} bytes, max ${maxTxBytes}: tx too large`);
    }
    const tx = decodeTx(txBytes);
    if (tx.body.extensionOptions.length > 0) {
      throw new SdkError(
        SdkCode.unknownExtensionOptions,
        'sdk',
        `rejecting tx with unsupported extension option ${tx.body.extensionOptions[0]!.typeUrl}: unknown extension options`,
      );
    }
    const blockHeight = BigInt(this.params.blockHeight());
    if (tx.body.timeoutHeight > 0n && blockHeight > tx.body.timeoutHeight) {
      throw new SdkError(
        SdkCode.txTimeoutHeight,
        'sdk',
        `block height: ${blockHeight}, timeout height: ${tx.body.timeoutHeight}: tx timeout height`,
      );
    }
    const signerInfos = tx.authInfo.signerInfos;
    if (signerInfos.length === 0 || tx.raw.signatures.length === 0) {
      throw new SdkError(SdkCode.noSignatures, 'sdk', 'no signatures supplied');
    }
    if (signerInfos.length !== 1 || tx.raw.signatures.length !== 1) {
      throw new SdkError(
        SdkCode.unauthorized,
        'sdk',
        `this chain accepts exactly one signer per transaction, got ${signerInfos.length}: unauthorized`,
      );
    }
    const memoBytes = Buffer.byteLength(tx.body.memo, 'utf8');
    if (memoBytes > maxMemoCharacters) {
      throw new SdkError(
        SdkCode.memoTooLarge,
        'sdk',
        `maximum number of characters is ${maxMemoCharacters} but received ${memoBytes} characters: memo too large`,
      );
    }
    for (const msg of tx.msgs) validateBasic(msg, prefix);
    const signer = msgSigner(tx.msgs[0] as ChainMsg);
    for (const msg of tx.msgs) {
      if (msgSigner(msg) !== signer)
        throw new SdkError(
          SdkCode.unauthorized,
          'sdk',
          `all messages must have the same signer; ${msgSigner(msg)} != ${signer}: unauthorized`,
        );
    }
    requireAddress(signer, prefix, 'signer');

    const gasLimit = tx.authInfo.fee?.gasLimit ?? 0n;
    const { maxBlockGas, simulationGasLimit } = this.params.gasLimits;
    if (mode === 'deliver' && gasLimit > maxBlockGas) {
      throw new SdkError(
        SdkCode.invalidGasLimit,
        'sdk',
        `tx gas limit ${gasLimit} exceeds block max gas ${maxBlockGas}: invalid gas limit`,
      );
    }
    // a simulation measures what the tx would use, up to wasmd's simulation gas limit
    const meter = new GasMeter(mode === 'simulate' ? simulationGasLimit : gasLimit);
    // a simulated tx carries an empty signature; charge for the 64 bytes the real one will have
    const simulatedSignatureBytes = mode === 'simulate' && (tx.raw.signatures[0]?.length ?? 0) === 0 ? 64 : 0;
    meter.consume(gasSchedule.txSizeCostPerByte * BigInt(txBytes.length + simulatedSignatureBytes), 'txSize');

    const fee = tx.authInfo.fee?.amount ?? [];
    if (mode === 'deliver') {
      const needed = requiredFee(minGasPrice, gasLimit);
      const offered = fee.filter((c) => c.denom === denom).reduce((sum, c) => sum + BigInt(c.amount), 0n);
      const foreign = fee.filter((c) => c.denom !== denom);
      if (foreign.length > 0 || offered < needed) {
        throw new SdkError(
          SdkCode.insufficientFee,
          'sdk',
          `insufficient fees; got: ${coinsToString(fee) || '0' + denom} required: ${needed}${denom}: insufficient fee`,
        );
      }
    }

    const account = this.accounts.get(signer);
    if (!account) throw new SdkError(SdkCode.unknownAddress, 'sdk', `account ${signer} not found: unknown address`);
    for (const coin of fee) {
      const balance = this.runtime.balance(signer, coin.denom);
      if (balance < BigInt(coin.amount)) {
        throw new SdkError(
          SdkCode.insufficientFunds,
          'sdk',
          `${balance}${coin.denom} is smaller than ${coin.amount}${coin.denom}: insufficient funds`,
        );
      }
    }

    const signerInfo = signerInfos[0]!;
    const pubKeyAny = signerInfo.publicKey;
    if (!pubKeyAny || pubKeyAny.typeUrl !== '/cosmos.crypto.secp256k1.PubKey') {
      throw new SdkError(
        SdkCode.invalidPubKey,
        'sdk',
        `signer ${signer} must give a secp256k1 public key, got ${pubKeyAny?.typeUrl ?? 'none'}: invalid pubkey`,
      );
    }
    const pubKey = PubKey.decode(pubKeyAny.value).key;
    if (addressOfPubKey(pubKey, prefix) !== signer) {
      throw new SdkError(
        SdkCode.invalidPubKey,
        'sdk',
        `pubKey does not match signer address ${signer} with signer index: 0: invalid pubkey`,
      );
    }
    meter.consume(gasSchedule.sigVerifyCostSecp256k1, 'ante verify: secp256k1');
    if (signerInfo.sequence !== account.sequence) {
      throw new SdkError(
        SdkCode.wrongSequence,
        'sdk',
        `account sequence mismatch, expected ${account.sequence}, got ${signerInfo.sequence}: incorrect account sequence`,
      );
    }
    if (mode === 'deliver') {
      const signMode = signerInfo.modeInfo?.single?.mode ?? SignMode.SIGN_MODE_UNSPECIFIED;
      await verifySignature(tx, signMode, {
        chainId,
        accountNumber: account.accountNumber,
        sequence: account.sequence,
        pubKey,
      });
    }
    return { tx, signer, pubKey, fee, meter };
  }

  /**
   * Checks and executes a transaction against the current state. Throws SdkError when the ante checks refuse it;
   * otherwise returns its result (code 0, or the failing message's code with that message's changes rolled back).
   * In "simulate" mode nothing is kept: the state is restored afterwards and signatures are not checked.
   */
  async run(txBytes: Uint8Array, mode: 'deliver' | 'simulate'): Promise<TxResult> {
    let checked: CheckedTx;
    try {
      checked = await this.check(txBytes, mode);
    } catch (error) {
      if (error instanceof OutOfGasError || error instanceof SdkError) throw error;
      throw new SdkError(SdkCode.txDecode, 'sdk', `tx parse error: ${(error as Error).message}`);
    }
    const { tx, signer, pubKey, fee, meter } = checked;
    const beforeTx = this.runtime.snapshot();
    const anteEvents: AbciEvent[] = [];
    if (fee.length > 0) {
      const paid = this.runtime.app.bank.send(signer, this.params.feeCollector, fee);
      if (paid.err) throw new SdkError(SdkCode.insufficientFunds, 'sdk', `${paid.val}: insufficient funds`);
      anteEvents.push(
        ...transferEvents(signer, this.params.feeCollector, fee),
        abciEvent('message', { sender: signer }),
      );
    }
    const account = this.accounts.get(signer)!;
    anteEvents.push(abciEvent('tx', { fee: coinsToString(fee), fee_payer: signer }));
    anteEvents.push(abciEvent('tx', { acc_seq: `${signer}/${account.sequence}` }));
    anteEvents.push(abciEvent('tx', { signature: toBase64(tx.raw.signatures[0] ?? new Uint8Array()) }));
    if (mode === 'deliver') {
      account.pubKey = pubKey;
      account.sequence += 1n;
    }

    const beforeMsgs = this.runtime.snapshot();
    const events: AbciEvent[] = [...anteEvents];
    const msgResponses: Any[] = [];
    let failure: SdkError | null = null;
    let failedIndex = 0;
    try {
      await withContractStorageGas(meter, async () => {
        for (const [index, msg] of tx.msgs.entries()) {
          failedIndex = index;
          const outcome = await this.handle(msg, meter);
          events.push(...withMsgIndex(outcome.events, index));
          msgResponses.push(outcome.msgResponse);
        }
      });
    } catch (error) {
      failure =
        error instanceof SdkError ? error : new SdkError(1, 'sdk', `internal error: ${(error as Error).message}`);
    }
    // the meter may have run out inside a contract, where the VM turns the throw into an ordinary contract error
    if (meter.consumedGas > meter.limitGas)
      failure = new OutOfGasError('wasm contract', meter.limitGas, meter.consumedGas);
    if (failure) {
      const trapped =
        failure instanceof OutOfGasError || /panick|unreachable|RuntimeError|out of gas/i.test(failure.message);
      await this.runtime.restore(beforeMsgs, {
        dropInstances: trapped || tx.msgs.some((m) => m.typeUrl.endsWith('MsgMigrateContract')),
      });
    } else {
      await this.runtime.resyncContractVms({ dropInstances: false });
      if (mode === 'deliver') {
        // the SDK creates an account when an address first receives funds; kept only for delivered, successful txs
        // so account numbers are the same when the chain is replayed from its log
        for (const msg of tx.msgs)
          if (msg.typeUrl === '/cosmos.bank.v1beta1.MsgSend') this.accounts.getOrCreate(msg.value.toAddress);
      }
    }
    if (mode === 'simulate') await this.runtime.restore(beforeTx, { dropInstances: false });

    const gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
    if (failure) {
      const log =
        failure instanceof OutOfGasError
          ? failure.message
          : `failed to execute message; message index: ${failedIndex}: ${failure.message}`;
      return {
        code: failure.code,
        codespace: failure.codespace,
        log,
        data: new Uint8Array(),
        events: anteEvents,
        gasWanted,
        gasUsed: meter.consumedGas,
        msgResponses: [],
      };
    }
    const data = TxMsgData.encode({ data: [], msgResponses }).finish();
    return { code: 0, codespace: '', log: '', data, events, gasWanted, gasUsed: meter.consumedGas, msgResponses };
  }

  private async handle(msg: ChainMsg, meter: GasMeter): Promise<MessageOutcome> {
    const { prefix } = this.params;
    switch (msg.typeUrl) {
      case '/cosmos.bank.v1beta1.MsgSend': {
        return handleMsgSend(this.runtime, meter, prefix, msg.value);
      }
      case '/cosmwasm.wasm.v1.MsgStoreCode':
        return handleStoreCode(this.runtime, meter, prefix, msg.value, this.params.codeUploaders);
      case '/cosmwasm.wasm.v1.MsgInstantiateContract':
        return handleInstantiate(this.runtime, meter, prefix, msg.value);
      case '/cosmwasm.wasm.v1.MsgExecuteContract':
        return handleExecute(this.runtime, meter, prefix, msg.value);
      case '/cosmwasm.wasm.v1.MsgMigrateContract':
        return handleMigrate(this.runtime, meter, prefix, msg.value);
      case '/cosmwasm.wasm.v1.MsgUpdateAdmin':
        return handleSetAdmin(
          this.runtime,
          prefix,
          msg.typeUrl,
          msg.value.sender,
          msg.value.contract,
          msg.value.newAdmin,
        );
      case '/cosmwasm.wasm.v1.MsgClearAdmin':
        return handleSetAdmin(this.runtime, prefix, msg.typeUrl, msg.value.sender, msg.value.contract, null);
    }
  }
}
