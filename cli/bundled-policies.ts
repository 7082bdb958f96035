/**
 * Serves the config's local policies on local ports over the OpenAI protocol — bundled ones (the oracle
 * teacher, the noisy student) and local model directories (the bundled model server) — and resolves the
 * config so that both policies are endpoints: the workflows only ever see endpoints.
 */
import * as path from 'node:path';
import { loadTaskSet } from '../env/swe/instances';
import type { TaskInstance } from '../env/types';
import { portOpen } from './embedded-server';
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

/**
 * The port a served policy listens on: `ports` (where a resumed experiment's workflow calls it), else the config's,
 * else the default when free. Another run of the checkout may hold the default: then any free port (the resolved
 * config, recorded in the run's config.json and the workflow input, names it).
 */
async function choosePort(
  role: 'teacher' | 'student',
  policy: { port?: number },
  options: { anyPort?: boolean; ports?: Partial<Record<'teacher' | 'student', number>> },
): Promise<{ port: number; fixed: boolean }> {
  if (options.anyPort) return { port: 0, fixed: false };
  const fixed = options.ports?.[role] ?? policy.port;
  if (fixed !== undefined) return { port: fixed, fixed: true };
  return { port: (await portOpen(DEFAULT_PORTS[role])) ? 0 : DEFAULT_PORTS[role], fixed: false };
}

/** Serve on `port`; a default port taken in the meantime (another run starting at the same moment) gives way to any free one. */
async function serveWithFallback<T>(choice: { port: number; fixed: boolean }, serve: (port: number) => Promise<T>): Promise<T> {
  try {
    return await serve(choice.port);
  } catch (err) {
    if (choice.fixed || choice.port === 0 || !/EADDRINUSE|already in use/i.test((err as Error).message)) throw err;
    return serve(0);
  }
}

export async function startBundledPolicies(
  config: ExperimentConfig,
  options: {
    faults?: Partial<Record<'teacher' | 'student', FaultOptions>>;
    anyPort?: boolean;
    /** Ports to serve on (a resumed experiment's recorded ones), overriding the config. */
    ports?: Partial<Record<'teacher' | 'student', number>>;
  } = {},
): Promise<BundledPolicies> {
  const servers: BundledPolicies['servers'] = {};
  const closers: (() => Promise<void>)[] = [];
  const served: ('teacher' | 'student')[] = [];
  const closeAll = async () => void (await Promise.all(closers.map((c) => c())));
  const resolve = async (role: 'teacher' | 'student', policy: PolicyConfig) => {
    if (policy.kind === 'endpoint') return policy;
    const choice = await choosePort(role, policy, options);
    let url: string;
    let model: string;
    if (policy.kind === 'local') {
      model = role;
      const server = await serveWithFallback(choice, (port) =>
        serveLocalModel({ modelDir: policy.model, name: model, port, init: policy.init, tiny: policy.tiny, corpus: path.dirname(config.tasks.suite) }),
      );
      closers.push(() => server.close());
      url = server.url;
    } else {
      const tasks = bundledPolicyTasks(config);
      model = policy.name;
      const server = await serveWithFallback(choice, (port) =>
        startPolicyServer({
          policy: policy.name === 'oracle' ? oraclePolicy(tasks) : noisyPolicy(tasks, { p: policy.noise }),
          name: policy.name,
          port,
          faults: options.faults?.[role],
        }).catch((err: Error) => {
          throw new Error(`cannot serve the bundled ${role} (${policy.name}) on port ${port}: ${err.message}`);
        }),
      );
      servers[role] = server;
      closers.push(() => server.close());
      url = server.url;
    }
    served.push(role);
    const { temperature, topP, maxTokens, timeoutS, toolFormat } = policy;
    // A local teacher's tokenizer mark goes with it: the workflow checks OPD's teacher again.
    const shares = policy.kind === 'local' && policy.sharesStudentTokenizer !== undefined ? { sharesStudentTokenizer: policy.sharesStudentTokenizer } : {};
    return { kind: 'endpoint' as const, baseUrl: url, model, temperature, topP, maxTokens, timeoutS, toolFormat, ...shares };
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
