/** A node's integer counters at an interval boundary: where the next interval's energy starts counting. */
export interface Boundary {
  /** Unix seconds of the boundary (the end of the last closed interval). */
  atS: number;
  counterInWh: number;
  counterOutWh: number;
}
