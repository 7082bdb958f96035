/**
 * Benchmark: what Temporal orchestration costs per turn.
 *
 * Side by side in one process: the same episode (same task, the bundled oracle as teacher with β = 1, the
 * same Docker sandbox, the same run store) run (a) as the episode workflow on a real Temporal dev server,
 * and (b) as a plain in-process loop calling the very same activity functions one after another. Model
 * latency is simulated in the policy server: 0 ms and 200 ms per call. Prints per-turn orchestration
 * overhead and the wall-time ratio.
 *
 *   npm run bench -- [episodes per setting, default 3]
 */
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { createHostActivities, createRolloutActivities, type EnvironmentSpec, type StepSummary } from '../activities';
import { connectClient } from '../cli/experiments';
import { PROJECT_ROOT } from '../config/paths';
import { parseConfig } from '../config/load';
import type { EndpointPolicy } from '../config/schema';
import { requestSeed } from '../core/random';
import { loadTaskSet } from '../env/swe/instances';
import { oraclePolicy } from '../policies/oracle';
import { startPolicyServer } from '../policies/server';
import { startTestServer } from '../test/support/temporal';
import { createProvider } from '../workers/wiring';
import { bundleWorkflows, quietSdkLogs, startWorkers } from '../workers/workers';
import { episodeWorkflow, type EpisodeInput } from '../workflows/episode';
import { hostQueue, TASK_QUEUES } from '../workflows/task-queues';
import type { EndReason } from '../core/types';

const HOST_ID = 'bench';
const SUITE = path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl');

interface Sample {
  wallMs: number;
  turns: number;
}

async function main() {
  const repetitions = Number(process.argv[2] ?? 3);
  quietSdkLogs();
  const tasks = loadTaskSet(SUITE).instances;
  const task = tasks[0];
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-bench-'));
  const server = await startTestServer();
  const connection = await NativeConnection.connect({ address: server.address });
  const provider = createProvider();
  const workers = await startWorkers({ connection, namespace: 'default', roles: ['orchestrator', 'rollout'], hostId: HOST_ID, provider, workflowBundle: await bundleWorkflows() });
  const client = await connectClient(server.address, 'default');
  const rollout = createRolloutActivities(provider, hostQueue(HOST_ID));
  const host = createHostActivities(provider, hostQueue(HOST_ID));
  const config = parseConfig({
    name: 'bench',
    algorithm: { kind: 'dagger' },
    teacher: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:1/v1', model: 'oracle', temperature: 0 },
    student: { kind: 'endpoint', baseUrl: 'http://127.0.0.1:1/v1', model: 'oracle' },
    tasks: { suite: SUITE },
  });
  const env: EnvironmentSpec = { kind: 'swe', suite: SUITE, sandbox: config.rollout.sandbox, maxObservationChars: config.rollout.maxObservationChars };
  const rows: string[] = [];
  try {
    for (const latencyMs of [0, 200]) {
      const oracle = oraclePolicy(tasks);
      const policyServer = await startPolicyServer({
        name: 'oracle',
        policy: async (request) => {
          if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
          return oracle(request);
        },
      });
      const endpoint = { ...(config.teacher as EndpointPolicy), baseUrl: policyServer.url };
      let n = 0;
      const input = (label: string): EpisodeInput => ({
        runDir,
        experimentId: 'bench',
        iteration: 1,
        episodeId: `bench.${label}.l${latencyMs}.${n++}`,
        drawKey: 'e0',
        taskId: task.instance_id,
        seed: 0,
        mixing: { kind: 'dagger', beta: 1 },
        teacher: { policy: endpoint, model: 'oracle' },
        student: { policy: endpoint, model: 'oracle' },
        studentProposals: false,
        env,
        maxTurns: 30,
        maxConsecutiveFormatErrors: 3,
      });
      const temporal: Sample[] = [];
      const plain: Sample[] = [];
      // Interleaved, so slow drift of the machine affects both alike; one warm-up of each first.
      for (let i = -1; i < repetitions; i++) {
        const t = await timed(() => client.workflow.execute(episodeWorkflow, { workflowId: `wf-${n}`, taskQueue: TASK_QUEUES.orchestrate, args: [input('temporal')] }));
        const p = await timed(() => plainEpisode(input('plain'), rollout, host));
        if (i >= 0) {
          temporal.push({ wallMs: t.ms, turns: t.value.turns });
          plain.push({ wallMs: p.ms, turns: p.value });
        }
      }
      await policyServer.close();
      const turns = temporal.reduce((s, x) => s + x.turns, 0);
      const tMs = temporal.reduce((s, x) => s + x.wallMs, 0);
      const pMs = plain.reduce((s, x) => s + x.wallMs, 0);
      if (turns !== plain.reduce((s, x) => s + x.turns, 0)) throw new Error('the two loops took different numbers of turns');
      rows.push(
        `| ${latencyMs} ms | ${repetitions} | ${turns / repetitions} | ${(tMs / repetitions / 1000).toFixed(2)} s | ${(pMs / repetitions / 1000).toFixed(2)} s | ${((tMs - pMs) / turns).toFixed(1)} ms | ${(tMs / pMs).toFixed(3)} |`,
      );
    }
  } finally {
    await workers.shutdown();
    await provider.close();
    await connection.close();
    await client.connection.close();
    await server.stop();
  }
  console.log('| model latency | episodes | turns/episode | Temporal episode | plain loop | overhead per turn | wall-time ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`(one episode = sandbox start, the turns, verification in a fresh sandbox, destroy; ${os.cpus().length} CPUs)`);
}

/** The episode loop without Temporal: the same activity functions, called in order (β = 1: teacher only). */
async function plainEpisode(input: EpisodeInput, rollout: ReturnType<typeof createRolloutActivities>, host: ReturnType<typeof createHostActivities>): Promise<number> {
  const ctx = new MockActivityEnvironment();
  const ref = { runDir: input.runDir, episodeId: input.episodeId };
  await ctx.run(rollout.startEpisode, { ...ref, experimentId: input.experimentId, iteration: 1, taskId: input.taskId, env: input.env });
  let endReason: EndReason = 'max_turns';
  let t = 0;
  try {
    for (; t < input.maxTurns; t++) {
      const seed = requestSeed([input.seed, input.iteration, input.drawKey, t]);
      await ctx.run(rollout.teacherAct, { ...ref, turn: t, role: 'teacher' as const, policy: input.teacher!.policy, model: input.teacher!.model, seed });
      const step: StepSummary = await ctx.run(host.envStep, { ...ref, turn: t, executor: 'teacher' as const, mixing: input.mixing, env: input.env });
      if (step.finished) {
        endReason = 'finish';
        t++;
        break;
      }
    }
    await ctx.run(host.verifyEpisode, { ...ref, env: input.env });
  } finally {
    await ctx.run(host.destroySandbox, { ...ref, env: input.env });
  }
  await ctx.run(rollout.finishEpisode, { ...ref, taskId: input.taskId, endReason });
  return t;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
