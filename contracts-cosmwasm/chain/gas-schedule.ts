// The chain's gas prices for each kind of work. The values follow the Cosmos SDK's defaults (auth params, KVGasConfig)
// and wasmd's (instance cost, compile cost) so that gas figures land in the same range as on Neutron or Archway.
// cw-simulate's own gas numbers are not used: they are not the chain's and depend on the JS engine.

export const gasSchedule = {
  txSizeCostPerByte: 10n,
  sigVerifyCostSecp256k1: 1_000n,
  // KVGasConfig
  readCostFlat: 1_000n,
  readCostPerByte: 3n,
  writeCostFlat: 2_000n,
  writeCostPerByte: 30n,
  deleteCost: 1_000n,
  iterNextCostFlat: 30n,
  // wasmd
  contractInstanceCost: 60_000n,
  compileCostPerByte: 3n,
  eventAttributeCost: 10n,
  eventDataCostPerByte: 1n,
  // bank MsgSend: two balance reads and two writes per coin (the SDK's keeper does the same)
  balanceRecordBytes: 64n,
} as const;
