/** The natures a device can have (OpenEMS's word): what a device *is* to a controller. */
export type NatureKind = 'pv-inverter' | 'battery' | 'flexible-load' | 'meter';

/**
 * What every driver offers, whatever protocol it speaks. A driver only translates between its protocol and a
 * nature; it never decides anything. Every method rejects only with a DeviceError and never crashes the process.
 */
export interface DeviceDriver<Reading, Setpoint> {
  readonly deviceId: string;
  readonly nature: NatureKind;
  /** Connects (and for SunSpec discovers the model map). Idempotent. */
  connect(): Promise<void>;
  /** One consistent reading of every point the nature defines. */
  read(): Promise<Reading>;
  /**
   * Writes a setpoint, paired with its enable point and the device-side reversion time, then reads it back.
   * The driver re-sends the last setpoint before half the reversion time has passed for as long as it is connected.
   */
  write(setpoint: Setpoint): Promise<void>;
  /** Stops refreshing setpoints and closes the connection. The device then reverts by its own timer. */
  close(): Promise<void>;
}
