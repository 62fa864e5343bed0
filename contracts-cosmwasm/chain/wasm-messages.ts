import { gunzipSync } from 'node:zlib';
import { Ok } from '@oraichain/cw-simulate';
import type { Coin } from '@cosmjs/amino';
import { sha256 } from '@cosmjs/crypto';
import { fromUtf8, toHex, fromBase64 } from '@cosmjs/encoding';
import {
  MsgExecuteContractResponse,
  MsgInstantiateContractResponse,
  MsgClearAdminResponse,
  MsgMigrateContractResponse,
  MsgUpdateAdminResponse,
  MsgStoreCodeResponse,
  type MsgExecuteContract,
  type MsgInstantiateContract,
  type MsgMigrateContract,
  type MsgStoreCode,
} from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { abciEvent, fromContractEvents, type AbciEvent } from './abci-event.ts';
import { requireAddress } from './address.ts';
import { transferEvents, validateCoins } from './bank-send.ts';
import type { ContractRuntime } from './contract-runtime.ts';
import type { GasMeter } from './gas-meter.ts';
import { gasSchedule } from './gas-schedule.ts';
import type { MessageOutcome } from './message-outcome.ts';
import { SdkCode, SdkError, WasmCode } from './sdk-error.ts';
import { RawJsonMsg } from './raw-json-msg.ts';
import { withWasmGas } from './wasm-gas.ts';

// The x/wasm messages, run as real wasm in cw-simulate. Checks wasmd makes before touching the VM (sizes, JSON,
// existence, admin) are made here with wasmd's codes, so a client sees the same refusals as on a real chain.

/** wasmd's MaxWasmSize: 800 KiB, also after gunzip */
export const maxWasmBytes = 800 * 1024;

// @types/node declares no WebAssembly global; the validator is all this file needs of it
const webAssembly = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function unpackWasm(bytes: Uint8Array): Uint8Array {
  let wasm = bytes;
  if (isGzip(bytes)) {
    try {
      wasm = new Uint8Array(gunzipSync(bytes, { maxOutputLength: maxWasmBytes }));
    } catch (error) {
      throw new SdkError(
        WasmCode.createFailed,
        'wasm',
        `uncompress wasm archive: ${(error as Error).message}: create wasm contract failed`,
      );
    }
  }
  if (wasm.length > maxWasmBytes) {
    throw new SdkError(
      WasmCode.createFailed,
      'wasm',
      `wasm code is ${wasm.length} bytes, max ${maxWasmBytes}: create wasm contract failed`,
    );
  }
  if (!webAssembly.validate(wasm)) {
    throw new SdkError(WasmCode.createFailed, 'wasm', 'not a valid wasm module: create wasm contract failed');
  }
  return wasm;
}

export function codeChecksum(runtime: ContractRuntime, codeId: number): Uint8Array | null {
  const info = runtime.app.wasm.getCodeInfo(codeId) as { wasmCode: Uint8Array } | undefined;
  return info ? sha256(info.wasmCode) : null;
}

function parseJsonMsg(bytes: Uint8Array, what: string): void {
  try {
    JSON.parse(fromUtf8(bytes));
  } catch (error) {
    throw new SdkError(WasmCode.invalidMsg, 'wasm', `${what} must be valid JSON: ${(error as Error).message}: invalid`);
  }
}

function contractFailed(code: number, what: string, reason: string): SdkError {
  return new SdkError(code, 'wasm', `${reason}: ${what} wasm contract failed`);
}

function chargeContractCall(meter: GasMeter, events: readonly AbciEvent[]): void {
  meter.consume(gasSchedule.contractInstanceCost, 'wasm contract instance');
  for (const event of events) {
    for (const attribute of event.attributes) {
      meter.consume(
        gasSchedule.eventAttributeCost +
          gasSchedule.eventDataCostPerByte * BigInt(attribute.key.length + attribute.value.length),
        'wasm event attribute',
      );
    }
  }
}

function requireContract(runtime: ContractRuntime, address: string) {
  const info = runtime.app.wasm.getContractInfo(address);
  if (!info) throw new SdkError(WasmCode.noSuchContract, 'wasm', `no such contract: ${address}: not found`);
  return info;
}

