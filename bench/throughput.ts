/**
 * Benchmark: rollout throughput with N episodes at once, on one host.
 *
 * The episode workflow (task `swe-mini__cachekit-1`, the bundled oracle as teacher with β = 1, 5 turns, Docker
 * sandboxes, verification) N times at once on a Temporal dev server with this process's workers, the warm pool
 * sized to the largest N; the oracle is served by `policies/serve.ts` in its own process with a simulated model
 * latency. Per (latency, N): episodes per minute, the speed-up over one episode alone (N × its wall time / the wall
 * time of N at once) and the parallel efficiency (speed-up / N: 100 % when N episodes at once take as long as one
 * alone), and the CPU seconds per turn of the Temporal server
 * and the worker process (from /proc), with the policy server's and Docker's beside them.
 *
 *   node --import tsx bench/throughput.ts [--quick] [--sizes 1,8,16,32,64] [--latencies 0,1000]
 *
 * --quick: sizes 1, 8, 16.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT } from '../config/paths';
import { loadTaskSet } from '../env/swe/instances';
import { episodeWorkflow } from '../workflows/episode';
import { TASK_QUEUES } from '../workflows/task-queues';
import { episodeInput, loadAverage, processCpuS, startBenchStack, SUITE, type BenchStack } from './common';

interface Row {
  latencyMs: number;
  n: number;
  wallS: number;
  turns: number;
  retries: number;
  cpu: { server: number; worker: number; policy: number; docker: number };
}

async function main() {
  const opts = new Command()
    .option('--quick', 'sizes 1, 8, 16')
    .option('--sizes <n,...>', 'episodes at once', '1,8,16,32,64')
    .option('--latencies <ms,...>', 'simulated model latencies', '0,1000')
    .parse()
    .opts<{ quick?: boolean; sizes: string; latencies: string }>();
  const sizes = (opts.quick ? '1,8,16' : opts.sizes).split(',').map(Number);
  if (sizes[0] !== 1) throw new Error('--sizes must start with 1: efficiency is measured against one episode alone');
  const latencies = opts.latencies.split(',').map(Number);
  const started = performance.now();
  const loadBefore = loadAverage();
  const task = loadTaskSet(SUITE).instances[0];
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-throughput-'));
  const stack = await startBenchStack({ warmPool: Math.max(...sizes) });
  const dockerPids = pidsOf('dockerd').concat(pidsOf('containerd'));
  const rows: Row[] = [];
  let n = 0;
  try {
    for (const latencyMs of latencies) {
      const policy = await servePolicy(latencyMs);
      try {
        const endpoint = { ...stack.endpoint, baseUrl: policy.url };
        const round = async (count: number) => {
          const inputs = Array.from({ length: count }, () => episodeInput({ runDir, episodeId: `tp.${n++}`, taskId: task.instance_id, env: stack.env, endpoint }));
          const handles = await Promise.all(inputs.map((input) => stack.client.workflow.start(episodeWorkflow, { workflowId: `wf-${input.episodeId}`, taskQueue: TASK_QUEUES.orchestrate, args: [input] })));
          return Promise.all(handles.map((h) => h.result()));
        };
        // One untimed episode warms the workflow cache and starts both pools (the episode's and the verifier's sandboxes).
        await round(1);
        for (const size of sizes) {
          await stack.sandboxes.poolSettled();
          const cpu0 = cpuNow(stack, policy.pid, dockerPids);
          const t0 = performance.now();
          const summaries = await round(size);
          const wallS = (performance.now() - t0) / 1000;
          const cpu1 = cpuNow(stack, policy.pid, dockerPids);
          const turns = summaries.reduce((a, s) => a + s.turns, 0);
          if (summaries.some((s) => s.endReason !== 'finish' || s.reward !== 1)) {
            throw new Error(`an episode did not finish resolved: ${JSON.stringify(summaries.filter((s) => s.endReason !== 'finish' || s.reward !== 1))}`);
          }
          const row: Row = {
            latencyMs,
            n: size,
            wallS,
            turns,
            retries: summaries.reduce((a, s) => a + s.retries, 0),
            cpu: { server: cpu1.server - cpu0.server, worker: cpu1.worker - cpu0.worker, policy: cpu1.policy - cpu0.policy, docker: cpu1.docker - cpu0.docker },
          };
          rows.push(row);
          console.log(`latency ${latencyMs} ms, ${size} at once: ${wallS.toFixed(1)} s, ${turns} turns, load ${loadAverage()}`);
        }
      } finally {
        policy.stop();
      }
    }
  } finally {
    await stack.close();
  }
  console.log();
  console.log('| model latency | episodes at once | wall time | episodes/min | speed-up | parallel efficiency | server + worker CPU-s per turn | policy server | Docker daemons | retries |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const one = rows.find((x) => x.latencyMs === r.latencyMs && x.n === 1)!;
    const perTurn = (x: number) => (x / r.turns).toFixed(3);
    console.log(
      `| ${r.latencyMs} ms | ${r.n} | ${r.wallS.toFixed(1)} s | ${((r.n / r.wallS) * 60).toFixed(1)} | ${((r.n * one.wallS) / r.wallS).toFixed(1)}× | ${((100 * one.wallS) / r.wallS).toFixed(0)} % | ${perTurn(r.cpu.server + r.cpu.worker)} (${perTurn(r.cpu.server)} + ${perTurn(r.cpu.worker)}) | ${perTurn(r.cpu.policy)} | ${perTurn(r.cpu.docker)} | ${r.retries} |`,
    );
  }
  console.log(`(${os.cpus().length} CPUs; load average ${loadBefore} before, ${loadAverage()} after; ${((performance.now() - started) / 60_000).toFixed(1)} min in all; warm pool ${Math.max(...sizes)} per sandbox spec)`);
}

function cpuNow(stack: BenchStack, policyPid: number, dockerPids: number[]) {
  const self = process.cpuUsage();
  return {
    server: processCpuS(stack.server.pid),
    worker: (self.user + self.system) / 1e6,
    policy: processCpuS(policyPid),
    docker: dockerPids.reduce((a, pid) => a + processCpuS(pid), 0),
  };
}

function pidsOf(name: string): number[] {
  try {
    return execFileSync('pidof', [name], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

/** The oracle on the OpenAI protocol in its own process (so its CPU is not the worker's), with the given latency. */
async function servePolicy(latencyMs: number): Promise<{ url: string; pid: number; stop(): void }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'policies', 'serve.ts'), '--policy', 'oracle', '--suite', path.dirname(SUITE), '--port', '0', '--latency-ms', String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`policies/serve.ts exited (${code}) before listening`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
