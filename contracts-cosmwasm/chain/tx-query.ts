import { SdkCode, SdkError } from './sdk-error.ts';

// The subset of CometBFT's query language that tx_search needs: conditions joined by AND, each `key op value` with
// op one of = < <= > >= and value a quoted string or a number. Keys are tx.hash, tx.height or "<event>.<attribute>".

export interface TxQueryCondition {
  readonly key: string;
  readonly op: '=' | '<' | '<=' | '>' | '>=';
  readonly value: string | number;
}

interface QueryableTx {
  readonly hashHex: string;
  readonly height: number;
  readonly result: {
    readonly events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
  };
}

const conditionPattern = /^\s*([\w.\-/]+)\s*(<=|>=|=|<|>)\s*(?:'([^']*)'|(-?\d+(?:\.\d+)?))\s*$/;

export function parseTxQuery(query: string): TxQueryCondition[] {
  return query.split(/\s+AND\s+/i).map((part) => {
    const match = conditionPattern.exec(part);
    if (!match)
      throw new SdkError(SdkCode.invalidRequest, 'sdk', `cannot parse tx query condition "${part}" in "${query}"`);
    const [, key, op, quoted, numeric] = match;
    return { key: key!, op: op as TxQueryCondition['op'], value: quoted !== undefined ? quoted : Number(numeric) };
  });
}

function compare(actual: string | number, op: TxQueryCondition['op'], expected: string | number): boolean {
  if (op === '=') return String(actual) === String(expected);
  const a = Number(actual);
  const b = Number(expected);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

export function matchesTxQuery(conditions: readonly TxQueryCondition[], tx: QueryableTx): boolean {
  return conditions.every((c) => {
    if (c.key === 'tx.hash') return tx.hashHex === String(c.value).toUpperCase();
    if (c.key === 'tx.height') return compare(tx.height, c.op, c.value);
    const dot = c.key.lastIndexOf('.');
    const type = c.key.slice(0, dot);
    const attribute = c.key.slice(dot + 1);
    return tx.result.events.some(
      (e) => e.type === type && e.attributes.some((a) => a.key === attribute && compare(a.value, c.op, c.value)),
    );
  });
}
