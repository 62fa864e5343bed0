import type { Coin } from '@cosmjs/amino';

// Events in the shape CometBFT 0.38 serves them: plain string attributes (no base64), `index` flags set.

export interface AbciEventAttribute {
  readonly key: string;
  readonly value: string;
  readonly index: boolean;
}

export interface AbciEvent {
  readonly type: string;
  readonly attributes: AbciEventAttribute[];
}

export function abciEvent(type: string, attributes: Record<string, string>): AbciEvent {
  return { type, attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })) };
}

/** "100ugrid,5uatom", the SDK's Coins.String() */
export function coinsToString(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

/** Adds msg_index to each event of message `msgIndex`, as SDK 0.50 does. */
export function withMsgIndex(events: AbciEvent[], msgIndex: number): AbciEvent[] {
  return events.map((e) => ({
    type: e.type,
    attributes: [...e.attributes, { key: 'msg_index', value: String(msgIndex), index: true }],
  }));
}

/** cw-simulate writes coin amounts inside contract-emitted bank events as JSON arrays; the SDK writes Coins.String(). */
export function fromContractEvents(
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[],
): AbciEvent[] {
  return events.map((e) => ({
    type: e.type,
    attributes: e.attributes.map(({ key, value }) => {
      if (key === 'amount' && value.startsWith('[')) {
        try {
          return { key, value: coinsToString(JSON.parse(value) as Coin[]), index: true };
        } catch {
          // not a coin list after all: keep the contract's text
        }
      }
      return { key, value: String(value), index: true };
    }),
  }));
}
