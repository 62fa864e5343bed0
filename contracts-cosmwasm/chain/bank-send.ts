import type { Coin } from '@cosmjs/amino';
import { MsgSendResponse, type MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { abciEvent, coinsToString } from './abci-event.ts';
import { requireAddress } from './address.ts';
import type { ContractRuntime } from './contract-runtime.ts';
import type { GasMeter } from './gas-meter.ts';
import { gasSchedule } from './gas-schedule.ts';
import type { MessageOutcome } from './message-outcome.ts';
import { SdkCode, SdkError } from './sdk-error.ts';

export function validateCoins(coins: readonly Coin[], what: string): void {
  for (const coin of coins) {
    if (
      !/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(coin.denom) ||
      !/^\d+$/.test(coin.amount) ||
      BigInt(coin.amount) <= 0n
    ) {
      throw new SdkError(SdkCode.invalidCoins, 'sdk', `invalid ${what} '${coin.amount}${coin.denom}': invalid coins`);
    }
  }
}

/** Moves `coins` between accounts, charging KV gas as the bank keeper would; refuses an overdraft with code 5. */
export function transferCoins(
  runtime: ContractRuntime,
  meter: GasMeter,
  from: string,
  to: string,
  coins: readonly Coin[],
): void {
  for (const coin of coins) {
    const spendable = runtime.balance(from, coin.denom);
    if (spendable < BigInt(coin.amount)) {
      throw new SdkError(
        SdkCode.insufficientFunds,
        'sdk',
        `spendable balance ${spendable}${coin.denom} is smaller than ${coin.amount}${coin.denom}: insufficient funds`,
      );
    }
    const recordGas = gasSchedule.balanceRecordBytes;
    meter.consume(2n * (gasSchedule.readCostFlat + gasSchedule.readCostPerByte * recordGas), 'bank balance read');
    meter.consume(2n * (gasSchedule.writeCostFlat + gasSchedule.writeCostPerByte * recordGas), 'bank balance write');
  }
  const sent = runtime.app.bank.send(from, to, [...coins]);
  if (sent.err) throw new SdkError(SdkCode.insufficientFunds, 'sdk', `${sent.val}: insufficient funds`);
}

export function transferEvents(from: string, to: string, coins: readonly Coin[]) {
  const amount = coinsToString(coins);
  return [
    abciEvent('coin_spent', { spender: from, amount }),
    abciEvent('coin_received', { receiver: to, amount }),
    abciEvent('transfer', { recipient: to, sender: from, amount }),
  ];
}

export function handleMsgSend(runtime: ContractRuntime, meter: GasMeter, prefix: string, msg: MsgSend): MessageOutcome {
  requireAddress(msg.fromAddress, prefix, 'from');
  requireAddress(msg.toAddress, prefix, 'to');
  if (msg.amount.length === 0) throw new SdkError(SdkCode.invalidCoins, 'sdk', 'send amount is empty: invalid coins');
  validateCoins(msg.amount, 'send amount');
  transferCoins(runtime, meter, msg.fromAddress, msg.toAddress, msg.amount);
  return {
    events: [
      abciEvent('message', { action: '/cosmos.bank.v1beta1.MsgSend', sender: msg.fromAddress, module: 'bank' }),
      ...transferEvents(msg.fromAddress, msg.toAddress, msg.amount),
    ],
    msgResponse: { typeUrl: '/cosmos.bank.v1beta1.MsgSendResponse', value: MsgSendResponse.encode({}).finish() },
  };
}
