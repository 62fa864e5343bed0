/**
 * Faults any simulated device can be switched into at run time, whatever protocol serves it.
 * Each one is something real devices do in the field.
 */
export type FaultKind =
  | 'none'
  | 'refuse-connections' // the server stops accepting: connect gets ECONNREFUSED / the socket is closed at once
  | 'drop-connection' // open connections are destroyed, and each new one is dropped after it is accepted
  | 'stop-answering' // requests are read and never answered
  | 'slow' // every answer is delayed by `delayMs`
  | 'exception' // Modbus exception 4 (server device failure) / OPC UA BadInternalError on every request
  | 'sentinels' // measurement points read as SunSpec "not implemented" / OPC UA BadNoData
  | 'out-of-range' // measurement points read as physically impossible values
  | 'device-fault'; // the device model goes to its FAULT operating state (it still answers)

export interface FaultSetting {
  kind: FaultKind;
  /** For 'slow': how long each answer is delayed. */
  delayMs?: number;
}

type Listener = (setting: FaultSetting) => void;

/** The fault currently injected into one device; protocol servers listen to it. */
export class FaultSwitch {
  private setting: FaultSetting = { kind: 'none' };
  private readonly listeners = new Set<Listener>();

  get current(): FaultSetting {
    return this.setting;
  }

  inject(setting: FaultSetting): void {
    this.setting = { ...setting };
    for (const listener of this.listeners) listener(this.setting);
  }

  clear(): void {
    this.inject({ kind: 'none' });
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
