/**
 * The lookup suite (tasks/lookup) is valid and has the shape its design needs: it is what build.ts generates;
 * its splits partition it; each issue names two commands but no module, and api.py is the only place that says
 * which of three same-looking siblings holds each bug; in Docker the gold patch resolves, the empty patch and a
 * half fix do not (a fixed keyed sample; `LOOKUP_ALL=1` checks all). The oracle's own episode is 9 turns that never
 * leave its path, and from each injected student mistake at the first broken module it recovers and resolves;
 * two costly mistakes exhaust the turn budget (errors compound).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { shuffled } from '../core/random';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { loadSuite, readSplit } from '../env/swe/instances';
import { goldEdits, parseDiff } from '../env/swe/patches';
import { verify } from '../env/swe/verifier';
import { SweEnvironment } from '../env/swe/environment';
import type { TaskInstance } from '../env/types';
import type { TrajectoryRecord } from '../core/types';
import { runEpisode, type Actor } from '../studies/toy/episodes';
import { oracleCommands } from '../policies/oracle';
import { makeTasks, MODULES, SUITE_COUNT, SUITE_SEED } from '../tasks/lookup/family';
import { MISTAKES, mistakeAction, offPath } from '../tasks/lookup/states';
import { classify, lookupTask, MAX_TURNS, mistakenOracle } from '../tasks/lookup/measure';

const SUITE = path.join(__dirname, '..', 'tasks', 'lookup');
const LIMITS: SandboxLimits = { memoryMb: 512, cpus: 1, pids: 128, commandTimeoutS: 60, lifetimeS: 600 };
const EPISODE = { maxTurns: MAX_TURNS, maxConsecutiveFormatErrors: 3 };
const suite = loadSuite(SUITE);
const labels = { 'agent-dagger.test': 'lookup-suite' };

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const shape = (r: TrajectoryRecord) =>
  r.turns.map((t) => {
    const args = t.executed.toolCalls[0]?.arguments ?? {};
    return String(args.command ?? t.executed.toolCalls[0]?.name).split(' ')[0] + (args.command === 'view' ? `:${path.basename(String(args.path))}` : '');
  });

test('the generated files are up to date and deterministic', { timeout: 300_000 }, () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(SUITE, 'build.ts'), '--check'], { encoding: 'utf8' });
  assert.match(out, new RegExp(`up to date \\(${SUITE_COUNT} instances\\)`));
  assert.deepEqual(makeTasks(SUITE_SEED, 3), makeTasks(SUITE_SEED, 3));
  assert.notDeepEqual(makeTasks(1, 3), makeTasks(2, 3));
});

test('splits partition the suite; each issue needs the lookup: two commands, no module, two sibling modules to fix', () => {
  const train = readSplit(path.join(SUITE, 'splits', 'train.txt'), suite);
  const heldout = readSplit(path.join(SUITE, 'splits', 'heldout.txt'), suite);
  assert.ok(train.length >= 400 && heldout.length >= 100, `${train.length} train, ${heldout.length} heldout`);
  assert.deepEqual([...train, ...heldout].sort(), suite.instances.map((i) => i.instance_id).sort());
  const statements = suite.instances.map((t) => t.problem_statement.trim());
  for (const s of statements) assert.equal(statements.filter((o) => o.includes(s)).length, 1, `issue contained in another: ${s}`);
  for (const t of suite.instances) {
    const files = parseDiff(t.patch).map((f) => f.path);
    assert.equal(files.length, 2, t.instance_id);
    assert.equal(goldEdits(t.patch).length, 2, t.instance_id);
    assert.equal(t.FAIL_TO_PASS.length, 2, t.instance_id);
    assert.equal(t.PASS_TO_PASS.length, 1, t.instance_id);
    for (const m of MODULES) assert.ok(!new RegExp(`\\b${m}\\b`).test(t.problem_statement), `${t.instance_id}: the issue names ${m}`);
    // api.py alone maps each command of the issue to its module; every sibling defines the same functions.
    const repo = path.join(SUITE, String(t.repo_dir));
    const api = readFileSync(path.join(repo, 'api.py'), 'utf8');
    const commands = [...t.problem_statement.matchAll(/`(\w+)\(/g)].map((m) => m[1]);
    assert.equal(commands.length, 2, t.instance_id);
    const targets = commands.map((c) => new RegExp(`^def ${c}\\(.*\\): return (\\w+)\\.(\\w+)\\(`, 'm').exec(api));
    assert.deepEqual(targets.map((m) => `${m?.[1]}.py`), files, `${t.instance_id}: api.py points the commands at the patched modules, in fix order`);
    assert.ok(api.indexOf(`def ${commands[0]}(`) < api.indexOf(`def ${commands[1]}(`), `${t.instance_id}: first command first in api.py`);
    const siblings = [...api.slice(0, api.indexOf('\n')).matchAll(/\w+/g)].map((m) => m[0]).slice(1);
    assert.equal(siblings.length, 3, t.instance_id);
    const defs = (m: string) => [...readFileSync(path.join(repo, `${m}.py`), 'utf8').matchAll(/^def (\w+)/gm)].map((d) => d[1]).sort();
    for (const m of siblings) assert.deepEqual(defs(m), defs(siblings[0]), `${t.instance_id}: ${m} defines other functions`);
  }
});

test('in Docker the gold patch resolves; the empty patch and a half fix do not', { timeout: 900_000 }, async () => {
  const picked = process.env.LOOKUP_ALL === '1' ? suite.instances : shuffled(suite.instances, ['lookup-suite-test']).slice(0, 12);
  const sandboxes = new DockerSandboxes();
  const failures: string[] = [];
  const opts = { suiteDir: SUITE, limits: LIMITS, labels };
  await pool(picked, 2, async (task) => {
    const gold = await verify(sandboxes, task, task.patch, opts);
    if (!gold.resolved || gold.apply_method !== 'git apply' || gold.error) failures.push(`${task.instance_id}: gold not resolved (${gold.apply_method}, ${gold.error}, F2P failing ${gold.FAIL_TO_PASS.failure})`);
    const empty = await verify(sandboxes, task, '', opts);
    if (empty.resolved || empty.error || empty.FAIL_TO_PASS.failure.length !== 2 || empty.PASS_TO_PASS.failure.length > 0) failures.push(`${task.instance_id}: empty patch graded wrongly (F2P failing ${empty.FAIL_TO_PASS.failure})`);
    // Only the first module fixed: one of the two F2P tests still fails.
    const half = task.patch.slice(0, task.patch.indexOf('diff --git', 1));
    const partial = await verify(sandboxes, task, half, opts);
    if (partial.resolved || partial.FAIL_TO_PASS.failure.length !== 1) failures.push(`${task.instance_id}: half fix graded wrongly (F2P failing ${partial.FAIL_TO_PASS.failure})`);
  });
  assert.deepEqual(failures, []);
});

test('the off-path classifier and the mistakes are what they claim (pure)', () => {
  const instance = suite.instances[0] as TaskInstance;
  const task = lookupTask(instance.instance_id);
  const obs = (text: string) => ({ text, fullChars: text.length, truncated: false, exitCode: null, timedOut: false, durationMs: 0, error: false });
  const turn = (args: Record<string, unknown>, text = 'ok') => ({ executed: { content: '', toolCalls: [{ id: 'x', name: 'str_replace_editor', arguments: args }] }, observation: obs(text) });
  const [c] = task.broken;
  const file = `/testbed/${c.module}.py`;
  assert.equal(offPath(task, instance, turn({ command: 'view', path: '/testbed/api.py' })), null);
  assert.equal(offPath(task, instance, turn({ command: 'view', path: file })), null);
  assert.equal(offPath(task, instance, turn({ command: 'str_replace', path: file, old_str: c.buggyLine, new_str: c.fixedLine }, `The file ${file} has been edited.`)), null);
  assert.match(String(offPath(task, instance, turn({ command: 'str_replace', path: file, old_str: c.buggyLine, new_str: c.fixedLine }, 'ERROR: No replacement was performed'))), /failed edit/);
  assert.equal(offPath(task, instance, { executed: { content: 'hm', toolCalls: [] }, observation: obs('no call') }), 'malformed call');
  const bash = (command: string) => ({ executed: { content: '', toolCalls: [{ id: 'x', name: 'execute_bash', arguments: { command } }] }, observation: obs('') });
  assert.equal(offPath(task, instance, bash(String(oracleCommands(instance).symptom))), null);
  assert.equal(offPath(task, instance, bash(oracleCommands(instance).inspect)), null);
  assert.equal(offPath(task, instance, bash(`grep -rn 'def ${c.fn.name}' /testbed`)), 'other command');
  for (const m of MISTAKES) {
    const action = mistakeAction(task, m, 0);
    const applied = m === 'edit_sibling_applied' || m === 'edit_wrong_token';
    assert.notEqual(offPath(task, instance, { executed: action, observation: obs(applied ? 'The file has been edited.' : 'ERROR: No replacement was performed') }), null, m);
    if (m.startsWith('edit_sibling') || m === 'view_sibling') assert.ok(!task.broken.some((b) => action.toolCalls[0].arguments.path === `/testbed/${b.module}.py`), m);
  }
});

test('the oracle fixes both modules in 9 turns without leaving its path, and recovers from each early mistake', { timeout: 900_000 }, async () => {
  const env = new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { prompt: 'compact', labels });
  const task = suite.instances[0] as TaskInstance;
  const lt = lookupTask(task.instance_id);
  const oracle: Actor = async (_m, _t, label) => ({ executed: label, student: null });
  const ids = (name: string) => ({ experimentId: 'lookup-test', episodeId: `lookup-test-${name}`, beta: 1 });
  const clean = await runEpisode(env, task, oracle, ids('clean'), EPISODE);
  const [a, b] = lt.broken.map((c) => `${c.module}.py`);
  assert.deepEqual(shape(clean), ['grep', 'view:api.py', 'find', `view:${a}`, 'str_replace', `view:${b}`, 'str_replace', 'cd', 'finish']);
  assert.equal(clean.reward, 1);
  assert.equal(classify(clean).offPathTurns, 0);

  // Each mistake replaces the oracle's first view of a broken module; the turns each costs, and the recovery's first labels.
  const expected: Record<string, { turns: number; next: RegExp }> = {
    view_sibling: { turns: 10, next: new RegExp(`^view /testbed/${a}$`) },
    edit_sibling_failed: { turns: 11, next: /git diff --cached/ },
    edit_sibling_applied: { turns: 13, next: /git diff --cached/ },
    edit_failed: { turns: 11, next: /git diff --cached/ },
    edit_wrong_token: { turns: 13, next: /git diff --cached/ },
  };
  const failures: string[] = [];
  await pool([...MISTAKES], 2, async (m) => {
    const r = await runEpisode(env, task, mistakenOracle(lt, m, [0]), ids(m), EPISODE);
    const at = r.turns.findIndex((t) => t.executor === 'student');
    const label = r.turns[at + 1]?.label?.action.toolCalls[0]?.arguments ?? {};
    const next = label.command === 'view' ? `view ${label.path}` : String(label.command);
    const c = classify(r);
    if (r.reward !== 1 || r.turns.length !== expected[m].turns || !expected[m].next.test(next) || c.offPathTurns !== 1 || !c.firstOffPath?.beforeFirstFix) {
      failures.push(`${m}: reward ${r.reward}, ${r.turns.length} turns, next label ${next}, ${JSON.stringify(c.firstOffPath)}: ${shape(r).join(' ')}`);
    }
  });
  assert.deepEqual(failures, []);

  // Errors compound: the same costly mistake at both modules leaves too few turns to finish.
  const twice = await runEpisode(env, task, mistakenOracle(lt, 'edit_wrong_token', [0, 1]), ids('twice'), EPISODE);
  assert.equal(twice.endReason, 'max_turns');
  assert.equal(twice.reward, 0);
});
