import { loadModelDef, ModelBlock } from '@gridcoop/sunspec';

export interface DeviceIdentity {
  manufacturer: string;
  model: string;
  serialNumber: string;
  version: string;
  unitId: number;
}

/** Model 1 (common): who the device is. Identical in layout for every device kind. */
export function commonBlock(identity: DeviceIdentity): ModelBlock {
  const block = new ModelBlock(loadModelDef(1));
  block.set('Mn', identity.manufacturer);
  block.set('Md', identity.model);
  block.set('Vr', identity.version);
  block.set('SN', identity.serialNumber);
  block.set('DA', identity.unitId);
  return block;
}
