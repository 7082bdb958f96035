/**
 * An experiment: DAgger iterations i = 1 … N in order. Each workflow run executes one iteration as a child
 * and continues as new with the carried state, so the history stays small however long the experiment runs.
 * Controlled by signals (pause, resume, stop after the current iteration) and an update (change the
 * schedule from the next iteration on); observed by a query and by search attributes and memo in the Web UI.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setDefaultSignalHandler,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AlgorithmConfig } from '../config/schema';
import type { RolloutActivities } from '../activities';
import { budgetProgress, type BudgetProgress } from '../core/budget';
import { effectiveSampleCountProblem, effectiveSamplesOf, summarizeIteration, type CeilingSuccess, type IterationResult, type IterationSummary } from '../core/records';
import { evaluationOverlap } from '../core/evaluation-overlap';
import { deferredEvaluationWorkflow, describeMixing, iterationWorkflow, iterationWorkflowId, setPausedSignal, type PendingEvaluation, type ResolvedConfig } from './iteration';
import { RETRY } from './retry-policies';
import { checkExperimentInput, checkNoArguments, checkScheduleUpdate, describeProblems } from './messages';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { TASK_QUEUES } from './task-queues';
import { betaAt, type IterationObservation } from '../core/schedules';

export interface ExperimentState {
  nextIteration: number;
  studentModel: string;
  lastCheckpoint: string | null;
  algorithm: AlgorithmConfig;
  results: IterationSummary[];
  paused: boolean;
  stopRequested: boolean;
  /** Signals the workflow ignored (unknown name, unexpected input), newest last: a signal has no reply, status shows these. */
  notices?: string[];
  /** The last iteration's evaluation, left to run beside the next iteration's rollouts. */
  pendingEvaluation?: PendingEvaluation | null;
}

export interface ExperimentInput {
  experimentId: string;
  runDir: string;
  config: ResolvedConfig;
  /** Carried across continue-as-new; absent at the start. */
  state?: ExperimentState;
}

export interface ExperimentStatus {
  experimentId: string;
  runDir: string;
  iteration: number;
  iterations: number;
  state: 'running' | 'paused' | 'stopping' | 'done';
  currentIterationWorkflowId: string | null;
  algorithm: AlgorithmConfig;
  results: IterationSummary[];
  /** The teacher ceiling, once measured (carried in `results` across continue-as-new). */
  teacherCeiling: CeilingSuccess | null;
  /** Signals ignored, with why (the last few). */
  notices: string[];
  /** With `budget` in the config: the effective samples collected so far and the iteration that met it. */
  budget?: BudgetProgress | null;
}

export interface ExperimentResult {
  experimentId: string;
  runDir: string;
  results: IterationSummary[];
  stoppedEarly: boolean;
  /** With `budget` in the config: where it stood at the end (`metAtIteration`: the iteration that met it, the last one run). */
  budget: BudgetProgress | null;
  summary: string;
}

export const statusQuery = defineQuery<ExperimentStatus>('status');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const stopAfterIterationSignal = defineSignal('stopAfterIteration');
/** Replace the algorithm's schedule from the next iteration on (the kind must stay the same). */
export const setScheduleUpdate = defineUpdate<AlgorithmConfig, [AlgorithmConfig]>('setSchedule');

const activities = proxyActivities<RolloutActivities>({
  taskQueue: TASK_QUEUES.rollout,
  startToCloseTimeout: '1 minute',
  retry: RETRY.bookkeeping,
});

/** The patch that ends an experiment whose effective-sample budget is met (docs/cluster.md, "Upgrading"). */
const BUDGET_PATCH = 'effective-sample-budget';

/** The patch that runs an iteration's evaluation beside the next iteration's rollouts. */
const OVERLAP_PATCH = 'evaluation-overlaps-rollouts';

/** Ignored signals kept for status. */
const MAX_NOTICES = 10;

