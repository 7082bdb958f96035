/**
 * Benchmark: what Temporal orchestration costs per turn, and what it costs once per episode.
 *
 * Side by side in one process, interleaved: the same episode (task `swe-mini__cachekit-1`, the bundled oracle as
 * teacher with β = 1, the same Docker sandboxes and run store) run (a) as the episode workflow on a real Temporal
 * dev server and (b) as a plain in-process loop calling the very same activity functions one after another. Two
 * lengths: the oracle's own episode (≈ 5 turns), and a long one (≈ 30 turns: the policy first runs `ls` for
 * `--pad` turns, then the oracle takes over). The difference between the lengths separates the per-turn cost
 * from the episode's fixed activities (start, verify, destroy, finish). Model latency is simulated in the
 * policy server (policies/server.ts `latencyMs`). At 0 ms the workflow also runs on a second server whose SQLite
 * keeps the server's default rollback journal, to show what the write-ahead log saves. Beside wall time, each path's
 * CPU time (this process; for the workflow also its Temporal server, from /proc): on a shared machine the CPU a turn
 * costs is steadier than its wall time.
 *
 *   npm run bench -- [--reps 2] [--latencies 0,200,1000] [--pad 25]
 */
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createHostActivities, createRolloutActivities, type StepSummary } from '../activities';
import { requestSeed } from '../core/random';
import type { EndReason } from '../core/types';
import { loadTaskSet } from '../env/swe/instances';
import { oraclePolicy } from '../policies/oracle';
import { startPolicyServer, type Policy } from '../policies/server';
import { episodeWorkflow, type EpisodeInput } from '../workflows/episode';
import { hostQueue, TASK_QUEUES } from '../workflows/task-queues';
import { episodeInput, historyBreakdown, HOST_ID, loadAverage, processCpuS, startBenchStack, SUITE, timed, type BenchStack, type HistoryBreakdown } from './common';

interface Run {
  ms: number;
  turns: number;
  /** CPU seconds of this process (workers, policy server, plain loop) and, for a workflow, its Temporal server. */
  cpuS: number;
}

interface PlainRun extends Run {
  /** Milliseconds per activity type, summed over the episode. */
  calls: Record<string, { count: number; ms: number }>;
}

