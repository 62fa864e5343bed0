import { OutOfGasError } from './sdk-error.ts';

/**
 * Counts gas for one transaction against its limit. Exceeding the limit throws OutOfGasError at once, as the SDK's
 * meter panics, so no further work runs on an exhausted budget.
 */
export class GasMeter {
  private usedGas = 0n;

  constructor(readonly limitGas: bigint) {}

  get consumedGas(): bigint {
    return this.usedGas;
  }

  consume(amountGas: bigint, location: string): void {
    this.usedGas += amountGas;
    if (this.usedGas > this.limitGas) throw new OutOfGasError(location, this.limitGas, this.usedGas);
  }
}
