import { requireAddress } from './address.ts';
import { validateCoins } from './bank-send.ts';
import type { ChainMsg } from './decoded-tx.ts';
import { SdkCode, SdkError } from './sdk-error.ts';

// The stateless checks each message makes of itself (the SDK's ValidateBasic), run at CheckTx before any fee is
// taken: a send of 0 or to a malformed address is refused outright, not included as a failed tx that costs a fee.

export function validateBasic(msg: ChainMsg, prefix: string): void {
  switch (msg.typeUrl) {
    case '/cosmos.bank.v1beta1.MsgSend': {
      requireAddress(msg.value.fromAddress, prefix, 'from');
      requireAddress(msg.value.toAddress, prefix, 'to');
      if (msg.value.amount.length === 0)
        throw new SdkError(SdkCode.invalidCoins, 'sdk', 'send amount is empty: invalid coins');
      validateCoins(msg.value.amount, 'send amount');
      return;
    }
    case '/cosmwasm.wasm.v1.MsgStoreCode':
      requireAddress(msg.value.sender, prefix, 'sender');
      if (msg.value.wasmByteCode.length === 0)
        throw new SdkError(SdkCode.invalidRequest, 'sdk', 'code bytes: empty: invalid request');
      return;
    case '/cosmwasm.wasm.v1.MsgInstantiateContract':
      requireAddress(msg.value.sender, prefix, 'sender');
      if (msg.value.admin) requireAddress(msg.value.admin, prefix, 'admin');
      if (!msg.value.label) throw new SdkError(SdkCode.invalidRequest, 'sdk', 'label is required: invalid request');
      validateCoins(msg.value.funds, 'funds');
      return;
    case '/cosmwasm.wasm.v1.MsgExecuteContract':
      requireAddress(msg.value.sender, prefix, 'sender');
      requireAddress(msg.value.contract, prefix, 'contract');
      validateCoins(msg.value.funds, 'funds');
      return;
    case '/cosmwasm.wasm.v1.MsgMigrateContract':
      requireAddress(msg.value.sender, prefix, 'sender');
      requireAddress(msg.value.contract, prefix, 'contract');
      return;
    case '/cosmwasm.wasm.v1.MsgUpdateAdmin':
      requireAddress(msg.value.sender, prefix, 'sender');
      requireAddress(msg.value.contract, prefix, 'contract');
      requireAddress(msg.value.newAdmin, prefix, 'new admin');
      if (msg.value.newAdmin === msg.value.sender)
        throw new SdkError(SdkCode.invalidRequest, 'sdk', 'new admin is the same as the old: invalid request');
      return;
    case '/cosmwasm.wasm.v1.MsgClearAdmin':
      requireAddress(msg.value.sender, prefix, 'sender');
      requireAddress(msg.value.contract, prefix, 'contract');
      return;
  }
}
