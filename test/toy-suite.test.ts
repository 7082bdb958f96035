/**
 * The toy suite (tasks/toy) is valid and shaped as designed: it is what build.ts generates; its splits
 * partition it; in Docker the gold patch resolves and the empty patch does not (a fixed keyed sample of
 * 40 instances here; `TOY_ALL=1` validates all of them); the oracle's episode is the short regular
 * six-turn script, and it still resolves after an off-track student action (recovery states exist); the
 * compact prompt style describes the same tools and the oracle still resolves tasks with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { shuffled } from '../core/random';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { loadSuite, readSplit } from '../env/swe/instances';
import { goldEdits } from '../env/swe/patches';
import { verify } from '../env/swe/verifier';
import { SweEnvironment } from '../env/swe/environment';
import { COMPACT_TOOLS, TOOLS } from '../env/tools/definitions';
import { validateToolCall } from '../env/tools/validate';
import type { TaskInstance } from '../env/types';
import type { Message, ToolCall } from '../core/types';
import { oracleAction, oracleEdits } from '../policies/oracle';
import { FUNCTIONS, makeTasks } from '../tasks/toy/family';
import { noisyOracle, runEpisode, type Actor } from '../studies/toy/episodes';

const SUITE = path.join(__dirname, '..', 'tasks', 'toy');
const LIMITS: SandboxLimits = { memoryMb: 512, cpus: 1, pids: 128, commandTimeoutS: 60, lifetimeS: 600 };
const suite = loadSuite(SUITE);

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

test('the generated files are up to date and deterministic', { timeout: 120_000 }, () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(SUITE, 'build.ts'), '--check'], { encoding: 'utf8' });
  assert.match(out, /up to date \(500 instances\)/);
  assert.deepEqual(makeTasks(20260524, 3), makeTasks(20260524, 3));
  assert.notDeepEqual(makeTasks(1, 3), makeTasks(2, 3));
});

test('the suite has ≥ 400 train and ≥ 100 heldout instances with distinct issues, one hunk each', () => {
  const train = readSplit(path.join(SUITE, 'splits', 'train.txt'), suite);
  const heldout = readSplit(path.join(SUITE, 'splits', 'heldout.txt'), suite);
  assert.ok(train.length >= 400 && heldout.length >= 100, `${train.length} train, ${heldout.length} heldout`);
  assert.deepEqual([...train, ...heldout].sort(), suite.instances.map((i) => i.instance_id).sort());
  assert.equal(new Set([...train, ...heldout]).size, suite.instances.length, 'an id is in both splits');
  const statements = suite.instances.map((t) => t.problem_statement.trim());
  for (const s of statements) assert.equal(statements.filter((o) => o.includes(s)).length, 1, `issue contained in another: ${s}`);
  for (const t of suite.instances) {
    assert.equal(goldEdits(t.patch).length, 1, t.instance_id);
    assert.equal(t.FAIL_TO_PASS.length, 1, t.instance_id);
    assert.equal(t.PASS_TO_PASS.length, FUNCTIONS - 1, t.instance_id);
  }
});

test('in Docker the gold patch resolves and the empty patch does not', { timeout: 900_000 }, async () => {
  // A fixed keyed sample keeps the test short; TOY_ALL=1 checks every instance (done once by hand: see docs/toy-tasks.md).
  const picked = process.env.TOY_ALL === '1' ? suite.instances : shuffled(suite.instances, ['toy-suite-test']).slice(0, 40);
  const sandboxes = new DockerSandboxes();
  const failures: string[] = [];
  const started = Date.now();
  const opts = { suiteDir: SUITE, limits: LIMITS, labels: { 'agent-dagger.test': 'toy-suite' } };
  await pool(picked, 2, async (task) => {
    const gold = await verify(sandboxes, task, task.patch, opts);
    if (!gold.resolved || gold.apply_method !== 'git apply' || gold.error) failures.push(`${task.instance_id}: gold not resolved (${gold.apply_method}, ${gold.error}, F2P failing ${gold.FAIL_TO_PASS.failure}, P2P failing ${gold.PASS_TO_PASS.failure})`);
    const empty = await verify(sandboxes, task, '', opts);
    if (empty.resolved || empty.error || empty.FAIL_TO_PASS.failure.length !== 1 || empty.PASS_TO_PASS.failure.length > 0) {
      failures.push(`${task.instance_id}: empty patch graded wrongly (resolved ${empty.resolved}, ${empty.error}, F2P failing ${empty.FAIL_TO_PASS.failure}, P2P failing ${empty.PASS_TO_PASS.failure})`);
    }
  });
  console.log(`verified ${picked.length} toy instances × {gold, empty} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(failures, []);
});

test('the oracle solves a toy task in six regular turns and recovers from an off-track action', { timeout: 300_000 }, async () => {
  const env = new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { labels: { 'agent-dagger.test': 'toy-suite' } });
  const task = suite.instances[0] as TaskInstance;
  const clean = await runEpisode(env, task, noisyOracle(task, 0, 0), { experimentId: 'toy-test', episodeId: 'toy-test-clean', beta: 1 });
  const shape = clean.turns.map((t) => String(t.executed.toolCalls[0]?.arguments.command ?? t.executed.toolCalls[0]?.name).split(' ')[0]);
  assert.deepEqual(shape, ['grep', 'find', 'view', 'str_replace', 'cd', 'finish']);
  assert.equal(clean.reward, 1);
  // The view shows the whole two-line module, the edit replaces only the buggy line (the hunk is the whole file).
  const [view, edit] = [clean.turns[2], clean.turns[3]].map((t) => t.executed.toolCalls[0].arguments);
  assert.deepEqual(view.view_range, [1, 2]);
  const gold = goldEdits(task.patch)[0];
  const changed = gold.oldStr.split('\n').filter((line) => !gold.newStr.split('\n').includes(line));
  assert.deepEqual([edit.old_str], changed, 'the str_replace sends the one changed line');
  assert.ok(!String(edit.new_str).includes('\n') && gold.newStr.includes(String(edit.new_str)));
  // A wrong edit first: a state the oracle never visits alone; its labels there inspect, repair and redo.
  const wrongFirst: Actor = async (messages, t, label) =>
    t === 0
      ? { executed: { content: '', toolCalls: [{ id: 's0', name: 'execute_bash', arguments: { command: `cd /testbed && sed -i 's/return/return 1 +/' ${task.repo.split('/')[1]}.py` } }] }, student: null }
      : noisyOracle(task, 0, 0)(messages, t, label);
  const recovered = await runEpisode(env, task, wrongFirst, { experimentId: 'toy-test', episodeId: 'toy-test-recover', beta: 1 });
  const labels = recovered.turns.map((t) => String(t.label?.action.toolCalls[0]?.arguments.command ?? ''));
  assert.match(labels[1], /git add -A && git diff --cached/, 'the oracle inspects after the unknown command');
  assert.match(labels[2], /git checkout .* -- /, 'and restores the module');
  assert.equal(recovered.reward, 1, `not resolved: ${labels.join(' | ')}`);
  console.log(`clean episode ${clean.turns.length} turns; after a wrong first edit ${recovered.turns.length} turns`);
});

test('the compact prompt style keeps the tools and their argument schemas, and the oracle resolves with it', { timeout: 300_000 }, async () => {
  // Same tools, parameter names, types, enums and required lists; only the descriptions are shorter.
  const schemaOf = (tools: typeof TOOLS) =>
    tools.map((t) => {
      const p = t.function.parameters as { type: string; required: string[]; properties: Record<string, Record<string, unknown>> };
      return { name: t.function.name, type: p.type, required: p.required, properties: Object.fromEntries(Object.entries(p.properties).map(([k, { description: _d, ...rest }]) => [k, rest])) };
    });
  assert.deepEqual(schemaOf(COMPACT_TOOLS), schemaOf(TOOLS));
  for (const t of COMPACT_TOOLS) {
    assert.ok(t.function.description.length > 0 && t.function.description.length <= 40, `${t.function.name}: ${t.function.description}`);
    for (const [k, prop] of Object.entries((t.function.parameters as { properties: Record<string, object> }).properties)) assert.ok(!('description' in prop), `${t.function.name}.${k}`);
  }
  const task = suite.instances[1] as TaskInstance;
  const openhands = new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS);
  const compact = new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { prompt: 'compact', labels: { 'agent-dagger.test': 'toy-suite' } });
  assert.equal(openhands.tools(), TOOLS);
  assert.equal(compact.tools(), COMPACT_TOOLS);
  const chars = (env: SweEnvironment) => JSON.stringify([env.prompt(task), env.tools()]).length;
  assert.ok(chars(compact) * 2.5 < chars(openhands), `compact prompt ${chars(compact)} chars vs openhands ${chars(openhands)}`);
  const [system, user] = compact.prompt(task);
  assert.equal(system.role, 'system');
  assert.ok(user.content.includes(task.problem_statement.trim()) && user.content.includes(task.workdir), user.content);

  const episode = await runEpisode(compact, task, noisyOracle(task, 0, 0), { experimentId: 'toy-test', episodeId: 'toy-test-compact', beta: 1 });
  assert.deepEqual(episode.tools, COMPACT_TOOLS);
  assert.deepEqual(episode.prompt, compact.prompt(task));
  const shape = episode.turns.map((t) => String(t.executed.toolCalls[0]?.arguments.command ?? t.executed.toolCalls[0]?.name).split(' ')[0]);
  assert.deepEqual(shape, ['grep', 'find', 'view', 'str_replace', 'cd', 'finish']);
  for (const t of episode.turns) assert.equal(validateToolCall(t.executed.toolCalls[0], COMPACT_TOOLS), null);
  assert.equal(episode.reward, 1);
  console.log(`compact prompt: ${chars(compact)} characters of prompt and tools (openhands ${chars(openhands)})`);
});

test('the oracle edits only the changed lines when its hunk is the whole file, and sends the whole hunk after that failed', () => {
  const diff = (header: string, body: string[]) => ['diff --git a/m.py b/m.py', '--- a/m.py', '+++ b/m.py', header, ...body, ''].join('\n');
  const whole = diff('@@ -1,2 +1,2 @@', [' def f(x): return x', '-def g(a, b): return a + b', '+def g(a, b): return a % b']);
  const [short] = oracleEdits(whole);
  assert.deepEqual([short.oldStr, short.newStr], ['def g(a, b): return a + b', 'def g(a, b): return a % b']);
  assert.deepEqual(short.hunk, { oldStr: 'def f(x): return x\ndef g(a, b): return a + b', newStr: 'def f(x): return x\ndef g(a, b): return a % b' });
  assert.equal(short.span, 2, 'the view still shows the whole hunk');
  // Not provably the whole file (it starts further down, or has a full 3-line context after the change): the hunk.
  const middle = diff('@@ -5,3 +5,3 @@', [' a = 1', '-b = 2', '+b = 3', ' c = 4']);
  assert.equal(oracleEdits(middle)[0].oldStr, ' a = 1\n-b = 2\n c = 4'.replace(/^[ -]/gm, ''));
  const trailing = diff('@@ -1,4 +1,4 @@', ['-b = 2', '+b = 3', ' c = 4', ' d = 5', ' e = 6']);
  assert.equal(oracleEdits(trailing)[0].oldStr, 'b = 2\nc = 4\nd = 5\ne = 6');
  // The changed line also occurs elsewhere in the file: not unique, the hunk.
  const twice = diff('@@ -1,2 +1,2 @@', [' x = 1', '-x = 1', '+x = 2']);
  assert.equal(oracleEdits(twice)[0].oldStr, 'x = 1\nx = 1');

  // Through oracleAction on a toy task: the short form first; once it failed, inspect, view, then the whole hunk.
  const task = suite.instances[0] as TaskInstance;
  const env = new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { prompt: 'compact' });
  const messages: Message[] = [...env.prompt(task)];
  const step = (observe: (call: ToolCall) => string) => {
    const action = oracleAction([task], messages);
    const call = action.toolCalls[0];
    messages.push({ role: 'assistant', content: action.content, toolCalls: action.toolCalls }, { role: 'tool', toolCallId: call.id, content: observe(call) });
    return call;
  };
  const [gold] = oracleEdits(task.patch);
  for (let t = 0; t < 3; t++) step(() => 'ok');
  const first = step(() => 'ERROR: No replacement was performed.');
  assert.equal(first.arguments.old_str, gold.oldStr);
  assert.match(String(step(() => '=== oracle: diff against base ===\n').arguments.command), /git diff --cached/);
  assert.equal(step(() => 'the file').arguments.command, 'view');
  const second = step(() => 'The file has been edited.');
  assert.deepEqual([second.arguments.old_str, second.arguments.new_str], [gold.hunk.oldStr, gold.hunk.newStr]);
});
