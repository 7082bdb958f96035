/**
 * The sandbox under an adversarial agent, through `SweEnvironment.step` (the path episodes use, with the
 * step journal): commands behave as in a plain shell, scratch space fails with ENOSPC, the journal survives
 * a full state directory, the patch read back is bounded and extracted without running the agent's code as
 * root, and the worker's memory stays flat.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Action } from '../core/types';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { FILES_SHARE, scratchSizes } from '../env/sandbox/scratch';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { extractPatch, MAX_PATCH_BYTES, PatchRefusedError } from '../env/swe/workspace';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const task = loadSuite(SUITE).instances[0]!;
const LABELS = { 'agent-dagger.test': `adversarial-${process.pid}` };
/** The project's defaults (config/schema.ts): 2 GiB of memory, a 1 GiB workspace asked for. */
const LIMITS: SandboxLimits = { memoryMb: 2048, cpus: 1, pids: 256, commandTimeoutS: 30, lifetimeS: 900, workspaceMb: 1024 };
const sandboxes = new DockerSandboxes();
const env = new SweEnvironment(sandboxes, SUITE, LIMITS, { labels: LABELS });

let turn = 0;
function bash(command: string, timeout?: number): Action {
  return { content: '', toolCalls: [{ id: `c${turn}`, name: 'execute_bash', arguments: timeout === undefined ? { command } : { command, timeout } }] };
}
/** One step as an episode takes it, under a fresh journal key. */
async function step(handle: string, command: string, timeout?: number) {
  const r = await env.step(handle, bash(command, timeout), `turn-${turn++}`);
  return { text: r.observation.text, full: r.fullText ?? r.observation.text, exitCode: r.observation.exitCode, timedOut: r.observation.timedOut, ms: r.observation.durationMs };
}

let handle = '';
before(async () => {
  ensureSandboxImage();
  handle = await env.start(task, `adversarial-${process.pid}`);
});
after(async () => {
  for (const id of await sandboxes.list(LABELS)) await sandboxes.destroy(id);
  await sandboxes.close();
});

test('tmpfs sizes: every agent-writable mount together stays within 3/4 of the memory limit', () => {
  assert.deepEqual(scratchSizes(2048, 1024), { workspaceMb: 1013, scratchMb: 169, stateMb: 16 });
  for (const [memory, workspace] of [[2048, 1024], [256, 32], [128, 32], [4096, 100], [512, 4096]] as const) {
    const s = scratchSizes(memory, workspace);
    assert.ok(s.workspaceMb + 3 * s.scratchMb + s.stateMb <= memory * FILES_SHARE, `${memory}/${workspace}: ${JSON.stringify(s)}`);
    assert.ok(s.workspaceMb <= workspace && s.scratchMb <= Math.max(workspace, 4));
  }
  assert.deepEqual(scratchSizes(4096, 100), { workspaceMb: 100, scratchMb: 100, stateMb: 16 }, 'what was asked for, when it fits');
  assert.throws(() => scratchSizes(48, 32), /memoryMb 48 is too small for a bounded workspace.*raise memoryMb to at least \d+/);
});

