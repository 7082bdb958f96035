/**
 * Several experiments side by side: a ranking and per-method means over seeds. Pure: experiment reports in,
 * numbers out.
 */
import { HELDOUT, success, type Success } from '../core/records';
import type { ExperimentReport } from './data';

export interface SweepExperiment {
  name: string;
  /** The label that groups runs of one method (several seeds); the name when none was given. */
  method: string;
  runDir: string;
  report: ExperimentReport;
}

export interface RankRow {
  /** 1 = best; experiments equal on every key share a rank. */
  rank: number;
  name: string;
  method: string;
  status: ExperimentReport['status'];
  iterations: number;
  /** The last iteration that has a held-out evaluation, and its numbers. */
  finalIteration: number | null;
  finalHeldout: number | null;
  finalInterval: [number, number] | null;
  /** Mean held-out success over the iterations that have one. */
  meanHeldout: number | null;
  /** Rollout success of the last iteration. */
  finalRollout: number | null;
  /** The teacher alone on the experiment's held-out tasks, when measured. */
  teacherCeiling: number | null;
  /** Effective samples summed over all its iterations (null when one had no count). */
  effectiveSamples: number | null;
  /** With a budget: the iteration that met it (null while, or if never, met); undefined without a budget. */
  budgetMetAt?: number | null;
}

/**
 * One point of a method's success-against-cost curve (the paper's Figure 1): at an iteration, the means over the
 * method's runs (seeds) of their cumulative costs, and held-out success pooled over their evaluation episodes.
 */
export interface CurvePoint {
  /** 0: the starting student, before any data (every cost 0). */
  iteration: number;
  /** Runs with a held-out evaluation (with its counts) at this iteration. */
  runs: number;
  /** Means over those runs; null when a run lacks the number. */
  effectiveSamples: number | null;
  teacherTokens: number | null;
  sandboxSeconds: number | null;
  /** Resolved over episodes of those runs, with its 95% Wilson interval: the mean over seeds when each evaluated as many episodes. */
  heldout: Success & { episodes: number; resolved: number };
}

export interface MethodRow {
  method: string;
  runs: number;
  names: string[];
  finalHeldoutMean: number | null;
  finalHeldoutMin: number | null;
  finalHeldoutMax: number | null;
  meanHeldoutMean: number | null;
  finalRolloutMean: number | null;
  /** Held-out success against cumulative effective samples, teacher tokens and sandbox seconds. */
  curve: CurvePoint[];
  byIteration: {
    iteration: number;
    /** How many of the method's runs have this iteration, and how many of those a held-out evaluation. */
    rolloutRuns: number;
    heldoutRuns: number;
    rolloutMean: number;
    heldoutMean: number | null;
    heldoutMin: number | null;
    heldoutMax: number | null;
  }[];
}

export interface SweepReport {
  schema: 'agent-dagger/sweep-report@1';
  sweepId: string;
  experiments: SweepExperiment[];
  ranking: RankRow[];
  methods: MethodRow[];
}

export function buildSweep(sweepId: string, experiments: SweepExperiment[]): SweepReport {
  return { schema: 'agent-dagger/sweep-report@1', sweepId, experiments, ranking: rank(experiments), methods: byMethod(experiments) };
}

