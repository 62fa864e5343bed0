import type { ModelBlock } from '@gridcoop/sunspec';

/**
 * Model 120's mandatory reactive ratings, for a simulated inverter that runs at unity power factor only: no var
 * capability in any quadrant and a minimum power factor of 1. Real values, where "not implemented" would be wrong
 * for mandatory points.
 */
export function setUnityReactiveRatings(nameplate: ModelBlock, wSf: number): void {
  nameplate.set('VArRtg_SF', wSf);
  nameplate.set('PFRtg_SF', -2);
  for (const quadrant of ['Q1', 'Q2', 'Q3', 'Q4']) {
    nameplate.set(`VArRtg${quadrant}`, 0);
    nameplate.set(`PFRtg${quadrant}`, 1);
  }
}
