/**
 * On-policy distillation and GRPO through the real workflows: tiny models created from scratch with the same
 * tokenizer serve the student and the teacher over HTTP (the bundled server, answering as vLLM does); the student
 * acts alone and records its sampled tokens with their log-probabilities; the iteration scores them under the
 * teacher (OPD) or the reference policy (GRPO's KL term) with one /v1/completions request per turn; D_i carries the
 * per-token values and the bundled trainer trains the objective they name. The teacher's scores are checked against
 * the teacher model's own log-probabilities computed directly with transformers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, venvPython } from '../config/paths';
import { POLICY_SAMPLES_SCHEMA, TOKEN_SCORES_SCHEMA, type PolicySamplesRecord, type TokenScores, type TurnRecord } from '../core/types';
import type { IterationMetrics } from '../core/records';
import { RunStore } from '../store/run-store';
import { startStack, suiteIds, testConfig } from './support/stack';

const ids = suiteIds();
const alone = { kind: 'dagger', beta: { type: 'constant', value: 0 } };
const sampling = { maxTokens: 24, timeoutS: 60, temperature: 1, topP: 1 };

function models() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-models-'));
  return { student: path.join(dir, 'student'), teacher: path.join(dir, 'teacher') };
}

/** log π(token | prefix) of each sampled token of each turn, computed by the model directory itself (transformers, fp32). */
function modelLogprobs(modelDir: string, turns: { promptTokenIds: number[]; tokenIds: number[] }[]): number[][] {
  const script = `
import json, sys, torch
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32).eval()
out = []
for turn in json.load(sys.stdin):
    ids = turn['promptTokenIds'] + turn['tokenIds']
    n = len(turn['tokenIds'])
    with torch.no_grad():
        rows = torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0].float(), dim=-1)
    out.append([float(rows[len(ids) - n - 1 + j, t]) for j, t in enumerate(turn['tokenIds'])])
print(json.dumps(out))
`;
  const run = spawnSync(venvPython(), ['-c', script, modelDir], { input: JSON.stringify(turns), encoding: 'utf8', env: { ...process.env, PYTHONPATH: path.join(PROJECT_ROOT, 'trainer') } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as number[][];
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-3, `${what}, token ${i}: ${v} vs ${expected[i]}`));
}

async function dataset(store: RunStore, iteration = 1): Promise<PolicySamplesRecord[]> {
  const text = (await store.getText(store.datasetKey(iteration))) ?? '';
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as PolicySamplesRecord);
}

async function studentTurns(store: RunStore, episodeId: string): Promise<TurnRecord[]> {
  const turns = await store.readTurns(episodeId);
  assert.ok(turns.length >= 1, `${episodeId} has turns`);
  return turns;
}

