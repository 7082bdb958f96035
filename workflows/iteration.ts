/**
 * One DAgger iteration i: roll out episodes under the iteration's mixture (child workflows, a bounded
 * window at a time), aggregate D_i, train the student on D_1 ∪ … ∪ D_i, deploy it, evaluate it alone on
 * the held-out split, and record the metrics.
 */
import {
  condition,
  defineQuery,
  defineSignal,
  executeChild,
  proxyActivities,
  setHandler,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { ExperimentConfig } from '../config/schema';
import { episodeMixing, type Mixing } from '../core/mixing';
import { shuffled } from '../core/random';
import { betaAt, prefixBoundAt, type IterationObservation } from '../core/schedules';
import { wilsonInterval } from '../core/stats';
import type { AggregateResult, EnvironmentSpec, EpisodeSummary, RolloutActivities, TrainActivities, TrainStepResult } from '../activities';
import { episodeWorkflow, type EpisodeInput, type PolicyRef } from './episode';
import { runPool } from './pool';
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
}

export interface RolloutStats {
  episodes: number;
  resolved: number;
  errors: number;
  turns: number;
  teacherTurns: number;
  retries: number;
  endReasons: Record<string, number>;
}

export interface IterationResult {
  iteration: number;
  mixing: string;
  rollout: RolloutStats;
  dataset: AggregateResult;
  train: (TrainStepResult & { model: string }) | null;
  evaluation: RolloutStats | null;
  /** The teacher alone (β = 1) on the same held-out tasks: the ceiling; iteration 1 only, when configured. */
  teacherCeiling: TeacherCeiling | null;
  metrics: string;
}

export interface TeacherCeiling extends RolloutStats {
  model: string;
  successRate: number;
  /** 95% Wilson interval of `successRate`. */
  interval: [number, number];
}

export interface IterationProgress {
  iteration: number;
  phase: 'rollout' | 'aggregate' | 'train' | 'deploy' | 'evaluate' | 'done';
  episodesDone: number;
  episodesTotal: number;
  resolved: number;
  paused: boolean;
  /** When the rollouts started (ms since the epoch, workflow time). */
  startedAt: number;
}

export const iterationProgressQuery = defineQuery<IterationProgress>('progress');
export const setPausedSignal = defineSignal<[boolean]>('setPaused');

