/**
 * Several experiments side by side: a ranking and per-method means over seeds. Pure: experiment reports in,
 * numbers out.
 */
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

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
