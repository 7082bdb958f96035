/**
 * How an episode ends when the model misbehaves: garbage output becomes error observations and ends the
 * episode after too many consecutive format errors; a prompt over the model's context ends it with its
 * own reason. Neither crashes a worker nor loses what was collected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TrajectoryRecord } from '../core/types';
import { loadTaskSet } from '../env/swe/instances';
import { oraclePolicy } from '../policies/oracle';
import { startPolicyServer } from '../policies/server';
import { SUITE, startStack, testConfig } from './support/stack';

function trajectories(runDir: string): TrajectoryRecord[] {
  return readFileSync(path.join(runDir, 'datasets', 'iter-1.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TrajectoryRecord);
}

test('garbage from the student: error observations, then the episode ends on consecutive format errors', async () => {
  let calls = 0;
  const garbage = await startPolicyServer({
    name: 'garbage',
    policy: () => {
      calls++;
      // Alternate between prose without a call and a call with broken JSON arguments.
      return calls % 2 ? { content: 'I think I should look at the files {{{', toolCalls: [] } : { content: '', toolCalls: [{ id: `c${calls}`, name: 'execute_bash', arguments: '{"command": "ls' }] };
    },
  });
  const config = testConfig({
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 0 } },
    student: { kind: 'endpoint', baseUrl: garbage.url, model: 'garbage', timeoutS: 5 },
    rollout: { episodesPerIteration: 1, maxTurns: 10, concurrency: 1, maxConsecutiveFormatErrors: 3 },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    assert.equal(result.results[0].episodes, 1);
    const [trajectory] = trajectories(result.runDir);
    assert.equal(trajectory.endReason, 'format_errors');
    assert.equal(trajectory.turns.length, 3);
    for (const turn of trajectory.turns) {
      assert.equal(turn.executor, 'student');
      assert.equal(turn.observation.error, true);
      assert.match(turn.observation.text, /ERROR/);
      assert.ok(turn.label, 'the teacher still labels every visited state');
    }
    assert.equal(trajectory.reward, 0, 'verified as unresolved, not crashed');
  } finally {
    await stack.close();
    await garbage.close();
  }
});

test('a prompt over the context: the episode ends with reason "context" and keeps its turns', async () => {
  const tasks = loadTaskSet(SUITE).instances;
  const small = await startPolicyServer({ name: 'oracle', policy: oraclePolicy(tasks), maxContextTokens: 1500 });
  const config = testConfig({
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 } },
    teacher: { kind: 'endpoint', baseUrl: small.url, model: 'oracle', temperature: 0, timeoutS: 5 },
    rollout: { episodesPerIteration: 1, maxTurns: 20, concurrency: 1 },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const [trajectory] = trajectories(result.runDir);
    assert.equal(trajectory.endReason, 'context');
    assert.ok(trajectory.turns.length >= 1, 'turns before the overflow are kept');
    assert.ok(small.stats().contextExceeded >= 1);
  } finally {
    await stack.close();
    await small.close();
  }
});
