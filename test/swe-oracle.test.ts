/**
 * The oracle teacher solves bundled tasks end to end through SweEnvironment (real Docker sandboxes, the
 * real tools, the real verifier), and recovers from off-track actions injected before it takes over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { turnMessages, type Action, type Message } from '../core/types';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { parseNativeAction } from '../env/tools/text-format';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { goldEdits } from '../env/swe/patches';
import type { TaskInstance } from '../env/types';
import { offTrackReply, type OffTrackKind } from '../policies/noisy';
import { oracleAction, oracleCommands } from '../policies/oracle';
import type { PolicyReply } from '../policies/server';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const LIMITS: SandboxLimits = { memoryMb: 1024, cpus: 1, pids: 256, commandTimeoutS: 60, lifetimeS: 900 };
const MAX_TURNS = 40;
const suite = loadSuite(SUITE);

/** Wire reply → canonical action, as the rollout code parses a model's answer. */
function fromReply(reply: PolicyReply): Action {
  return parseNativeAction(reply.content, reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })));
}

interface Episode {
  actions: Action[];
  observations: string[];
  finished: boolean;
  resolved: boolean;
  error: string | null;
}

/** Runs `injected` actions first, then the oracle until it finishes; verifies the result. */
async function runEpisode(env: SweEnvironment, task: TaskInstance, injected: Action[] = []): Promise<Episode> {
  const handle = await env.start(task, `test-${task.instance_id}-${Date.now()}`);
  const messages: Message[] = env.prompt(task);
  const episode: Episode = { actions: [], observations: [], finished: false, resolved: false, error: null };
  try {
    for (let t = 0; t < MAX_TURNS && !episode.finished; t++) {
      const action = t < injected.length ? injected[t] : oracleAction(suite.instances, messages);
      const step = await env.step(handle, action, `turn-${t}`);
      episode.actions.push(action);
      episode.observations.push(step.observation.text);
      messages.push(...turnMessages(action, step.observation));
      episode.finished = step.finished;
    }
    const verification = await env.verify(handle, task);
    episode.resolved = verification.resolved;
    episode.error = verification.error;
  } finally {
    await env.destroy(handle);
  }
  return episode;
}

const env = new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { labels: { 'agent-dagger.test': 'swe-oracle' } });

// A spread of instances: single-hunk, multi-hunk and multi-file gold patches.
function sample(): TaskInstance[] {
  const multiFile = suite.instances.filter((t) => new Set(goldEdits(t.patch).map((e) => e.path)).size > 1);
  const multiHunk = suite.instances.filter((t) => goldEdits(t.patch).length > 1);
  const picked = [suite.instances[0], multiHunk[0], multiFile[0], suite.instances[suite.instances.length - 1]].filter(Boolean);
  return [...new Map(picked.map((t) => [t.instance_id, t])).values()];
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

test('the oracle resolves every instance end to end through SweEnvironment', { timeout: 600_000 }, async () => {
  const lengths: number[] = [];
  await pool(suite.instances, 2, async (task) => {
    const episode = await runEpisode(env, task);
    const names = episode.actions.map((a) => a.toolCalls[0]?.name);
    assert.equal(episode.error, null, `${task.instance_id}: verifier error`);
    assert.ok(episode.finished, `${task.instance_id}: never finished: ${names.join(' ')}`);
    assert.ok(episode.resolved, `${task.instance_id}: not resolved after ${names.join(' ')}:\n${episode.observations.join('\n---\n')}`);
    // One gold hunk per str_replace, each right after a view of the same file; the tests ran before finish.
    const edits = episode.actions.filter((a) => a.toolCalls[0]?.arguments.command === 'str_replace');
    assert.equal(edits.length, goldEdits(task.patch).length);
    episode.actions.forEach((a, i) => {
      if (a.toolCalls[0]?.arguments.command === 'str_replace') {
        assert.equal(episode.actions[i - 1].toolCalls[0]?.arguments.command, 'view');
        assert.match(episode.observations[i], /has been edited/);
      }
    });
    assert.equal(episode.actions.at(-2)?.toolCalls[0]?.arguments.command, oracleCommands(task).test);
    assert.match(episode.observations.at(-2) ?? '', / passed/);
    lengths.push(episode.actions.length);
  });
  lengths.sort((a, b) => a - b);
  console.log(`${lengths.length} instances resolved; episode lengths min ${lengths[0]}, median ${lengths[lengths.length >> 1]}, max ${lengths.at(-1)}`);
});

test('the oracle recovers after injected off-track actions', { timeout: 300_000 }, async () => {
  const task = sample()[1] ?? suite.instances[0];
  const kinds: OffTrackKind[] = ['break_file', 'wrong_edit', 'stray_file', 'malformed_call', 'useless_command'];
  const injected = kinds.map((kind, t) => fromReply(offTrackReply(kind, task, t)));
  const episode = await runEpisode(env, task, injected);
  const after = episode.actions.slice(injected.length);
  assert.equal(after[0].toolCalls[0]?.arguments.command, oracleCommands(task).inspect, 'the oracle must inspect first');
  assert.match(episode.observations[injected.length], /scratch_repro_2\.py/, 'the inspection shows the stray file');
  assert.match(String(after[1].toolCalls[0]?.arguments.command), /git checkout .* -- .*&& git rm/, 'the oracle repairs: revert and delete');
  assert.equal(after[2].toolCalls[0]?.arguments.command, oracleCommands(task).inspect, 'and looks again');
  assert.ok(episode.finished && episode.resolved, `not resolved:\n${episode.observations.join('\n---\n')}`);
  console.log(`${task.instance_id}: recovered after ${kinds.join(', ')}; ${after.length} oracle turns`);
});

test('the oracle recognises a correct fix made by someone else and does not redo it', { timeout: 300_000 }, async () => {
  const task = suite.instances[0];
  const edit = goldEdits(task.patch)[0];
  const byStudent: Action = {
    content: '',
    toolCalls: [{ id: 's0', name: 'str_replace_editor', arguments: { command: 'str_replace', path: `${task.workdir}/${edit.path}`, old_str: edit.oldStr, new_str: edit.newStr } }],
  };
  assert.equal(goldEdits(task.patch).length, 1, 'this check needs a one-hunk instance first in the suite');
  const commands = (e: Episode, from: number) => e.actions.slice(from).map((a) => String(a.toolCalls[0]?.arguments.command ?? a.toolCalls[0]?.name));
  // Right at the start the edit's effect is predictable from its observation: no inspection needed.
  const direct = await runEpisode(env, task, [byStudent]);
  assert.deepEqual(commands(direct, 1), [oracleCommands(task).test, 'finish']);
  assert.ok(direct.resolved);
  // After a command whose effect it cannot predict, the oracle inspects and finds the fix already there.
  const afterUnknown = await runEpisode(env, task, [fromReply(offTrackReply('useless_command', task, 0)), byStudent]);
  assert.deepEqual(commands(afterUnknown, 2), [oracleCommands(task).inspect, oracleCommands(task).test, 'finish']);
  assert.ok(afterUnknown.resolved);
});
