import ModbusSerial from 'modbus-serial';
import { decodeModel, END_MODEL_ID, loadModelDef, SUNSPEC_MARKER } from '@gridcoop/sunspec';

// modbus-serial is CommonJS: its module object is the client class, also reachable as `.default` (typed there).
export const ModbusClient = ModbusSerial.default;
export type ModbusClient = InstanceType<typeof ModbusClient>;

export interface WalkedModel {
  id: number;
  length: number;
  address: number;
  values: Record<string, number | string | null>;
}

/** Reads registers in chunks of at most 125, as a SunSpec client must. */
export async function readChunked(client: ModbusClient, address: number, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let at = 0; at < count; at += 125) {
    const n = Math.min(125, count - at);
    out.push(...(await client.readHoldingRegisters(address + at, n)).data);
  }
  return out;
}

/** Checks the "SunS" marker at `base` and walks every model to the end marker, decoding each with the library. */
export async function walkSunSpec(client: ModbusClient, base: number): Promise<WalkedModel[]> {
  const marker = (await client.readHoldingRegisters(base, 2)).data;
  if (marker[0] !== SUNSPEC_MARKER[0] || marker[1] !== SUNSPEC_MARKER[1])
    throw new Error(`no SunS marker at ${base}: ${marker.join(',')}`);
  const models: WalkedModel[] = [];
  let address = base + 2;
  for (;;) {
    const [id, length] = (await client.readHoldingRegisters(address, 2)).data as [number, number];
    if (id === END_MODEL_ID) {
      if (length !== 0) throw new Error(`end marker with length ${length}`);
      return models;
    }
    const registers = await readChunked(client, address, length + 2);
    models.push({ id, length, address, values: decodeModel(loadModelDef(id), registers) });
    address += 2 + length;
  }
}
