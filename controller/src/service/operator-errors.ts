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
