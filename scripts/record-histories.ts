/**
 * Records the workflow histories that test/replay.test.ts replays against the current workflow code: a
 * 2-iteration DAgger experiment (bundled oracle teacher, noisy student, held-out evaluation and the teacher
 * ceiling) and a sweep of two methods, run on a fresh dev server with the real workers and sandboxes.
 *
 *   node --import tsx scripts/record-histories.ts [outDir]     (default: test/histories)
 *
 * Every execution on that server is written as <outDir>/<workflowId>[.run<n>].json (the experiment continues as
 * new, so it has one file per run), and files of an earlier recording are replaced. Record from committed
 * workflow code only: these histories stand for what a running experiment of that code has already done.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { startSweep } from '../cli/sweep';
import { PROJECT_ROOT } from '../config/paths';
import { planSweep, SweepConfigSchema } from '../config/sweep';
import type { SweepResult } from '../workflows/sweep';
import { startStack, suiteIds, testConfig } from '../test/support/stack';

export const EXPERIMENT_ID = 'replay-dagger';
export const SWEEP_ID = 'replay-sweep';

const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();

/** One recorded execution, as a history file holds it. */
export interface RecordedHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The commit whose workflow code made the history. */
  commit: string;
  /**
   * The history as the SDK's protobuf classes write JSON (`History.toJSON()`, read back by `History.fromObject`).
   * Not the SDK's historyToJSON: with two copies of protobufjs installed (see package-lock) it throws "type must be a Type".
   */
  history: unknown;
}

async function main(outDir: string): Promise<void> {
  const changed = git('status', '--porcelain', '--', 'workflows');
  if (changed) throw new Error(`workflows/ has uncommitted changes; commit them first (or record from a clean clone):\n${changed}`);
  const ids = suiteIds();
  const config = testConfig({
    iterations: 2,
    algorithm: { kind: 'dagger', beta: { type: 'linear', start: 1, end: 0.5, iterations: 2 } },
    tasks: { suite: path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl'), train: { ids: ids.slice(0, 3) }, heldout: { ids: ids.slice(3, 5) } },
    rollout: { episodesPerIteration: 2, maxTurns: 12, concurrency: 4, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    evaluation: { episodes: 2, teacherCeiling: true },
  });
  const stack = await startStack(config);
  try {
    await stack.start(EXPERIMENT_ID);
    const sweep = SweepConfigSchema.parse({
      name: 'replay',
      base: '-',
      seeds: [0],
      methods: {
        dagger: { iterations: 1, evaluation: { episodes: 0 } },
        aggrevate: { iterations: 1, evaluation: { episodes: 0 }, algorithm: { kind: 'aggrevate', prefix: { type: 'uniform', k0: 3, growth: 0, kMax: 3 } } },
      },
      concurrency: { experiments: 2, episodes: 2 },
    });
    await startSweep(stack.client, planSweep(sweep, config, SWEEP_ID, '/'), stack.policies.resolved, SWEEP_ID);
    const [experiment, swept] = await Promise.all([stack.result(EXPERIMENT_ID), stack.client.workflow.getHandle(SWEEP_ID).result() as Promise<SweepResult>]);
    if (experiment.results.length !== 2) throw new Error(`the experiment ran ${experiment.results.length} iterations, expected 2`);
    if (swept.members.some((m) => m.state !== 'done')) throw new Error(`the sweep did not finish every member: ${JSON.stringify(swept.members)}`);
    const recorded = await exportHistories(stack.client);
    mkdirSync(outDir, { recursive: true });
    for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(path.join(outDir, f));
    for (const [name, h] of recorded) writeFileSync(path.join(outDir, name), JSON.stringify(h) + '\n');
    console.log(`${recorded.size} histories written to ${outDir}`);
  } finally {
    await stack.close();
  }
}

/** Every closed execution on the server, keyed by its file name (runs of one workflow id numbered by start time). */
async function exportHistories(client: Client): Promise<Map<string, RecordedHistory>> {
  const commit = git('rev-parse', 'HEAD');
  // Visibility follows the executions with a short lag: wait until every listed one is closed.
  let executions: WorkflowExecutionInfo[] = [];
  for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 500))) {
    executions = [];
    for await (const wf of client.workflow.list()) executions.push(wf);
    const open = executions.filter((wf) => wf.status.name === 'RUNNING');
    if (open.length === 0) break;
    if (Date.now() > deadline) throw new Error(`executions still running after the experiment and sweep ended: ${open.map((wf) => wf.workflowId).join(', ')}`);
  }
  executions.sort((a, b) => a.workflowId.localeCompare(b.workflowId) || a.startTime.getTime() - b.startTime.getTime());
  const out = new Map<string, RecordedHistory>();
  for (const wf of executions) {
    const runs = executions.filter((other) => other.workflowId === wf.workflowId);
    const name = runs.length > 1 ? `${wf.workflowId}.run${runs.indexOf(wf) + 1}.json` : `${wf.workflowId}.json`;
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    out.set(name, { workflowId: wf.workflowId, runId: wf.runId, workflowType: wf.type, commit, history: history.toJSON() });
  }
  return out;
}

main(path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, 'test', 'histories'))).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`record-histories: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
