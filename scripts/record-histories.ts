/**
 * Records the workflow histories that test/replay.test.ts replays against the current workflow code: a
 * 2-iteration DAgger experiment (bundled oracle teacher, noisy student, held-out evaluation and the teacher
 * ceiling), a sweep of two methods, and a 2-iteration experiment that trains, deploys and redeploys a tiny
 * student, each run on a fresh dev server with the real workers, sandboxes and trainer (3-6 minutes).
 *
 *   node --import tsx scripts/record-histories.ts [outDir]     (default: test/histories/<commit>)
 *
 * Every execution is written as <outDir>/<workflowId>[.run<n>].json (the experiment continues as new, so it has
 * one file per run); files of an earlier recording in outDir are replaced. Record from committed workflow code
 * only: these histories stand for what a running experiment of that commit has already done, and their folder
 * stays while such an experiment may still run (docs/cluster.md, "Upgrading").
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { startSweep } from '../cli/sweep';
import { PROJECT_ROOT } from '../config/paths';
import { planSweep, SweepConfigSchema } from '../config/sweep';
import type { SweepResult } from '../workflows/sweep';
import type { ExperimentConfig } from '../config/schema';
import { startStack, suiteIds, testConfig, type Stack } from '../test/support/stack';

export const EXPERIMENT_ID = 'replay-dagger';
export const SWEEP_ID = 'replay-sweep';
export const TRAINED_ID = 'replay-trained';

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
  const suite = path.join(PROJECT_ROOT, 'tasks', 'swe-mini', 'instances.jsonl');
  const config = testConfig({
    iterations: 2,
    algorithm: { kind: 'dagger', beta: { type: 'linear', start: 1, end: 0.5, iterations: 2 } },
    tasks: { suite, train: { ids: ids.slice(0, 3) }, heldout: { ids: ids.slice(3, 5) } },
    rollout: { episodesPerIteration: 2, maxTurns: 12, concurrency: 4, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
    evaluation: { episodes: 2, teacherCeiling: true },
  });
  const collected = await recordOn(config, async (stack) => {
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
  });
  // The train, deploy and redeploy phases: a tiny student made from scratch, trained by the bundled trainer.
  const modelDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-models-')), 'tiny');
  const trained = testConfig({
    iterations: 2,
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 }, studentProposals: true },
    student: { kind: 'local', model: modelDir, init: 'tiny', maxTokens: 64, timeoutS: 60 },
    tasks: { suite, train: { ids: ids.slice(0, 2) }, heldout: { ids: ids.slice(2, 3) } },
    rollout: { episodesPerIteration: 2, maxTurns: 12, concurrency: 2 },
    trainer: { kind: 'bundled', model: modelDir, options: { lr: 0.001, epochs: 1, batch_size: 2, max_seq_len: 4096 } },
    deploy: { kind: 'load-adapter' },
    evaluation: { episodes: 1 },
  });
  for (const [name, h] of await recordOn(trained, async (stack) => {
    await stack.start(TRAINED_ID);
    const result = await stack.result(TRAINED_ID);
    if (result.results.some((r) => typeof r.trainLoss !== 'number')) throw new Error(`an iteration of ${TRAINED_ID} did not train: ${JSON.stringify(result.results)}`);
  })) {
    collected.set(name, h);
  }
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith('.json')) rmSync(path.join(outDir, f));
  for (const [name, h] of collected) writeFileSync(path.join(outDir, name), JSON.stringify(h) + '\n');
  console.log(`${collected.size} histories written to ${outDir}`);
}

/** Run `work` on a fresh stack for `config`, then export every execution of its server. */
async function recordOn(config: ExperimentConfig, work: (stack: Stack) => Promise<void>): Promise<Map<string, RecordedHistory>> {
  const stack = await startStack(config);
  try {
    await work(stack);
    return await exportHistories(stack.client);
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

main(path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, 'test', 'histories', git('rev-parse', '--short=12', 'HEAD')))).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`record-histories: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
