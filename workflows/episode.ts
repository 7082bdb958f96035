/**
 * One episode as a workflow: start the sandbox, run the episode loop (Algorithm 1, core/episode-loop.ts)
 * with activities as its label, propose and step functions, verify, and always destroy the sandbox.
 * Every call's result is written to the run store by the activity, so a replayed or retried turn returns
 * what was already recorded instead of calling a model or executing a command twice.
 *
 * The sandbox lives on one Docker host. When that host is lost (its queue has no worker: Temporal's
 * schedule-to-start or heartbeat timeout), the episode moves: a sandbox on another host gets the workspace of the
 * last snapshotted turn (moveEpisode) and the loop goes on there, every record already written kept as it is.
 */
import { ActivityFailure, CancellationScope, patched, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import type { EndpointPolicy } from '../config/schema';
import { runEpisodeLoop } from '../core/episode-loop';
import { teacherExecutes, type Mixing } from '../core/mixing';
import { requestSeed } from '../core/random';
import type { EpisodeSummary } from '../core/records';
import type { EndReason } from '../core/types';
import { RETRY } from './retry-policies';
import { TASK_QUEUES } from './task-queues';
import type { ActInput, EnvironmentSpec, HostActivities, RolloutActivities } from '../activities';
import { HOST_LOSS_DEFAULTS } from '../core/host-loss';
import type { Duration } from '@temporalio/common';

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

/** An episode moves to another host at most this many times. */
const MAX_PLACEMENTS = 3;
/** Moving an episode off a lost host issues commands the histories before it never had. */
const HOST_LOSS_PATCH = 'episode-moves-off-a-lost-host';

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
  let host: { activities: HostActivities; placement: number } | null = null;
  try {
    let placement = 0;
    let { hostQueue } = await rollout.startEpisode({ ...ref(input), experimentId: input.experimentId, iteration: input.iteration, taskId: input.taskId, env: input.env });
    for (;;) {
      const onHost = hostActivities(input, hostQueue, `${input.env.sandbox.commandTimeoutS + 30}s`);
      const verifier = hostActivities(input, hostQueue, '30 minutes');
      host = { activities: onHost, placement };
      // Placement 0 is left out of the inputs: they stay as they were before episodes could move.
      const at = placement === 0 ? {} : { placement };
      try {
        const teacher = input.teacher;
        const seedAt = (t: number) => requestSeed([input.seed, input.iteration, input.drawKey, t]);
        // After a move the loop starts again from turn 0: every stored turn returns its record without calling a
        // model, and the new sandbox executes only the turns its restored workspace does not hold.
        endReason = await runEpisodeLoop(
          {
            executor: (t) => (teacher && teacherExecutes(input.mixing, key(input), t) ? 'teacher' : 'student'),
            label: teacher ? (t) => policies.teacherAct(actInput(input, t, 'teacher', teacher, seedAt(t))) : undefined,
            propose: (t) => policies.studentAct(actInput(input, t, 'student', input.student, seedAt(t))),
            studentProposals: input.studentProposals,
            step: (t, executor) => onHost.envStep({ ...ref(input), ...at, turn: t, executor, mixing: input.mixing, env: input.env }),
          },
          { maxTurns: input.maxTurns, maxConsecutiveFormatErrors: input.maxConsecutiveFormatErrors },
        );
        await verifier.verifyEpisode({ ...ref(input), ...at, env: input.env });
        break;
      } catch (err) {
        if (!hostLost(err) || placement >= MAX_PLACEMENTS || !patched(HOST_LOSS_PATCH)) throw err;
        // The host's sandbox is abandoned, not destroyed: its queue has no worker. The host's own container sweep
        // removes it if the host comes back (the episode will be closed by then, or still running elsewhere).
        placement++;
        ({ hostQueue } = await rollout.moveEpisode({ ...ref(input), placement, lostHostQueue: hostQueue, env: input.env }));
      }
    }
  } catch (err) {
    // An activity that failed for good (e.g. an endpoint rejecting every request) ends this episode only;
    // what it collected stays in the store and the iteration goes on.
    if (!(err instanceof ActivityFailure)) throw err;
    endReason = 'error';
  } finally {
    if (host) {
      const destroy = host.activities.destroySandbox;
      const at = host.placement === 0 ? {} : { placement: host.placement };
      await CancellationScope.nonCancellable(() => destroy({ ...ref(input), ...at, env: input.env })).catch((err: unknown) => {
        // A host lost at the very end: its sandbox is left to that host's container sweep.
        if (!(err instanceof ActivityFailure && err.cause instanceof TimeoutFailure && err.cause.timeoutType === 'SCHEDULE_TO_START')) throw err;
      });
    }
  }
  return await rollout.finishEpisode({ ...ref(input), taskId: input.taskId, endReason });
}

/** The activities of the host that holds the episode's sandbox; a host without a worker is noticed as lost. */
function hostActivities(input: EpisodeInput, hostQueue: string, startToCloseTimeout: Duration): HostActivities {
  return proxyActivities<HostActivities>({
    taskQueue: hostQueue,
    startToCloseTimeout,
    // Schedule-to-start is timed per attempt and never retried (a retry would wait in the same queue): after a
    // worker died mid-step, the heartbeat timeout ends that attempt and this one ends the wait for the next.
    scheduleToStartTimeout: `${input.env.sandbox.hostLossTimeoutS ?? HOST_LOSS_DEFAULTS.hostLossTimeoutS}s`,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: RETRY.activity,
  });
}

/**
 * A sandbox activity's host is lost, as Temporal reports it: no worker took the task from the host's queue in time
 * (schedule-to-start), or the worker stopped heartbeating and the retries ran out (heartbeat).
 */
function hostLost(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    (err.activityType === 'envStep' || err.activityType === 'verifyEpisode') &&
    err.cause instanceof TimeoutFailure &&
    (err.cause.timeoutType === 'SCHEDULE_TO_START' || err.cause.timeoutType === 'HEARTBEAT')
  );
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
