import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerSandboxes, SandboxGoneError, type SandboxSpec } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';

let image = '';
const sandboxes = new DockerSandboxes();
const RUN_LABEL = { 'agent-dagger.test': `sandbox-${process.pid}` };

function spec(limits: Partial<SandboxSpec['limits']> = {}): SandboxSpec {
  return {
    image,
    workdir: '/workspace',
    labels: RUN_LABEL,
    limits: { memoryMb: 256, cpus: 1, pids: 128, commandTimeoutS: 20, lifetimeS: 300, workspaceMb: 32, ...limits },
  };
}

async function create(limits: Partial<SandboxSpec['limits']> = {}): Promise<string> {
  return sandboxes.create(spec(limits));
}

before(() => {
  image = ensureSandboxImage();
});

after(async () => {
  for (const id of await sandboxes.list(RUN_LABEL)) await sandboxes.destroy(id);
});

test('exec returns combined output and the exit code, as the non-root user', async () => {
  const id = await create();
  const r = await sandboxes.exec(id, 'echo out; echo err >&2; id -un; pwd; exit 3');
  assert.equal(r.exitCode, 3);
  assert.equal(r.timedOut, false);
  assert.equal(r.output, 'out\nerr\nagent\n/workspace\n');
  const root = await sandboxes.exec(id, 'id -u', { user: 'root' });
  assert.equal(root.output, '0\n');
  const syntax = await sandboxes.exec(id, 'if then');
  assert.equal(syntax.exitCode, 2);
  assert.match(syntax.output, /^bash: .*syntax error/);
});

test('a command cannot block on stdin', async () => {
  const id = await create();
  const r = await sandboxes.exec(id, 'cat; read x; echo "read:$?"', { timeoutS: 5 });
  assert.equal(r.timedOut, false);
  assert.equal(r.output, 'read:1\n');
});

test('a timeout kills the command and its children', async () => {
  const id = await create();
  const t0 = Date.now();
  const r = await sandboxes.exec(id, 'sleep 101 & sleep 102; echo never', { timeoutS: 1 });
  const took = Date.now() - t0;
  assert.equal(r.timedOut, true);
  assert.equal(r.exitCode, null);
  assert.ok(took < 2500, `took ${took} ms`);
  const ps = await sandboxes.exec(id, 'ps -eo args');
  assert.doesNotMatch(ps.output, /sleep 10[12]/);
  assert.equal((await sandboxes.exec(id, 'echo ok')).output, 'ok\n');
});

test('a process that escapes the process group and holds the output is killed from outside', async () => {
  const id = await create();
  const t0 = Date.now();
  const r = await sandboxes.exec(id, 'setsid sleep 103; echo never', { timeoutS: 1 });
  const took = Date.now() - t0;
  assert.equal(r.timedOut, true);
  assert.ok(took < 8000, `took ${took} ms`);
  const ps = await sandboxes.exec(id, 'ps -eo args');
  assert.doesNotMatch(ps.output, /sleep 103/);
});

test('the network is unreachable', async () => {
  const id = await create();
  const r = await sandboxes.exec(id, `python3 -c "import socket; socket.create_connection(('1.1.1.1', 80), timeout=3)"; ls /sys/class/net`, { timeoutS: 10 });
  assert.match(r.output, /Network is unreachable/);
  assert.match(r.output, /^lo$/m);
  assert.doesNotMatch(r.output, /eth0/);
});

test('a fork bomb is contained: the sandbox and new sandboxes keep working', async () => {
  const id = await create({ pids: 64, cpus: 0.5 });
  const r = await sandboxes.exec(id, 'bomb() { bomb | bomb & }; bomb; sleep 3', { timeoutS: 4 });
  assert.ok(r.timedOut || r.exitCode !== 0 || /fork|resource/i.test(r.output), JSON.stringify(r).slice(0, 300));
  // The bomb's processes die with the command's process group; the sandbox answers again.
  let probe = { exitCode: null as number | null, output: '' };
  for (let i = 0; i < 40; i++) {
    const r2 = await sandboxes.exec(id, 'ps -e --no-headers | wc -l', { timeoutS: 5 });
    probe = { exitCode: r2.exitCode, output: r2.output };
    if (r2.exitCode === 0 && Number(r2.output) < 10) break;
    await new Promise((done) => setTimeout(done, 250));
  }
  assert.equal(probe.exitCode, 0, `sandbox unusable after the bomb: ${probe.output.slice(0, 200)}`);
  assert.ok(Number(probe.output) < 10, `processes left: ${probe.output}`);
  const other = await create();
  assert.equal((await sandboxes.exec(other, 'echo fine')).output, 'fine\n');
});