export async function experimentWorkflow(input: ExperimentInput): Promise<ExperimentResult> {
  // Checked before anything reads it: a malformed start fails the workflow at once, with every problem named,
  // instead of failing its workflow tasks forever on a TypeError.
  const info = workflowInfo();
  const problems = checkExperimentInput(input, { workflowId: info.workflowId, continued: info.continuedFromExecutionRunId !== undefined });
  if (problems.length) throw ApplicationFailure.nonRetryable(describeProblems('invalid experiment input', problems), 'InvalidExperimentInput');
  const { config } = input;
  // The config's own rule (config/schema.ts), which its JSON Schema cannot say: a budget needs a method that counts.
  const uncounted = config.budget && effectiveSampleCountProblem(config.algorithm.objective);
  if (uncounted) throw ApplicationFailure.nonRetryable(describeProblems('invalid experiment input', [`config.budget.effectiveSamples: ${uncounted}`]), 'InvalidExperimentInput');
  const state: ExperimentState = input.state ?? {
    nextIteration: 1,
    studentModel: config.student.model,
    lastCheckpoint: null,
    algorithm: config.algorithm,
    results: [],
    paused: false,
    stopRequested: false,
  };
  let currentChild: string | null = null;
  let finished = false;
  // Where the budget stands after the finished iterations (core/budget.ts); null without one.
  const budget = () => {
    if (!config.budget) return null;
    const counts = state.results.map((r) => ({ iteration: r.iteration, effectiveSamples: effectiveSamplesOf(r, state.algorithm.objective) }));
    return budgetProgress(config.budget.effectiveSamples, counts);
  };

  const forwardPause = async () => {
    if (currentChild) await getExternalWorkflowHandle(currentChild).signal(setPausedSignal, state.paused);
  };
  const notice = (text: string) => (state.notices = [...(state.notices ?? []), text].slice(-MAX_NOTICES));
  // Signals cannot be refused; one with an input they do not take changes nothing and is noted for status.
  const noArguments = (name: string, handler: () => void | Promise<void>) =>
    setHandler(defineSignal(name), async (...args: unknown[]) => {
      const problem = checkNoArguments(name, args);
      if (problem) notice(problem);
      else await handler();
    });
  noArguments(pauseSignal.name, async () => {
    state.paused = true;
    await forwardPause();
  });
  noArguments(resumeSignal.name, async () => {
    state.paused = false;
    await forwardPause();
  });
  noArguments(stopAfterIterationSignal.name, () => void (state.stopRequested = true));
  setDefaultSignalHandler((name) => {
    notice(`unknown signal ${JSON.stringify(name)} ignored (known: ${[pauseSignal, resumeSignal, stopAfterIterationSignal].map((d) => d.name).join(', ')})`);
  });
  setHandler(
    setScheduleUpdate,
    (algorithm) => {
      state.algorithm = algorithm;
      return algorithm;
    },
    {
      // Rejected updates leave no trace in the history and change nothing.
      validator: (algorithm) => {
        const problems = checkScheduleUpdate(algorithm, state.algorithm);
        if (problems.length) throw new Error(describeProblems('invalid schedule', problems));
      },
    },
  );
  setHandler(statusQuery, () => ({
    experimentId: input.experimentId,
    runDir: input.runDir,
    iteration: Math.min(state.nextIteration, config.iterations),
    iterations: config.iterations,
    state: finished ? 'done' : state.stopRequested ? 'stopping' : state.paused ? 'paused' : 'running',
    currentIterationWorkflowId: currentChild,
    algorithm: state.algorithm,
    results: state.results,
    teacherCeiling: state.results.find((r) => r.teacherCeiling)?.teacherCeiling ?? null,
    notices: state.notices ?? [],
    budget: budget(),
  }));

  // Whether iteration i's evaluation may run beside iteration i+1's rollouts (core/evaluation-overlap.ts).
  const overlapInput = (i: number) => ({
    iteration: i,
    iterations: config.iterations,
    algorithm: state.algorithm,
    enabled: config.evaluation.overlap,
    evaluates: config.evaluation.episodes > 0 || config.evaluation.suites.length > 0,
    budget: config.budget !== undefined,
    stopRequested: state.stopRequested,
  });
  // A deferred evaluation, recorded: its iteration's row gets the evaluation (the rest of the row is unchanged).
  const completeEvaluation = (previous: IterationResult) => {
    const at = state.results.findIndex((r) => r.iteration === previous.iteration);
    if (at < 0) throw ApplicationFailure.nonRetryable(`the evaluation of iteration ${previous.iteration} has no row in the results`, 'EvaluationWithoutIteration');
    state.results[at] = summarizeIteration(previous, state.results[at].studentModel, state.algorithm.objective);
  };

  const iteration = state.nextIteration;
  if (iteration <= config.iterations && !state.stopRequested) {
    await condition(() => !state.paused || state.stopRequested);
  }
  if (iteration <= config.iterations && !state.stopRequested) {
    const iterConfig: ResolvedConfig = { ...config, algorithm: state.algorithm };
    const observed = state.results.map(observation);
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.iteration, value: iteration },
      ...(state.algorithm.kind === 'dagger' ? [{ key: SEARCH_ATTRIBUTES.beta, value: rounded(betaAt(state.algorithm.beta, iteration, observed)) }] : []),
    ]);
    currentChild = iterationWorkflowId(input.experimentId, iteration);
    const deferEvaluation = evaluationOverlap(overlapInput(iteration)).overlap && patched(OVERLAP_PATCH);
    // The Web UI shows the memo: the running iteration's workflow (its memo counts episodes as they finish) and every finished one.
    upsertMemo({ mixing: describeMixing(iterConfig, iteration, observed), currentIteration: currentChild, iterations: state.results.map(memoRow) });
    const child = await startChild(iterationWorkflow, {
      workflowId: currentChild,
      args: [
        {
          runDir: input.runDir,
          experimentId: input.experimentId,
          iteration,
          config: iterConfig,
          studentModel: state.studentModel,
          lastCheckpoint: state.lastCheckpoint,
          observed,
          ...(deferEvaluation && { deferEvaluation }),
          ...(state.pendingEvaluation && { pendingEvaluation: state.pendingEvaluation }),
        },
      ],
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.experiment, value: input.experimentId }],
    });
    if (state.paused) await forwardPause();
    const result = await child.result();
    currentChild = null;
    if (result.previous) completeEvaluation(result.previous);
    state.pendingEvaluation = result.pending ?? null;
    state.results.push(summarizeIteration(result, state.studentModel, state.algorithm.objective));
    if (result.train) {
      state.studentModel = result.train.model;
      state.lastCheckpoint = result.train.modelDir;
    }
    state.nextIteration = iteration + 1;
    const success = state.results[state.results.length - 1];
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.success, value: success.evalSuccessRate ?? success.successRate }]);
    upsertMemo({ lastIteration: success, currentIteration: null, iterations: state.results.map(memoRow) });
    // A budget met by this iteration ends the experiment here: its data is trained on and evaluated, no more is collected.
    const budgetMet = budget()?.metAtIteration != null && patched(BUDGET_PATCH);
    // A deferred evaluation runs now when no rollouts follow (stop, budget, last iteration) or the schedule, changed since, needs it.
    if (state.pendingEvaluation && (budgetMet || !evaluationOverlap(overlapInput(iteration)).overlap)) {
      const pending = state.pendingEvaluation;
      currentChild = `${iterationWorkflowId(input.experimentId, pending.iteration)}.evaluation`;
      const evaluation = await startChild(deferredEvaluationWorkflow, {
        workflowId: currentChild,
        args: [{ runDir: input.runDir, experimentId: input.experimentId, iteration: pending.iteration, config: { ...config, algorithm: state.algorithm }, studentModel: pending.studentModel, lastCheckpoint: state.lastCheckpoint, observed: [], pendingEvaluation: pending }],
        typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.experiment, value: input.experimentId }],
      });
      if (state.paused) await forwardPause();
      completeEvaluation(await evaluation.result());
      currentChild = null;
      state.pendingEvaluation = null;
      const evaluated = state.results[state.results.length - 1];
      upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.success, value: evaluated.evalSuccessRate ?? evaluated.successRate }]);
      upsertMemo({ lastIteration: evaluated, iterations: state.results.map(memoRow) });
    }
    if (state.nextIteration <= config.iterations && !state.stopRequested && !budgetMet) {
      await writeReport(input.runDir); // the final report follows the summary below
      await condition(allHandlersFinished); // signals that arrived meanwhile change the state before it is carried over
      return await continueAsNew<typeof experimentWorkflow>({ ...input, state });
    }
  }
  finished = true;
  const summary = await activities.writeRunSummary({ runDir: input.runDir, experimentId: input.experimentId, results: state.results });
  await writeReport(input.runDir);
  return {
    experimentId: input.experimentId,
    runDir: input.runDir,
    results: state.results,
    stoppedEarly: state.nextIteration <= config.iterations,
    budget: budget(),
    summary,
  };
}

/** Rewrite the experiment's report (report/index.html, JSON, CSV); the Web UI's memo names it. */
async function writeReport(runDir: string): Promise<void> {
  const written = await activities.writeExperimentReport({ runDir });
  if (written.report) upsertMemo({ report: written.report });
}

/** A schedule's arithmetic shown as written (0.2, not 0.19999999999999996). */
function rounded(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** A finished iteration in the memo, in a few fields (the memo has a size limit; status and the report have the rest). */
function memoRow(r: IterationSummary) {
  return { iteration: r.iteration, mixing: r.mixing, episodes: r.episodes, resolved: r.resolved, evalSuccess: r.evalSuccessRate, trainLoss: r.trainLoss };
}

/** What an adaptive schedule sees of a finished iteration. */
function observation(r: IterationSummary): IterationObservation {
  return { agreement: r.agreement, success: r.evalSuccessRate ?? r.successRate };
}
