/**
 * The step journal: a step runs at most once per sandbox, whatever happens to the worker that ran it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerSandboxes, type SandboxSpec } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';

const sandboxes = new DockerSandboxes();
const LABELS = { 'agent-dagger.test': `journal-${process.pid}` };
let image = '';

function spec(): SandboxSpec {
  return { image, workdir: '/workspace', labels: LABELS, limits: { memoryMb: 256, cpus: 1, pids: 128, commandTimeoutS: 30, lifetimeS: 300, workspaceMb: 32 } };
}

before(() => {
  image = ensureSandboxImage();
});
after(async () => {
  for (const id of await sandboxes.list(LABELS)) await sandboxes.destroy(id);
});

test('a journalled step runs once: the same key replays its output and exit code', async () => {
  const id = await sandboxes.create(spec());
  const first = await sandboxes.exec(id, 'echo line >> /workspace/f; wc -l < /workspace/f; exit 3', { journal: 'turn-0' });
  const again = await sandboxes.exec(id, 'echo line >> /workspace/f; wc -l < /workspace/f; exit 3', { journal: 'turn-0' });
  assert.equal(first.output, '1\n');
  assert.equal(first.exitCode, 3);
  assert.deepEqual([again.output, again.exitCode], ['1\n', 3]);
  const next = await sandboxes.exec(id, 'echo line >> /workspace/f; wc -l < /workspace/f', { journal: 'turn-1' });
  assert.deepEqual([next.output, next.exitCode], ['2\n', 0]);
  assert.equal((await sandboxes.exec(id, 'wc -l < /workspace/f')).output, '2\n');
});

test('shell state carries through journalled steps (cd, export, exit inside the command)', async () => {
  const id = await sandboxes.create(spec());
  await sandboxes.exec(id, 'mkdir -p /workspace/sub && cd /workspace/sub && export GREETING=hi', { journal: 'turn-0' });
  assert.equal((await sandboxes.exec(id, 'pwd; echo $GREETING')).output, '/workspace/sub\nhi\n');
  const exited = await sandboxes.exec(id, 'echo before; exit 7', { journal: 'turn-1' });
  assert.deepEqual([exited.output, exited.exitCode], ['before\n', 7]);
  const replay = await sandboxes.exec(id, 'echo before; exit 7', { journal: 'turn-1' });
  assert.deepEqual([replay.output, replay.exitCode], ['before\n', 7]);
});

test('a step still running under a lost worker is awaited by the next worker, not started again', async () => {
  const id = await sandboxes.create(spec());
  const command = 'sleep 2; echo ran >> /workspace/g; cat /workspace/g';
  const lost = sandboxes.exec(id, command, { journal: 'turn-5' });
  await new Promise((r) => setTimeout(r, 700));
  const successor = new DockerSandboxes(); // a new worker process, knowing only the container id
  const retried = await successor.exec(id, command, { journal: 'turn-5' });
  assert.equal(retried.output, 'ran\n');
  assert.equal((await lost).output, 'ran\n');
  assert.equal((await sandboxes.exec(id, 'cat /workspace/g')).output, 'ran\n');
});

test('the journal is shared by the command channel and plain execs: a step runs once whichever path runs it', async () => {
  const id = await sandboxes.create(spec());
  assert.equal(await sandboxes.openChannel(id), true);
  // The command's parent is timeout, whose parent is the journal's runner, whose parent is the dispatcher.
  const command = 'echo x >> /workspace/h; wc -l < /workspace/h; ps -o comm= -p $(ps -o ppid= -p $(ps -o ppid= -p $PPID)); exit 5';
  const first = await sandboxes.exec(id, command, { journal: 'turn-0' });
  assert.deepEqual([first.output, first.exitCode], ['1\npython3\n', 5]);
  const plain = new DockerSandboxes({ channels: false });
  assert.deepEqual([(await plain.exec(id, command, { journal: 'turn-0' })).output, (await plain.exec(id, command, { journal: 'turn-0' })).exitCode], ['1\npython3\n', 5]);
  // A step started by a plain exec and retried through the channel while it still runs is awaited, not rerun.
  const slow = 'sleep 2; echo y >> /workspace/h; wc -l < /workspace/h';
  const lost = plain.exec(id, slow, { journal: 'turn-1' });
  await new Promise((r) => setTimeout(r, 700));
  assert.equal((await sandboxes.exec(id, slow, { journal: 'turn-1' })).output, '2\n');
  assert.equal((await lost).output, '2\n');
});

test('a step whose runner was killed with every process of the user is reported as interrupted, not run again', async () => {
  const id = await sandboxes.create(spec());
  const command = 'echo once >> /workspace/k; sleep 0.3; kill -KILL -1; sleep 5';
  const first = await sandboxes.exec(id, command, { journal: 'turn-2' });
  assert.equal(first.exitCode, 137);
  const retried = await sandboxes.exec(id, command, { journal: 'turn-2' });
  assert.equal(retried.exitCode, 137);
  assert.match(retried.output, /interrupted before its result was recorded.*not run a second time/);
  assert.equal((await sandboxes.exec(id, 'cat /workspace/k')).output, 'once\n');
});
