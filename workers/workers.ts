/**
 * The workers. Each role polls its own task queue, so each can run on another machine:
 * - orchestrator: the workflows (queue "orchestrate");
 * - rollout: policy calls, episode bookkeeping, aggregation (queue "rollout") and the sandbox activities of
 *   this Docker host (queue "rollout@<hostId>", where an episode's commands reach its container);
 * - train: the train step and the student deploy (queue "train").
 * Running more workers of a role on more machines is how the system scales: Temporal spreads the tasks.
 */
import * as os from 'node:os';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createHostActivities, createRolloutActivities, createTrainQueueActivities } from '../activities';
import type { EnvironmentProvider } from '../activities/environment';
import type { TaskSource } from '../activities/dataset';
import { hostQueue, TASK_QUEUES } from '../workflows/task-queues';
import { startContainerSweeps } from './container-sweep';

export type WorkerRole = 'orchestrator' | 'rollout' | 'train';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  roles: WorkerRole[];
  /** Names this machine's Docker host; a restarted worker with the same id picks up the same sandboxes. */
  hostId?: string;
  /** Environments and tasks, for the rollout role. */
  provider?: EnvironmentProvider & TaskSource;
  /** A pre-built workflow bundle (tests restart workers often; bundling takes seconds). */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Activities at once on each of this host's rollout queues (default ROLLOUT_CONCURRENCY). */
  rolloutConcurrency?: number;
}

/**
 * Policy calls and sandbox steps mostly wait (on a model, on a command), so a rollout worker runs many at once: an
 * episode has at most two in flight, and fewer slots than that per episode would make episodes queue for a slot
 * while the CPU idles (64 episodes at once need 64–128).
 */
export const ROLLOUT_CONCURRENCY = 256;

export interface RunningWorkers {
  workers: Worker[];
  /** Resolves when every worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let logsQuieted = false;

/** Keep the SDK's own logging to errors, so progress output stays readable. */
export function quietSdkLogs(): void {
  if (logsQuieted) return;
  logsQuieted = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietBundlerLogger });
}

export async function startWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const { connection, namespace } = options;
  const hostId = options.hostId ?? os.hostname();
  const workers: Worker[] = [];
  // Leaked containers on this Docker host (a killed worker's, finished episodes') go at start-up and periodically.
  const sweeps = options.roles.includes('rollout') ? startContainerSweeps(connection, namespace) : undefined;
  if (options.roles.includes('orchestrator')) {
    const bundle = options.workflowBundle ?? (await bundleWorkflows());
    workers.push(await Worker.create({ connection, namespace, taskQueue: TASK_QUEUES.orchestrate, workflowBundle: bundle }));
  }
  if (options.roles.includes('rollout')) {
    if (!options.provider) throw new Error('the rollout role needs an environment provider');
    const queue = hostQueue(hostId);
    const concurrency = options.rolloutConcurrency ?? ROLLOUT_CONCURRENCY;
    workers.push(
      await Worker.create({
        connection,
        namespace,
        taskQueue: TASK_QUEUES.rollout,
        activities: createRolloutActivities(options.provider, queue),
        maxConcurrentActivityTaskExecutions: concurrency,
      }),
      await Worker.create({
        connection,
        namespace,
        taskQueue: queue,
        activities: createHostActivities(options.provider, queue),
        maxConcurrentActivityTaskExecutions: concurrency,
      }),
    );
  }
  if (options.roles.includes('train')) {
    workers.push(
      await Worker.create({
        connection,
        namespace,
        taskQueue: TASK_QUEUES.train,
        activities: createTrainQueueActivities(),
        maxConcurrentActivityTaskExecutions: 1,
      }),
    );
  }
  const done = Promise.all(workers.map((w) => w.run())).then(() => sweeps?.stop());
  return {
    workers,
    done,
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
