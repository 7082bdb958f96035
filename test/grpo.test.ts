/**
 * GRPO's reward and group-normalised advantages (core/grpo.ts): the values by hand, groups without reward variance
 * skipped and counted, unjudged episodes left out, and the same numbers as the trainer's own implementation
 * (trainer/agent_dagger_trainer/objective.py, group_advantages) run in the project's venv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT, venvPython } from '../config/paths';
import { ADVANTAGE_EPS, groupAdvantages, rewardOf } from '../core/grpo';

test('the reward is the verifier resolving the task; an episode it could not judge has none', () => {
  const verified = { patchApplied: true, error: null, ref: null };
  assert.equal(rewardOf({ ...verified, resolved: true }), 1);
  assert.equal(rewardOf({ ...verified, resolved: false }), 0);
  assert.equal(rewardOf({ ...verified, resolved: false, error: 'docker: no such container' }), null);
  assert.equal(rewardOf(null), null);
});

test('advantages are (R − mean) / (sample std + ε) per group; groups without variance are skipped and counted', () => {
  const members = [
    { group: 'a', reward: 1 },
    { group: 'a', reward: 0 },
    { group: 'a', reward: 0 },
    { group: 'a', reward: 0 },
    { group: 'b', reward: 1 },
    { group: 'b', reward: 1 },
    { group: 'c', reward: 0 },
    { group: 'c', reward: null },
    { group: 'd', reward: 0 },
    { group: 'd', reward: 1 },
    { group: 'd', reward: null },
  ];
  const result = groupAdvantages(members);
  // Group a: mean 1/4, sample std sqrt(((3/4)² + 3·(1/4)²) / 3) = 1/2.
  const a = (r: number) => (r - 0.25) / (0.5 + ADVANTAGE_EPS);
  // Group d (the unjudged member left out): mean 1/2, sample std sqrt(2·(1/2)² / 1) = √½.
  const d = (r: number) => (r - 0.5) / (Math.SQRT1_2 + ADVANTAGE_EPS);
  const expected = [a(1), a(0), a(0), a(0), null, null, null, null, d(0), d(1), null];
  result.advantages.forEach((value, i) => {
    if (expected[i] === null) assert.equal(value, null, `member ${i}`);
    else assert.ok(Math.abs(value! - expected[i]!) < 1e-12, `member ${i}: ${value} vs ${expected[i]}`);
  });
  assert.ok(Math.abs(a(1) - 1.5) < 1e-5);
  assert.deepEqual({ used: result.groupsUsed, skipped: result.groupsSkipped, unjudged: result.unjudged }, { used: 2, skipped: 2, unjudged: 2 });
  // Within a used group the advantages sum to zero.
  assert.ok(Math.abs(result.advantages.slice(0, 4).reduce((s, v) => s! + v!, 0)!) < 1e-9);
});

test("the advantages equal the trainer's group_advantages on the same rewards", () => {
  const rewards = [1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1];
  const groups = rewards.map((_, i) => `g${Math.floor(i / 4)}`);
  const ours = groupAdvantages(rewards.map((reward, i) => ({ group: groups[i]!, reward })));
  const script = [
    'import json, sys',
    'from agent_dagger_trainer.objective import group_advantages',
    'r = group_advantages(*json.loads(sys.argv[1]))',
    'print(json.dumps({"advantages": r.advantages, "skipped": r.skipped_groups}))',
  ].join('\n');
  const run = spawnSync(venvPython(), ['-c', script, JSON.stringify([rewards, groups])], {
    env: { ...process.env, PYTHONPATH: path.join(PROJECT_ROOT, 'trainer') },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const theirs = JSON.parse(run.stdout) as { advantages: (number | null)[]; skipped: number };
  assert.equal(theirs.skipped, ours.groupsSkipped);
  assert.equal(ours.groupsSkipped, 2);
  theirs.advantages.forEach((v, i) => {
    if (v === null) assert.equal(ours.advantages[i], null);
    else assert.ok(Math.abs(v - ours.advantages[i]!) < 1e-9, `member ${i}: trainer ${v}, ours ${ours.advantages[i]}`);
  });
});
