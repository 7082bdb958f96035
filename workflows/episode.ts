/**
 * One episode as a workflow: start the sandbox, run the episode loop (Algorithm 1, core/episode-loop.ts)
 * with activities as its label, propose and step functions, verify, and always destroy the sandbox.
 * Every call's result is written to the run store by the activity, so a replayed or retried turn returns
 * what was already recorded instead of calling a model or executing a command twice.
 */
import { ActivityFailure, CancellationScope, proxyActivities } from '@temporalio/workflow';
import type { EndpointPolicy } from '../config/schema';
import { runEpisodeLoop } from '../core/episode-loop';
import { teacherExecutes, type Mixing } from '../core/mixing';
import { requestSeed } from '../core/random';
import type { EpisodeSummary } from '../core/records';
import type { EndReason } from '../core/types';
import { RETRY } from './retry-policies';
import { TASK_QUEUES } from './task-queues';
import type { ActInput, EnvironmentSpec, HostActivities, RolloutActivities } from '../activities';

export interface PolicyRef {
  policy: EndpointPolicy;
  /** The model name to request (for the student: the deployed checkpoint). */
  model: string;
  /** Overrides the policy's temperature (evaluation decodes greedily). */
  temperature?: number;
}

export interface EpisodeInput {
  runDir: string;
  experimentId: string;
  iteration: number;
  episodeId: string;
  /**
   * Names the episode in its random draws (z_t, k, sampling seeds) within the experiment's seed and the
   * iteration: the episode's index, so two experiments with the same seed make the same draws.
   */
  drawKey: string;
  taskId: string;
  seed: number;
  mixing: Mixing;
  /** The teacher, or null for episodes without labels (evaluation: the student alone). */
  teacher: PolicyRef | null;
  student: PolicyRef;
  /** Also sample the student where the teacher executes (agreement diagnostics). */
  studentProposals: boolean;
  env: EnvironmentSpec;
  maxTurns: number;
  maxConsecutiveFormatErrors: number;
}

/** Activities heartbeat while they run (activities/liveness.ts): a dead worker is noticed this fast. */
const HEARTBEAT_TIMEOUT = '20s';

const rollout = proxyActivities<RolloutActivities>({
  taskQueue: TASK_QUEUES.rollout,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: RETRY.activity,
});

export async function episodeWorkflow(input: EpisodeInput): Promise<EpisodeSummary> {
  const policyTimeoutS = Math.max(input.teacher?.policy.timeoutS ?? 0, input.student.policy.timeoutS);
  const policies = proxyActivities<RolloutActivities>({
    taskQueue: TASK_QUEUES.rollout,
    startToCloseTimeout: `${policyTimeoutS + 10}s`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: RETRY.endpoint,
  });

  let endReason: EndReason = 'error';
  let host: HostActivities | null = null;
  try {
    const { hostQueue } = await rollout.startEpisode({ ...ref(input), experimentId: input.experimentId, iteration: input.iteration, taskId: input.taskId, env: input.env });
    const heartbeatTimeout = HEARTBEAT_TIMEOUT;
    const onHost = (host = proxyActivities<HostActivities>({ taskQueue: hostQueue, startToCloseTimeout: `${input.env.sandbox.commandTimeoutS + 30}s`, heartbeatTimeout, retry: RETRY.activity }));
    const verifier = proxyActivities<HostActivities>({ taskQueue: hostQueue, startToCloseTimeout: '30 minutes', heartbeatTimeout, retry: RETRY.activity });
    const teacher = input.teacher;
    const seedAt = (t: number) => requestSeed([input.seed, input.iteration, input.drawKey, t]);
    endReason = await runEpisodeLoop(
      {
        executor: (t) => (teacher && teacherExecutes(input.mixing, key(input), t) ? 'teacher' : 'student'),
        label: teacher ? (t) => policies.teacherAct(actInput(input, t, 'teacher', teacher, seedAt(t))) : undefined,
        propose: (t) => policies.studentAct(actInput(input, t, 'student', input.student, seedAt(t))),
        studentProposals: input.studentProposals,
        step: (t, executor) => onHost.envStep({ ...ref(input), turn: t, executor, mixing: input.mixing, env: input.env }),
      },
      { maxTurns: input.maxTurns, maxConsecutiveFormatErrors: input.maxConsecutiveFormatErrors },
    );
    await verifier.verifyEpisode({ ...ref(input), env: input.env });
  } catch (err) {
    // An activity that failed for good (e.g. an endpoint rejecting every request) ends this episode only;
    // what it collected stays in the store and the iteration goes on.
    if (!(err instanceof ActivityFailure)) throw err;
    endReason = 'error';
  } finally {
    if (host) {
      const destroy = host.destroySandbox;
      await CancellationScope.nonCancellable(() => destroy({ ...ref(input), env: input.env }));
    }
  }
  return await rollout.finishEpisode({ ...ref(input), taskId: input.taskId, endReason });
}

function ref(input: EpisodeInput) {
  return { runDir: input.runDir, episodeId: input.episodeId };
}

function key(input: EpisodeInput) {
  return { seed: input.seed, iteration: input.iteration, episode: input.drawKey };
}

function actInput(input: EpisodeInput, turn: number, role: 'teacher' | 'student', policy: PolicyRef, seed: number): ActInput {
  return { ...ref(input), turn, role, policy: policy.policy, model: policy.model, seed, temperature: policy.temperature };
}
