/**
 * One episode: the paper's Algorithm 1.
 *
 * At every visited state h_t the teacher is asked for its label a*_t (one call, which is also the executed
 * action when z_t = 1); when z_t = 0 the student samples a_t. The executed action runs in the sandbox, its
 * record is stored, and the history continues with it. The episode ends at `finish`, at T_max, when the
 * context no longer fits, or after too many consecutive malformed actions; then it is verified. The
 * sandbox is always destroyed.
 */
import { ActivityFailure, CancellationScope, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { EndpointPolicy } from '../config/schema';
import { teacherExecutes, type Mixing } from '../core/mixing';
import { requestSeed } from '../core/random';
import type { EndReason, Executor } from '../core/types';
import { TASK_QUEUES } from './task-queues';
import type { ActInput, EnvironmentSpec, EpisodeSummary, HostActivities, RolloutActivities } from '../activities';

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
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

export async function episodeWorkflow(input: EpisodeInput): Promise<EpisodeSummary> {
  const policyTimeoutS = Math.max(input.teacher?.policy.timeoutS ?? 0, input.student.policy.timeoutS);
  const policies = proxyActivities<RolloutActivities>({
    taskQueue: TASK_QUEUES.rollout,
    startToCloseTimeout: `${policyTimeoutS + 10}s`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    // Flaky endpoints are retried for as long as it takes (visible as attempts in the Web UI);
    // rejections that retrying cannot fix are non-retryable failures raised by the activity.
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2 minutes' },
  });

  let endReason: EndReason = 'max_turns';
  let started = false;
  let host: HostActivities | null = null;
  try {
    const { hostQueue } = await rollout.startEpisode({ ...ref(input), experimentId: input.experimentId, iteration: input.iteration, taskId: input.taskId, env: input.env });
    started = true;
    const retry: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 };
    const heartbeatTimeout = HEARTBEAT_TIMEOUT;
    host = proxyActivities<HostActivities>({ taskQueue: hostQueue, startToCloseTimeout: `${input.env.sandbox.commandTimeoutS + 30}s`, heartbeatTimeout, retry });
    const verifier = proxyActivities<HostActivities>({ taskQueue: hostQueue, startToCloseTimeout: '30 minutes', heartbeatTimeout, retry });
    let formatErrors = 0;
    for (let t = 0; t < input.maxTurns; t++) {
      const executor: Executor = input.teacher && teacherExecutes(input.mixing, key(input), t) ? 'teacher' : 'student';
      const seed = requestSeed([input.seed, input.iteration, input.drawKey, t]);
      if (input.teacher) {
        const label = await policies.teacherAct(actInput(input, t, 'teacher', input.teacher, seed));
        if (label.contextExceeded) {
          endReason = 'context';
          break;
        }
      }
      if (executor === 'student' || input.studentProposals) {
        const proposal = await policies.studentAct(actInput(input, t, 'student', input.student, seed));
        if (executor === 'student' && proposal.contextExceeded) {
          endReason = 'context';
          break;
        }
      }
      const step = await host.envStep({ ...ref(input), turn: t, executor, mixing: input.mixing, env: input.env });
      if (step.finished) {
        endReason = 'finish';
        break;
      }
      formatErrors = step.formatError ? formatErrors + 1 : 0;
      if (formatErrors >= input.maxConsecutiveFormatErrors) {
        endReason = 'format_errors';
        break;
      }
    }
    await verifier.verifyEpisode({ ...ref(input), env: input.env });
  } catch (err) {
    // An activity that failed for good (e.g. an endpoint rejecting every request) ends this episode only;
    // what it collected stays in the store and the iteration goes on.
    if (!(err instanceof ActivityFailure)) throw err;
    endReason = 'error';
  } finally {
    if (started && host) {
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
