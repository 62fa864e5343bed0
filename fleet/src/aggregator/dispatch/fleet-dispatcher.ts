import { loadHighs, type Highs } from '@gridcoop/controller/planner/load-highs';
import { LpModel, type Term } from '@gridcoop/controller/planner/lp-model';
import { validateDispatchInput, type SiteFlexibility, type ZoneLimit } from './site-flexibility.ts';

/**
 * Weights of the objective, per kW held for an hour. Meeting the VPP target dominates cost; the zones' congestion
 * limits dominate everything (their slack exists only so that envelopes which cannot fit inside a zone give a
 * reported violation instead of no answer at all). The fairness terms are far below any real cost: they only decide
 * between sites that cost the same, and then shares follow the envelopes.
 */
export interface DispatchWeights {
  deviationPerKWh: number;
  zoneSlackPerKWh: number;
  /**
   * Marginal cost of moving a site at the far end of its headroom; each site's movement is split into
   * `fairnessSegments` equal pieces of its headroom with rising marginal costs (a convex piecewise-linear penalty on
   * the fraction used), so equal-cost sites move equal fractions of their headroom, to within one segment.
   */
  fairnessPerKWh: number;
  fairnessSegments: number;
  /** Cost of the fraction of headroom used, overall and per zone: breaks the remaining ties inside a segment. */
  tieBreakPerKWh: number;
}

export const defaultDispatchWeights: DispatchWeights = {
  deviationPerKWh: 10,
  zoneSlackPerKWh: 1000,
  fairnessPerKWh: 2e-4,
  fairnessSegments: 2,
  tieBreakPerKWh: 1e-5,
};

/** One site's share of the VPP target. */
export interface SiteShare {
  siteId: string;
  zone: string;
  /** The grid power the site is asked to hold (import positive, W). */
  targetW: number;
  baselineW: number;
  minW: number;
  maxW: number;
  /** Fraction of the headroom in the direction moved (0 = at baseline, 1 = at the envelope's edge). */
  headroomUsed: number;
}

export interface ZoneDispatch {
  zone: string;
  sumW: number;
  importLimitW: number | null;
  exportLimitW: number | null;
  /** W by which the sites' envelopes force the zone past a limit (0 when the limit holds). */
  violationW: number;
}

/**
 * - `met`: the shares add up to the target (within `toleranceW`), every envelope and zone limit held.
 * - `closest-feasible`: the target is beyond what the envelopes and zone limits allow; the shares are the closest
 *   split that respects them all, and `notes` say by how much and why.
 * - `zone-limit-violated`: even the closest split cannot keep some zone inside its congestion limit (the sites'
 *   envelopes do not reach); `zones[].violationW` says by how much.
 * - `solver-failed`: HiGHS gave no optimal answer; every site is left at its baseline (its local policy).
 */
export type DispatchStatus = 'met' | 'closest-feasible' | 'zone-limit-violated' | 'solver-failed';

export interface DispatchResult {
  status: DispatchStatus;
  targetW: number;
  /** Sum of the shares. */
  dispatchedW: number;
  /** target - dispatched: positive when the fleet cannot import enough, negative when it cannot export enough. */
  shortfallW: number;
  shares: SiteShare[];
  zones: ZoneDispatch[];
  notes: string[];
  solverStatus: string;
}

export interface DispatchRequest {
  /** The VPP-level target: the sum of every site's grid power (import positive), W. */
  targetW: number;
  sites: readonly SiteFlexibility[];
  zoneLimits?: readonly ZoneLimit[];
  /** |shortfall| at or below this counts as met. Default 1 W. */
  toleranceW?: number;
}

const kW = (watts: number): number => watts / 1000;
const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * Splits a VPP target across sites by their flexibility envelopes with a linear program (HiGHS, the planner's
 * solver). Per site i, in kW: raise r_i in [0, max_i - base_i], lower l_i in [0, base_i - min_i]; the site's share is
 * base_i + r_i - l_i. A linear cost alone would leave equal-cost sites at an arbitrary vertex (one site doing
 * everything), so each direction is split into segments of its headroom with rising marginal costs, and the largest
 * fraction of headroom used (overall and per zone, λ, with r_i <= λ H_i) costs a little: equal-cost sites then move
 * in proportion to their envelopes. Shared: target deviation dp/dn and zone slacks zi_z/ze_z.
 */
export class FleetDispatcher {
  private constructor(
    private highs: Highs,
    private readonly weights: DispatchWeights,
  ) {}

  static async create(weights: DispatchWeights = defaultDispatchWeights): Promise<FleetDispatcher> {
    return new FleetDispatcher(await loadHighs(), weights);
  }

