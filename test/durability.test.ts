/**
 * Survival is the point: the loop against a real Temporal dev server, real Docker sandboxes and the
 * bundled policies over HTTP, with a worker SIGKILLed mid-episode, the server restarted mid-iteration and
 * flaky endpoints. Each faulty run must produce exactly the dataset of the fault-free run with the same seed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { canonicalDataset, spawnRolloutWorker, startStack, testConfig, workflowBundle, type Stack } from './support/stack';
import { startTestServer } from './support/temporal';
import { waitFor } from './support/wait';

let reference: unknown[] = [];
const config = testConfig();

/** Resolves once `predicate` holds for the run directory (polled). */

function episodesWith(runDir: string, file: (turnsDir: string) => boolean): number {
  const dir = path.join(runDir, 'episodes');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).filter((e) => existsSync(path.join(dir, e, 'turns')) && file(path.join(dir, e, 'turns'))).length;
}

before(async () => {
  await workflowBundle();
});

test('fault-free reference run: every episode ends, D_1 holds a label for every visited state', async () => {
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const [iteration] = result.results;
    assert.equal(iteration.episodes, 3);
    assert.ok(iteration.transitions > 3, `expected several labelled states, got ${iteration.transitions}`);
    assert.equal(iteration.retries, 0);
    reference = canonicalDataset(result.runDir, id);
    assert.equal(reference.length, 3);
    for (const trajectory of reference as { turns: { label: unknown; executor: string; executed: unknown }[] }[]) {
      for (const turn of trajectory.turns) {
        assert.ok(turn.label, 'every visited state has a teacher label');
        if (turn.executor === 'teacher') assert.deepEqual(turn.executed, (turn.label as { action: unknown }).action);
      }
    }
    await replayAll(stack, id);
  } finally {
    await stack.close();
  }
});

test('the rollout worker SIGKILLed mid-episode and restarted: same dataset, nothing lost or duplicated', async () => {
  const stack = await startStack(config, { roles: ['orchestrator', 'train'] });
  let worker = spawnRolloutWorker(stack.server.address);
  try {
    const id = await stack.start();
    const runDir = path.join(config.runRoot, id);
    // Mid-episode: every episode has started and some have executed turns, none has ended.
    await waitFor('episodes in progress', () => episodesWith(runDir, (t) => existsSync(path.join(t, '1.json'))) >= 2);
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    worker = spawnRolloutWorker(stack.server.address);
    const result = await stack.result(id);
    assert.deepEqual(canonicalDataset(result.runDir, id), reference);
  } finally {
    worker.kill('SIGKILL');
    await stack.close();
  }
});

test('the Temporal server stopped and restarted on its SQLite file mid-iteration: the experiment finishes', async () => {
  const server = await startTestServer();
  const stack = await startStack(config, { server });
  try {
    const id = await stack.start();
    const runDir = path.join(config.runRoot, id);
    await waitFor('episodes in progress', () => episodesWith(runDir, (t) => existsSync(path.join(t, '1.json'))) >= 1);
    stack.server = await stack.server.restart();
    const result = await stack.result(id);
    assert.deepEqual(canonicalDataset(result.runDir, id), reference);
  } finally {
    await stack.close();
  }
});

test('endpoints failing 20% of calls (500, 429, hangs): the experiment finishes and counts the retries', async () => {
  const stack = await startStack(config, { faults: { rate: 0.2, seed: 11, hangMs: 8000 } });
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const faults = (['teacher', 'student'] as const)
      .map((r) => stack.policies.servers[r]!.stats().faults)
      .reduce((n, f) => n + f.status500 + f.status429 + f.hang, 0);
    assert.ok(faults >= 3, `expected injected faults, got ${faults}`);
    assert.equal(result.results[0].retries, faults, 'every injected fault cost exactly one retry');
    assert.deepEqual(canonicalDataset(result.runDir, id), reference);
  } finally {
    await stack.close();
  }
});

/** Every workflow run of the experiment replays against the current workflow code without non-determinism. */
async function replayAll(stack: Stack, experimentId: string): Promise<void> {
  const query = `DaggerExperiment = '${experimentId}' OR WorkflowId = '${experimentId}'`;
  let replayed = 0;
  const types = new Set<string>();
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, stack.client.workflow.list({ query }).intoHistories())) {
    assert.equal(result.error, undefined, `replay of ${result.workflowId} failed: ${result.error}`);
    replayed++;
    types.add(result.workflowId.includes('.e') ? 'episode' : result.workflowId.includes('.i') ? 'iteration' : 'experiment');
  }
  assert.deepEqual([...types].sort(), ['episode', 'experiment', 'iteration']);
  assert.ok(replayed >= 5, `replayed ${replayed} histories`);
}
