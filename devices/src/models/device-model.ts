/**
 * What every simulated device is to the plant: something with physics that advances in simulation time and has
 * a net AC power at its terminals. Protocol faces (SunSpec, OPC UA) read and command models; models know nothing
 * of protocols.
 */
export interface DeviceModel {
  readonly id: string;
  /** Advances the physics to simulation time `nowMs` (epoch ms). Calls with a time earlier than the last are ignored. */
  advanceTo(nowMs: number): void;
  /** Net AC power at the terminals, generation positive: PV and battery discharge > 0, a load or battery charge < 0. */
  readonly acPowerW: number;
}
