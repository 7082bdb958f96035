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

/** @2 added `effectiveSamples` (the count and its cumulative sum); the report reads @1 files too. */
export const METRICS_SCHEMA = 'agent-dagger/iteration-metrics@2';
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
  /** Trained state–label pairs of this iteration (`effectiveSamples`); absent in records written before it was counted. */
  effectiveSamples?: number;
  /** Agreement, cost and behaviour over all the iteration's trajectories (kept or not). */
  diagnostics: Diagnostics;
  /** opd and grpo: what their D_i holds (absent for imitation). */
  objective?: ObjectiveCounts;
}

/** D_i of an on-policy objective in numbers (`transitions` is `turns`). */
export interface ObjectiveCounts {
  method: 'opd' | 'grpo';
  /** Student turns in D_i, and their sampled tokens (each one a trained token). */
  turns: number;
  tokens: number;
  /** OPD: the student tokens the teacher scored this iteration. */
  scoredTokens?: number;
  /** GRPO: the iteration's groups (G rollouts of one task each), those trained on, and those skipped for lack of reward variance. */
  groups?: number;
  groupsUsed?: number;
  groupsSkipped?: number;
  /** GRPO: episodes without a reward (the verifier could not judge), left out of their groups. */
  unjudged?: number;
}

/** The per-token objective an experiment trains with (`algorithm.objective`; absent = imitation). */
export type Objective = 'imitation' | 'opd' | 'grpo';

/**
 * What an iteration trains on, as `effectiveSamples` counts it, by the objective's kind:
 * - `imitation` (DAgger, AggreVaTe, SFT): `dataset` is D_i as written, after rejection sampling (SFT keeps only
 *   resolved trajectories) and with teacher errors already removed (their `label` is null);
 * - `opd`: `studentTurns` are the student's turns of the iteration, `scored` when the teacher scored its tokens;
 * - `grpo`: `groups` are the rollouts of one task each, every member with its reward (null: not judged, as
 *   `core/grpo.ts` `rewardOf` says) and its student turns.
 */
export type EffectiveSampleSource =
  | { kind: 'imitation'; dataset: readonly { turns: readonly { label: unknown }[] }[] }
  | { kind: 'opd'; studentTurns: readonly { scored: boolean }[] }
  | { kind: 'grpo'; groups: readonly (readonly { reward: number | null; studentTurns: number }[])[] };

/**
 * Effective samples: the trained state–label pairs, one per (context h_t, label) the student is trained on. The
 * unit the paper compares methods at (its Figure 1), defined here only:
 * - imitation: one per labelled turn that enters D_i (a teacher error is no label; SFT's rejected episodes never enter);
 * - OPD: one per student turn the teacher scored;
 * - GRPO: one per student turn of a judged member of a group whose judged rewards are not all equal (a group without
 *   reward variance, or with fewer than two judged members, has no advantage and is not trained on; nor is an
 *   unjudged member: `core/grpo.ts` `groupAdvantages`).
 * The imitation count is what `aggregate` reports as D_i's `transitions`.
 */
export function effectiveSamples(source: EffectiveSampleSource): number {
  switch (source.kind) {
    case 'imitation':
      return source.dataset.reduce((n, t) => n + t.turns.filter((turn) => turn.label !== null && turn.label !== undefined).length, 0);
    case 'opd':
      return source.studentTurns.filter((t) => t.scored).length;
    case 'grpo':
      return source.groups.reduce((n, group) => {
        const judged = group.filter((m) => m.reward !== null);
        const varies = judged.some((m) => m.reward !== judged[0].reward);
        return varies ? n + judged.reduce((k, m) => k + m.studentTurns, 0) : n;
      }, 0);
  }
}

/**
 * The objectives whose collection counts effective samples (calls `effectiveSamples` and reports the count with D_i:
 * imitation in activities/dataset.ts, opd and grpo in activities/samples.ts). A budget in effective samples needs
 * one: `effectiveSampleCountProblem` refuses the others.
 */
export const COUNTED_OBJECTIVES: readonly Objective[] = ['imitation', 'opd', 'grpo'];

/** Why a budget in effective samples cannot be kept for a method with this objective, or null when it can. */
export function effectiveSampleCountProblem(objective: Objective | undefined, counted: readonly Objective[] = COUNTED_OBJECTIVES): string | null {
  const o = objective ?? 'imitation';
  if (counted.includes(o)) return null;
  return (
    `a budget in effective samples needs the method's count of trained state–label pairs, and objective "${o}" has none ` +
    `(its collection does not report one; counted: ${counted.join(', ')}). Drop the budget or use a counted objective`
  );
}

/**
 * An iteration's effective samples from what it recorded: the count itself, or, in records written before it was
 * counted (every one an imitation run: OPD and GRPO were refused until then), D_i's labelled turns `transitions`,
 * which is the same number. Null when neither says (another objective without a count).
 */
export function effectiveSamplesOf(record: { effectiveSamples?: number; transitions: number }, objective: Objective | undefined): number | null {
  if (typeof record.effectiveSamples === 'number') return record.effectiveSamples;
  return (objective ?? 'imitation') === 'imitation' ? record.transitions : null;
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
  /** Effective samples (`effectiveSamples`) of this iteration and summed over iterations 1 … i (absent in @1 files). */
  effectiveSamples?: EffectiveSampleCount;
}

export interface EffectiveSampleCount {
  count: number;
  /** Null when an earlier iteration's count is unknown (its metrics file is missing, or its objective had no count). */
  cumulative: number | null;
}

/**
 * An iteration's effective samples as its metrics file records them. Files of schema @1 predate the count and
 * every one is an imitation run, whose count is D_i's labelled turns `transitions`; an @2 file without a count is an
 * objective that had none (null).
 */
export function recordedEffectiveSamples(m: Pick<IterationMetrics, 'schema' | 'effectiveSamples' | 'dataset'>): number | null {
  if (m.effectiveSamples) return m.effectiveSamples.count;
  if (m.schema === METRICS_SCHEMA) return m.dataset.effectiveSamples ?? null;
  return m.dataset.transitions;
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
  /** Trained state–label pairs (`effectiveSamples`); absent in older state and where the objective has no count. */
  effectiveSamples?: number;
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
export function summarizeIteration(result: IterationResult, studentModel: string, objective?: Objective): IterationSummary {
  const r = result.rollout;
  const samples = effectiveSamplesOf(result.dataset, objective);
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
    ...(samples !== null && { effectiveSamples: samples }),
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
