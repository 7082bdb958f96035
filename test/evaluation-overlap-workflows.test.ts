/**
 * Through the real workflows: iteration 1's held-out evaluation runs inside iteration 2's workflow, beside its
 * rollouts, within `rollout.concurrency` episodes at a time, and records exactly what it records without the
 * overlap; with β adapting to held-out success it runs in iteration 1, before iteration 2 starts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import type { IterationMetrics, IterationSummary } from '../core/records';
import { canonicalDataset, startStack, suiteIds, testConfig, type Stack } from './support/stack';

const CONCURRENCY = 3;
const config = testConfig({
  iterations: 2,
  tasks: { suite: testConfig().tasks.suite, train: { ids: suiteIds().slice(0, 3) }, heldout: { ids: suiteIds().slice(3, 6) } },
  rollout: { episodesPerIteration: 3, maxTurns: 12, concurrency: CONCURRENCY, sandbox: { commandTimeoutS: 20, memoryMb: 512 } },
  evaluation: { episodes: 3, initial: false },
});

let stack: Stack;
before(async () => {
  stack = await startStack(config);
});
after(async () => {
  await stack?.close();
});

interface Span {
  id: string;
  parent: string | null | undefined;
  start: number;
  end: number;
}

/** The episode workflows' spans (start to close) and parents. */
async function spans(client: Client, ids: string[]): Promise<Span[]> {
  return Promise.all(
    ids.map(async (id) => {
      const d = await client.workflow.getHandle(id).describe();
      assert.ok(d.closeTime, `${id} has closed`);
      return { id, parent: d.parentExecution?.workflowId, start: d.startTime.getTime(), end: d.closeTime.getTime() };
    }),
  );
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Runs an experiment; returns its id and run directory. */
async function run(overrides: Partial<typeof stack.policies.resolved>): Promise<{ id: string; runDir: string }> {
  const { startExperiment, newExperimentId } = await import('../cli/experiments');
  const id = `${newExperimentId('overlap')}-${Math.random().toString(36).slice(2, 6)}`;
  const input = await startExperiment(stack.client, { ...stack.policies.resolved, ...overrides }, id);
  const result = await stack.result(id);
  assert.equal(result.results.length, 2);
  return { id, runDir: input.runDir };
}

/** A metrics file as two runs of the same seed can compare it: without the experiment id and wall-clock costs. */
function canonicalMetrics(runDir: string, id: string, iteration: number): unknown {
  const text = readFileSync(path.join(runDir, 'metrics', `iter-${iteration}.json`), 'utf8').split(id).join('<experiment>');
  return JSON.parse(text, (key, value) => (VOLATILE.has(key) ? undefined : value)) as IterationMetrics;
}

/** Wall-clock costs: they differ between any two runs. */
const VOLATILE = new Set(['policySeconds', 'sandboxSeconds', 'latencyMs', 'durationMs']);

const episodeIds = (id: string, kind: 'e' | 'eval', iteration: number) => [0, 1, 2].map((k) => `${id}.i${iteration}.${kind}${k}`);

test("iteration 1's evaluation overlaps iteration 2's rollouts, shares their episode slots, and records the same as without overlap", async () => {
  const overlapped = await run({});
  const sequential = await run({ evaluation: { ...config.evaluation, overlap: false } });

  const evals = await spans(stack.client, episodeIds(overlapped.id, 'eval', 1));
  const rollouts = await spans(stack.client, episodeIds(overlapped.id, 'e', 2));
  for (const e of evals) assert.equal(e.parent, `${overlapped.id}.i2`, `${e.id} runs in iteration 2's workflow`);
  assert.ok(
    evals.some((e) => rollouts.some((r) => overlaps(e, r))),
    `an evaluation episode of iteration 1 runs while a rollout of iteration 2 does: ${JSON.stringify({ evals, rollouts })}`,
  );
  // Shared slots: never more than `rollout.concurrency` episodes in flight across both.
  const all = [...evals, ...rollouts];
  const peak = Math.max(...all.map((a) => all.filter((b) => b.start <= a.start && a.start < b.end).length));
  assert.ok(peak <= CONCURRENCY, `at most ${CONCURRENCY} episodes at once, saw ${peak}`);
  // The last iteration has nothing to overlap with: its evaluation runs in its own workflow.
  for (const e of await spans(stack.client, episodeIds(overlapped.id, 'eval', 2))) assert.equal(e.parent, `${overlapped.id}.i2`);

  // Without the overlap (the switch), iteration 1 evaluates in its own workflow, before iteration 2 rolls out.
  const seqEvals = await spans(stack.client, episodeIds(sequential.id, 'eval', 1));
  const seqRollouts = await spans(stack.client, episodeIds(sequential.id, 'e', 2));
  for (const e of seqEvals) assert.equal(e.parent, `${sequential.id}.i1`);
  assert.ok(Math.max(...seqEvals.map((e) => e.end)) <= Math.min(...seqRollouts.map((r) => r.start)));

  // Same records either way: metrics (keyed by iteration, the evaluation in iteration 1's) and datasets.
  for (const i of [1, 2]) {
    const a = canonicalMetrics(overlapped.runDir, overlapped.id, i) as IterationMetrics;
    const b = canonicalMetrics(sequential.runDir, sequential.id, i) as IterationMetrics;
    assert.equal(a.iteration, i);
    assert.equal(a.evaluation?.episodes, 3, `iteration ${i}'s metrics hold its evaluation`);
    assert.deepEqual(a, b, `metrics/iter-${i}.json`);
    assert.deepEqual(canonicalDataset(overlapped.runDir, overlapped.id, i), canonicalDataset(sequential.runDir, sequential.id, i));
  }
  // summary.json: the experiment's rows, iteration 1's evaluation merged into its row once it finished.
  const summary = (dir: string): IterationSummary[] => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')).iterations;
  assert.deepEqual(summary(overlapped.runDir), summary(sequential.runDir));
  assert.deepEqual(summary(overlapped.runDir).map((r) => r.suites?.[0]?.episodes), [3, 3], 'every iteration has its evaluation in summary.json');
});

test('with β adapting to held-out success, iteration 1 evaluates before iteration 2 starts', async () => {
  const adaptive = await run({ algorithm: { ...config.algorithm, kind: 'dagger', beta: { type: 'adaptive', start: 1, factor: 0.5, threshold: 0, metric: 'success' } } as typeof config.algorithm });
  const evals = await spans(stack.client, episodeIds(adaptive.id, 'eval', 1));
  const rollouts = await spans(stack.client, episodeIds(adaptive.id, 'e', 2));
  for (const e of evals) assert.equal(e.parent, `${adaptive.id}.i1`);
  assert.ok(evals.every((e) => rollouts.every((r) => !overlaps(e, r))));
  assert.ok(Math.max(...evals.map((e) => e.end)) <= Math.min(...rollouts.map((r) => r.start)));
});

test('a stop after iteration 1, which deferred its evaluation, still evaluates it (alone) and records it', async () => {
  const { startExperiment, newExperimentId } = await import('../cli/experiments');
  const { stopAfterIterationSignal } = await import('../workflows/experiment');
  const id = `${newExperimentId('overlap-stop')}-${Math.random().toString(36).slice(2, 6)}`;
  const input = await startExperiment(stack.client, stack.policies.resolved, id);
  // Once iteration 1 runs, it has been told to defer its evaluation; the stop comes after that decision.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const started = await stack.client.workflow.getHandle(`${id}.i1`).describe().then(() => true, () => false);
    if (started) break;
    assert.ok(Date.now() < deadline, 'iteration 1 started');
    await new Promise((r) => setTimeout(r, 200));
  }
  await stack.client.workflow.getHandle(id).signal(stopAfterIterationSignal);
  const result = await stack.result(id);
  assert.equal(result.stoppedEarly, true);
  assert.equal(result.results.length, 1);
  assert.equal(result.results[0].suites?.[0]?.episodes, 3, 'iteration 1 has its evaluation');
  for (const e of await spans(stack.client, episodeIds(id, 'eval', 1))) assert.equal(e.parent, `${id}.i1.evaluation`);
  const metrics = JSON.parse(readFileSync(path.join(input.runDir, 'metrics', 'iter-1.json'), 'utf8')) as IterationMetrics;
  assert.equal(metrics.evaluation?.episodes, 3);
});
