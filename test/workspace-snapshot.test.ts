/**
 * Workspace snapshots against real Docker sandboxes and real git: an agent's workspace (staged, unstaged,
 * untracked, deleted, binary, executable, symlinked files) captured in one sandbox and restored into a fresh one
 * reads back identically through git and through the files themselves; capturing changes nothing the agent can
 * see; the bound is enforced before a huge file is hashed; a malformed snapshot is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Action } from '../core/types';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { decodeSnapshot, encodeSnapshot, extractPatch, mayChangeWorkspace, SNAPSHOT_INLINE_BYTES, WorkspaceTooLargeError } from '../env/swe/workspace';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const task = loadSuite(SUITE).instances[0]!;
const LABELS = { 'agent-dagger.test': `snapshot-${process.pid}` };
const LIMITS: SandboxLimits = { memoryMb: 1024, cpus: 1, pids: 256, commandTimeoutS: 60, lifetimeS: 900, workspaceMb: 512 };
const sandboxes = new DockerSandboxes();
const env = new SweEnvironment(sandboxes, SUITE, LIMITS, { labels: LABELS });
const MAX = 1024 * 1024;

let turn = 0;
function bash(command: string): Action {
  return { content: '', toolCalls: [{ id: `c${turn}`, name: 'execute_bash', arguments: { command } }] };
}
async function step(handle: string, command: string): Promise<string> {
  const r = await env.step(handle, bash(command), `turn-${turn++}`);
  assert.equal(r.observation.exitCode, 0, r.observation.text);
  // Without the tool's closing line about the exit code.
  return (r.fullText ?? r.observation.text).replace(/\n?\[The command completed with exit code 0\.\]$/, '\n');
}

/** Everything about a workspace the agent can observe through git and the files (sha256 of every file, modes, links). */
const OBSERVE = [
  `cd ${task.workdir}`,
  'git status --porcelain=v1 --untracked-files=all',
  'echo ---staged; git diff --cached --stat --summary',
  'echo ---unstaged; git diff --stat --summary',
  'echo ---files; find . -path ./.git -prune -o \\( -type f -o -type l \\) -printf "%y %m %p %l\\n" | LC_ALL=C sort',
  'echo ---content; find . -path ./.git -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum',
  'echo ---head; git rev-parse HEAD; git log --oneline | wc -l',
].join('; ');

let first = '';
before(async () => {
  ensureSandboxImage();
  first = await env.start(task, `snapshot-${process.pid}`);
});
after(async () => {
  for (const id of await sandboxes.list(LABELS)) await sandboxes.destroy(id);
  await sandboxes.close();
});

test('encode/decode: two patches in one buffer, any bytes; a bad header or a wrong length is refused', () => {
  const staged = Buffer.from([0, 1, 2, 0x0a, 255]);
  const unstaged = Buffer.from('diff --git a/x b/x\n');
  assert.deepEqual(decodeSnapshot(encodeSnapshot({ staged, unstaged })), { staged, unstaged });
  assert.deepEqual(decodeSnapshot(encodeSnapshot({ staged: Buffer.alloc(0), unstaged: Buffer.alloc(0) })), { staged: Buffer.alloc(0), unstaged: Buffer.alloc(0) });
  assert.throws(() => decodeSnapshot(Buffer.from('garbage\n')), /not a workspace snapshot/);
  assert.throws(() => decodeSnapshot(encodeSnapshot({ staged, unstaged }).subarray(0, -1)), /truncated or padded: the header names 5 \+ 19 bytes, the body holds 23/);
});

test('which actions can change the workspace: a shell command or a writing editor command, once, well-formed', () => {
  const call = (name: string, args: Record<string, unknown> = {}) => ({ id: 'c', name, arguments: args });
  const action = (...calls: ReturnType<typeof call>[]): Action => ({ content: '', toolCalls: calls });
  assert.equal(mayChangeWorkspace(action(call('execute_bash', { command: 'ls' }))), true);
  for (const command of ['create', 'str_replace', 'insert', 'undo_edit']) assert.equal(mayChangeWorkspace(action(call('str_replace_editor', { command, path: '/x' }))), true, command);
  assert.equal(mayChangeWorkspace(action(call('str_replace_editor', { command: 'view', path: '/x' }))), false);
  assert.equal(mayChangeWorkspace(action(call('think', { thought: 'x' }))), false);
  assert.equal(mayChangeWorkspace(action(call('finish'))), false);
  assert.equal(mayChangeWorkspace(action()), false, 'no call');
  assert.equal(mayChangeWorkspace(action(call('execute_bash', { command: 'a' }), call('execute_bash', { command: 'b' }))), false, 'two calls: none runs');
  assert.equal(mayChangeWorkspace({ ...action(call('execute_bash', { command: 'ls' })), parseError: 'bad' }), false);
});

