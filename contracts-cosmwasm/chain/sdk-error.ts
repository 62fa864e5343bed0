// Errors a transaction can end with, numbered as the Cosmos SDK numbers them (codespace "sdk", types/errors/errors.go)
// and wasmd (codespace "wasm"), so clients that branch on `code` behave here as they do on a real chain.

export const SdkCode = {
  txDecode: 2,
  unauthorized: 4,
  insufficientFunds: 5,
  unknownRequest: 6,
  invalidAddress: 7,
  invalidPubKey: 8,
  unknownAddress: 9,
  invalidCoins: 10,
  outOfGas: 11,
  memoTooLarge: 12,
  insufficientFee: 13,
  noSignatures: 15,
  invalidRequest: 18,
  txInMempoolCache: 19,
  txTooLarge: 21,
  keyNotFound: 22,
  invalidChainId: 28,
  txTimeoutHeight: 30,
  unknownExtensionOptions: 31,
  wrongSequence: 32,
  invalidGasLimit: 41,
} as const;

export const WasmCode = {
  createFailed: 2,
  instantiateFailed: 4,
  executeFailed: 5,
  queryFailed: 9,
  migrationFailed: 11,
  invalidMsg: 21,
  noSuchContract: 22,
  notFound: 8,
} as const;

export type Codespace = 'sdk' | 'wasm';

/** A refused or failed transaction or query: the code and codespace a Cosmos SDK node would report, and its log. */
export class SdkError extends Error {
  constructor(
    readonly code: number,
    readonly codespace: Codespace,
    message: string,
  ) {
    super(message);
    this.name = 'SdkError';
  }
}

/** The SDK's "out of gas" panic, raised from inside a gas meter; recovered into code 11 by the tx runner. */
export class OutOfGasError extends SdkError {
  constructor(
    readonly location: string,
    readonly gasWanted: bigint,
    readonly gasUsed: bigint,
  ) {
    super(
      SdkCode.outOfGas,
      'sdk',
      `out of gas in location: ${location}; gasWanted: ${gasWanted}, gasUsed: ${gasUsed}: out of gas`,
    );
    this.name = 'OutOfGasError';
  }
}
