import type { FaultKind, FaultSwitch } from './fault.ts';

/**
 * Links a device model's FAULT state to its fault switch. Only the 'device-fault' kind trips the model: a
 * communication or reading fault (refused connections, silence, exceptions, sentinels...) leaves the device itself
 * running, with its setpoint in force until its own reversion timer, as a real inverter behind a broken link does.
 * `beforeChange` brings the model up to now first, so the fault starts (and ends) at the right simulated time.
 */
export function followDeviceFault(
  faults: FaultSwitch,
  model: { setFault(on: boolean): void },
  beforeChange: () => void,
): () => void {
  let previous: FaultKind = faults.current.kind;
  return faults.onChange((setting) => {
    const next = setting.kind;
    const wasDeviceFault = previous === 'device-fault';
    previous = next;
    if (wasDeviceFault === (next === 'device-fault')) return;
    beforeChange();
    model.setFault(next === 'device-fault');
  });
}