test('a background process that redirects its output neither holds the turn nor dies with it', async () => {
  const r = await step(handle, 'sleep 1001 > /dev/null 2>&1 &');
  assert.equal(r.exitCode, 0);
  assert.equal(r.timedOut, false);
  assert.ok(r.ms < 5000, `the turn took ${r.ms} ms`);
  const ps = await step(handle, 'sleep 1; ps -eo args | grep -c "^sleep 1001"');
  assert.match(ps.text, /^1\n/);
  // Also when started with nohup and its output in a file, as the timeout message suggests.
  const logged = await step(handle, 'nohup sh -c "echo started; sleep 1002" > /tmp/bg.log 2>&1 &');
  assert.ok(logged.ms < 5000, `the turn took ${logged.ms} ms`);
  assert.match((await step(handle, 'sleep 1; cat /tmp/bg.log; ps -eo args | grep -c "^sleep 1002"')).text, /started\n1\n/);
  // One that keeps the output open holds the step until its timeout, as in a plain exec, then the step ends with
  // what was printed and a note; no other process is killed for it.
  const held = await step(handle, 'echo before; sleep 1003 &', 3);
  assert.equal(held.exitCode, 0);
  assert.match(held.text, /^before\n\n\[The output was still open after the command's timeout: a background process kept it/);
  assert.ok(held.ms < 6000, `the turn took ${held.ms} ms`);
  assert.match((await step(handle, 'ps -eo args | grep "^sleep 100" | sort')).text, /^sleep 1001\nsleep 1002\nsleep 1003\n/);
});

test('output printed before a timeout is kept, and a replay of that step says the same', async () => {
  const key = `turn-${turn++}`;
  const r = await env.step(handle, bash('echo line-before-timeout; sleep 30', 3), key);
  assert.equal(r.observation.timedOut, true);
  assert.equal(r.observation.exitCode, null);
  assert.match(r.observation.text, /^line-before-timeout\n\[The command timed out after 3 seconds/);
  const replay = await env.step(handle, bash('echo line-before-timeout; sleep 30', 3), key);
  assert.equal(replay.observation.text, r.observation.text);
  assert.ok(replay.observation.durationMs < 2000, 'replayed, not run again');
});

test('a 20 MB output does not change what the command does: exit status and a later file write stay', async () => {
  const r = await step(handle, 'head -c 20000000 /dev/zero | tr "\\0" x; echo; echo written > /testbed/after.txt; echo tail-line', 60);
  assert.equal(r.exitCode, 0);
  assert.match(r.text, /tail-line\n\[The command completed with exit code 0\.\]$/);
  assert.match(r.full, /bytes of output dropped by the sandbox/);
  assert.ok(r.full.length < 2.2 * 1024 * 1024, `kept ${r.full.length} characters`);
  assert.ok(r.text.length <= 31_000, `observation of ${r.text.length} characters`);
  assert.equal((await step(handle, 'cat /testbed/after.txt')).text, 'written\n[The command completed with exit code 0.]');
});

test('a full /tmp fails the write with ENOSPC, not the OOM killer; the next command works', async () => {
  const fill = await step(handle, 'dd if=/dev/zero of=/tmp/fill bs=1M 2>&1 | grep -o "No space left on device"; df -m /tmp | tail -1', 60);
  assert.match(fill.text, /No space left on device/);
  assert.equal(fill.exitCode, 0, fill.text);
  const next = await step(handle, 'echo still-works; cd /testbed && pwd');
  assert.equal(next.text, 'still-works\n/testbed\n[The command completed with exit code 0.]');
  await step(handle, 'rm -f /tmp/fill');
});

test('a full state directory: the next command still runs and says why its journal and session could not be written', async () => {
  const edit = (args: Record<string, unknown>) => env.step(handle, { content: '', toolCalls: [{ id: 'e', name: 'str_replace_editor', arguments: args }] }, `turn-${turn++}`);
  await edit({ command: 'create', path: '/testbed/notes.txt', file_text: 'alpha\n' });
  const fill = await step(handle, 'cat /dev/zero > /opt/agent-dagger/state/$(id -u)/junk; echo filled');
  try {
    // The editor still edits; only the undo of that edit is lost, and it says so.
    const edited = await edit({ command: 'str_replace', path: '/testbed/notes.txt', old_str: 'alpha', new_str: 'beta' });
    assert.match(edited.observation.text, /has been edited[\s\S]*This edit cannot be undone: .*No space left on device/);
    assert.match((await step(handle, 'cat /testbed/notes.txt')).text, /^beta\n/);
    assert.match(fill.text, /No space left on device/);
    const next = await step(handle, 'cd /tmp && echo still-works');
    assert.match(next.text, /^still-works\n/);
    assert.match(next.text, /step journal could not record this output \(No space left on device\)/);
    assert.match(next.text, /shell state .* could not be saved: No space left on device/);
    // The agent cannot reach root's state or the tools.
    const denied = await step(handle, 'touch /opt/agent-dagger/x /opt/agent-dagger/state/0/x 2>&1; ls /opt/agent-dagger/state/0 2>&1');
    assert.equal(denied.text.match(/Permission denied/g)?.length, 3, denied.text);
  } finally {
    await step(handle, 'rm -f /opt/agent-dagger/state/$(id -u)/junk /testbed/notes.txt');
  }
  assert.equal((await step(handle, 'cd /testbed; echo back')).text, 'back\n[The command completed with exit code 0.]');
  assert.equal((await step(handle, 'pwd')).text, '/testbed\n[The command completed with exit code 0.]');
});

test("the patch is extracted without running the repository's fsmonitor, hooks, filters or textconv", async () => {
  const plant = [
    'cd /testbed',
    `printf '#!/bin/sh\\nid -u >> /tmp/ran-$1\\n' > /tmp/hook.sh && chmod +x /tmp/hook.sh`,
    'git config core.fsmonitor "/tmp/hook.sh fsmonitor"',
    'git config core.hooksPath /tmp/hooks && mkdir -p /tmp/hooks .git/hooks',
    `for h in post-index-change pre-commit; do printf '#!/bin/sh\\nid -u >> /tmp/ran-hook\\n' | tee /tmp/hooks/$h > .git/hooks/$h; chmod +x /tmp/hooks/$h .git/hooks/$h; done`,
    'git config filter.evil.clean "/tmp/hook.sh clean; cat" && git config filter.evil.process "/tmp/hook.sh process" && git config filter.evil.required true',
    'git config diff.evil.textconv "/tmp/hook.sh textconv; cat" && git config diff.evil.command "/tmp/hook.sh diffcmd"',
    `printf '*.py filter=evil diff=evil\\n' > .git/info/attributes`,
    'echo "# changed" >> "$(git ls-files "*.py" | head -1)" && echo new > added.txt',
    'git config core.worktree /',
    // The agent's own git commands above ran its programs as itself; only what runs from here on counts.
    'rm -f /tmp/ran-*',
  ].join(' && ');
  const planted = await step(handle, plant);
  assert.equal(planted.exitCode, 0, planted.text);
  const patch = await extractPatch(sandboxes, handle, task);
  assert.match(patch, /^\+# changed$/m);
  assert.match(patch, /^diff --git a\/added\.txt b\/added\.txt$/m);
  assert.doesNotMatch(patch, /opt\/agent-dagger|etc\/passwd/, 'core.worktree=/ was not obeyed');
  assert.equal((await sandboxes.exec(handle, 'ls /tmp | grep -c "^ran-" || true', { user: 'root' })).output, '0\n', 'a planted program ran');
  await step(handle, 'cd /testbed && git config --unset core.worktree; rm -f .git/info/attributes added.txt; git checkout -q -- .; git reset -q');
});

test('binary files are left out of the patch as OpenHands leaves them out; the prefixes are git apply\'s whatever the config says', async () => {
  const planted = await step(handle, 'cd /testbed && printf "\\0\\1\\2binary" > blob.bin && echo text > notes.txt && git config diff.noprefix true && git config diff.mnemonicPrefix true');
  assert.equal(planted.exitCode, 0, planted.text);
  const patch = await extractPatch(sandboxes, handle, task);
  assert.match(patch, /^diff --git a\/notes\.txt b\/notes\.txt\n(.*\n)*\+text$/m);
  assert.doesNotMatch(patch, /blob\.bin|Binary files/);
  await step(handle, 'cd /testbed && git config --unset diff.noprefix; git config --unset diff.mnemonicPrefix; rm -f blob.bin notes.txt; git reset -q');
});

test('huge files are refused before anything big reaches the worker; its memory stays flat', async () => {
  const rss0 = process.memoryUsage().rss;
  await step(handle, 'head -c 400000000 /dev/zero | tr "\\0" a > /testbed/huge.txt', 120);
  const t0 = Date.now();
  await assert.rejects(
    extractPatch(sandboxes, handle, task),
    (err: Error) => err instanceof PatchRefusedError && new RegExp(`huge\\.txt is 400000000 bytes, over the ${MAX_PATCH_BYTES}-byte limit`).test(err.message),
  );
  assert.ok(Date.now() - t0 < 20_000, `refusing took ${Date.now() - t0} ms`);
  // Through verify, the refusal is final: a non-retryable failure, not an error Temporal would retry.
  await assert.rejects(env.verify(handle, task), (err: Error & { nonRetryable?: boolean; type?: string }) => err.nonRetryable === true && err.type === 'PatchRefused');
  const output = await step(handle, 'cat /testbed/huge.txt', 120);
  assert.equal(output.exitCode, 0);
  assert.ok(output.full.length < 2.2 * 1024 * 1024);
  const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
  assert.ok(grown < 100, `worker RSS grew by ${grown.toFixed(0)} MiB`);
  await step(handle, 'rm /testbed/huge.txt');
});
