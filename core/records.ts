/**
 * The records a run writes about itself, declared once: what an episode, an iteration and an experiment
 * produced, in the shapes the workflows pass around, the activities write (`metrics/iter-<i>.json`,
 * `summary.json`) and the report reads back. Pure types plus the few pure functions that compute them, so
 * workflows, activities and the report depend on this module and not on one another.
 *
 * The canonical episode data (turns, trajectories) is in `core/types.ts`; the verifier's record in
 * `env/types.ts`; the episode manifest in `store/run-store.ts`. docs/formats.md says where each file lives.
 */
import type { Diagnostics } from './diagnostics';
import { wilsonInterval } from './stats';
import type { EndReason } from './types';

export const METRICS_SCHEMA = 'agent-dagger/iteration-metrics@1';
export const RUN_SUMMARY_SCHEMA = 'agent-dagger/run-summary@1';

/** One finished episode, as `finishEpisode` returns it. */
export interface EpisodeSummary {
  episodeId: string;
  taskId: string;
  turns: number;
  teacherTurns: number;
  endReason: EndReason;
  reward: number | null;
  verifyError: string | null;
  /** Policy calls that needed more than one attempt (retries counted). */
  retries: number;
  /** The verifier flagged the patch for changing test infrastructure (absent in older records). */
  tampered?: boolean;
}

/** A success rate with its 95% Wilson interval: the one place an interval is computed. */
export interface Success {
  successRate: number;
  interval: [number, number];
}

export function success(resolved: number, episodes: number): Success {
  return { successRate: episodes ? resolved / episodes : 0, interval: wilsonInterval(resolved, episodes) };
}

/** A group of episodes (the rollouts, an evaluation, the ceiling) in numbers. */
export interface RolloutStats extends Success {
  episodes: number;
  resolved: number;
  errors: number;
  turns: number;
  teacherTurns: number;
  retries: number;
  endReasons: Record<string, number>;
  /** Episodes whose patch the verifier flagged for changing test infrastructure. */
  tampered: number;
}

export function rolloutStats(summaries: readonly EpisodeSummary[]): RolloutStats {
  const endReasons: Record<string, number> = {};
  for (const s of summaries) endReasons[s.endReason] = (endReasons[s.endReason] ?? 0) + 1;
  const resolved = summaries.filter((s) => s.reward === 1).length;
  return {
    episodes: summaries.length,
    resolved,
    ...success(resolved, summaries.length),
    errors: summaries.filter((s) => s.endReason === 'error' || s.verifyError !== null).length,
    turns: summaries.reduce((n, s) => n + s.turns, 0),
    teacherTurns: summaries.reduce((n, s) => n + s.teacherTurns, 0),
    retries: summaries.reduce((n, s) => n + s.retries, 0),
    endReasons,
    tampered: summaries.filter((s) => s.tampered).length,
  };
}

/** The teacher alone (β = 1) on the held-out tasks: the ceiling drawn over the student's held-out success. */
export interface Ceiling extends RolloutStats {
  /** The teacher's model name (a bundled teacher: its name, e.g. `oracle`). */
  model: string;
}

/** The student alone on one evaluation suite (`heldout`: the held-out split or `evaluation.suite`). */
export interface SuiteEvaluation extends RolloutStats {
  /** `heldout`, or the name an `evaluation.suites` entry gives. */
  name: string;
  /** The instances file the tasks came from. */
  suite: string;
  /** The model the episodes sampled. */
  model: string;
}

/** The name of the primary evaluation suite in `evaluations`. */
export const HELDOUT = 'heldout';

/** The ceiling as the experiment carries it. */
export type CeilingSuccess = SuccessCount & { model: string };

/** What an episode's policy calls cost, over every attempt (retries and lost answers included). */
export interface EpisodeCallStats {
  /** Teacher outputs that are no valid label (never trained on). */
  teacherErrors: number;
  /** Requests paid again because an earlier one's answer was lost (a worker died mid-call, a timeout). */
  paidDuplicates: number;
  /** Requests sent to either endpoint. */
  calls: number;
  teacherCalls: number;
  promptTokens: number;
  completionTokens: number;
}

/** An iteration's paid calls, as the aggregation counts them beside D_i. */
export interface IterationCallCounts {
  /** Teacher outputs that were no valid label, left out of D_i. */
  teacherErrors: number;
  /** Requests paid again because an earlier one's answer was lost. */
  paidDuplicates: number;
  /** Per episode id. */
  calls: Record<string, EpisodeCallStats>;
}

/** D_i as `aggregate` wrote it, with what its calls cost (absent in metrics written before they were counted). */
export interface AggregateResult extends Partial<IterationCallCounts> {
  /** D_i, relative to the run directory. */
  dataset: string;
  trajectories: number;
  kept: number;
  /** Labelled states (h_t, a*_t) in D_i. */
  transitions: number;
  /** Agreement, cost and behaviour over all the iteration's trajectories (kept or not). */
  diagnostics: Diagnostics;
}

/** What one train step produced. */
export interface TrainStepResult {
  modelDir: string;
  steps: number;
  finalLoss: number | null;
  trainSeconds: number;
  /** Tokens the trainer processed, summed over its steps. */
  tokens: number;
}

