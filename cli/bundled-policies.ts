/**
 * Serves the config's bundled policies (the oracle teacher, the noisy student) on local ports over the
 * OpenAI protocol, and resolves the config so that both policies are endpoints: the workflows only ever
 * see endpoints, bundled or not.
 */
import { loadTaskSet } from '../env/swe/instances';
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

export async function startBundledPolicies(
  config: ExperimentConfig,
  options: { faults?: Partial<Record<'teacher' | 'student', FaultOptions>>; anyPort?: boolean } = {},
): Promise<BundledPolicies> {
  const servers: BundledPolicies['servers'] = {};
  const resolve = async (role: 'teacher' | 'student', policy: PolicyConfig) => {
    if (policy.kind === 'endpoint') return policy;
    const tasks = loadTaskSet(config.tasks.suite).instances;
    const server = await startPolicyServer({
      policy: policy.name === 'oracle' ? oraclePolicy(tasks) : noisyPolicy(tasks, { p: policy.noise }),
      name: policy.name,
      port: options.anyPort ? 0 : (policy.port ?? DEFAULT_PORTS[role]),
      faults: options.faults?.[role],
    }).catch((err: Error) => {
      throw new Error(`cannot serve the bundled ${role} (${policy.name}) on port ${policy.port ?? DEFAULT_PORTS[role]}: ${err.message}`);
    });
    servers[role] = server;
    const { kind: _kind, name, noise: _noise, port: _port, ...sampling } = policy;
    return { kind: 'endpoint' as const, baseUrl: server.url, model: name, ...sampling };
  };
  try {
    const teacher = await resolve('teacher', config.teacher);
    const student = await resolve('student', config.student);
    return {
      resolved: { ...config, teacher, student },
      bundled: (['teacher', 'student'] as const).filter((r) => servers[r]),
      servers,
      close: () => closeAll(servers),
    };
  } catch (err) {
    await closeAll(servers);
    throw err;
  }
}

async function closeAll(servers: BundledPolicies['servers']): Promise<void> {
  await Promise.all(Object.values(servers).map((s) => s?.close()));
}