export function handleStoreCode(
  runtime: ContractRuntime,
  meter: GasMeter,
  prefix: string,
  msg: MsgStoreCode,
  codeUploaders: 'everybody' | readonly string[],
): MessageOutcome {
  requireAddress(msg.sender, prefix, 'sender');
  if (codeUploaders !== 'everybody' && !codeUploaders.includes(msg.sender)) {
    // wasmd's permissioned upload (code_upload_access AnyOfAddresses): refused at delivery, so the fee is taken
    throw new SdkError(
      SdkCode.unauthorized,
      'sdk',
      `${msg.sender} may not store code: can not create code: unauthorized`,
    );
  }
  const wasm = unpackWasm(msg.wasmByteCode);
  meter.consume(gasSchedule.compileCostPerByte * BigInt(wasm.length), 'wasm compile');
  const codeId = runtime.app.wasm.lastCodeId + 1;
  runtime.app.wasm.setCodeInfo(codeId, { creator: msg.sender, wasmCode: wasm });
  runtime.app.wasm.store.tx((setter) => {
    setter('lastCodeId')(codeId);
    return Ok(undefined);
  });
  const checksum = sha256(wasm);
  return {
    events: [
      abciEvent('message', { action: '/cosmwasm.wasm.v1.MsgStoreCode', sender: msg.sender, module: 'wasm' }),
      abciEvent('store_code', { code_checksum: toHex(checksum), code_id: String(codeId) }),
    ],
    msgResponse: {
      typeUrl: '/cosmwasm.wasm.v1.MsgStoreCodeResponse',
      value: MsgStoreCodeResponse.encode({ codeId: BigInt(codeId), checksum }).finish(),
    },
  };
}

function fundsEvents(sender: string, contract: string, funds: readonly Coin[]): AbciEvent[] {
  return funds.length ? transferEvents(sender, contract, funds) : [];
}

export async function handleInstantiate(
  runtime: ContractRuntime,
  meter: GasMeter,
  prefix: string,
  msg: MsgInstantiateContract,
): Promise<MessageOutcome> {
  requireAddress(msg.sender, prefix, 'sender');
  if (msg.admin) requireAddress(msg.admin, prefix, 'admin');
  if (!msg.label) throw new SdkError(SdkCode.invalidRequest, 'sdk', 'label is required: invalid request');
  validateCoins(msg.funds, 'funds');
  const codeId = Number(msg.codeId);
  if (!runtime.app.wasm.getCodeInfo(codeId))
    throw new SdkError(WasmCode.notFound, 'wasm', `code id ${codeId}: not found`);
  parseJsonMsg(msg.msg, 'instantiate msg');
  // the contract gets the bytes that were signed, not a re-serialisation of them
  const initMsg = new RawJsonMsg(msg.msg);
  const result = await withWasmGas(runtime.vmGas, meter, 'wasm instantiate', () =>
    runtime.app.wasm.instantiateContract(
      msg.sender,
      [...msg.funds],
      codeId,
      initMsg,
      msg.label,
      msg.admin || null,
      null,
      [],
      true,
    ),
  );
  if (result.err) throw contractFailed(WasmCode.instantiateFailed, 'instantiate', String(result.val));
  const response = result.val;
  const events = fromContractEvents(response.events);
  chargeContractCall(meter, events);
  const address =
    events.find((e) => e.type === 'instantiate')?.attributes.find((a) => a.key === '_contract_address')?.value ?? '';
  return {
    events: [
      abciEvent('message', { action: '/cosmwasm.wasm.v1.MsgInstantiateContract', sender: msg.sender, module: 'wasm' }),
      ...fundsEvents(msg.sender, address, msg.funds),
      ...events,
    ],
    msgResponse: {
      typeUrl: '/cosmwasm.wasm.v1.MsgInstantiateContractResponse',
      value: MsgInstantiateContractResponse.encode({
        address,
        data: response.data ? fromBase64(response.data) : new Uint8Array(),
      }).finish(),
    },
  };
}

