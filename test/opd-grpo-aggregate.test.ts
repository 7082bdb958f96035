/**
 * D_i of an on-policy objective from the run store's records (activities/samples.ts): GRPO's groups with their
 * rewards (the verifier's), advantages on every sampled token, groups without variance and unjudged episodes left
 * out and counted, the reference's scores attached for the KL term; OPD refuses an episode the teacher did not score.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aggregateSamples } from '../activities/samples';
import { groupAdvantages } from '../core/grpo';
import type { OnPolicyObjective } from '../core/policy-samples';
import { TOKEN_SCORES_SCHEMA, TRAJECTORY_SCHEMA, TURN_SCHEMA, type PolicySamplesRecord, type TokenScores, type TrajectoryRecord, type TurnRecord } from '../core/types';
import { RunStore } from '../store/run-store';

const observation = { text: 'ok', fullChars: 2, truncated: false, exitCode: 0, timedOut: false, durationMs: 1, error: false };

function turn(episodeId: string, t: number, seed: number): TurnRecord {
  const tokens = Array.from({ length: 3 + (seed % 3) }, (_, j) => 10 + seed + j);
  return {
    schema: TURN_SCHEMA,
    experimentId: 'x',
    iteration: 1,
    episodeId,
    taskId: 'task',
    turn: t,
    executor: 'student',
    mixing: { kind: 'dagger', beta: 0 },
    label: null,
    student: {
      action: { content: '', toolCalls: [] },
      usage: { promptTokens: 20, completionTokens: tokens.length },
      latencyMs: 1,
      model: 'student',
      contextExceeded: false,
      sampled: { promptTokenIds: Array.from({ length: 20 + t }, (_, j) => j), tokenIds: tokens, logprobs: tokens.map((_, j) => -0.1 * (j + 1)) },
    },
    executed: { content: '', toolCalls: [] },
    observation,
    fullObservationRef: null,
  };
}

function trajectory(episodeId: string, taskId: string, resolved: boolean | null, turns = 2): TrajectoryRecord {
  return {
    schema: TRAJECTORY_SCHEMA,
    experimentId: 'x',
    iteration: 1,
    episodeId,
    taskId,
    prompt: [{ role: 'user', content: 'fix it' }],
    tools: [],
    turns: Array.from({ length: turns }, (_, t) => turn(episodeId, t, episodeId.length + t)),
    endReason: 'max_turns',
    reward: resolved === null ? null : resolved ? 1 : 0,
    verification: resolved === null ? { resolved: false, patchApplied: false, error: 'sandbox lost', ref: null } : { resolved, patchApplied: true, error: null, ref: null },
  };
}

async function runWith(trajectories: TrajectoryRecord[], scorer?: 'teacher' | 'reference'): Promise<RunStore> {
  const store = new RunStore(mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-samples-')));
  for (const t of trajectories) {
    await store.putJson(store.trajectoryKey(t.episodeId), t);
    if (!scorer) continue;
    const turns = t.turns.map((r) => ({ turn: r.turn, logprobs: r.student!.sampled!.tokenIds.map((_, j) => -1 - j) }));
    const scores: TokenScores = { schema: TOKEN_SCORES_SCHEMA, episodeId: t.episodeId, scorer, model: scorer, turns, tokens: turns.reduce((n, x) => n + x.logprobs.length, 0) };
    await store.putJson(`${store.episodeKey(t.episodeId)}/scores.${scorer}.json`, scores);
  }
  return store;
}

const lines = async (store: RunStore) =>
  ((await store.getText(store.datasetKey(1))) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PolicySamplesRecord);

test('GRPO: advantages per group on every sampled token, skipped groups and unjudged episodes counted, reference scores attached', async () => {
  const grpo: OnPolicyObjective = { method: 'grpo', groupSize: 3, klCoef: 0.1, clipEpsilon: 0.2 };
  const trajectories = [
    trajectory('a0', 'A', true),
    trajectory('a1', 'A', false),
    trajectory('a2', 'A', false, 3),
    trajectory('b0', 'B', false),
    trajectory('b1', 'B', false),
    trajectory('b2', 'B', null),
  ];
  const store = await runWith(trajectories, 'reference');
  const groups = [['a0', 'a1', 'a2'], ['b0', 'b1', 'b2']];
  const result = await aggregateSamples(store, { iteration: 1, episodeIds: trajectories.map((t) => t.episodeId), objective: grpo, groups });
  const expected = groupAdvantages([1, 0, 0].map((reward) => ({ group: 'A', reward })));
  const records = await lines(store);
  assert.deepEqual(records.map((r) => r.episodeId), ['a0', 'a1', 'a2']);
  records.forEach((r, i) => {
    assert.equal(r.group, 'g0');
    assert.equal(r.advantage, expected.advantages[i]);
    assert.deepEqual(r.objective, { method: 'grpo', clipEpsilon: 0.2, klCoef: 0.1 });
    for (const t of r.turns) {
      assert.deepEqual(t.values.advantage, t.tokenIds.map(() => expected.advantages[i]));
      assert.deepEqual(t.values.reference_logprob, t.tokenIds.map((_, j) => -1 - j));
      assert.equal(t.values.behaviour_logprob!.length, t.tokenIds.length);
      assert.equal(t.values.teacher_logprob, undefined);
    }
  });
  const turns = 2 + 2 + 3;
  assert.deepEqual(result.objective, {
    method: 'grpo',
    turns,
    tokens: records.reduce((n, r) => n + r.turns.reduce((k, t) => k + t.tokenIds.length, 0), 0),
    groups: 2,
    groupsUsed: 1,
    groupsSkipped: 1,
    unjudged: 1,
  });
  assert.equal(result.transitions, turns);
  assert.equal(result.effectiveSamples, turns);
  assert.equal(result.kept, 3);
  assert.equal(result.trajectories, 6);
});

test('OPD: the teacher scores become teacher_logprob; an unscored episode is refused with what to do', async () => {
  const opd: OnPolicyObjective = { method: 'opd', groupSize: 1, klCoef: 0, clipEpsilon: 0.2 };
  const store = await runWith([trajectory('e0', 'A', false)], 'teacher');
  const result = await aggregateSamples(store, { iteration: 1, episodeIds: ['e0'], objective: opd });
  const [record] = await lines(store);
  assert.deepEqual(record!.turns.map((t) => t.values.teacher_logprob), record!.turns.map((t) => t.tokenIds.map((_, j) => -1 - j)));
  assert.equal(record!.advantage, undefined);
  assert.equal(result.objective!.scoredTokens, result.objective!.tokens);

  const unscored = await runWith([trajectory('e1', 'A', true)]);
  await assert.rejects(aggregateSamples(unscored, { iteration: 1, episodeIds: ['e1'], objective: opd }), /episode e1: the teacher's token scores are missing \(scores\.teacher\.json\)/);
});
