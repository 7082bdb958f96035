/**
 * The whole loop with a student that really learns: a tiny model created from scratch and served
 * locally, the bundled trainer as the train step on the aggregated labels, the new checkpoint deployed
 * into the running student server, and the held-out evaluation sampling that new checkpoint. Two iterations:
 * the second starts by deploying the first's checkpoint again, which the server (strict as vLLM: a loaded
 * name is refused unless `load_inplace`) must accept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PolicyOutput } from '../core/types';
import { suiteIds, startStack, testConfig } from './support/stack';

test('train step → deploy → evaluation on the new checkpoint, through the workflows', async () => {
  const models = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-models-'));
  const modelDir = path.join(models, 'tiny');
  const ids = suiteIds();
  const config = testConfig({
    iterations: 2,
    algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 }, studentProposals: true },
    student: { kind: 'local', model: modelDir, init: 'tiny', maxTokens: 64, timeoutS: 60 },
    tasks: { suite: testConfig().tasks.suite, train: { ids: ids.slice(0, 2) }, heldout: { ids: ids.slice(2, 3) } },
    rollout: { episodesPerIteration: 2, maxTurns: 12, concurrency: 2 },
    trainer: { kind: 'bundled', model: modelDir, options: { lr: 0.001, epochs: 1, batch_size: 2, max_seq_len: 4096 } },
    deploy: { kind: 'load-adapter' },
    evaluation: { episodes: 1 },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const [iteration, second] = result.results;
    assert.ok(existsSync(path.join(modelDir, 'config.json')), 'the tiny model was created from scratch');
    assert.equal(typeof iteration.trainLoss, 'number');
    assert.ok(Number.isFinite(iteration.trainLoss!) && iteration.trainLoss! > 0);
    const metrics = JSON.parse(readFileSync(path.join(result.runDir, 'metrics', 'iter-1.json'), 'utf8'));
    assert.equal(metrics.studentModel, `${id}-iter-1`);
    assert.ok(existsSync(metrics.train.modelDir), `checkpoint ${metrics.train.modelDir} exists`);
    assert.ok(metrics.train.steps >= 1);

    // The held-out episode sampled the deployed checkpoint, by name, with no teacher labels.
    const evalDir = path.join(result.runDir, 'episodes', `${id}.i1.eval0`, 'turns');
    const studentFiles = readdirSync(evalDir).filter((f) => f.endsWith('.student.json'));
    assert.ok(studentFiles.length >= 1);
    for (const f of studentFiles) {
      const output = JSON.parse(readFileSync(path.join(evalDir, f), 'utf8')) as PolicyOutput;
      assert.equal(output.model, `${id}-iter-1`);
    }
    assert.equal(readdirSync(evalDir).filter((f) => f.endsWith('.teacher.json')).length, 0);

    // Iteration 2 redeployed iteration 1's checkpoint, sampled it in its rollouts, and deployed its own.
    assert.equal(typeof second!.trainLoss, 'number');
    const metrics2 = JSON.parse(readFileSync(path.join(result.runDir, 'metrics', 'iter-2.json'), 'utf8'));
    assert.equal(metrics2.studentModel, `${id}-iter-2`);
    const rollout = path.join(result.runDir, 'episodes', `${id}.i2.e0`, 'turns');
    const proposals = readdirSync(rollout).filter((f) => f.endsWith('.student.json'));
    assert.ok(proposals.length >= 1);
    for (const f of proposals) assert.equal((JSON.parse(readFileSync(path.join(rollout, f), 'utf8')) as PolicyOutput).model, `${id}-iter-1`);
  } finally {
    await stack.close();
  }
});
