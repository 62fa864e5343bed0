import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { AbciEvent } from './abci-event.ts';

/** What one successfully executed message contributes to its transaction's result. */
export interface MessageOutcome {
  readonly events: AbciEvent[];
  readonly msgResponse: Any;
}