export async function handleExecute(
  runtime: ContractRuntime,
  meter: GasMeter,
  prefix: string,
  msg: MsgExecuteContract,
): Promise<MessageOutcome> {
  requireAddress(msg.sender, prefix, 'sender');
  validateCoins(msg.funds, 'funds');
  requireContract(runtime, msg.contract);
  parseJsonMsg(msg.msg, 'execute msg');
  const executeMsg = new RawJsonMsg(msg.msg);
  const result = await withWasmGas(runtime.vmGas, meter, 'wasm execute', () =>
    runtime.app.wasm.executeContract(msg.sender, [...msg.funds], msg.contract, executeMsg, [], true),
  );
  if (result.err) throw contractFailed(WasmCode.executeFailed, 'execute', String(result.val));
  const events = fromContractEvents(result.val.events);
  chargeContractCall(meter, events);
  return {
    events: [
      abciEvent('message', { action: '/cosmwasm.wasm.v1.MsgExecuteContract', sender: msg.sender, module: 'wasm' }),
      ...fundsEvents(msg.sender, msg.contract, msg.funds),
      ...events,
    ],
    msgResponse: {
      typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContractResponse',
      value: MsgExecuteContractResponse.encode({
        data: result.val.data ? fromBase64(result.val.data) : new Uint8Array(),
      }).finish(),
    },
  };
}

export async function handleMigrate(
  runtime: ContractRuntime,
  meter: GasMeter,
  prefix: string,
  msg: MsgMigrateContract,
): Promise<MessageOutcome> {
  requireAddress(msg.sender, prefix, 'sender');
  const info = requireContract(runtime, msg.contract);
  if (!info.admin || info.admin !== msg.sender) {
    throw new SdkError(SdkCode.unauthorized, 'sdk', `only the admin of ${msg.contract} may migrate it: unauthorized`);
  }
  const codeId = Number(msg.codeId);
  if (!runtime.app.wasm.getCodeInfo(codeId))
    throw new SdkError(WasmCode.notFound, 'wasm', `code id ${codeId}: not found`);
  parseJsonMsg(msg.msg, 'migrate msg');
  const migrateMsg = new RawJsonMsg(msg.msg);
  const result = await withWasmGas(runtime.vmGas, meter, 'wasm migrate', () =>
    runtime.app.wasm.migrateContract(msg.sender, codeId, msg.contract, migrateMsg, [], true),
  );
  if (result.err) throw contractFailed(WasmCode.migrationFailed, 'migrate', String(result.val));
  const events = fromContractEvents(result.val.events);
  chargeContractCall(meter, events);
  return {
    events: [
      abciEvent('message', { action: '/cosmwasm.wasm.v1.MsgMigrateContract', sender: msg.sender, module: 'wasm' }),
      ...events,
    ],
    msgResponse: {
      typeUrl: '/cosmwasm.wasm.v1.MsgMigrateContractResponse',
      value: MsgMigrateContractResponse.encode({
        data: result.val.data ? fromBase64(result.val.data) : new Uint8Array(),
      }).finish(),
    },
  };
}

/**
 * MsgUpdateAdmin and MsgClearAdmin: only the contract's admin may hand the migrate right on (to a multisig, or to
 * the governance contract) or give it up, as wasmd allows; the contract itself is not called.
 */
export function handleSetAdmin(
  runtime: ContractRuntime,
  prefix: string,
  typeUrl: '/cosmwasm.wasm.v1.MsgUpdateAdmin' | '/cosmwasm.wasm.v1.MsgClearAdmin',
  sender: string,
  contract: string,
  newAdmin: string | null,
): MessageOutcome {
  requireAddress(sender, prefix, 'sender');
  if (newAdmin !== null) requireAddress(newAdmin, prefix, 'new admin');
  const info = requireContract(runtime, contract);
  if (!info.admin || info.admin !== sender) {
    throw new SdkError(SdkCode.unauthorized, 'sdk', `only the admin of ${contract} may change its admin: unauthorized`);
  }
  runtime.app.wasm.setContractInfo(contract, { ...info, admin: newAdmin });
  const cleared = newAdmin === null;
  return {
    events: [
      abciEvent('message', { action: typeUrl, sender, module: 'wasm' }),
      abciEvent('update_contract_admin', { _contract_address: contract, new_admin_address: newAdmin ?? '' }),
    ],
    msgResponse: cleared
      ? { typeUrl: '/cosmwasm.wasm.v1.MsgClearAdminResponse', value: MsgClearAdminResponse.encode({}).finish() }
      : { typeUrl: '/cosmwasm.wasm.v1.MsgUpdateAdminResponse', value: MsgUpdateAdminResponse.encode({}).finish() },
  };
}
