/**
 * One DAgger iteration i, in its phases: pick the tasks, bring the student back, roll out episodes under the
 * iteration's mixture (child workflows, a bounded window at a time), aggregate D_i, train the student on
 * D_1 ∪ … ∪ D_i and deploy it, evaluate it alone on the held-out tasks (and, once, the teacher alone: the
 * ceiling), and record the metrics.
 */
import {
  condition,
  defineQuery,
  defineSignal,
  executeChild,
  patched,
  proxyActivities,
  setHandler,
  ApplicationFailure,
  upsertMemo,
} from '@temporalio/workflow';
import type { ExperimentConfig } from '../config/schema';
import { GRPO_DEFAULTS } from '../core/grpo';
import { episodeMixing, type Mixing } from '../core/mixing';
import { shuffled } from '../core/random';
import { HELDOUT, rolloutStats, type Ceiling, type EpisodeSummary, type IterationResult, type RolloutStats, type SuiteEvaluation, type TrainedCheckpoint } from '../core/records';
import { betaAt, prefixBoundAt, type IterationObservation } from '../core/schedules';
import type { EnvironmentSpec, RecordingPolicy, RolloutActivities, TrainActivities } from '../activities';
import type { OnPolicyObjective } from '../core/policy-samples';
import { episodeWorkflow, type EpisodeInput, type PolicyRef } from './episode';
import { runPool } from './pool';
import { RETRY } from './retry-policies';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { TASK_QUEUES } from './task-queues';

/** The config with both policies resolved to endpoints (the CLI starts bundled ones before the workflow). */
export type ResolvedConfig = ExperimentConfig & {
  student: Extract<ExperimentConfig['student'], { kind: 'endpoint' }>;
  teacher: Extract<ExperimentConfig['teacher'], { kind: 'endpoint' }>;
};

export interface IterationInput {
  runDir: string;
  experimentId: string;
  iteration: number;
  config: ResolvedConfig;
  /** The student model name to sample (the last deployed checkpoint, or the base model). */
  studentModel: string;
  /** The last trained checkpoint, or null before the first train step. */
  lastCheckpoint: string | null;
  /** What iterations 1 … i−1 observed (an adaptive β schedule depends on it). */
  observed: IterationObservation[];
  /** Leave this iteration's evaluation to the next one, which runs it beside its rollouts (core/evaluation-overlap.ts). */
  deferEvaluation?: boolean;
  /** The previous iteration's deferred evaluation: run beside this iteration's rollouts, recorded as that iteration's. */
  pendingEvaluation?: PendingEvaluation | null;
}

/** An iteration whose checkpoint is trained and deployed but not yet evaluated: its metrics, short of the evaluation. */
export interface PendingEvaluation {
  iteration: number;
  /** The deployed checkpoint the evaluation samples (the one the next iteration rolls out with). */
  studentModel: string;
  draft: Omit<IterationResult, 'evaluation' | 'teacherCeiling' | 'evaluations' | 'metrics'>;
  episodes: EpisodeSummary[];
}

/** An iteration's result; `pending` when it deferred its evaluation, `previous` when it ran the previous one's. */
export type IterationOutcome = IterationResult & { pending?: PendingEvaluation; previous?: IterationResult };

export interface IterationProgress {
  iteration: number;
  phase: 'rollout' | 'score' | 'aggregate' | 'train' | 'deploy' | 'evaluate' | 'done';
  episodesDone: number;
  episodesTotal: number;
  resolved: number;
  paused: boolean;
  /** When the rollouts started (ms since the epoch, workflow time). */
  startedAt: number;
  /** The previous iteration's evaluation, while it runs beside these rollouts. */
  evaluating?: { iteration: number; episodesDone: number; episodesTotal: number } | null;
}

export const iterationProgressQuery = defineQuery<IterationProgress>('progress');
export const setPausedSignal = defineSignal<[boolean]>('setPaused');

const activities = proxyActivities<RolloutActivities>({
  taskQueue: TASK_QUEUES.rollout,
  startToCloseTimeout: '10 minutes',
  retry: RETRY.activity,
});

