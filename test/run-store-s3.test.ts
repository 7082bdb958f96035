/**
 * One small experiment through the real workflows (embedded Temporal, Docker sandboxes, the bundled policies over
 * HTTP, the bundled trainer on a tiny student) with `store: {kind: s3}` on a real S3-compatible server (weed): every
 * record lands in the bucket, the train step reads its dataset from there and uploads its checkpoint, the deploy
 * fetches it, and nothing of the run is written under runRoot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { PolicyOutput } from '../core/types';
import type { IterationMetrics } from '../core/records';
import { startS3Server } from './support/s3';
import { startStack, suiteIds, testConfig } from './support/stack';

test('an experiment with an S3 store: records, dataset, checkpoint and report in the bucket, through the workflows', { timeout: 900_000 }, async () => {
  const s3 = await startS3Server();
  const stack = await (async () => {
    try {
      await s3.createBucket('runs');
      const modelDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-models-')), 'tiny');
      const ids = suiteIds();
      const config = testConfig({
        algorithm: { kind: 'dagger', beta: { type: 'constant', value: 1 }, studentProposals: true },
        student: { kind: 'local', model: modelDir, init: 'tiny', maxTokens: 64, timeoutS: 60 },
        tasks: { suite: testConfig().tasks.suite, train: { ids: ids.slice(0, 2) }, heldout: { ids: ids.slice(2, 3) } },
        rollout: { episodesPerIteration: 2, maxTurns: 6, concurrency: 2 },
        trainer: { kind: 'bundled', model: modelDir, options: { lr: 0.001, epochs: 1, batch_size: 2, max_seq_len: 4096 } },
        deploy: { kind: 'load-adapter' },
        evaluation: { episodes: 1, initial: false },
        store: s3.storeConfig('runs', 'team'),
      });
      return await startStack(config);
    } catch (err) {
      await s3.stop();
      throw err;
    }
  })();
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    assert.ok(result.runDir.startsWith('s3://runs/team/'), result.runDir);
    assert.ok(!existsSync(path.join(stack.config.runRoot, id)), 'nothing of the run under runRoot');

    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.client.send(new ListObjectsV2Command({ Bucket: 'runs', Prefix: `team/${id}/`, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!.slice(`team/${id}/`.length)));
      token = page.NextContinuationToken;
    } while (token);
    const get = async (key: string) => (await s3.client.send(new GetObjectCommand({ Bucket: 'runs', Key: `team/${id}/${key}` }))).Body!.transformToString();

    for (const key of ['config.json', 'summary.json', 'datasets/iter-1.jsonl', 'metrics/iter-1.json', 'report/index.html', 'report/report.json', 'checkpoints/iter-1/checkpoint.json']) {
      assert.ok(keys.includes(key), `${key} in the bucket (have: ${keys.filter((k) => !k.startsWith('episodes/')).join(', ')})`);
    }
    for (const e of [0, 1]) {
      for (const f of ['episode.json', 'trajectory.json', 'verification.json', 'turns/0.json', 'turns/0.teacher.json']) assert.ok(keys.includes(`episodes/${id}.i1.e${e}/${f}`), `episodes/${id}.i1.e${e}/${f}`);
    }
    const dataset = (await get('datasets/iter-1.jsonl')).trim().split('\n');
    assert.ok(dataset.length >= 1, 'D_1 holds trajectories');

    // The checkpoint: uploaded under this host's output key, claimed once, and what the next readers fetch.
    const metrics = JSON.parse(await get('metrics/iter-1.json')) as IterationMetrics & { train: { modelDir: string; steps: number } };
    assert.ok(metrics.train.steps >= 1);
    assert.match(metrics.train.modelDir, new RegExp(`^s3://runs/team/${id}/checkpoints/iter-1/[^/]+/`));
    const claim = JSON.parse(await get('checkpoints/iter-1/checkpoint.json')) as { modelDir: string };
    assert.equal(claim.modelDir, metrics.train.modelDir);
    const modelKeys = keys.filter((k) => k.startsWith('checkpoints/iter-1/') && k !== 'checkpoints/iter-1/checkpoint.json');
    assert.ok(modelKeys.some((k) => k.endsWith('.safetensors') || k.endsWith('.bin')), `model weights in the bucket: ${modelKeys.join(', ')}`);

    // The held-out episode sampled the deployed checkpoint (fetched from the bucket), by name.
    const evalTurns = keys.filter((k) => k.startsWith(`episodes/${id}.i1.eval0/turns/`) && k.endsWith('.student.json'));
    assert.ok(evalTurns.length >= 1);
    for (const k of evalTurns) assert.equal((JSON.parse(await get(k)) as PolicyOutput).model, `${id}-iter-1`);
    assert.ok(JSON.parse(await get('report/report.json')).runDir.startsWith('s3://runs/team/'));
  } finally {
    await stack.close();
    await s3.stop();
  }
});