async function main() {
  const opts = new Command()
    .option('--reps <n>', 'episodes per setting and path', (v) => Number(v), 2)
    .option('--latencies <ms,...>', 'simulated model latencies', '0,200,1000')
    .option('--pad <n>', 'turns of `ls` before the oracle in the long episode', (v) => Number(v), 25)
    .parse()
    .opts<{ reps: number; latencies: string; pad: number }>();
  const latencies = opts.latencies.split(',').map(Number);
  const started = performance.now();
  const tasks = loadTaskSet(SUITE).instances;
  const task = tasks[0];
  const oracle = oraclePolicy(tasks);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-bench-'));
  const loadBefore = loadAverage();
  const wal = await startBenchStack({ warmPool: 2 });
  // The same server with SQLite's rollback journal (the dev server's default without --sqlite-pragma).
  const journal = latencies.includes(0) ? await startBenchStack({ warmPool: 2, sqlitePragmas: [] }) : null;
  const rollout = createRolloutActivities(wal.provider, hostQueue(HOST_ID));
  const host = createHostActivities(wal.provider, hostQueue(HOST_ID));
  const lines: string[] = [];
  const out = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  let n = 0;
  try {
    out(`| model latency | episode | turns | server SQLite | Temporal episode | plain loop | overhead per turn | wall-time ratio | CPU, Temporal (server + worker) | CPU, plain |`);
    out('|---|---|---|---|---|---|---|---|---|---|');
    const splits: string[] = [];
    let breakdown: { history: HistoryBreakdown[]; plain: PlainRun[]; turns: number } | null = null;
    for (const latencyMs of latencies) {
      const means: Record<string, { t: number; p: number; turns: number; tCpu: number; pCpu: number }> = {};
      for (const [length, pad] of [['short', 0], ['long', opts.pad]] as const) {
        const policy: Policy = (request) => (request.messages.filter((m) => m.role === 'assistant').length < pad ? lsReply() : oracle(request));
        const server = await startPolicyServer({ name: 'oracle', policy, latencyMs });
        const stacks: [string, BenchStack][] = latencyMs === 0 && journal ? [['WAL', wal], ['rollback journal', journal]] : [['WAL', wal]];
        const temporal = new Map<string, Run[]>(stacks.map(([name]) => [name, []]));
        const histories: HistoryBreakdown[] = [];
        const plain: PlainRun[] = [];
        // Interleaved, so slow drift of the machine affects all paths alike; the very first round warms up (code,
        // workflow cache, warm pool) and is dropped.
        for (let i = n === 0 ? -1 : 0; i < opts.reps; i++) {
          for (const [name, stack] of stacks) {
            const id = `wf-${n}`;
            const input = episodeInput({ runDir, episodeId: `bench.${n++}`, taskId: task.instance_id, env: stack.env, endpoint: { ...stack.endpoint, baseUrl: server.url } });
            const cpu0 = cpuS(stack.server.pid);
            const t = await timed(() => stack.client.workflow.execute(episodeWorkflow, { workflowId: id, taskQueue: TASK_QUEUES.orchestrate, args: [input] }));
            if (i < 0) continue;
            temporal.get(name)!.push({ ms: t.ms, turns: t.value.turns, cpuS: cpuS(stack.server.pid) - cpu0 });
            if (stack === wal) histories.push(await historyBreakdown(stack.client, id));
          }
          const input = episodeInput({ runDir, episodeId: `bench.${n++}`, taskId: task.instance_id, env: wal.env, endpoint: { ...wal.endpoint, baseUrl: server.url } });
          const cpu0 = cpuS();
          const p = await plainEpisode(input, rollout, host);
          if (i >= 0) plain.push({ ...p, cpuS: cpuS() - cpu0 });
        }
        await server.close();
        const pMs = mean(plain.map((r) => r.ms));
        const pCpu = mean(plain.map((r) => r.cpuS));
        const turns = mean(plain.map((r) => r.turns));
        for (const [name, runs] of temporal) {
          if (runs.some((r) => r.turns !== turns)) throw new Error(`the Temporal and plain loops took different numbers of turns (${runs.map((r) => r.turns)} vs ${turns})`);
          const tMs = mean(runs.map((r) => r.ms));
          const tCpu = mean(runs.map((r) => r.cpuS));
          out(`| ${latencyMs} ms | ${length} | ${turns} | ${name} | ${s(tMs)} | ${s(pMs)} | ${((tMs - pMs) / turns).toFixed(1)} ms | ${(tMs / pMs).toFixed(3)} | ${s(tCpu * 1000)} | ${s(pCpu * 1000)} |`);
          if (name === 'WAL') means[length] = { t: tMs, p: pMs, turns, tCpu, pCpu };
        }
        if (latencyMs === 0 && length === 'long') breakdown = { history: histories, plain, turns };
      }
      const { short, long } = means;
      const perTurn = (long.t - long.p - (short.t - short.p)) / (long.turns - short.turns);
      const fixed = short.t - short.p - perTurn * short.turns;
      const cpuPerTurn = (long.tCpu - long.pCpu - (short.tCpu - short.pCpu)) / (long.turns - short.turns);
      const cpuFixed = short.tCpu - short.pCpu - cpuPerTurn * short.turns;
      splits.push(`| ${latencyMs} ms | ${perTurn.toFixed(1)} ms | ${s(fixed)} | ${(long.t / long.p).toFixed(3)} | ${(cpuPerTurn * 1000).toFixed(1)} ms | ${(cpuFixed * 1000).toFixed(0)} ms |`);
    }
    out();
    out('Per-turn and fixed overhead (Temporal − plain, from the two lengths; WAL server):');
    out();
    out('| model latency | overhead per turn | fixed overhead per episode | wall-time ratio, long episode | orchestration CPU per turn | orchestration CPU per episode, fixed |');
    out('|---|---|---|---|---|---|');
    for (const line of splits) out(line);
    if (breakdown) printBreakdown(breakdown, out);
  } finally {
    await journal?.close();
    await wal.close();
  }
  out();
  out(`(${os.cpus().length} CPUs; load average ${loadBefore} before, ${loadAverage()} after; ${((performance.now() - started) / 60_000).toFixed(1)} min in all)`);
}