test('filling the workspace fails inside the sandbox only; the root filesystem is read-only', async () => {
  const id = await create({ workspaceMb: 16 });
  const fill = await sandboxes.exec(id, 'dd if=/dev/zero of=/workspace/big bs=1M count=64 2>&1; df -m /workspace | tail -1', { timeoutS: 20 });
  assert.match(fill.output, /No space left on device/);
  const tmp = await sandboxes.exec(id, 'dd if=/dev/zero of=/tmp/big bs=1M count=64 2>&1 | head -1', { timeoutS: 20 });
  assert.match(tmp.output, /No space left on device/);
  const home = await sandboxes.exec(id, 'touch ~/f && echo home-ok; touch /etc/x; touch /usr/x', { user: 'root' });
  assert.match(home.output, /Read-only file system/);
  const after = await sandboxes.exec(id, 'rm /workspace/big && echo x > /workspace/small && cat /workspace/small');
  assert.equal(after.output, 'x\n');
});

test('the memory limit kills a hog, not the sandbox', async () => {
  const id = await create({ memoryMb: 128 });
  const r = await sandboxes.exec(id, `python3 -c "x = bytearray(400 * 1024 * 1024); print('allocated')"`, { timeoutS: 30 });
  assert.equal(r.timedOut, false);
  assert.notEqual(r.exitCode, 0);
  assert.doesNotMatch(r.output, /^allocated$/m);
  assert.equal((await sandboxes.exec(id, 'echo still-here')).output, 'still-here\n');
});

test('a new worker (a second DockerSandboxes) continues the session by id', async () => {
  const id = await create();
  await sandboxes.exec(id, 'mkdir -p /workspace/sub/dir && cd /workspace/sub/dir && export GREETING="hello world" KEEP=1 && export DROP=x');
  await sandboxes.exec(id, 'unset DROP');
  const worker2 = new DockerSandboxes();
  const r = await worker2.exec(id, 'pwd; echo "$GREETING|$KEEP|${DROP-unset}"');
  assert.equal(r.output, '/workspace/sub/dir\nhello world|1|unset\n');
  const override = await worker2.exec(id, 'pwd; echo $EXTRA', { workdir: '/tmp', env: { EXTRA: 'e' } });
  assert.equal(override.output, '/tmp\ne\n');
  // A command that exits early still saves the state it reached.
  await worker2.exec(id, 'cd /workspace; exit 4');
  assert.equal((await sandboxes.exec(id, 'pwd')).output, '/workspace\n');
});

test('files go in and come out byte for byte, owned by the sandbox user', async () => {
  const id = await create();
  const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
  await sandboxes.putFiles(id, [
    { path: '/workspace/pkg/deep/data.bin', content: binary },
    { path: '/workspace/run.sh', content: '#!/bin/sh\necho ran\n', mode: 0o755 },
  ]);
  assert.deepEqual(await sandboxes.readFile(id, '/workspace/pkg/deep/data.bin'), binary);
  const r = await sandboxes.exec(id, 'stat -c "%U %a %n" /workspace/pkg /workspace/pkg/deep /workspace/pkg/deep/data.bin /workspace/run.sh; ./run.sh');
  assert.equal(r.output, 'agent 755 /workspace/pkg\nagent 755 /workspace/pkg/deep\nagent 644 /workspace/pkg/deep/data.bin\nagent 755 /workspace/run.sh\nran\n');
  await sandboxes.putFiles(id, [{ path: '/opt/agent-dagger/tool/x.txt', content: 'root file' }], { user: 'root' });
  const denied = await sandboxes.exec(id, 'cat /opt/agent-dagger/tool/x.txt; echo y > /opt/agent-dagger/tool/x.txt');
  assert.match(denied.output, /^root file.*Permission denied/);
  await assert.rejects(sandboxes.readFile(id, '/workspace/missing'), /No such file/);
  await assert.rejects(sandboxes.putFiles(id, [{ path: 'relative.txt', content: '' }]), /absolute/);
});

