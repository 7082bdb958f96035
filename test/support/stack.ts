/**
 * The whole system for a test: a real Temporal dev server, the bundled policies over HTTP, workers
 * (in-process, or the rollout role as a separate process that a test can SIGKILL), and a client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startBundledPolicies, type BundledPolicies } from '../../cli/bundled-policies';
import { connectClient, newExperimentId, startExperiment, waitForExperiment } from '../../cli/experiments';
import { PROJECT_ROOT } from '../../config/paths';
import { parseConfig } from '../../config/load';
import type { ExperimentConfig } from '../../config/schema';
import type { FaultOptions } from '../../policies/server';
import { loadTaskSet } from '../../env/swe/instances';
import { createProvider } from '../../workers/wiring';
import { bundleWorkflows, quietSdkLogs, startWorkers, type RunningWorkers, type WorkerRole } from '../../workers/workers';
import type { ExperimentResult } from '../../workflows/experiment';
import { startTestServer, type TestServer } from './temporal';

export const SUITE = path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl');

/** Instance ids of the bundled suite, in file order. */
export function suiteIds(): string[] {
  return loadTaskSet(SUITE).instances.map((i) => i.instance_id);
}

/** A small, fast experiment on the bundled suite (validated by the real schema). */
export function testConfig(overrides: Record<string, unknown> = {}): ExperimentConfig {
  return parseConfig({
    name: 'test',
    seed: 7,
    iterations: 1,
    runRoot: mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-runs-')),
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 0.5 } },
    teacher: { kind: 'bundled', name: 'oracle', temperature: 0, timeoutS: 5 },
    student: { kind: 'bundled', name: 'noisy', noise: 0.3, timeoutS: 5 },
    tasks: { suite: SUITE, train: { ids: suiteIds().slice(0, 3) } },
    rollout: { episodesPerIteration: 3, maxTurns: 12, concurrency: 3, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    ...overrides,
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;

/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  quietSdkLogs();
  bundle ??= bundleWorkflows();
  return bundle;
}

export interface Stack {
  server: TestServer;
  config: ExperimentConfig;
  policies: BundledPolicies;
  client: Client;
  workers: RunningWorkers;
  connection: NativeConnection;
  /** Start an experiment on this stack's resolved config; returns its id. */
  start(id?: string): Promise<string>;
  result(id: string): Promise<ExperimentResult>;
  close(): Promise<void>;
}

export const HOST_ID = 'test-host';

export async function startStack(
  config: ExperimentConfig,
  options: { roles?: WorkerRole[]; faults?: FaultOptions; server?: TestServer } = {},
): Promise<Stack> {
  quietSdkLogs();
  const server = options.server ?? (await startTestServer());
  const policies = await startBundledPolicies(config, { anyPort: true, faults: options.faults && { teacher: options.faults, student: options.faults } });
  const connection = await NativeConnection.connect({ address: server.address });
  const provider = createProvider();
  const workers = await startWorkers({
    connection,
    namespace: 'default',
    roles: options.roles ?? ['orchestrator', 'rollout', 'train'],
    hostId: HOST_ID,
    provider,
    workflowBundle: await workflowBundle(),
  });
  const client = await connectClient(server.address, 'default');
  return {
    server,
    config,
    policies,
    client,
    workers,
    connection,
    async start(id = newExperimentId(config.name) + '-' + Math.random().toString(36).slice(2, 6)) {
      await startExperiment(client, policies.resolved, id);
      return id;
    },
    result: (id) => waitForExperiment(client, id),
    async close() {
      await workers.shutdown();
      await provider.close();
      await connection.close();
      await client.connection.close();
      await policies.close();
      await server.stop();
    },
  };
}

/** A rollout worker in its own process (`agent-dagger worker --role rollout`), for kill tests. */
export function spawnRolloutWorker(address: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'cli', 'main.ts'), 'worker', '--role', 'rollout', '--address', address, '--host-id', HOST_ID],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * A dataset's records with what legitimately differs between two runs of the same seed removed:
 * the experiment id, wall-clock durations and latencies, attempt counts, what the requests cost (`calls`:
 * retries and lost answers add requests), and timings printed by tools.
 */
export function canonicalDataset(runDir: string, experimentId: string, iteration = 1): unknown[] {
  const text = readFileSync(path.join(runDir, 'datasets', `iter-${iteration}.jsonl`), 'utf8');
  const scrubbed = text.split(experimentId).join('<experiment>');
  return scrubbed
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l, (key, value) => (VOLATILE.has(key) ? undefined : typeof value === 'string' ? value.replace(/\d+\.\d+s\b/g, '<t>s') : value)));
}

const VOLATILE = new Set(['latencyMs', 'durationMs', 'attempt', 'calls']);
