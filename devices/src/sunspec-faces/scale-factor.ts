/**
 * The smallest power-of-ten scale factor (>= `finest`) that encodes every value up to `maxAbs` in an int16 point with
 * room to spare (x2), so a device with a big rating still fits its registers, as real devices choose W_SF.
 */
export function scaleFactorFor(maxAbs: number, finest = 0): number {
  let sf = finest;
  while ((2 * Math.abs(maxAbs)) / 10 ** sf > 32_767) sf += 1;
  return sf;
}