test('huge output is bounded on the host', async () => {
  const id = await create();
  const r = await sandboxes.exec(id, 'yes | head -c 20000000', { timeoutS: 30 });
  assert.equal(r.exitCode, 0);
  assert.ok(r.output.length < 5 * 1024 * 1024, `kept ${r.output.length}`);
  assert.match(r.output, /bytes of output dropped by the sandbox/);
});

test('destroy is idempotent; a destroyed or expired sandbox is gone with a clear error', async () => {
  const id = await create();
  assert.ok((await sandboxes.list(RUN_LABEL)).includes(id));
  await sandboxes.destroy(id);
  await sandboxes.destroy(id);
  assert.ok(!(await sandboxes.list(RUN_LABEL)).includes(id));
  await assert.rejects(new DockerSandboxes().exec(id, 'true'), SandboxGoneError);

  const short = await create({ lifetimeS: 2 });
  await new Promise((r) => setTimeout(r, 3500));
  await assert.rejects(sandboxes.exec(short, 'true'), (err: Error) => err instanceof SandboxGoneError && err.message.includes(short.slice(0, 12)));
});

// The command channel (env/sandbox/channel.ts): the same behaviour as plain execs, at a fraction of the cost.

/** Through the channel the command's grandparent (timeout's parent) is the dispatcher; a plain exec's has none. */
const VIA = 'ps -o comm= -p $(ps -o ppid= -p $PPID)';

test('through the channel: output, exit codes, session, stdin and users as with plain execs', async () => {
  const id = await create();
  assert.equal(await sandboxes.openChannel(id), true);
  assert.equal((await sandboxes.exec(id, VIA)).output, 'python3\n');
  const r = await sandboxes.exec(id, 'echo out; echo err >&2; id -un; pwd; exit 3');
  assert.deepEqual([r.exitCode, r.timedOut, r.output], [3, false, 'out\nerr\nagent\n/workspace\n']);
  const syntax = await sandboxes.exec(id, 'if then');
  assert.equal(syntax.exitCode, 2);
  assert.match(syntax.output, /^bash: .*syntax error/);
  assert.equal((await sandboxes.exec(id, 'cat; read x; echo "read:$?"', { timeoutS: 5 })).output, 'read:1\n');
  await sandboxes.exec(id, 'mkdir -p /workspace/d && cd /workspace/d && export A="x y"');
  assert.equal((await new DockerSandboxes({ channels: false }).exec(id, 'pwd; echo $A')).output, '/workspace/d\nx y\n');
  assert.equal(await sandboxes.openChannel(id, 'root'), true);
  assert.equal((await sandboxes.exec(id, `id -u; ${VIA}`, { user: 'root' })).output, '0\npython3\n');
  // The environment is the exec's, not one Python changed (PEP 538 would add LC_CTYPE).
  const plainEnv = await new DockerSandboxes({ channels: false }).exec(id, 'env | grep -v "^_=" | sort');
  assert.equal((await sandboxes.exec(id, 'env | grep -v "^_=" | sort')).output, plainEnv.output);
});

test('through the channel: timeouts kill the command, escaped processes are killed, the channel survives', async () => {
  const id = await create();
  assert.equal(await sandboxes.openChannel(id), true);
  const t0 = Date.now();
  const r = await sandboxes.exec(id, 'sleep 101 & sleep 102; echo never', { timeoutS: 1 });
  assert.deepEqual([r.timedOut, r.exitCode], [true, null]);
  assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
  assert.doesNotMatch((await sandboxes.exec(id, 'ps -eo args')).output, /sleep 10[12]/);
  const t1 = Date.now();
  const escaped = await sandboxes.exec(id, 'setsid sleep 103; echo never', { timeoutS: 1 });
  assert.equal(escaped.timedOut, true);
  assert.ok(Date.now() - t1 < 8000, `took ${Date.now() - t1} ms`);
  const after = await sandboxes.exec(id, `ps -eo args; ${VIA}`);
  assert.doesNotMatch(after.output, /sleep 103/);
  assert.match(after.output, /python3\n$/);
});