export async function iterationWorkflow(input: IterationInput): Promise<IterationOutcome> {
  const { config, iteration } = input;
  const progress = progressOf(iteration);
  const trainer = trainerActivities(config);
  const mixing = describeMixing(config, iteration, input.observed);

  const tasks = await selectTasks(input);
  progress.episodesTotal = tasks.train.length;
  await redeployLastCheckpoint(input, trainer);
  // Iteration 0: the starting student on the same suites, before any training, so every curve starts there.
  let initial: SuiteEvaluation[] | null = null;
  if (iteration === 1 && config.evaluation.initial && input.lastCheckpoint === null && tasks.evaluation.length > 0) {
    progress.phase = 'evaluate';
    initial = (await evaluate(input, tasks.evaluation, input.studentModel, 0)).evaluations;
    progress.phase = 'rollout';
  }
  const pending = input.pendingEvaluation ?? null;
  // The previous checkpoint's evaluation and these rollouts sample the same deployed student; they share
  // `rollout.concurrency`'s episode slots, so the sandbox load stays what the config says.
  const slots = pending ? episodeSlots(config.rollout.concurrency) : null;
  const previousEvaluation = pending && finishEvaluation(input, tasks.evaluation, pending, progress, slots);
  const { episodes, summaries } = await rollOut(input, tasks.train, progress, slots);
  const onPolicy = onPolicyObjective(config);
  // opd, grpo with a KL term: another model scores every token the student sampled (recorded per episode).
  if (onPolicy && patched('on-policy-scores')) {
    progress.phase = 'score';
    await scoreEpisodes(input, onPolicy, episodes);
  }

  progress.phase = 'aggregate';
  await activities.writeHarnessReport({ runDir: input.runDir, name: `rollout/iter-${iteration}`, episodeIds: episodes.map((e) => e.episodeId), modelName: mixing });
  const dataset = await activities.aggregate({
    runDir: input.runDir,
    iteration,
    episodeIds: episodes.map((e) => e.episodeId),
    rejectionSampling: config.algorithm.rejectionSampling,
    ...(onPolicy && { onPolicy: { objective: onPolicy, ...(onPolicy.method === 'grpo' && { groups: groupsOf(episodes, onPolicy.groupSize) }) } }),
  });

  // The train step deploys another checkpoint: the previous one's evaluation finishes on the one it began with.
  const previous = previousEvaluation && (await previousEvaluation);
  const train = await trainAndDeploy(input, trainer, progress, onPolicy ? dataset.transitions : null);
  const studentModel = train?.model ?? input.studentModel;
  const done: PendingEvaluation = { iteration, studentModel, draft: { iteration, mixing, rollout: rolloutStats(summaries), dataset, train, initial }, episodes: summaries };
  const withPrevious = <R extends IterationOutcome>(r: R): R => (previous ? { ...r, previous } : r);
  if (input.deferEvaluation && tasks.evaluation.length > 0) {
    // Recorded by the next iteration once the evaluation ran; until then the result carries no evaluation.
    progress.phase = 'done';
    return withPrevious({ ...done.draft, evaluation: null, teacherCeiling: null, evaluations: [], metrics: '', pending: done });
  }
  if (tasks.evaluation.length > 0) progress.phase = 'evaluate';
  const result = await finishEvaluation(input, tasks.evaluation, done, null, null);
  progress.phase = 'done';
  return withPrevious(result);
}

/** An iteration's deferred evaluation, run alone: the experiment has no next iteration to run it beside. */
export async function deferredEvaluationWorkflow(input: IterationInput & { pendingEvaluation: PendingEvaluation }): Promise<IterationResult> {
  const progress = progressOf(input.pendingEvaluation.iteration);
  progress.phase = 'evaluate';
  const tasks = await selectTasks(input);
  const result = await finishEvaluation(input, tasks.evaluation, input.pendingEvaluation, null, null);
  progress.phase = 'done';
  return result;
}

/** The progress an iteration's workflow answers queries with; pause and resume arrive as a signal. */
function progressOf(iteration: number): IterationProgress {
  const progress: IterationProgress = { iteration, phase: 'rollout', episodesDone: 0, episodesTotal: 0, resolved: 0, paused: false, startedAt: Date.now() };
  setHandler(iterationProgressQuery, () => progress);
  // Any client can send this signal: anything but a boolean changes nothing.
  setHandler(setPausedSignal, (paused) => {
    if (typeof paused === 'boolean') progress.paused = paused;
  });
  return progress;
}

/**
 * Evaluate a trained iteration's checkpoint and record that iteration's metrics. `beside`: the progress of the
 * iteration whose rollouts run at the same time (its pause holds these episodes too, its query shows them).
 */
