import type { ControllerName } from './allowed-range.ts';
import type { ControlInputs } from './control-inputs.ts';
import type { RangeBook } from './range-book.ts';

/**
 * One controller of the chain. It reads the frozen inputs and may only narrow ranges in the book; it returns
 * nothing and keeps no state between cycles, which is what makes a decision a pure function of its inputs.
 */
export interface Controller {
  readonly name: ControllerName;
  apply(inputs: ControlInputs, book: RangeBook): void;
}