  /** Throws DispatchInputError on bad input (nothing is solved then). */
  async dispatch(request: DispatchRequest): Promise<DispatchResult> {
    const zoneLimits = request.zoneLimits ?? [];
    validateDispatchInput(request.targetW, request.sites, zoneLimits);
    const model = this.model(request, zoneLimits);
    let solution: ReturnType<Highs['solve']>;
    try {
      solution = this.highs.solve(model.lp.toString(), { output_flag: false });
    } catch {
      // The wasm build of HiGHS can be left unusable by an abort; a fresh instance answers the same model.
      this.highs = await loadHighs();
      solution = this.highs.solve(model.lp.toString(), { output_flag: false });
    }
    return this.result(request, zoneLimits, model.bases, solution);
  }

  private model(request: DispatchRequest, zoneLimits: readonly ZoneLimit[]): { lp: LpModel; bases: number[] } {
    const w = this.weights;
    const lp = new LpModel();
    const bases: number[] = [];
    const target: Term[] = [];
    let sumBase = 0;
    let sumRaise = 0;
    let sumLower = 0;
    const segments = Math.max(1, Math.round(w.fairnessSegments));
    const zoneIndex = new Map<string, number>();
    const zoneRoom = new Map<string, { raise: number; lower: number }>();
    request.sites.forEach((site, i) => {
      const base = clamp(site.baselineW, site.minW, site.maxW);
      bases.push(base);
      sumBase += base;
      const room = {
        raise: site.optedOut ? 0 : kW(site.maxW - base),
        lower: site.optedOut ? 0 : kW(base - site.minW),
      };
      if (!zoneIndex.has(site.zone)) zoneIndex.set(site.zone, zoneIndex.size);
      const z = zoneIndex.get(site.zone)!;
      const inZone = zoneRoom.get(site.zone) ?? { raise: 0, lower: 0 };
      inZone.raise += room.raise;
      inZone.lower += room.lower;
      zoneRoom.set(site.zone, inZone);
      target.push([1, `r_${i}`], [-1, `l_${i}`]);
      for (const [direction, headroom, cost] of [
        ['r', room.raise, site.raiseCostPerKWh ?? 0],
        ['l', room.lower, site.lowerCostPerKWh ?? 0],
      ] as const) {
        const name = `${direction}_${i}`;
        lp.bound(name, 0, headroom);
        lp.minimise([cost, name]);
        if (headroom <= 0) continue;
        // name = sum of its segments, each a 1/segments piece of the headroom at a rising marginal cost
        const pieces: Term[] = [];
        for (let k = 0; k < segments; k++) {
          const piece = `${direction}s_${i}_${k}`;
          lp.bound(piece, 0, headroom / segments);
          lp.minimise([(w.fairnessPerKWh * (k + 0.5)) / segments, piece]);
          pieces.push([-1, piece]);
        }
        lp.constrain(`${direction}sum_${i}`, [[1, name], ...pieces], '=', 0);
        lp.constrain(
          `${direction}f_${i}`,
          [
            [1, name],
            [-headroom, `lam_${direction}`],
          ],
          '<=',
          0,
        );
        lp.constrain(
          `${direction}fz_${i}`,
          [
            [1, name],
            [-headroom, `lamz_${direction}_${z}`],
          ],
          '<=',
          0,
        );
        if (direction === 'r') sumRaise += headroom;
        else sumLower += headroom;
      }
    });
    for (const [zone, z] of zoneIndex) {
      const room = zoneRoom.get(zone)!;
      lp.bound(`lamz_r_${z}`, 0, 1);
      lp.bound(`lamz_l_${z}`, 0, 1);
      lp.minimise([w.tieBreakPerKWh * room.raise, `lamz_r_${z}`], [w.tieBreakPerKWh * room.lower, `lamz_l_${z}`]);
    }
    // sum of shares - dp + dn = target
    lp.constrain('vpp', [...target, [-1, 'dp'], [1, 'dn']], '=', kW(request.targetW - sumBase));
    lp.bound('dp', 0, Infinity);
    lp.bound('dn', 0, Infinity);
    lp.bound('lam_r', 0, 1);
    lp.bound('lam_l', 0, 1);
    lp.minimise(
      [w.deviationPerKWh, 'dp'],
      [w.deviationPerKWh, 'dn'],
      [w.tieBreakPerKWh * sumRaise, 'lam_r'],
      [w.tieBreakPerKWh * sumLower, 'lam_l'],
    );

    zoneLimits.forEach((limit, z) => {
      const members = request.sites.flatMap((site, i) => (site.zone === limit.zone ? [i] : []));
      const moves: Term[] = members.flatMap((i): Term[] => [
        [1, `r_${i}`],
        [-1, `l_${i}`],
      ]);
      const zoneBase = members.reduce((sum, i) => sum + bases[i]!, 0);
      if (limit.importLimitW !== undefined) {
        lp.constrain(`zi_row_${z}`, [...moves, [-1, `zi_${z}`]], '<=', kW(limit.importLimitW - zoneBase));
        lp.bound(`zi_${z}`, 0, Infinity);
        lp.minimise([w.zoneSlackPerKWh, `zi_${z}`]);
      }
      if (limit.exportLimitW !== undefined) {
        lp.constrain(`ze_row_${z}`, [...moves, [1, `ze_${z}`]], '>=', kW(-limit.exportLimitW - zoneBase));
        lp.bound(`ze_${z}`, 0, Infinity);
        lp.minimise([w.zoneSlackPerKWh, `ze_${z}`]);
      }
    });
    return { lp, bases };
  }

