/**
 * All activities, built from the worker's wiring. Workflows import only the *type* of this module.
 */
import { whileAlive } from './liveness';
import { act } from './policy';
import { scoreTokens } from './scores';
import { createDatasetActivities, type TaskSource } from './dataset';
import { createEnvironmentActivities, type EnvironmentProvider } from './environment';
import { createTrainActivities } from './train';
import { createReportActivities } from './report';

/** Activities any rollout worker can run (shared "rollout" queue). */
export function createRolloutActivities(provider: EnvironmentProvider & TaskSource, hostQueue: string) {
  const env = createEnvironmentActivities(provider, hostQueue);
  const data = createDatasetActivities(provider);
  const report = createReportActivities();
  return {
    teacherAct: alive(act),
    studentAct: alive(act),
    scoreTokens: alive(scoreTokens),
    startEpisode: alive(env.startEpisode),
    moveEpisode: alive(env.moveEpisode),
    finishEpisode: env.finishEpisode,
    listTasks: data.listTasks,
    aggregate: data.aggregate,
    recordMetrics: data.recordMetrics,
    writeRunSummary: data.writeRunSummary,
    writeHarnessReport: data.writeHarnessReport,
    writeExperimentReport: report.writeExperimentReport,
    writeSweepReport: report.writeSweepReport,
  };
}

/** Activities that must run on the Docker host holding the episode's sandbox (queue "rollout@<host>"). */
export function createHostActivities(provider: EnvironmentProvider, hostQueue: string) {
  const env = createEnvironmentActivities(provider, hostQueue);
  return {
    envStep: alive(env.envStep),
    verifyEpisode: alive(env.verifyEpisode),
    destroySandbox: env.destroySandbox,
  };
}

/** The activity, heartbeating while it runs (see liveness.ts). */
function alive<I, O>(fn: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return (input) => whileAlive(() => fn(input));
}

/** Activities of the train queue. */
export const createTrainQueueActivities = createTrainActivities;

export type RolloutActivities = ReturnType<typeof createRolloutActivities>;
export type HostActivities = ReturnType<typeof createHostActivities>;
export type TrainActivities = ReturnType<typeof createTrainActivities>;
export type { ActInput, ActSummary, RecordingPolicy } from './policy';
export type { ScoreInput, ScoreSummary } from './scores';
export type { StepSummary } from './environment';
export type { EnvironmentSpec } from './types';