test('OPD: the student alone, every sampled token scored by the teacher, D_i with both log-probabilities, a train step on it', async () => {
  const dirs = models();
  const config = testConfig({
    algorithm: { ...alone, objective: 'opd' },
    student: { kind: 'local', model: dirs.student, init: 'tiny', ...sampling },
    // The same tokenizer (made from the same corpus with the same seed), other weights (a short copy warm-up).
    teacher: { kind: 'local', model: dirs.teacher, init: 'tiny', tiny: { template: 'chatml-json', copyWarmupSteps: 20 }, sharesStudentTokenizer: true, ...sampling },
    tasks: { suite: testConfig().tasks.suite, train: { ids: ids.slice(0, 2) } },
    rollout: { episodesPerIteration: 2, maxTurns: 3, concurrency: 2 },
    trainer: { kind: 'bundled', model: dirs.student, options: { lr: 0.001, epochs: 1, batch_size: 2, max_seq_len: 4096 } },
    deploy: { kind: 'load-adapter' },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const store = new RunStore(result.runDir);
    assert.equal(readFileSync(path.join(dirs.teacher, 'tokenizer.json'), 'utf8'), readFileSync(path.join(dirs.student, 'tokenizer.json'), 'utf8'), 'one tokenizer');
    const records = await dataset(store);
    assert.equal(records.length, 2, 'both episodes are in D_1');
    let scored = 0;
    for (const record of records) {
      assert.equal(record.schema, POLICY_SAMPLES_SCHEMA);
      assert.deepEqual(record.objective, { method: 'opd', clipEpsilon: 0.2, klCoef: 0 });
      const turns = await studentTurns(store, record.episodeId);
      // β = 0: no teacher turn, no teacher label; every turn's sample is recorded token for token.
      assert.ok(turns.every((t) => t.executor === 'student' && t.label === null));
      const scores = await store.getJson<TokenScores>(`${store.episodeKey(record.episodeId)}/scores.teacher.json`);
      assert.ok(scores, 'the teacher scored the episode');
      assert.equal(scores.schema, TOKEN_SCORES_SCHEMA);
      assert.equal(scores.model, 'teacher');
      assert.deepEqual(record.turns.map((t) => t.turn), turns.map((t) => t.turn));
      for (const [k, turn] of record.turns.entries()) {
        const sampled = turns[k]!.student!.sampled!;
        assert.ok(sampled.tokenIds.length >= 1 && sampled.promptTokenIds.length > 10);
        assert.equal(sampled.logprobs.length, sampled.tokenIds.length);
        assert.ok(sampled.logprobs.every((l) => l <= 0 && Number.isFinite(l)));
        assert.deepEqual(turn.tokenIds, sampled.tokenIds);
        assert.deepEqual(turn.promptTokenIds, sampled.promptTokenIds);
        assert.deepEqual(turn.values.behaviour_logprob, sampled.logprobs);
        assert.deepEqual(turn.values.teacher_logprob, scores.turns[k]!.logprobs);
        scored += sampled.tokenIds.length;
      }
      // The scores are the teacher model's own log-probabilities of the student's tokens after the student's prompt,
      // and the behaviour log-probabilities the student model's (iteration 1 samples the untrained base).
      assertClose(record.turns.flatMap((t) => t.values.teacher_logprob!), modelLogprobs(dirs.teacher, record.turns).flat(), `teacher scores of ${record.episodeId}`);
      assertClose(record.turns.flatMap((t) => t.values.behaviour_logprob!), modelLogprobs(dirs.student, record.turns).flat(), `behaviour log-probabilities of ${record.episodeId}`);
      // Other weights: the teacher's scores are not the student's own.
      assert.notDeepEqual(record.turns[0]!.values.teacher_logprob, record.turns[0]!.values.behaviour_logprob);
    }
    const metrics = (await store.getJson<IterationMetrics>(store.metricsKey(1)))!;
    assert.deepEqual(metrics.dataset.objective, { method: 'opd', turns: metrics.dataset.transitions, tokens: scored, scoredTokens: scored });
    assert.equal(metrics.dataset.effectiveSamples, metrics.dataset.transitions);
    assert.equal(metrics.rollout.teacherTurns, 0);
    assert.ok(metrics.train && metrics.train.steps >= 1 && Number.isFinite(metrics.train.finalLoss!), 'the trainer trained OPD on D_1');
  } finally {
    await stack.close();
  }
});

test('GRPO: G rollouts per task, rewards grouped, the reference scores every token for the KL term', async () => {
  const dirs = models();
  const config = testConfig({
    algorithm: { ...alone, objective: 'grpo', groupSize: 2, klCoef: 0.1 },
    student: { kind: 'local', model: dirs.student, init: 'tiny', ...sampling },
    tasks: { suite: testConfig().tasks.suite, train: { ids: ids.slice(0, 2) } },
    rollout: { episodesPerIteration: 4, maxTurns: 2, concurrency: 4 },
    trainer: { kind: 'bundled', model: dirs.student, options: { lr: 0.001, epochs: 1, batch_size: 2, max_seq_len: 4096 } },
    deploy: { kind: 'load-adapter' },
  });
  const stack = await startStack(config);
  try {
    const id = await stack.start();
    const result = await stack.result(id);
    const store = new RunStore(result.runDir);
    const metrics = (await store.getJson<IterationMetrics>(store.metricsKey(1)))!;
    // Two tasks, each rolled out twice (one group per task).
    const tasks = metrics.episodes.map((e) => e.taskId);
    assert.equal(tasks.length, 4);
    assert.equal(tasks[0], tasks[1]);
    assert.equal(tasks[2], tasks[3]);
    const counts = metrics.dataset.objective!;
    assert.equal(counts.method, 'grpo');
    assert.equal(counts.groups, 2);
    assert.equal(counts.groupsUsed! + counts.groupsSkipped!, 2);
    for (const [g, pair] of [metrics.episodes.slice(0, 2), metrics.episodes.slice(2, 4)].entries()) {
      const rewards = pair.map((e) => e.reward);
      const varies = rewards[0] !== rewards[1] && rewards.every((r) => r !== null);
      const kept = (await dataset(store)).filter((r) => r.group === `g${g}`);
      assert.equal(kept.length, varies ? 2 : 0, `group ${g} (rewards ${rewards}) is trained on only when its rewards differ`);
      for (const record of kept) assert.ok(Math.abs(Math.abs(record.advantage!) - 0.5 / (Math.SQRT1_2 + 1e-6)) < 1e-9);
    }
    // Every episode's sampled tokens were scored under the reference (the student's base model, by its name).
    for (const e of metrics.episodes) {
      const turns = await studentTurns(store, e.episodeId);
      const scores = (await store.getJson<TokenScores>(`${store.episodeKey(e.episodeId)}/scores.reference.json`))!;
      assert.equal(scores.model, 'student');
      assert.deepEqual(scores.turns.map((t) => t.logprobs.length), turns.map((t) => t.student!.sampled!.tokenIds.length));
      // The reference is the policy that sampled in iteration 1: its scores are the behaviour log-probabilities.
      assertClose(scores.turns.flatMap((t) => t.logprobs), turns.flatMap((t) => t.student!.sampled!.logprobs), `reference scores of ${e.episodeId}`);
    }
    assert.equal(metrics.dataset.transitions, counts.turns);
    assert.equal(metrics.dataset.effectiveSamples, counts.turns);
    // A train step runs exactly when some group had reward variance.
    assert.equal(metrics.train !== null, counts.turns > 0);
  } finally {
    await stack.close();
  }
});
