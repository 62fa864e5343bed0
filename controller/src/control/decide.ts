import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import { controllableDevices } from './controllable-devices.ts';
import { controllerChain } from './controller-chain.ts';
import { dispatchSetpoints, type Dispatch } from './dispatcher.ts';
import { RangeBook } from './range-book.ts';

export interface Decision {
  /** Every device's allowed range and the trail of narrowings that made it (plus '@grid', the connection point). */
  ranges: ReturnType<RangeBook['toJSON']>;
  dispatch: Dispatch;
}

/**
 * One cycle's decision: run the controllers in priority order over a fresh RangeBook, then dispatch.
 * A pure function of `inputs`: the same process image and state always give the same setpoints.
 */
export function decide(inputs: ControlInputs, chain: readonly Controller[] = controllerChain): Decision {
  const book = new RangeBook(controllableDevices(inputs).map((d) => d.spec.id));
  for (const controller of chain) controller.apply(inputs, book);
  return { ranges: book.toJSON(), dispatch: dispatchSetpoints(inputs, book) };
}
