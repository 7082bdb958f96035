/**
 * What the orchestration benchmarks share: a Temporal dev server with the workers of one host in this process, the
 * bundled SWE suite, episode inputs, CPU time read from /proc, and an episode's cost read back from its history.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tsToMs } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { EnvironmentSpec } from '../activities';
import { connectClient } from '../cli/experiments';
import { parseConfig } from '../config/load';
import type { EndpointPolicy } from '../config/schema';
import { PROJECT_ROOT } from '../config/paths';
import { DockerSandboxes } from '../env/sandbox/docker';
import { startEmbeddedServer, type EmbeddedServer } from '../cli/embedded-server';
import { freePort } from '../test/support/temporal';
import { createProvider, type Provider } from '../workers/wiring';
import { bundleWorkflows, quietSdkLogs, startWorkers, type RunningWorkers } from '../workers/workers';
import type { EpisodeInput } from '../workflows/episode';

export const HOST_ID = 'bench';
export const SUITE = path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl');

export interface BenchStack {
  server: EmbeddedServer;
  client: Client;
  workers: RunningWorkers;
  provider: Provider;
  sandboxes: DockerSandboxes;
  env: EnvironmentSpec;
  /** The teacher endpoint of the bench config, to point at a policy server. */
  endpoint: EndpointPolicy;
  close(): Promise<void>;
}

export async function startBenchStack(options: { warmPool: number; sqlitePragmas?: string[] }): Promise<BenchStack> {
  quietSdkLogs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-bench-server-'));
  const server = await startEmbeddedServer({ dbFile: path.join(dir, 'temporal.db'), port: await freePort(), uiPort: await freePort(), sqlitePragmas: options.sqlitePragmas });
  const connection = await NativeConnection.connect({ address: server.address });
  const sandboxes = new DockerSandboxes({ pool: { size: options.warmPool } });
  const provider = createProvider({ sandboxes });
  const workers = await startWorkers({
    connection,
    namespace: 'default',
    roles: ['orchestrator', 'rollout'],
    hostId: HOST_ID,
    provider,
    workflowBundle: await bundleWorkflows(),
  });
  const client = await connectClient(server.address, 'default');
  const config = parseConfig({
    name: 'bench',
    algorithm: { kind: 'dagger' },
    teacher: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:1/v1', model: 'oracle', temperature: 0 },
    student: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:1/v1', model: 'oracle' },
    tasks: { suite: SUITE },
  });
  const env: EnvironmentSpec = { kind: 'swe', suite: SUITE, sandbox: config.rollout.sandbox, maxObservationChars: config.rollout.maxObservationChars };
  return {
    server,
    client,
    workers,
    provider,
    sandboxes,
    env,
    endpoint: config.teacher as EndpointPolicy,
    async close() {
      await workers.shutdown();
      await provider.close();
      await connection.close();
      await client.connection.close();
      await server.stop();
    },
  };
}

/** A teacher-only episode (β = 1): every turn is one teacher call and one sandbox step. */
export function episodeInput(o: { runDir: string; episodeId: string; taskId: string; env: EnvironmentSpec; endpoint: EndpointPolicy; maxTurns?: number }): EpisodeInput {
  return {
    runDir: o.runDir,
    experimentId: 'bench',
    iteration: 1,
    episodeId: o.episodeId,
    drawKey: 'e0',
    taskId: o.taskId,
    seed: 0,
    mixing: { kind: 'dagger', beta: 1 },
    teacher: { policy: o.endpoint, model: 'oracle' },
    student: { policy: o.endpoint, model: 'oracle' },
    studentProposals: false,
    env: o.env,
    maxTurns: o.maxTurns ?? 60,
    maxConsecutiveFormatErrors: 3,
  };
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat, fields 14 and 15). */
export function processCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(', ');
}

/** Where an episode's time went, from its workflow history (sums over the episode, milliseconds). */
export interface HistoryBreakdown {
  workflowTasks: number;
  /** Workflow task scheduled → started (waiting for the workflow worker) and started → completed (running it). */
  workflowTaskQueueMs: number;
  workflowTaskRunMs: number;
  /** Activity scheduled → started (dispatch to an activity worker), per activity type. */
  activities: Record<string, { count: number; dispatchMs: number; runMs: number }>;
}

const E = temporal.api.enums.v1.EventType;

export async function historyBreakdown(client: Client, workflowId: string): Promise<HistoryBreakdown> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const at = new Map(events.map((e) => [Number(e.eventId), e]));
  const time = (id: unknown) => tsToMs(at.get(Number(id))!.eventTime);
  const out: HistoryBreakdown = { workflowTasks: 0, workflowTaskQueueMs: 0, workflowTaskRunMs: 0, activities: {} };
  for (const e of events) {
    if (e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      const a = e.workflowTaskCompletedEventAttributes!;
      out.workflowTasks++;
      out.workflowTaskQueueMs += time(a.startedEventId) - time(a.scheduledEventId);
      out.workflowTaskRunMs += tsToMs(e.eventTime) - time(a.startedEventId);
    }
    if (e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const a = e.activityTaskCompletedEventAttributes!;
      const type = at.get(Number(a.scheduledEventId))!.activityTaskScheduledEventAttributes!.activityType!.name!;
      const row = (out.activities[type] ??= { count: 0, dispatchMs: 0, runMs: 0 });
      row.count++;
      row.dispatchMs += time(a.startedEventId) - time(a.scheduledEventId);
      row.runMs += tsToMs(e.eventTime) - time(a.startedEventId);
    }
  }
  return out;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