async function finishEvaluation(
  input: IterationInput,
  suites: EvaluationTasks[],
  done: PendingEvaluation,
  beside: IterationProgress | null,
  slots: EpisodeSlots | null,
): Promise<IterationResult> {
  const { draft } = done;
  const evaluating = beside && { iteration: done.iteration, episodesDone: 0, episodesTotal: 0 };
  if (beside) beside.evaluating = evaluating;
  const { evaluations, teacherCeiling } = await evaluate(input, suites, done.studentModel, done.iteration, { beside, evaluating, slots });
  if (beside) beside.evaluating = null;
  const heldout = evaluations.find((e) => e.name === HELDOUT) ?? null;
  const evaluation = heldout && statsOf(heldout);
  const metrics = await activities.recordMetrics({
    runDir: input.runDir,
    iteration: done.iteration,
    metrics: {
      mixing: draft.mixing,
      rollout: draft.rollout,
      dataset: draft.dataset,
      train: draft.train,
      evaluation,
      evaluationSuite: heldout?.suite ?? null,
      teacherCeiling,
      studentModel: done.studentModel,
      episodes: done.episodes,
      evaluations,
      initial: draft.initial,
    },
  });
  return { ...draft, evaluation, teacherCeiling, evaluations, metrics };
}

/** The train queue's activities; a train step heartbeats every 10 s while its trainer lives (activities/train.ts). */
function trainerActivities(config: ResolvedConfig) {
  return proxyActivities<TrainActivities>({
    taskQueue: TASK_QUEUES.train,
    startToCloseTimeout: `${config.trainer.kind === 'none' ? 3600 : config.trainer.timeoutS}s`,
    heartbeatTimeout: '1 minute',
    retry: RETRY.trainer,
  });
}

/** The environment every episode of the run acts in (the evaluation may name another suite). */
function environmentOf(config: ResolvedConfig): EnvironmentSpec {
  return {
    kind: config.tasks.environment,
    suite: config.tasks.suite,
    sandbox: config.rollout.sandbox,
    maxObservationChars: config.rollout.maxObservationChars,
    prompt: config.tasks.prompt,
    rejectTampering: config.tasks.rejectTampering,
  };
}

/** Tasks of one evaluation suite: the same ones every iteration, so iterations compare. */
interface EvaluationTasks {
  name: string;
  suite: string;
  taskIds: string[];
}

/** The iteration's rollout tasks (a keyed draw from the train split) and the tasks of every evaluation suite. */
async function selectTasks({ config, iteration }: IterationInput): Promise<{ train: string[]; evaluation: EvaluationTasks[] }> {
  const { evaluation: ev } = config;
  const splits = await activities.listTasks({
    suite: config.tasks.suite,
    train: config.tasks.train,
    heldout: config.tasks.heldout,
    ...(ev.suite !== undefined && { evaluation: { suite: ev.suite, split: ev.split } }),
    suites: ev.suites.map((s) => ({ name: s.name, suite: s.suite, split: s.split })),
  });
  // Each task once (a greedy rerun adds nothing), in a keyed order that does not change between iterations.
  const draw = (name: string, ids: string[], episodes: number) => pick(ids, Math.min(episodes, ids.length), [config.seed, name === HELDOUT ? 'heldout' : `eval-${name}`]);
  const evaluation: EvaluationTasks[] =
    ev.episodes > 0 && splits.evaluation.length > 0
      ? [{ name: HELDOUT, suite: ev.suite ?? config.tasks.suite, taskIds: draw(HELDOUT, splits.evaluation, ev.episodes) }]
      : [];
  for (const s of ev.suites) {
    const episodes = s.episodes ?? ev.episodes;
    const ids = splits.suites?.[s.name] ?? [];
    if (episodes > 0 && ids.length > 0) evaluation.push({ name: s.name, suite: s.suite, taskIds: draw(s.name, ids, episodes) });
  }
  const episodes = config.rollout.episodesPerIteration;
  const onPolicy = onPolicyObjective(config);
  if (onPolicy?.method === 'grpo') {
    // G rollouts of each drawn task, one group after the other (groupsOf reads them back in this order).
    const drawn = pick(splits.train, episodes / onPolicy.groupSize, [config.seed, iteration, 'tasks']);
    return { train: drawn.flatMap((id) => Array.from({ length: onPolicy.groupSize }, () => id)), evaluation };
  }
  return { train: pick(splits.train, episodes, [config.seed, iteration, 'tasks']), evaluation };
}

