/**
 * Serves the config's local policies on local ports over the OpenAI protocol — bundled ones (the oracle
 * teacher, the noisy student) and local model directories (the bundled model server) — and resolves the
 * config so that both policies are endpoints: the workflows only ever see endpoints.
 */
import * as path from 'node:path';
import { loadTaskSet } from '../env/swe/instances';
import type { TaskInstance } from '../env/types';
import { serveLocalModel } from './local-model';
import type { ExperimentConfig, PolicyConfig } from '../config/schema';
import { noisyPolicy } from '../policies/noisy';
import { oraclePolicy } from '../policies/oracle';
import { startPolicyServer, type FaultOptions, type PolicyServer } from '../policies/server';
import type { ResolvedConfig } from '../workflows/iteration';

const DEFAULT_PORTS = { teacher: 8401, student: 8402 } as const;

export interface BundledPolicies {
  resolved: ResolvedConfig;
  bundled: ('teacher' | 'student')[];
  servers: Partial<Record<'teacher' | 'student', PolicyServer>>;
  close(): Promise<void>;
}

/**
 * The tasks a bundled policy knows the answers of: those of `tasks.suite` and, when set, of `evaluation.suite`
 * (the teacher ceiling runs the teacher on it). An id in both is taken from `tasks.suite`.
 */
export function bundledPolicyTasks(config: Pick<ExperimentConfig, 'tasks' | 'evaluation'>): TaskInstance[] {
  const tasks = loadTaskSet(config.tasks.suite).instances;
  const evalSuite = config.evaluation.suite;
  if (evalSuite === undefined || path.resolve(evalSuite) === path.resolve(config.tasks.suite)) return tasks;
  const known = new Set(tasks.map((t) => t.instance_id));
  return [...tasks, ...loadTaskSet(evalSuite).instances.filter((t) => !known.has(t.instance_id))];
}

export async function startBundledPolicies(
  config: ExperimentConfig,
  options: { faults?: Partial<Record<'teacher' | 'student', FaultOptions>>; anyPort?: boolean } = {},
): Promise<BundledPolicies> {
  const servers: BundledPolicies['servers'] = {};
  const closers: (() => Promise<void>)[] = [];
  const served: ('teacher' | 'student')[] = [];
  const closeAll = async () => void (await Promise.all(closers.map((c) => c())));
  const resolve = async (role: 'teacher' | 'student', policy: PolicyConfig) => {
    if (policy.kind === 'endpoint') return policy;
    const port = options.anyPort ? 0 : (policy.port ?? DEFAULT_PORTS[role]);
    let url: string;
    let model: string;
    if (policy.kind === 'local') {
      model = role;
      const server = await serveLocalModel({ modelDir: policy.model, name: model, port, init: policy.init, tiny: policy.tiny, corpus: path.dirname(config.tasks.suite) });
      closers.push(() => server.close());
      url = server.url;
    } else {
      const tasks = bundledPolicyTasks(config);
      model = policy.name;
      const server = await startPolicyServer({
        policy: policy.name === 'oracle' ? oraclePolicy(tasks) : noisyPolicy(tasks, { p: policy.noise }),
        name: policy.name,
        port,
        faults: options.faults?.[role],
      }).catch((err: Error) => {
        throw new Error(`cannot serve the bundled ${role} (${policy.name}) on port ${port}: ${err.message}`);
      });
      servers[role] = server;
      closers.push(() => server.close());
      url = server.url;
    }
    served.push(role);
    const { temperature, topP, maxTokens, timeoutS, toolFormat } = policy;
    return { kind: 'endpoint' as const, baseUrl: url, model, temperature, topP, maxTokens, timeoutS, toolFormat };
  };
  try {
    const teacher = await resolve('teacher', config.teacher);
    const student = await resolve('student', config.student);
    return {
      resolved: { ...config, teacher, student },
      bundled: served,
      servers,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