test('through the channel: many commands in a row, large outputs, concurrent commands, several sandboxes', async () => {
  const [a, b] = await Promise.all([create(), create()]);
  assert.deepEqual(await Promise.all([sandboxes.openChannel(a), sandboxes.openChannel(b)]), [true, true]);
  for (let i = 0; i < 200; i++) assert.equal((await sandboxes.exec(a, `echo ${i}`)).output, `${i}\n`);
  // 6,000,005 bytes: the first and last 2 MiB are kept byte for byte, the middle is counted.
  const big = await sandboxes.exec(a, 'head -c 6000000 /dev/zero | tr "\\0" x; echo; echo end', { timeoutS: 30 });
  const keep = 2 * 1024 * 1024;
  const marker = `\n[... ${6_000_005 - 2 * keep} bytes of output dropped by the sandbox ...]\n`;
  assert.equal(big.output.length, 2 * keep + marker.length);
  assert.ok(big.output.startsWith('x'.repeat(keep) + marker), 'head and marker');
  assert.ok(big.output.endsWith(`${'x'.repeat(keep - 5)}\nend\n`), 'tail');
  const exact = await sandboxes.exec(a, 'seq 1 200000', { timeoutS: 30 });
  assert.equal(exact.output, Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join(''));
  const huge = await sandboxes.exec(a, 'yes | head -c 20000000', { timeoutS: 30 });
  assert.equal(huge.exitCode, 0);
  assert.match(huge.output, /bytes of output dropped by the sandbox/);
  // Concurrent commands on one sandbox run side by side, each with its own output; two sandboxes too.
  const t0 = Date.now();
  const runs = await Promise.all([a, b].flatMap((id) => Array.from({ length: 6 }, (_, i) => sandboxes.exec(id, `sleep 1; echo ${id.slice(0, 4)}-${i}; ${VIA}`))));
  assert.deepEqual(
    runs.map((r) => r.output),
    [a, b].flatMap((id) => Array.from({ length: 6 }, (_, i) => `${id.slice(0, 4)}-${i}\npython3\n`)),
  );
  assert.ok(Date.now() - t0 < 6000, `12 one-second commands took ${Date.now() - t0} ms: not run concurrently`);
});

test('a command that kills the channel reads as killed; the next commands reopen it', async () => {
  const id = await create();
  assert.equal(await sandboxes.openChannel(id), true);
  // The pause lets the dispatcher forward 'before' before the kill takes it down with everything else.
  const r = await sandboxes.exec(id, 'echo before; sleep 0.5; kill -KILL -1; sleep 5; echo never');
  assert.deepEqual([r.output, r.exitCode, r.timedOut], ['before\n', 137, false]);
  assert.equal((await sandboxes.exec(id, 'echo again')).output, 'again\n');
  assert.equal(await sandboxes.openChannel(id), true);
  assert.equal((await sandboxes.exec(id, VIA)).output, 'python3\n');
});

test('the warm pool hands out started sandboxes whose labels list() finds; close() leaves none behind', async () => {
  const pooled = new DockerSandboxes({ pool: { size: 1, idleS: 60 } });
  const owner = { 'agent-dagger.pool-owner': pooled.poolOwner };
  try {
    await pooled.prewarm(spec());
    const id = await pooled.create({ ...spec(), labels: { ...RUN_LABEL, 'agent-dagger.episode': 'pool-a' } });
    assert.ok((await pooled.list(owner)).includes(id), 'the sandbox came from the pool');
    assert.deepEqual(await pooled.list({ 'agent-dagger.episode': 'pool-a' }), [id]);
    assert.ok((await new DockerSandboxes().list(RUN_LABEL)).includes(id), 'another worker finds it by its labels');
    assert.deepEqual(await pooled.list({ 'agent-dagger.episode': 'pool-b' }), []);
    const r = await pooled.exec(id, `id -un; pwd; touch /workspace/f && ls /workspace; ${VIA}`);
    assert.equal(r.output, 'agent\n/workspace\nf\npython3\n');
    // The claimed sandbox lives on as an ordinary one: its main process is now the lifetime's sleep.
    await new Promise((r) => setTimeout(r, 1200));
    assert.match((await pooled.exec(id, 'ps -o args= -p 1 --ppid 1')).output, /sleep 300/);
    await pooled.destroy(id);
  } finally {
    await pooled.close();
  }
  assert.deepEqual(await pooled.list(owner), [], 'unclaimed pool containers remain after close()');
});