/** The on-policy objective's settings (defaults applied), or null for imitation. */
function onPolicyObjective(config: ResolvedConfig): OnPolicyObjective | null {
  const { algorithm } = config;
  const method = algorithm.objective ?? 'imitation';
  if (method === 'imitation') return null;
  if (method === 'opd') return { method, groupSize: 1, klCoef: 0, clipEpsilon: GRPO_DEFAULTS.clipEpsilon };
  return {
    method,
    groupSize: algorithm.groupSize ?? GRPO_DEFAULTS.groupSize,
    klCoef: algorithm.klCoef ?? GRPO_DEFAULTS.klCoef,
    clipEpsilon: algorithm.clipEpsilon ?? GRPO_DEFAULTS.clipEpsilon,
  };
}

/** GRPO's groups: consecutive runs of G episodes, as selectTasks laid the tasks out. */
function groupsOf(episodes: EpisodeInput[], groupSize: number): string[][] {
  return Array.from({ length: Math.ceil(episodes.length / groupSize) }, (_, g) => episodes.slice(g * groupSize, (g + 1) * groupSize).map((e) => e.episodeId));
}

/**
 * OPD: the teacher's log-probability of every token the student sampled; GRPO with klCoef > 0: the reference
 * policy's (the student's initial model, which the student server keeps serving under its base name). One activity
 * per episode, `rollout.concurrency` at a time.
 */
async function scoreEpisodes(input: IterationInput, objective: OnPolicyObjective, episodes: EpisodeInput[]): Promise<void> {
  const { config } = input;
  if (objective.method === 'grpo' && objective.klCoef === 0) return;
  const scorer = objective.method === 'opd' ? ({ scorer: 'teacher', policy: config.teacher, model: config.teacher.model } as const) : ({ scorer: 'reference', policy: config.student, model: config.student.model } as const);
  const scoring = proxyActivities<RolloutActivities>({
    taskQueue: TASK_QUEUES.rollout,
    // One request per student turn, each within the scorer's own timeout.
    startToCloseTimeout: `${(scorer.policy.timeoutS + 10) * config.rollout.maxTurns}s`,
    heartbeatTimeout: '20s',
    retry: RETRY.endpoint,
  });
  await runPool(episodes, config.rollout.concurrency, (e) => scoring.scoreTokens({ runDir: input.runDir, episodeId: e.episodeId, ...scorer }));
}

/** Deploying again is harmless and brings back a student server that restarted since the last iteration. */
async function redeployLastCheckpoint({ config, lastCheckpoint, studentModel }: IterationInput, trainer: TrainActivities): Promise<void> {
  if (!lastCheckpoint || config.deploy.kind === 'none') return;
  await trainer.deployStudent({ deploy: config.deploy, studentBaseUrl: config.student.baseUrl, checkpoint: lastCheckpoint, name: studentModel });
}

/** The rollouts: one episode per task under the iteration's mixture, teacher labels at every state. */
async function rollOut(input: IterationInput, taskIds: string[], progress: IterationProgress, slots: EpisodeSlots | null): Promise<{ episodes: EpisodeInput[]; summaries: EpisodeSummary[] }> {
  const { config, iteration } = input;
  const env = environmentOf(config);
  // opd, grpo: the student acts alone and its samples are recorded token for token (β = 0, checked at config load).
  const onPolicy = onPolicyObjective(config) !== null;
  const teacher: PolicyRef | null = onPolicy ? null : { policy: config.teacher, model: config.teacher.model };
  const recording: RecordingPolicy = { ...config.student, recordTokens: true };
  const student: PolicyRef = { policy: onPolicy ? recording : config.student, model: input.studentModel };
  const episodes = taskIds.map((taskId, index): EpisodeInput => {
    const drawKey = `e${index}`;
    return {
      runDir: input.runDir,
      experimentId: input.experimentId,
      iteration,
      episodeId: `${input.experimentId}.i${iteration}.${drawKey}`,
      drawKey,
      taskId,
      seed: config.seed,
      mixing: episodeMixing(algorithmFor(config), { seed: config.seed, iteration, episode: drawKey }, input.observed),
      teacher,
      student,
      studentProposals: config.algorithm.studentProposals,
      env,
      maxTurns: config.rollout.maxTurns,
      maxConsecutiveFormatErrors: config.rollout.maxConsecutiveFormatErrors,
    };
  });
  const summaries = await runEpisodes(episodes, config.rollout.concurrency, input.experimentId, { progress, slots });
  if (summaries.every((s) => s.endReason === 'error')) {
    throw ApplicationFailure.nonRetryable(
      `iteration ${iteration}: every episode failed (see the episode workflows' failures); nothing to train on`,
      'AllEpisodesFailed',
    );
  }
  return { episodes, summaries };
}

