/** Where one model sits in a device's register map. */
export interface SunSpecModelLocation {
  id: number;
  /** L as the device states it (it may differ from the specification's, e.g. a 65-register common model). */
  length: number;
  /** Protocol address (0-based) of the model's ID register. */
  address: number;
}

/** What discovery found: the base address of the "SunS" marker and the models in register order. */
export interface SunSpecMap {
  baseAddress: number;
  models: SunSpecModelLocation[];
}
