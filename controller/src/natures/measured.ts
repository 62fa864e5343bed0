/**
 * A value read from a device. `null` means "unknown": the device answered a SunSpec "not implemented" sentinel,
 * an OPC UA Bad/Uncertain status, or a value outside the point's physical range. Garbage never becomes a number.
 */
export type Measured = number | null;
