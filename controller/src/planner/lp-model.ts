/**
 * A small builder for CPLEX LP-format text, the format HiGHS reads. Keeps the planner's formulation readable:
 * terms are [coefficient, variable] pairs and numbers are printed so HiGHS parses them exactly.
 */
export type Term = readonly [coefficient: number, variable: string];

export class LpModel {
  private readonly objective: Term[] = [];
  private readonly rows: string[] = [];
  private readonly bounds: string[] = [];

  minimise(...terms: Term[]): void {
    this.objective.push(...terms.filter(([c]) => c !== 0));
  }

  /** A named row: sum(terms) <op> rhs. */
  constrain(name: string, terms: Term[], op: '<=' | '>=' | '=', rhs: number): void {
    this.rows.push(` ${name}: ${expression(terms)} ${op} ${num(rhs)}`);
  }

  bound(variable: string, lower: number, upper: number): void {
    const lo = Number.isFinite(lower) ? num(lower) : '-inf';
    const hi = Number.isFinite(upper) ? num(upper) : '+inf';
    this.bounds.push(` ${lo} <= ${variable} <= ${hi}`);
  }

  toString(): string {
    return [
      'Minimize',
      ` obj: ${expression(this.objective)}`,
      'Subject To',
      ...this.rows,
      'Bounds',
      ...this.bounds,
      'End',
    ].join('\n');
  }
}

function expression(terms: readonly Term[]): string {
  if (terms.length === 0) return '0 zero_';
  return terms.map(([c, v], i) => `${c < 0 ? '-' : i === 0 ? '' : '+'} ${num(Math.abs(c))} ${v}`).join(' ');
}

function num(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`LP coefficient ${value} is not finite`);
  // toPrecision keeps 12 significant digits without exponent surprises for the magnitudes a plant has
  return Number(value.toPrecision(12)).toString();
}
