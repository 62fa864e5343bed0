/**
 * The grid operator's live VPP target as typed on the fleet page (the aggregator's PUT /api/target): kW and minutes
 * as text, checked as the aggregator checks them (a finite power, a validity of at most a day), so a half-typed number
 * is named rather than sent.
 */
export interface VppTargetForm {
  /** the sum of all sites' grid power, kW, import positive */
  targetKw: string;
  /** blank: the aggregator's default validity */
  validForMin: string;
}

export interface LiveTargetRequest {
  targetW: number;
  validForS?: number;
}

/** What PUT and DELETE /api/target answer: the target in force after the write (null: none). */
export interface TargetAnswer {
  active: { targetW: number; source: 'live' | 'schedule'; untilMs: number } | null;
}

const MAX_VALID_FOR_MIN = 1_440;

export function targetRequestOf(
  form: VppTargetForm,
):
  | { request: LiveTargetRequest; problems: null }
  | { request: null; problems: Partial<Record<keyof VppTargetForm, string>> } {
  const problems: Partial<Record<keyof VppTargetForm, string>> = {};
  const targetText = form.targetKw.trim();
  const targetKw = Number(targetText);
  if (targetText === '' || !Number.isFinite(targetKw))
    problems.targetKw = 'Target: a power in kW (import positive, negative asks the fleet to export).';
  const validText = form.validForMin.trim();
  const validForMin = validText === '' ? null : Number(validText);
  if (validForMin !== null && !(Number.isFinite(validForMin) && validForMin > 0 && validForMin <= MAX_VALID_FOR_MIN))
    problems.validForMin = `Valid for: minutes, more than 0 and at most ${MAX_VALID_FOR_MIN}, or blank for the aggregator's default.`;
  if (Object.keys(problems).length > 0) return { request: null, problems };
  return {
    request: {
      targetW: Math.round(targetKw * 1_000),
      ...(validForMin === null ? {} : { validForS: Math.round(validForMin * 60) }),
    },
    problems: null,
  };
}