const activities = proxyActivities<RolloutActivities>({
  taskQueue: TASK_QUEUES.rollout,
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

export async function iterationWorkflow(input: IterationInput): Promise<IterationResult> {
  const { config, iteration } = input;
  const progress: IterationProgress = { iteration, phase: 'rollout', episodesDone: 0, episodesTotal: 0, resolved: 0, paused: false, startedAt: Date.now() };
  setHandler(iterationProgressQuery, () => progress);
  setHandler(setPausedSignal, (paused) => void (progress.paused = paused));

  const env: EnvironmentSpec = {
    kind: config.tasks.environment,
    suite: config.tasks.suite,
    sandbox: config.rollout.sandbox,
    maxObservationChars: config.rollout.maxObservationChars,
    prompt: config.tasks.prompt,
  };
  const evalSuite = config.evaluation.suite;
  const splits = await activities.listTasks({
    suite: config.tasks.suite,
    train: config.tasks.train,
    heldout: config.tasks.heldout,
    ...(evalSuite !== undefined && { evaluation: { suite: evalSuite, split: config.evaluation.split } }),
  });
  const taskIds = pick(splits.train, config.rollout.episodesPerIteration, [config.seed, iteration, 'tasks']);
  progress.episodesTotal = taskIds.length;

  const trainer = proxyActivities<TrainActivities>({
    taskQueue: TASK_QUEUES.train,
    startToCloseTimeout: `${config.trainer.kind === 'none' ? 3600 : config.trainer.timeoutS}s`,
    // The train step heartbeats every 10 s while its trainer lives (activities/train.ts).
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
  });
  if (input.lastCheckpoint && config.deploy.kind !== 'none') {
    // Deploying again is harmless and brings back a student server that restarted since the last iteration.
    await trainer.deployStudent({ deploy: config.deploy, studentBaseUrl: config.student.baseUrl, checkpoint: input.lastCheckpoint, name: input.studentModel });
  }

  const teacher: PolicyRef = { policy: config.teacher, model: config.teacher.model };
  const student: PolicyRef = { policy: config.student, model: input.studentModel };
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
  const summaries = await runEpisodes(episodes, config.rollout.concurrency, input.experimentId, progress);
  if (summaries.every((s) => s.endReason === 'error')) {
    throw ApplicationFailure.nonRetryable(
      `iteration ${iteration}: every episode failed (see the episode workflows' failures); nothing to train on`,
      'AllEpisodesFailed',
    );
  }

  progress.phase = 'aggregate';
  await activities.writeHarnessReport({ runDir: input.runDir, name: `rollout/iter-${iteration}`, episodeIds: episodes.map((e) => e.episodeId), modelName: describeMixing(config, iteration, input.observed) });
  const dataset = await activities.aggregate({
    runDir: input.runDir,
    iteration,
    episodeIds: episodes.map((e) => e.episodeId),
    rejectionSampling: config.algorithm.rejectionSampling,
  });

  let train: IterationResult['train'] = null;
  let studentModel = input.studentModel;
  if (config.trainer.kind !== 'none') {
    progress.phase = 'train';
    const datasets = Array.from({ length: iteration }, (_, i) => `datasets/iter-${i + 1}.jsonl`);
    const result = await trainer.trainStep({
      runDir: input.runDir,
      iteration,
      trainer: config.trainer,
      datasets,
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
    studentModel = deployed.model;
    train = { ...result, model: deployed.model };
  }

  let evaluation: RolloutStats | null = null;
  let teacherCeiling: TeacherCeiling | null = null;
  // The held-out tasks: `evaluation.suite` (e.g. SWE-bench Verified) when set, else the task suite's held-out split.
  const evalEnv: EnvironmentSpec = { ...env, suite: evalSuite ?? env.suite };
  if (config.evaluation.episodes > 0 && splits.evaluation.length > 0) {
    progress.phase = 'evaluate';
    // The same held-out tasks every iteration, so iterations compare; each task once (a greedy rerun adds nothing).
    const evalTasks = pick(splits.evaluation, Math.min(config.evaluation.episodes, splits.evaluation.length), [config.seed, 'heldout']);
    const evalStudent: PolicyRef = { policy: config.student, model: studentModel, temperature: config.evaluation.temperature };
    const evalEpisodes = evalTasks.map((taskId, index): EpisodeInput => ({
      ...episodes[0],
      env: evalEnv,
      episodeId: `${input.experimentId}.i${iteration}.eval${index}`,
      drawKey: `eval${index}`,
      taskId,
      mixing: { kind: 'dagger', beta: 0 } satisfies Mixing,
      teacher: null,
      student: evalStudent,
      studentProposals: false,
    }));
    // Once per experiment: the teacher alone on the same tasks. Only iteration 1 runs it, and an iteration runs once
    // per experiment (the experiment carries its results across continue-as-new), so it is never repeated.
    const ceilingTeacher: PolicyRef = { policy: config.teacher, model: config.teacher.model, temperature: config.evaluation.temperature };
    const ceilingEpisodes =
      config.evaluation.teacherCeiling && iteration === 1
        ? evalEpisodes.map((episode, index): EpisodeInput => ({
            ...episode,
            episodeId: `${input.experimentId}.ceiling.e${index}`,
            drawKey: `ceiling${index}`,
            mixing: { kind: 'dagger', beta: 1 } satisfies Mixing,
            teacher: ceilingTeacher,
          }))
        : [];
    const done = await runEpisodes([...evalEpisodes, ...ceilingEpisodes], config.rollout.concurrency, input.experimentId, null);
    evaluation = stats(done.slice(0, evalEpisodes.length));
    await activities.writeHarnessReport({ runDir: input.runDir, name: `eval/iter-${iteration}`, episodeIds: evalEpisodes.map((e) => e.episodeId), modelName: studentModel });
    if (ceilingEpisodes.length > 0) {
      const ceiling = stats(done.slice(evalEpisodes.length));
      teacherCeiling = {
        ...ceiling,
        model: ceilingTeacher.model,
        successRate: ceiling.resolved / ceiling.episodes,
        interval: wilsonInterval(ceiling.resolved, ceiling.episodes),
      };
      await activities.writeHarnessReport({
        runDir: input.runDir,
        name: 'eval/teacher-ceiling',
        episodeIds: ceilingEpisodes.map((e) => e.episodeId),
        modelName: ceilingTeacher.model,
      });
    }
  }

  const rollout = stats(summaries);
  const mixing = describeMixing(config, iteration, input.observed);
  const metrics = await activities.recordMetrics({
    runDir: input.runDir,
    iteration,
    metrics: {
      mixing,
      rollout,
      dataset,
      train,
      evaluation,
      evaluationSuite: evaluation ? evalEnv.suite : null,
      teacherCeiling,
      studentModel,
      episodes: summaries,
    },
  });
  progress.phase = 'done';
  return { iteration, mixing, rollout, dataset, train, evaluation, teacherCeiling, metrics };
}

/** Run episode children in a window of `concurrency`, pausing new starts while paused. */
async function runEpisodes(
  episodes: EpisodeInput[],
  concurrency: number,
  experimentId: string,
  progress: IterationProgress | null,
): Promise<EpisodeSummary[]> {
  return runPool(episodes, concurrency, async (episode) => {
    if (progress) await condition(() => !progress.paused);
    const summary = await executeChild(episodeWorkflow, {
      workflowId: episode.episodeId,
      args: [episode],
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.experiment, value: experimentId }],
    });
    if (progress) {
      progress.episodesDone++;
      if (summary.reward === 1) progress.resolved++;
    }
    return summary;
  });
}

/** A group of episodes in numbers (also what the report's tests build their fixtures with). */
export function stats(summaries: EpisodeSummary[]): RolloutStats {
  const endReasons: Record<string, number> = {};
  for (const s of summaries) endReasons[s.endReason] = (endReasons[s.endReason] ?? 0) + 1;
  return {
    episodes: summaries.length,
    resolved: summaries.filter((s) => s.reward === 1).length,
    errors: summaries.filter((s) => s.endReason === 'error' || s.verifyError !== null).length,
    turns: summaries.reduce((n, s) => n + s.turns, 0),
    teacherTurns: summaries.reduce((n, s) => n + s.teacherTurns, 0),
    retries: summaries.reduce((n, s) => n + s.retries, 0),
    endReasons,
  };
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
