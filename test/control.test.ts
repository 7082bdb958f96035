/**
 * Steering a running experiment: pause and resume (no new episodes start while paused), a schedule
 * changed by an update from the next iteration on, and stop after the current iteration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentStatus, pauseExperiment, resumeExperiment, setSchedule, stopExperiment } from '../cli/experiments';
import { startStack, testConfig } from './support/stack';

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('pause, resume, change the schedule, stop after the current iteration', async () => {
  const config = testConfig({
    iterations: 3,
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 0.5 } },
    rollout: { episodesPerIteration: 3, maxTurns: 8, concurrency: 1 },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const status = () => experimentStatus(stack.client, id);
    const first = await until('the first episode to end', status, (s) => (s.iteration?.episodesDone ?? 0) >= 1);
    // The Web UI's view, without a query: the experiment's memo names the running iteration, whose memo counts episodes.
    const memo = async (workflowId: string) => (await stack.client.workflow.getHandle(workflowId).describe()).memo ?? {};
    assert.equal((await memo(id)).currentIteration, first.experiment.currentIterationWorkflowId);
    const counted = await until('the iteration memo', () => memo(first.experiment.currentIterationWorkflowId!), (m) => Number(m.episodesDone) >= 1);
    assert.equal(counted.episodesTotal, 3);

    await pauseExperiment(stack.client, id);
    const paused = await until('the pause to reach the iteration', status, (s) => s.iteration?.paused === true && s.experiment.state === 'paused');
    // The episode running when the pause came may still end; no new one starts.
    await new Promise((r) => setTimeout(r, 8000));
    const held = await status();
    assert.ok(held.iteration!.episodesDone <= paused.iteration!.episodesDone + 1);
    const doneWhilePaused = held.iteration!.episodesDone;
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal((await status()).iteration!.episodesDone, doneWhilePaused, 'no episode started while paused');

    await assert.rejects(setSchedule(stack.client, id, { kind: 'aggrevate' }), /dagger algorithm/);
    await assert.rejects(setSchedule(stack.client, id, { kind: 'dagger', beta: { type: 'constant', value: 2 } }), /beta\.value/);
    const updated = await setSchedule(stack.client, id, { kind: 'dagger', beta: { type: 'constant', value: 1 } });
    assert.deepEqual(updated.kind === 'dagger' && updated.beta, { type: 'constant', value: 1 });

    await resumeExperiment(stack.client, id);
    const second = await until('iteration 2 to start', status, (s) => s.iteration?.iteration === 2 && s.experiment.state === 'running');
    const carried = await memo(id);
    assert.equal(carried.currentIteration, second.experiment.currentIterationWorkflowId);
    assert.deepEqual((carried.iterations as { iteration: number; mixing: string }[]).map((r) => [r.iteration, r.mixing]), [[1, 'beta=0.5']]);
    assert.ok(carried.config && carried.runDir, 'the memo set at the start is carried across continue-as-new');
    await stopExperiment(stack.client, id);
    const result = await stack.result(id);
    assert.equal(result.stoppedEarly, true);
    assert.deepEqual(result.results.map((r) => r.mixing), ['beta=0.5', 'beta=1']);
    assert.equal(result.results[1].teacherFraction, 1, 'β = 1 from the update: the teacher executes every turn');
  } finally {
    await stack.close();
  }
});

test('an adaptive β lowers itself after an iteration whose success reached the threshold', async () => {
  const config = testConfig({
    iterations: 2,
    algorithm: { kind: 'dagger', beta: { type: 'adaptive', start: 1, factor: 0.5, threshold: 0.5, metric: 'success' } },
    rollout: { episodesPerIteration: 2, maxTurns: 10, concurrency: 2 },
  });
  const stack = await startStack(config);
  try {
    const result = await stack.result(await stack.start());
    assert.equal(result.results[0].successRate, 1, 'the oracle alone (β = 1) resolves the tasks');
    assert.deepEqual(result.results.map((r) => r.mixing), ['beta=1', 'beta=0.5']);
  } finally {
    await stack.close();
  }
});