/** A train step whose checkpoint was deployed: `model` is the name requests use. */
export type TrainedCheckpoint = TrainStepResult & { model: string };

/** What every account of a finished iteration holds. */
interface IterationNumbers {
  iteration: number;
  /** As `describeMixing` writes it: `beta=0.5` (DAgger) or `k~U{0..3}` (AggreVaTe). */
  mixing: string;
  rollout: RolloutStats;
  dataset: AggregateResult;
  train: TrainedCheckpoint | null;
  /** The student alone on the held-out tasks after this iteration's train step; null when nothing was evaluated. */
  evaluation: RolloutStats | null;
}

/** `metrics/iter-<i>.json`: everything one iteration measured (optional fields are absent in older files). */
export interface IterationMetrics extends IterationNumbers {
  schema?: typeof METRICS_SCHEMA;
  /** The instances file the evaluation's tasks came from; null when `evaluation` is null. */
  evaluationSuite?: string | null;
  /** The teacher alone on the same held-out tasks (iteration 1, when configured). */
  teacherCeiling?: Ceiling | null;
  /** The model the held-out evaluation sampled (the checkpoint deployed this iteration, or the last one). */
  studentModel: string;
  /** The rollouts' episode summaries. */
  episodes: EpisodeSummary[];
  /** Every evaluated suite, `heldout` first (its numbers are `evaluation`'s). */
  evaluations?: SuiteEvaluation[];
  /** Iteration 1 only, with `evaluation.initial`: the starting student on the same suites before any training (iteration 0). */
  initial?: SuiteEvaluation[] | null;
}

/** What the iteration workflow returns to the experiment. */
export interface IterationResult extends IterationNumbers {
  teacherCeiling: Ceiling | null;
  evaluations: SuiteEvaluation[];
  initial: SuiteEvaluation[] | null;
  /** The metrics file, relative to the run directory. */
  metrics: string;
}

/** One iteration in the experiment's carried state, its status query and `summary.json`. */
export interface IterationSummary {
  iteration: number;
  mixing: string;
  episodes: number;
  resolved: number;
  successRate: number;
  teacherFraction: number;
  transitions: number;
  retries: number;
  evalSuccessRate: number | null;
  /** 95% Wilson interval of the held-out success rate. */
  evalInterval: [number, number] | null;
  /** Teacher–student agreement over the visited states that have both actions (null when none). */
  agreement: number | null;
  trainLoss: number | null;
  studentModel: string;
  /** The teacher alone on the same held-out tasks (iteration 1 with `evaluation.teacherCeiling`, else null). */
  teacherCeiling: CeilingSuccess | null;
  /** Success on every evaluated suite, `heldout` first (absent in older state). */
  suites?: SuiteSuccess[];
  /** Iteration 1 only: the starting student's success on the same suites before any training (iteration 0). */
  initial?: SuiteSuccess[] | null;
}

/** Counts and their success, without the episodes' details: what the experiment carries of an evaluation. */
export interface SuccessCount extends Success {
  episodes: number;
  resolved: number;
}

export function successCount(stats: RolloutStats): SuccessCount {
  return { episodes: stats.episodes, resolved: stats.resolved, successRate: stats.successRate, interval: stats.interval };
}

/** A suite's success in the experiment's carried state. */
export type SuiteSuccess = SuccessCount & { name: string };

function suiteSuccess(e: SuiteEvaluation): SuiteSuccess {
  return { name: e.name, ...successCount(e) };
}

/** An iteration's result as the experiment carries it (`studentModel`: the model its rollouts sampled). */
export function summarizeIteration(result: IterationResult, studentModel: string): IterationSummary {
  const r = result.rollout;
  const agreement = result.dataset.diagnostics.agreement.overall;
  const evaluation = result.evaluation && result.evaluation.episodes ? result.evaluation : null;
  return {
    iteration: result.iteration,
    mixing: result.mixing,
    episodes: r.episodes,
    resolved: r.resolved,
    successRate: r.successRate,
    teacherFraction: r.turns ? r.teacherTurns / r.turns : 0,
    transitions: result.dataset.transitions,
    retries: r.retries + (result.evaluation?.retries ?? 0) + (result.teacherCeiling?.retries ?? 0),
    evalSuccessRate: evaluation ? evaluation.successRate : null,
    evalInterval: evaluation ? evaluation.interval : null,
    trainLoss: result.train?.finalLoss ?? null,
    agreement: agreement.n ? agreement.agree / agreement.n : null,
    studentModel,
    teacherCeiling: result.teacherCeiling && { ...successCount(result.teacherCeiling), model: result.teacherCeiling.model },
    suites: result.evaluations.map(suiteSuccess),
    initial: result.initial && result.initial.map(suiteSuccess),
  };
}

/** `summary.json`, written when the experiment ends. */
export interface RunSummary {
  /** Absent in files written before it was recorded. */
  schema?: typeof RUN_SUMMARY_SCHEMA;
  experimentId: string;
  iterations: IterationSummary[];
}