/** Train on D_1 ∪ … ∪ D_i (and D_0) and deploy the new checkpoint; null when the config trains nothing. */
/**
 * `onPolicyTurns`: for opd and grpo, the student turns in D_i. Those objectives train on this iteration's samples
 * only (the samples of earlier policies are off-policy), and an iteration without any (every GRPO group without
 * reward variance) trains nothing.
 */
async function trainAndDeploy(input: IterationInput, trainer: TrainActivities, progress: IterationProgress, onPolicyTurns: number | null): Promise<TrainedCheckpoint | null> {
  const { config, iteration } = input;
  if (config.trainer.kind === 'none' || onPolicyTurns === 0) return null;
  progress.phase = 'train';
  const result = await trainer.trainStep({
    runDir: input.runDir,
    iteration,
    trainer: config.trainer,
    datasets: onPolicyTurns === null ? Array.from({ length: iteration }, (_, i) => `datasets/iter-${i + 1}.jsonl`) : [`datasets/iter-${iteration}.jsonl`],
    initFrom: config.trainer.continueFromPrevious ? input.lastCheckpoint : null,
    seed: config.seed,
  });
  progress.phase = 'deploy';
  const deployed = await trainer.deployStudent({
    deploy: config.deploy,
    studentBaseUrl: config.student.baseUrl,
    checkpoint: result.modelDir,
    name: `${input.experimentId}-iter-${iteration}`,
  });
  return { ...result, model: deployed.model };
}

/**
 * The student alone, greedy, on every evaluation suite (`heldout`: `evaluation.suite`, e.g. SWE-bench Verified,
 * when set, else the task suite's held-out split; then `evaluation.suites`). In iteration 1, when configured,
 * the teacher alone on the held-out tasks: the ceiling. `iteration` 0 is the starting student, before training.
 */
async function evaluate(
  input: IterationInput,
  suites: EvaluationTasks[],
  studentModel: string,
  iteration: number,
  overlap: { beside: IterationProgress | null; evaluating: IterationProgress['evaluating']; slots: EpisodeSlots | null } | null = null,
): Promise<{ evaluations: SuiteEvaluation[]; teacherCeiling: Ceiling | null }> {
  const { config } = input;
  if (suites.length === 0) return { evaluations: [], teacherCeiling: null };
  const env = environmentOf(config);
  const evalStudent: PolicyRef = { policy: config.student, model: studentModel, temperature: config.evaluation.temperature };
  const episodeOf = (name: string, suite: string, taskId: string, index: number): EpisodeInput => {
    const drawKey = name === HELDOUT ? `eval${index}` : `${name}.eval${index}`;
    return {
      runDir: input.runDir,
      experimentId: input.experimentId,
      iteration,
      episodeId: `${input.experimentId}.i${iteration}.${drawKey}`,
      drawKey,
      taskId,
      seed: config.seed,
      mixing: { kind: 'dagger', beta: 0 } satisfies Mixing,
      teacher: null,
      student: evalStudent,
      studentProposals: false,
      env: { ...env, suite },
      maxTurns: config.rollout.maxTurns,
      maxConsecutiveFormatErrors: config.rollout.maxConsecutiveFormatErrors,
    };
  };
  const groups = suites.map((s) => ({ ...s, episodes: s.taskIds.map((taskId, index) => episodeOf(s.name, s.suite, taskId, index)) }));
  // Once per experiment: the teacher alone on the held-out tasks. Only iteration 1 runs it, and an iteration runs
  // once per experiment (the experiment carries its results across continue-as-new), so it is never repeated.
  const ceilingTeacher: PolicyRef = { policy: config.teacher, model: config.teacher.model, temperature: config.evaluation.temperature };
  const heldout = groups.find((g) => g.name === HELDOUT);
  const ceilingEpisodes =
    config.evaluation.teacherCeiling && iteration === 1 && heldout
      ? heldout.episodes.map((episode, index): EpisodeInput => ({
          ...episode,
          episodeId: `${input.experimentId}.ceiling.e${index}`,
          drawKey: `ceiling${index}`,
          mixing: { kind: 'dagger', beta: 1 } satisfies Mixing,
          teacher: ceilingTeacher,
        }))
      : [];
  const all = [...groups.flatMap((g) => g.episodes), ...ceilingEpisodes];
  if (overlap?.evaluating) overlap.evaluating.episodesTotal = all.length;
  const done = await runEpisodes(all, config.rollout.concurrency, input.experimentId, {
    pause: overlap?.beside ?? null,
    slots: overlap?.slots ?? null,
    onDone: overlap?.evaluating ? () => void overlap.evaluating!.episodesDone++ : undefined,
  });
  const evaluations: SuiteEvaluation[] = [];
  let offset = 0;
  for (const g of groups) {
    evaluations.push({ name: g.name, suite: g.suite, model: studentModel, ...rolloutStats(done.slice(offset, offset + g.episodes.length)) });
    offset += g.episodes.length;
    // The held-out suite's reports keep their place (reports/eval/iter-<i>); other suites get a folder of their own.
    const name = g.name === HELDOUT ? `eval/iter-${iteration}` : `eval-${g.name}/iter-${iteration}`;
    await activities.writeHarnessReport({ runDir: input.runDir, name, episodeIds: g.episodes.map((e) => e.episodeId), modelName: studentModel });
  }
  if (ceilingEpisodes.length === 0) return { evaluations, teacherCeiling: null };
  const teacherCeiling: Ceiling = { ...rolloutStats(done.slice(offset)), model: ceilingTeacher.model };
  await activities.writeHarnessReport({ runDir: input.runDir, name: 'eval/teacher-ceiling', episodeIds: ceilingEpisodes.map((e) => e.episodeId), modelName: ceilingTeacher.model });
  return { evaluations, teacherCeiling };
}