/** Rank by final held-out success, then mean held-out success over iterations, then final rollout success (missing last). */
export function rank(experiments: SweepExperiment[]): RankRow[] {
  const rows = experiments.map((e): Omit<RankRow, 'rank'> => {
    const its = e.report.iterations;
    const evaluated = its.filter((it) => it.heldout);
    const final = evaluated[evaluated.length - 1];
    return {
      name: e.name,
      method: e.method,
      status: e.report.status,
      iterations: its.length,
      finalIteration: final?.iteration ?? null,
      finalHeldout: final?.heldout?.successRate ?? null,
      finalInterval: final?.heldout?.interval ?? null,
      meanHeldout: mean(evaluated.map((it) => it.heldout!.successRate)),
      finalRollout: its.length ? its[its.length - 1].rollout.successRate : null,
      teacherCeiling: e.report.teacherCeiling?.successRate ?? null,
      effectiveSamples: its.length ? its[its.length - 1].cumulative.effectiveSamples : 0,
      ...(e.report.budget && { budgetMetAt: e.report.budget.metAtIteration }),
    };
  });
  const keys = (r: Omit<RankRow, 'rank'>) => [r.finalHeldout, r.meanHeldout, r.finalRollout];
  const compare = (a: Omit<RankRow, 'rank'>, b: Omit<RankRow, 'rank'>): number => {
    const [ka, kb] = [keys(a), keys(b)];
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i] ?? -Infinity;
      const y = kb[i] ?? -Infinity;
      if (x !== y) return y - x;
    }
    return 0;
  };
  const sorted = [...rows].sort((a, b) => compare(a, b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ranked: RankRow[] = [];
  sorted.forEach((row, i) => {
    const tied = i > 0 && compare(sorted[i - 1], row) === 0;
    ranked.push({ rank: tied ? ranked[i - 1].rank : i + 1, ...row });
  });
  return ranked;
}

export function byMethod(experiments: SweepExperiment[]): MethodRow[] {
  const groups = new Map<string, SweepExperiment[]>();
  for (const e of experiments) groups.set(e.method, [...(groups.get(e.method) ?? []), e]);
  const ranking = new Map(rank(experiments).map((r) => [r.name, r]));
  return [...groups].map(([method, runs]) => {
    const rows = runs.map((e) => ranking.get(e.name)!);
    const finals = rows.map((r) => r.finalHeldout).filter((x): x is number => x !== null);
    const iterations = [...new Set(runs.flatMap((e) => e.report.iterations.map((it) => it.iteration)))].sort((a, b) => a - b);
    return {
      method,
      runs: runs.length,
      names: runs.map((e) => e.name),
      finalHeldoutMean: mean(finals),
      finalHeldoutMin: finals.length ? Math.min(...finals) : null,
      finalHeldoutMax: finals.length ? Math.max(...finals) : null,
      meanHeldoutMean: mean(rows.map((r) => r.meanHeldout).filter((x): x is number => x !== null)),
      finalRolloutMean: mean(rows.map((r) => r.finalRollout).filter((x): x is number => x !== null)),
      curve: curve(runs),
      byIteration: iterations.map((iteration) => {
        const its = runs.flatMap((e) => e.report.iterations.filter((it) => it.iteration === iteration));
        const heldout = its.flatMap((it) => (it.heldout ? [it.heldout.successRate] : []));
        return {
          iteration,
          rolloutRuns: its.length,
          heldoutRuns: heldout.length,
          rolloutMean: mean(its.map((it) => it.rollout.successRate))!,
          heldoutMean: mean(heldout),
          heldoutMin: heldout.length ? Math.min(...heldout) : null,
          heldoutMax: heldout.length ? Math.max(...heldout) : null,
        };
      }),
    };
  });
}

/** A method's curve points: iteration 0 (when its runs evaluated the starting student) and every evaluated iteration. */
function curve(runs: SweepExperiment[]): CurvePoint[] {
  type Point = { effectiveSamples: number | null; teacherTokens: number | null; sandboxSeconds: number | null; episodes: number; resolved: number };
  const points = new Map<number, Point[]>();
  const add = (iteration: number, p: Point) => points.set(iteration, [...(points.get(iteration) ?? []), p]);
  for (const e of runs) {
    const initial = e.report.initial?.find((s) => s.name === HELDOUT);
    if (initial) add(0, { effectiveSamples: 0, teacherTokens: 0, sandboxSeconds: 0, episodes: initial.episodes, resolved: initial.resolved });
    for (const it of e.report.iterations) {
      if (it.heldout?.episodes == null || it.heldout.resolved === null) continue;
      add(it.iteration, { ...it.cumulative, episodes: it.heldout.episodes, resolved: it.heldout.resolved });
    }
  }
  const meanOf = (ps: Point[], key: 'effectiveSamples' | 'teacherTokens' | 'sandboxSeconds') =>
    ps.some((p) => p[key] === null) ? null : mean(ps.map((p) => p[key]!));
  return [...points]
    .sort(([a], [b]) => a - b)
    .map(([iteration, ps]) => {
      const episodes = ps.reduce((n, p) => n + p.episodes, 0);
      const resolved = ps.reduce((n, p) => n + p.resolved, 0);
      return {
        iteration,
        runs: ps.length,
        effectiveSamples: meanOf(ps, 'effectiveSamples'),
        teacherTokens: meanOf(ps, 'teacherTokens'),
        sandboxSeconds: meanOf(ps, 'sandboxSeconds'),
        heldout: { episodes, resolved, ...success(resolved, episodes) },
      };
    });
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
