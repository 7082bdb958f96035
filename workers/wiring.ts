/**
 * What a rollout worker acts on: the task sets (loaded once per file) and their environments, over this
 * host's Docker engine.
 */
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { EnvironmentProvider } from '../activities/environment';
import type { TaskSource } from '../activities/dataset';
import type { EnvironmentSpec } from '../activities/types';
import { DockerSandboxes } from '../env/sandbox/docker';
import { checkImages, dockerImageProbe, loadTaskSet } from '../env/swe/instances';
import { SweEnvironment } from '../env/swe/environment';
import type { Environment, TaskInstance, TaskSet } from '../env/types';

export interface Provider extends EnvironmentProvider, TaskSource {
  /** Remove the warm pool's unused containers and close the command channels (episodes' sandboxes stay: they outlive workers). */
  close(): Promise<void>;
}

/** Started sandboxes kept ready per sandbox spec, so that acquiring one is off an episode's critical path. */
export const DEFAULT_WARM_POOL = 2;

/**
 * `warmPool`: sandboxes kept ready per spec (the episode's, and the verifier's fresh one). Size it to the episodes
 * running at once: a pool smaller than that makes most episodes wait for a container create + start.
 */
export function createProvider(options: { warmPool?: number; sandboxes?: DockerSandboxes } = {}): Provider {
  const sandboxes = options.sandboxes ?? new DockerSandboxes({ pool: { size: options.warmPool ?? DEFAULT_WARM_POOL } });
  const taskSets = new Map<string, { set: TaskSet; byId: Map<string, TaskInstance> }>();
  const environments = new Map<string, Environment>();
  const load = (suite: string) => {
    let entry = taskSets.get(suite);
    if (!entry) {
      const set = loadTaskSet(suite);
      entry = { set, byId: new Map(set.instances.map((i) => [i.instance_id, i])) };
      taskSets.set(suite, entry);
    }
    return entry;
  };
  return {
    close: () => sandboxes.close(),
    taskIds: (suite) => load(suite).set.instances.map((i) => i.instance_id),
    async checkImages(suite, ids) {
      const { byId } = load(suite);
      const instances = ids.map((id) => byId.get(id)).filter((i) => i !== undefined);
      await checkImages(suite, instances, dockerImageProbe(sandboxes.docker)).catch((err: Error) => {
        throw ApplicationFailure.nonRetryable(err.message, 'MissingImage');
      });
    },
    task(suite, taskId) {
      const task = load(suite).byId.get(taskId);
      if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} is not in ${suite}`, 'UnknownTask');
      return task;
    },
    environment(spec: EnvironmentSpec) {
      const key = JSON.stringify(spec);
      let env = environments.get(key);
      if (!env) {
        env = new SweEnvironment(sandboxes, path.dirname(spec.suite), spec.sandbox, { maxObservationChars: spec.maxObservationChars, prompt: spec.prompt, rejectTampering: spec.rejectTampering });
        environments.set(key, env);
      }
      return env;
    },
  };
}
