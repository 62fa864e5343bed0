import type { ControlInputs } from './control-inputs.ts';
import type { Controller } from './controller.ts';
import { controllableDevices, type ControllableDevice } from './controllable-devices.ts';
import type { RangeBook } from './range-book.ts';

/** What a PV inverter can produce right now, as far as we know: its measured output (a curtailed one may do more). */
export function pvAvailableW(device: ControllableDevice): number {
  return device.kind === 'pv-inverter' ? Math.max(0, device.reading.powerW ?? 0) : 0;
}

/**
 * The output range a device's allowed range really gives: a PV cap above what the sun offers changes nothing.
 */
function effectiveOutputRange(device: ControllableDevice, book: RangeBook): { loW: number; hiW: number } {
  const range = book.range(device.spec.id);
  if (device.kind !== 'pv-inverter') return { loW: range.minW, hiW: range.maxW };
  const availableW = pvAvailableW(device);
  return { loW: Math.min(availableW, range.minW), hiW: Math.min(availableW, range.maxW) };
}

/**
 * Priority 2: the grid connection's hard limits from local configuration (import cap for peak shaving, export cap,
 * 0 for zero export). The connection point's range becomes [-exportCap, importCap]; then each device's range is
 * narrowed to what it can do without breaking a cap even if every other device does its most (bound propagation
 * over the sum: grid = uncontrolled load - sum of device outputs). For the caps the worse of this cycle's and the
 * averaged load is used, so a load step is honoured at once and averaging never lets a cap slip.
 */
export const gridLimitsController: Controller = {
  name: 'grid-limits',
  apply(inputs: ControlInputs, book: RangeBook): void {
    const { importCapW, exportCapW } = inputs.plant;
    book.narrowGrid(
      { minW: -exportCapW, maxW: importCapW },
      'grid-limits',
      `export cap ${exportCapW} W, import cap ${importCapW} W`,
    );

    const { uncontrolledLoadNowW, uncontrolledLoadSmoothedW } = inputs.estimates;
    const loadLowW = Math.min(uncontrolledLoadNowW, uncontrolledLoadSmoothedW);
    const loadHighW = Math.max(uncontrolledLoadNowW, uncontrolledLoadSmoothedW);
    const devices = controllableDevices(inputs);
    // Running totals over all devices' current ranges, so each device sees the others (including those already
    // narrowed in this pass) in O(1): the pass is linear in the number of devices.
    let totalLoW = 0;
    let totalHiW = 0;
    for (const device of devices) {
      const { loW, hiW } = effectiveOutputRange(device, book);
      totalLoW += loW;
      totalHiW += hiW;
    }
    for (const device of devices) {
      const before = effectiveOutputRange(device, book);
      const maxOutputW = loadLowW + exportCapW - (totalLoW - before.loW);
      const minOutputW = loadHighW - importCapW - (totalHiW - before.hiW);
      book.narrow(device.spec.id, { maxW: maxOutputW }, 'grid-limits', `export cap ${exportCapW} W`);
      book.narrow(device.spec.id, { minW: minOutputW }, 'grid-limits', `import cap ${importCapW} W`);
      const after = effectiveOutputRange(device, book);
      totalLoW += after.loW - before.loW;
      totalHiW += after.hiW - before.hiW;
    }
  },
};
