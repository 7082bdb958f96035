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
