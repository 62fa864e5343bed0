import { BinaryKVIterStorage, BinaryKVStorage } from '@oraichain/cosmwasm-vm-js';
import type { GasMeter } from './gas-meter.ts';
import { gasSchedule } from './gas-schedule.ts';

// Contract storage access is charged as the SDK's KV store charges it (flat + per byte). cw-simulate gives each
// contract a BinaryKVIterStorage and offers no hook, so the storage prototype is wrapped once per process and charges
// whichever meter is active. Only one transaction runs at a time per chain (the chain serialises them), and the
// active meter is set only while a transaction's messages run, so queries outside a transaction cost nothing.

let activeMeter: GasMeter | null = null;
let installed = false;

type Bytes = Uint8Array;

function installStorageGasHooks(): void {
  if (installed) return;
  installed = true;
  const storage = BinaryKVStorage.prototype as unknown as {
    get(key: Bytes): Bytes | null;
    set(key: Bytes, value: Bytes): void;
    remove(key: Bytes): void;
  };
  const { get, set, remove } = storage;
  storage.get = function (this: unknown, key: Bytes): Bytes | null {
    const value = get.call(this, key);
    activeMeter?.consume(
      gasSchedule.readCostFlat + gasSchedule.readCostPerByte * BigInt(key.length + (value?.length ?? 0)),
      'contract storage read',
    );
    return value;
  };
  storage.set = function (this: unknown, key: Bytes, value: Bytes): void {
    activeMeter?.consume(
      gasSchedule.writeCostFlat + gasSchedule.writeCostPerByte * BigInt(key.length + value.length),
      'contract storage write',
    );
    set.call(this, key, value);
  };
  storage.remove = function (this: unknown, key: Bytes): void {
    activeMeter?.consume(gasSchedule.deleteCost, 'contract storage delete');
    remove.call(this, key);
  };
  const iter = BinaryKVIterStorage.prototype as unknown as { next(id: Bytes): { key: Bytes; value: Bytes } | null };
  const { next } = iter;
  iter.next = function (this: unknown, id: Bytes) {
    const record = next.call(this, id);
    activeMeter?.consume(
      gasSchedule.iterNextCostFlat +
        (record ? gasSchedule.readCostPerByte * BigInt(record.key.length + record.value.length) : 0n),
      'contract storage iterator',
    );
    return record;
  };
}

/** Runs `work` with contract storage access charged to `meter`. */
export async function withContractStorageGas<T>(meter: GasMeter, work: () => Promise<T>): Promise<T> {
  installStorageGasHooks();
  const previous = activeMeter;
  activeMeter = meter;
  try {
    return await work();
  } finally {
    activeMeter = previous;
  }
}
