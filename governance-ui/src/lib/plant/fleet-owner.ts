/**
 * The site owner's say over what the fleet's VPP may use of the site (the controller's PUT /api/fleet/owner), after
 * evcc's charge modes: the four modes in words, and the form's fields checked as the controller checks them.
 */
export type OwnerMode = 'off' | 'min' | 'pv' | 'now';

/** The owner's say in force and what the day's battery budget is judged on (`fleet.owner` of /api/status). */
export interface OwnerStatus {
  mode: OwnerMode;
  /** equivalent full battery cycles per UTC day the owner lends; null = no cap */
  dailyBatteryCycles: number | null;
  /** the miners' power the owner wants kept in modes min and pv, W */
  minerMinW: number;
  batteryCyclesToday: number;
  batteryBudgetUsed: boolean;
}

export const OWNER_MODES: ReadonlyArray<{ mode: OwnerMode; label: string; explains: string }> = [
  {
    mode: 'off',
    label: 'Off',
    explains: 'Opted out: the site runs on its own policy, offers the VPP nothing and refuses its targets.',
  },
  {
    mode: 'min',
    label: 'Minimum + VPP',
    explains: "Your minimums are kept (the miners' power below); the VPP may use the rest.",
  },
  {
    mode: 'pv',
    label: 'Solar surplus only',
    explains:
      'The VPP may only have the site soak up its own surplus and release PV it curtails: no battery discharge or miner pause on its behalf.',
  },
  {
    mode: 'now',
    label: 'Follow the VPP',
    explains: 'Everything local safety allows; your minimums are not held back.',
  },
];

/** The form as typed: the limits as text, so a half-typed number is a problem shown, not a silent 0. */
export interface OwnerForm {
  mode: OwnerMode;
  /** blank = no cap */
  dailyBatteryCycles: string;
  minerMinKw: string;
}

export interface OwnerChange {
  mode: OwnerMode;
  dailyBatteryCycles: number | null;
  minerMinW: number;
}

export function ownerFormOf(status: OwnerStatus): OwnerForm {
  return {
    mode: status.mode,
    dailyBatteryCycles: status.dailyBatteryCycles === null ? '' : String(status.dailyBatteryCycles),
    minerMinKw: String(status.minerMinW / 1_000),
  };
}

/** The change to send, or the problem of each field in words (the controller's bounds: cycles 0-100, power >= 0). */
export function ownerChangeOf(
  form: OwnerForm,
): { change: OwnerChange; problems: null } | { change: null; problems: Partial<Record<keyof OwnerForm, string>> } {
  const problems: Partial<Record<keyof OwnerForm, string>> = {};
  if (!OWNER_MODES.some((m) => m.mode === form.mode)) problems.mode = 'Mode: one of off, min, pv, now.';
  const cyclesText = form.dailyBatteryCycles.trim();
  const cycles = cyclesText === '' ? null : Number(cyclesText);
  if (cycles !== null && !(Number.isFinite(cycles) && cycles >= 0 && cycles <= 100))
    problems.dailyBatteryCycles = 'Battery cycles per day: a number from 0 to 100, or blank for no cap.';
  const minerText = form.minerMinKw.trim();
  const minerKw = minerText === '' ? 0 : Number(minerText);
  if (!(Number.isFinite(minerKw) && minerKw >= 0)) problems.minerMinKw = "Miners' minimum: a power in kW, 0 or more.";
  if (Object.keys(problems).length > 0) return { change: null, problems };
  return {
    change: { mode: form.mode, dailyBatteryCycles: cycles, minerMinW: Math.round(minerKw * 1_000) },
    problems: null,
  };
}
