import { ModbusException, ModbusExceptionCode } from '../modbus/modbus-exception.ts';
import type { ModbusRegisterBank } from '../modbus/register-bank.ts';
import { buildRegisterMap, ModelBlock, type PointDef } from '@gridcoop/sunspec';

/** What a device face does around the registers: keeps measurements fresh and turns accepted writes into commands. */
export interface SunSpecFace {
  readonly blocks: ModelBlock[];
  /** Brings the models to the clock's now and writes measurements into the blocks; called before every read. */
  refresh(): void;
  /**
   * A write that touches only writable points of one block, shown as that block with the new values in place.
   * Throw ModbusException (IllegalDataValue) to refuse: then the registers stay as they were. A face must validate
   * everything before commanding the model, so a refused write changes nothing anywhere.
   */
  applyWrite(candidate: ModelBlock, writtenPoints: readonly PointDef[]): void;
  /** Points a client may write, by model id; any other point answers "illegal data address". */
  readonly writablePoints: ReadonlyMap<number, ReadonlySet<string>>;
}

interface BlockLayout {
  block: ModelBlock;
  /** Register offset of the block's ID within the map (the marker takes 0 and 1). */
  start: number;
  /** Point covering each register of the block (index 0 = ID), undefined for ID, L and pads. */
  pointAt: (PointDef | undefined)[];
}

/**
 * A SunSpec device as Modbus registers from a base address: "SunS", the face's model blocks, the end marker.
 * Reads refresh first; writes are checked register by register (read-only, structural and partial points are
 * refused as illegal addresses) and applied to a copy that the face validates before anything is kept.
 */
export class SunSpecRegisterBank implements ModbusRegisterBank {
  private readonly layouts: BlockLayout[];
  private readonly mapLength: number;

  constructor(
    readonly deviceId: string,
    private readonly face: SunSpecFace,
    readonly baseAddress: number,
  ) {
    let start = 2;
    this.layouts = face.blocks.map((block) => {
      const pointAt: (PointDef | undefined)[] = new Array(block.registers.length).fill(undefined);
      for (const point of block.def.points) {
        if (point.type === 'pad' || point.name === 'ID' || point.name === 'L') continue;
        for (let i = 0; i < point.size; i++) pointAt[point.offset + i] = point;
      }
      const layout = { block, start, pointAt };
      start += block.registers.length;
      return layout;
    });
    this.mapLength = start + 2;
    if (baseAddress < 0 || baseAddress + this.mapLength > 0x10000) {
      throw new RangeError(
        `device ${deviceId}: a map of ${this.mapLength} registers does not fit from base address ${baseAddress}`,
      );
    }
  }

  /** Registers the whole map spans, marker and end marker included. */
  get length(): number {
    return this.mapLength;
  }

  readRegisters(address: number, count: number): Uint16Array {
    const from = address - this.baseAddress;
    if (from < 0 || from + count > this.mapLength) {
      throw new ModbusException(
        ModbusExceptionCode.IllegalDataAddress,
        `device ${this.deviceId}: registers ${address}..${address + count - 1} outside ${this.baseAddress}..${this.baseAddress + this.mapLength - 1}`,
      );
    }
    this.face.refresh();
    return buildRegisterMap(this.face.blocks).subarray(from, from + count);
  }

  writeRegisters(address: number, values: Uint16Array): void {
    const from = address - this.baseAddress;
    const layout = this.layouts.find((l) => from >= l.start && from < l.start + l.block.registers.length);
    const refuse = (code: ModbusExceptionCode, detail: string): never => {
      throw new ModbusException(code, `device ${this.deviceId}: write of ${values.length} at ${address}: ${detail}`);
    };
    if (layout === undefined) return refuse(ModbusExceptionCode.IllegalDataAddress, 'not inside a model');
    const offset = from - layout.start;
    if (offset + values.length > layout.block.registers.length)
      refuse(ModbusExceptionCode.IllegalDataAddress, 'runs past the model');
    const writable = this.face.writablePoints.get(layout.block.def.id) ?? new Set<string>();
    const written: PointDef[] = [];
    for (let i = 0; i < values.length; i++) {
      const point = layout.pointAt[offset + i];
      if (point === undefined)
        refuse(ModbusExceptionCode.IllegalDataAddress, `register ${address + i} is structural or padding`);
      else if (point.access !== 'RW' || !writable.has(point.name)) {
        refuse(
          ModbusExceptionCode.IllegalDataAddress,
          `point ${layout.block.def.id}.${point.name} is not writable on this device`,
        );
      } else if (!written.includes(point)) {
        if (point.offset < offset || point.offset + point.size > offset + values.length) {
          refuse(ModbusExceptionCode.IllegalDataAddress, `only part of point ${point.name} would be written`);
        }
        written.push(point);
      }
    }
    this.face.refresh();
    const candidate = new ModelBlock(layout.block.def);
    candidate.registers.set(layout.block.registers);
    candidate.registers.set(values, offset);
    this.face.applyWrite(candidate, written);
    layout.block.registers.set(values, offset);
  }
}