  private result(
    request: DispatchRequest,
    zoneLimits: readonly ZoneLimit[],
    bases: readonly number[],
    solution: ReturnType<Highs['solve']>,
  ): DispatchResult {
    const optimal = solution.Status === 'Optimal';
    const value = (name: string): number => {
      const column = solution.Columns[name];
      return optimal && column && 'Primal' in column ? column.Primal : 0;
    };
    const shares: SiteShare[] = request.sites.map((site, i) => {
      const base = bases[i]!;
      const raise = value(`r_${i}`) * 1000;
      const lower = value(`l_${i}`) * 1000;
      const targetW = clamp(base + raise - lower, site.minW, site.maxW);
      const room = targetW >= base ? site.maxW - base : base - site.minW;
      return {
        siteId: site.siteId,
        zone: site.zone,
        targetW,
        baselineW: site.baselineW,
        minW: site.minW,
        maxW: site.maxW,
        headroomUsed: room > 0 ? Math.abs(targetW - base) / room : 0,
      };
    });
    const dispatchedW = shares.reduce((sum, share) => sum + share.targetW, 0);
    const shortfallW = request.targetW - dispatchedW;
    const notes: string[] = [];
    const sumOf = (zone: string) =>
      shares.filter((share) => share.zone === zone).reduce((sum, share) => sum + share.targetW, 0);
    const zoneNames = [...new Set([...request.sites.map((site) => site.zone), ...zoneLimits.map((l) => l.zone)])];
    const zones: ZoneDispatch[] = zoneNames.sort().map((zone) => {
      const limit = zoneLimits.find((l) => l.zone === zone);
      const sumW = sumOf(zone);
      const over = limit?.importLimitW !== undefined ? Math.max(0, sumW - limit.importLimitW) : 0;
      const under = limit?.exportLimitW !== undefined ? Math.max(0, -limit.exportLimitW - sumW) : 0;
      const violationW = over + under > 1e-3 ? over + under : 0;
      if (over > 1e-3)
        notes.push(
          `zone ${zone}: its sites cannot import less than ${Math.round(sumW)} W, above its ${limit!.importLimitW} W limit`,
        );
      if (under > 1e-3)
        notes.push(
          `zone ${zone}: its sites cannot export less than ${Math.round(-sumW)} W, beyond its ${limit!.exportLimitW} W export limit`,
        );
      return {
        zone,
        sumW,
        importLimitW: limit?.importLimitW ?? null,
        exportLimitW: limit?.exportLimitW ?? null,
        violationW,
      };
    });

    if (!optimal) {
      notes.unshift(`the LP solver answered ${solution.Status}: every site stays at its baseline`);
      const held = shares.map((share, i) => ({ ...share, targetW: bases[i]!, headroomUsed: 0 }));
      const heldW = held.reduce((sum, share) => sum + share.targetW, 0);
      return {
        status: 'solver-failed',
        targetW: request.targetW,
        dispatchedW: heldW,
        shortfallW: request.targetW - heldW,
        shares: held,
        zones,
        notes,
        solverStatus: solution.Status,
      };
    }

    const toleranceW = request.toleranceW ?? 1;
    let status: DispatchStatus = 'met';
    if (Math.abs(shortfallW) > toleranceW) {
      status = 'closest-feasible';
      notes.unshift(
        shortfallW > 0
          ? `target ${Math.round(request.targetW)} W is above what the fleet can hold: the closest split imports ${Math.round(dispatchedW)} W (${Math.round(shortfallW)} W short)`
          : `target ${Math.round(request.targetW)} W is below the lowest grid power the fleet can hold: the closest split reaches ${Math.round(dispatchedW)} W (${Math.round(-shortfallW)} W too much)`,
      );
    }
    if (zones.some((zone) => zone.violationW > 0)) status = 'zone-limit-violated';
    return {
      status,
      targetW: request.targetW,
      dispatchedW,
      shortfallW,
      shares,
      zones,
      notes,
      solverStatus: solution.Status,
    };
  }
}
