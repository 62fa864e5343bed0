/**
 * Shares a total among parts that each must stay within [loW, hiW]: every part starts at its lower bound and the
 * rest is handed out in proportion to each part's room. The total is clamped to what the parts can take together.
 * Proportional sharing keeps every device equally far along its range, which is fair and needs no iteration.
 */
export function shareWithinRanges(totalW: number, ranges: readonly { loW: number; hiW: number }[]): number[] {
  const sumLoW = ranges.reduce((sum, r) => sum + r.loW, 0);
  const roomW = ranges.reduce((sum, r) => sum + Math.max(0, r.hiW - r.loW), 0);
  const extraW = Math.min(roomW, Math.max(0, totalW - sumLoW));
  return ranges.map((r) => (roomW > 0 ? r.loW + (extraW * Math.max(0, r.hiW - r.loW)) / roomW : r.loW));
}
