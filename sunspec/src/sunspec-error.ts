/** What went wrong using the SunSpec specification library. Callers branch on this, never on message text. */
export type SunSpecErrorKind =
  | 'unknown-model' // no vendored JSON for this model id
  | 'unknown-point' // the model has no point of that name
  | 'value-out-of-range' // the value cannot be encoded in the point's type (or would encode to its sentinel)
  | 'wrong-type' // e.g. a string given for a numeric point, or a raw number asked of a string point
  | 'missing-scale-factor' // the point's scale factor is unset (sentinel), so an engineering value cannot be encoded
  | 'malformed-registers'; // too few registers, or an ID/L that does not match the model definition

/** A typed error naming the model and point (or register) involved. The block it came from is left unchanged. */
export class SunSpecError extends Error {
  override readonly name = 'SunSpecError';
  constructor(
    readonly kind: SunSpecErrorKind,
    readonly modelId: number,
    readonly point: string | undefined,
    readonly detail: string,
  ) {
    super(`SunSpec model ${modelId}${point === undefined ? '' : ` point ${point}`}: ${kind}: ${detail}`);
  }
}