test('a workspace captured in one sandbox and restored into a fresh one reads back identically', async () => {
  const files = (await step(first, `cd ${task.workdir} && git ls-files | head -3`)).trim().split('\n');
  assert.equal(files.length, 3, 'the task repository has files to change');
  const [a, b, c] = files;
  await step(
    first,
    [
      `cd ${task.workdir}`,
      `echo "# staged edit" >> ${a} && git add ${a}`,
      `echo "# and unstaged on top" >> ${a}`,
      `echo "# unstaged only" >> ${b}`,
      `git rm -q ${c}`,
      'mkdir -p new/deep && printf "\\0\\1\\2\\377binary\\n" > new/deep/blob.bin && echo staged-new > new/staged.txt && git add new/staged.txt',
      'printf "#!/bin/sh\\necho hi\\n" > tool.sh && chmod 755 tool.sh',
      'ln -s tool.sh link-to-tool',
      'printf "no newline at end" > untracked.txt',
      'mkdir -p __pycache__ && echo ignored > __pycache__/x.pyc',
    ].join(' && '),
  );
  const before = await step(first, OBSERVE);
  const repoState = `cd ${task.workdir} && stat -c '%y %s' .git/index && sha256sum .git/index && find .git/objects -type f | wc -l`;
  const repo0 = await step(first, repoState);
  const snapshot = await env.snapshot(first, task, MAX);
  assert.equal(await step(first, repoState), repo0, "capturing wrote to the agent's index or object store");
  assert.equal(await step(first, OBSERVE), before, 'capturing changed what the agent sees');
  // The grader's patch extraction shares the bound check: a deleted file (nothing to stat) must not fail it.
  assert.match(await extractPatch(sandboxes, first, task), new RegExp(`^deleted file mode 100644\\n(.*\\n)*--- a/${c.replace('.', '\\.')}`, 'm'));
  const { staged, unstaged } = decodeSnapshot(snapshot);
  assert.match(staged.toString('latin1'), /^diff --git a\/new\/staged\.txt/m);
  assert.match(unstaged.toString('latin1'), /GIT binary patch/);
  assert.doesNotMatch(snapshot.toString('latin1'), /__pycache__/, 'ignored files stay out');

  const second = await env.restore(task, `snapshot-${process.pid}-b`, snapshot);
  try {
    assert.notEqual(second, first);
    const restored = await step(second, OBSERVE);
    // Ignored files are not part of a snapshot: everything else must match.
    assert.equal(restored, before.split('\n').filter((l) => !l.includes('__pycache__')).join('\n'));
    assert.match(restored, /^M[M ] /m, 'a staged change is staged again');
    assert.match(restored, /^ M /m, 'an unstaged change is unstaged again');
    assert.match(restored, /^D  /m, 'a staged deletion is staged again');
    assert.match(restored, /^\?\? untracked\.txt$/m);
    assert.match(restored, /^l 777 \.\/link-to-tool tool\.sh$/m);
    assert.match(restored, /^f 755 \.\/tool\.sh $/m);
    assert.deepEqual(await env.snapshot(second, task, MAX), snapshot, 'a restored workspace snapshots to the same bytes');
    // The agent owns what was restored: it can change and delete it.
    await step(second, `cd ${task.workdir} && echo more >> untracked.txt && rm -rf new && git reset -q`);
  } finally {
    await env.destroy(second);
  }
  await step(first, `cd ${task.workdir} && git reset -q --hard && git clean -qfdx`);
});

test('an unchanged workspace snapshots to two empty patches', async () => {
  const snapshot = await env.snapshot(first, task, MAX);
  assert.deepEqual(decodeSnapshot(snapshot), { staged: Buffer.alloc(0), unstaged: Buffer.alloc(0) });
});

test('a snapshot larger than the inline size comes back through a file, whole', async () => {
  await step(first, `head -c ${SNAPSHOT_INLINE_BYTES + 4096} /dev/urandom > ${task.workdir}/large.bin`);
  const snapshot = await env.snapshot(first, task, 4 * MAX);
  assert.ok(snapshot.length > SNAPSHOT_INLINE_BYTES);
  const second = await env.restore(task, `snapshot-${process.pid}-c`, snapshot);
  try {
    assert.equal(await step(second, `sha256sum ${task.workdir}/large.bin`), await step(first, `sha256sum ${task.workdir}/large.bin`));
  } finally {
    await env.destroy(second);
  }
  assert.equal(await step(first, 'ls /tmp | grep -c agent-dagger-snapshot || true'), '0\n', 'nothing left behind in /tmp');
  await step(first, `rm ${task.workdir}/large.bin`);
});

test('over the bound: refused by name before the file is hashed, and the workspace is untouched', async () => {
  await step(first, `head -c ${2 * MAX} /dev/urandom > ${task.workdir}/big.bin`);
  const t0 = Date.now();
  await assert.rejects(env.snapshot(first, task, MAX), (err: Error) => err instanceof WorkspaceTooLargeError && new RegExp(`big\\.bin is ${2 * MAX} bytes, over the bound of ${MAX} bytes \\(rollout\\.sandbox\\.snapshotMaxBytes`).test(err.message));
  assert.ok(Date.now() - t0 < 10_000);
  // Many files, each under the bound, together over it: the snapshot's own size is checked too.
  await step(first, `cd ${task.workdir} && rm big.bin && for i in 1 2 3; do head -c ${Math.floor(MAX / 2)} /dev/urandom > part$i.bin; done`);
  await assert.rejects(env.snapshot(first, task, MAX), (err: Error) => err instanceof WorkspaceTooLargeError && /the snapshot is \d+ bytes, over the bound/.test(err.message));
  await step(first, `cd ${task.workdir} && rm -f part*.bin && test -z "$(git status --porcelain)"`);
});
