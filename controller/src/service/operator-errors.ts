/** An operator named a device the plant does not have. Nothing changed. */
export class UnknownDeviceError extends Error {
  override readonly name = 'UnknownDeviceError';
  constructor(readonly deviceId: string) {
    super(`no device ${deviceId} in this plant`);
  }
}

/** An operator asked a device for something its nature cannot do (e.g. acknowledge a fault on a PV inverter). Nothing changed. */
export class WrongNatureError extends Error {
  override readonly name = 'WrongNatureError';
  constructor(
    readonly deviceId: string,
    readonly nature: string,
    readonly action: string,
  ) {
    super(`device ${deviceId} is a ${nature}: ${action} needs a battery`);
  }
}

/**
 * An operator write that is well formed but refused in the plant's present state (acknowledging a battery with no
 * fault, taking the grid meter out of service without `force`). Nothing changed; the message says why and what to do.
 */
export class OperatorConflictError extends Error {
  override readonly name = 'OperatorConflictError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}