/** Where a long episode's time goes at 0 ms latency, per turn: the history's workflow tasks and activities next to plain calls. */
function printBreakdown(b: { history: HistoryBreakdown[]; plain: PlainRun[]; turns: number }, out: (line?: string) => void) {
  const runs = b.history.length;
  const perEpisode = (x: number) => x / runs;
  out();
  out(`Where the time goes in the long episode at 0 ms (means per episode of ${b.turns} turns, from the workflow histories):`);
  out();
  const wft = b.history.reduce((a, h) => ({ n: a.n + h.workflowTasks, q: a.q + h.workflowTaskQueueMs, r: a.r + h.workflowTaskRunMs }), { n: 0, q: 0, r: 0 });
  out(`- workflow tasks: ${(perEpisode(wft.n) / b.turns).toFixed(2)} per turn, ${(wft.q / wft.n).toFixed(1)} ms queued + ${(wft.r / wft.n).toFixed(1)} ms run each`);
  out();
  out('| activity | per episode | dispatch (scheduled → started) | run in the worker | same call, plain loop |');
  out('|---|---|---|---|---|');
  const types = new Set(b.history.flatMap((h) => Object.keys(h.activities)));
  for (const type of types) {
    const rows = b.history.map((h) => h.activities[type]).filter((r) => r !== undefined);
    const count = rows.reduce((x, r) => x + r.count, 0);
    const plain = b.plain.map((p) => p.calls[type]).filter((r) => r !== undefined);
    const plainCount = plain.reduce((x, r) => x + r.count, 0);
    const plainMs = plainCount ? `${(plain.reduce((x, r) => x + r.ms, 0) / plainCount).toFixed(1)} ms` : '–';
    out(`| ${type} | ${(count / runs).toFixed(1)} | ${(rows.reduce((x, r) => x + r.dispatchMs, 0) / count).toFixed(1)} ms | ${(rows.reduce((x, r) => x + r.runMs, 0) / count).toFixed(1)} ms | ${plainMs} |`);
  }
}

/** A harmless command the oracle sees as someone else's: it inspects the workspace once, then goes on. */
function lsReply() {
  return { content: '', toolCalls: [{ id: `call_ls_${Math.random().toString(36).slice(2, 8)}`, name: 'execute_bash', arguments: JSON.stringify({ command: 'ls' }) }] };
}

/** The episode loop without Temporal: the same activity functions, called in order (β = 1: teacher only). */
async function plainEpisode(input: EpisodeInput, rollout: ReturnType<typeof createRolloutActivities>, host: ReturnType<typeof createHostActivities>): Promise<Omit<PlainRun, 'cpuS'>> {
  const ctx = new MockActivityEnvironment();
  const calls: PlainRun['calls'] = {};
  const run = async <I, O>(type: string, fn: (i: I) => Promise<O>, arg: I): Promise<O> => {
    const { ms, value } = await timed(() => ctx.run(fn, arg) as Promise<O>);
    const row = (calls[type] ??= { count: 0, ms: 0 });
    row.count++;
    row.ms += ms;
    return value;
  };
  const started = performance.now();
  const ref = { runDir: input.runDir, episodeId: input.episodeId };
  await run('startEpisode', rollout.startEpisode, { ...ref, experimentId: input.experimentId, iteration: 1, taskId: input.taskId, env: input.env });
  let endReason: EndReason = 'max_turns';
  let t = 0;
  try {
    for (; t < input.maxTurns; t++) {
      const seed = requestSeed([input.seed, input.iteration, input.drawKey, t]);
      await run('teacherAct', rollout.teacherAct, { ...ref, turn: t, role: 'teacher' as const, policy: input.teacher!.policy, model: input.teacher!.model, seed });
      const step: StepSummary = await run('envStep', host.envStep, { ...ref, turn: t, executor: 'teacher' as const, mixing: input.mixing, env: input.env });
      if (step.finished) {
        endReason = 'finish';
        t++;
        break;
      }
    }
    await run('verifyEpisode', host.verifyEpisode, { ...ref, env: input.env });
  } finally {
    await run('destroySandbox', host.destroySandbox, { ...ref, env: input.env });
  }
  await run('finishEpisode', rollout.finishEpisode, { ...ref, taskId: input.taskId, endReason });
  return { ms: performance.now() - started, turns: t, calls };
}

/** CPU seconds of this process, plus those of the given Temporal server. */
function cpuS(serverPid?: number): number {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1e6 + (serverPid === undefined ? 0 : processCpuS(serverPid));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