/** A suite's evaluation as plain rollout numbers (the `evaluation` field keeps its older shape). */
function statsOf({ name: _name, suite: _suite, model: _model, ...stats }: SuiteEvaluation): RolloutStats {
  return stats;
}

/** Episode slots shared by pools that run at the same time: at most `limit` episodes in flight across them, first come first served. */
interface EpisodeSlots {
  run<R>(fn: () => Promise<R>): Promise<R>;
}

function episodeSlots(limit: number): EpisodeSlots {
  let free = limit;
  const waiting: (() => void)[] = [];
  return {
    async run(fn) {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await fn();
      } finally {
        // A freed slot goes straight to the longest waiter.
        const next = waiting.shift();
        if (next) next();
        else free++;
      }
    },
  };
}

/**
 * Run episode children in a window of `concurrency`, pausing new starts while `progress` (or `pause`) is paused;
 * `progress` counts the finished episodes, `slots` bounds them together with another pool.
 */
async function runEpisodes(
  episodes: EpisodeInput[],
  concurrency: number,
  experimentId: string,
  { progress = null, pause = progress, slots = null, onDone }: { progress?: IterationProgress | null; pause?: IterationProgress | null; slots?: EpisodeSlots | null; onDone?: () => void },
): Promise<EpisodeSummary[]> {
  return runPool(episodes, concurrency, async (episode) => {
    if (pause) await condition(() => !pause.paused);
    const start = () =>
      executeChild(episodeWorkflow, {
        workflowId: episode.episodeId,
        args: [episode],
        typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.experiment, value: experimentId }],
      });
    const summary = await (slots ? slots.run(start) : start());
    onDone?.();
    if (progress) {
      progress.episodesDone++;
      if (summary.reward === 1) progress.resolved++;
      // Visible in the Web UI without a query (the experiment's memo names this workflow).
      upsertMemo({ episodesDone: progress.episodesDone, episodesTotal: progress.episodesTotal, resolved: progress.resolved });
    }
    return summary;
  });
}

/** `count` task ids drawn from `ids` in a keyed order, cycling when there are fewer ids than episodes. */
function pick(ids: string[], count: number, key: (string | number)[]): string[] {
  const order = shuffled(ids, key);
  return Array.from({ length: count }, (_, i) => order[i % order.length]);
}

/** β_i, or the range of the prefix length k ~ d_i. */
export function describeMixing(config: ExperimentConfig, iteration: number, observed: readonly IterationObservation[]): string {
  return config.algorithm.kind === 'dagger'
    ? `beta=${Number(betaAt(config.algorithm.beta, iteration, observed).toFixed(4))}`
    : `k~U{0..${prefixBoundAt(config.algorithm.prefix, iteration)}}`;
}

function algorithmFor(config: ResolvedConfig) {
  return config.algorithm.kind === 'dagger'
    ? { kind: 'dagger' as const, beta: config.algorithm.beta }
    : { kind: 'aggrevate' as const, prefix: config.algorithm.prefix };
}

export function iterationWorkflowId(experimentId: string, iteration: number): string {
  return `${experimentId}.i${iteration}`;
}
