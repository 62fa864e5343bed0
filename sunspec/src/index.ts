/**
 * The SunSpec specification library: model definitions read from the vendored official JSON
 * (sunspec/models), register encoding for simulators and decoding for drivers.
 */
export { loadModelDef, modelDefFromRegisters, statedModelLength, type ModelDef, type PointDef } from './model-def.ts';
export { ModelBlock } from './model-block.ts';
export { decodeModel } from './decode-model.ts';
export { BASE_ADDRESSES, buildRegisterMap, END_MODEL_ID, SUNSPEC_MARKER } from './register-map.ts';
export { SunSpecError, type SunSpecErrorKind } from './sunspec-error.ts';
export { POINT_TYPES, type PointType } from './point-types.ts';
export { decodePointValue } from './point-value.ts';
export { isSentinel } from './raw-codec.ts';
