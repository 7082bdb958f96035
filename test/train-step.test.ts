/**
 * The train-step activity's config for the trainer: D = D_0 ∪ D_1 ∪ … ∪ D_i, the demonstrations first.
 * A `command` trainer (a one-line shell script that copies its config and reports done) stands in for the
 * bundled one, so this needs neither Python nor Temporal; the real trainer is covered by test/train-loop.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createTrainActivities } from '../activities/train';
import type { TrainStepResult } from '../core/records';
import { loadConfig } from '../config/load';
import { PROJECT_ROOT } from '../config/paths';

test('a train step trains on the demonstrations (D_0) and every dataset of the run so far', async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'train-step-'));
  // The run's datasets exist (a missing one fails the step, naming it: below).
  mkdirSync(path.join(runDir, 'datasets'));
  for (const i of [1, 2]) writeFileSync(path.join(runDir, 'datasets', `iter-${i}.jsonl`), '');
  const seen = path.join(runDir, 'seen.json');
  const script = `cp "$1" ${seen} && echo '{"event": "done", "model_dir": "m", "steps": 3, "final_loss": 0.5}'`;
  const trainer = {
    kind: 'command' as const,
    command: ['sh', '-c', script, 'sh', '{config}'],
    model: 'base',
    continueFromPrevious: true,
    demonstrations: ['/data/d0.jsonl'],
    options: { lr: 0.001 },
    timeoutS: 60,
  };
  const result: TrainStepResult = await new MockActivityEnvironment().run(createTrainActivities().trainStep, {
    runDir,
    iteration: 2,
    trainer,
    datasets: ['datasets/iter-1.jsonl', 'datasets/iter-2.jsonl'],
    initFrom: '/ckpt/iter-1/model',
    seed: 4,
  });
  assert.deepEqual([result.modelDir, result.steps, result.finalLoss], ['m', 3, 0.5]);
  const config = JSON.parse(readFileSync(seen, 'utf8'));
  assert.deepEqual(config.datasets, ['/data/d0.jsonl', path.join(runDir, 'datasets/iter-1.jsonl'), path.join(runDir, 'datasets/iter-2.jsonl')]);
  assert.deepEqual([config.lr, config.model, config.init_from, config.seed], [0.001, 'base', '/ckpt/iter-1/model', 4]);
  await assert.rejects(
    new MockActivityEnvironment().run(createTrainActivities().trainStep, { runDir, iteration: 3, trainer, datasets: ['datasets/iter-3.jsonl'], initFrom: null, seed: 4 }),
    /datasets\/iter-3\.jsonl does not exist/,
  );

  // In a config file, demonstrations are paths relative to it; none by default.
  const toy = loadConfig(path.join(PROJECT_ROOT, 'config', 'toy-dagger.yaml'));
  assert.ok(toy.trainer.kind === 'bundled');
  assert.deepEqual(toy.trainer.demonstrations, [path.join(PROJECT_ROOT, 'runs', 'toy-bc', 'datasets', 'iter-1.jsonl')]);
  const plain = loadConfig(path.join(PROJECT_ROOT, 'config', 'toy.yaml'));
  assert.deepEqual(plain.trainer.kind === 'bundled' && plain.trainer.demonstrations, []);
});

test('a bundled trainer that rejects its config fails the step for good (no retries), saying why', async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'train-step-bad-'));
  const dataset = path.join(runDir, 'datasets', 'iter-1.jsonl');
  mkdirSync(path.dirname(dataset), { recursive: true });
  writeFileSync(dataset, '');
  const modelDir = mkdtempSync(path.join(os.tmpdir(), 'train-step-model-'));
  const trainer = { kind: 'bundled' as const, model: modelDir, continueFromPrevious: true, demonstrations: [], options: { lr: -1 }, timeoutS: 60 };
  await assert.rejects(
    new MockActivityEnvironment().run(createTrainActivities().trainStep, { runDir, iteration: 1, trainer, datasets: ['datasets/iter-1.jsonl'], initFrom: null, seed: 0 }),
    (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, String(err));
      assert.equal(err.nonRetryable, true);
      assert.equal(err.type, 'TrainerConfigRejected');
      assert.match(err.message, /lr must be a positive float/);
      return true;
    },
  );
});
