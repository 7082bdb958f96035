/**
 * Every bundled swe-mini instance is valid in Docker: its gold patch resolves it and the empty patch does
 * not (the FAIL_TO_PASS tests really fail at base), each in a fresh sandbox as the verifier always works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { loadSuite, readSplit } from '../env/swe/instances';
import { parseDiff } from '../env/swe/patches';
import { verify } from '../env/swe/verifier';
import { extractPatch, purgeLeaksScript, setupWorkspace, shellQuote } from '../env/swe/workspace';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const LIMITS: SandboxLimits = { memoryMb: 1024, cpus: 1, pids: 256, commandTimeoutS: 120, lifetimeS: 900 };
const CONCURRENCY = 2;

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

test('the swe-mini suite has at least 40 instances and its splits cover it exactly once', () => {
  const suite = loadSuite(SUITE);
  assert.ok(suite.instances.length >= 40, `only ${suite.instances.length} instances`);
  const train = readSplit(path.join(SUITE, 'splits', 'train.txt'), suite);
  const heldout = readSplit(path.join(SUITE, 'splits', 'heldout.txt'), suite);
  assert.deepEqual([...train, ...heldout].sort(), suite.instances.map((i) => i.instance_id).sort());
  assert.equal(new Set([...train, ...heldout]).size, suite.instances.length, 'an id is in both splits');
});

test('the committed instances and repositories are what the builder generates', { timeout: 600_000 }, () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(SUITE, 'build.ts'), '--check'], { encoding: 'utf8' });
  assert.match(out, /instances\.jsonl and repos\/ are up to date \(\d+ instances\)/);
});

test('every instance: the gold patch resolves it and the empty patch does not', { timeout: 600_000 }, async () => {
  const suite = loadSuite(SUITE);
  const sandboxes = new DockerSandboxes();
  const failures: string[] = [];
  const started = Date.now();
  await pool(suite.instances, CONCURRENCY, async (task) => {
    const gold = await verify(sandboxes, task, task.patch, { suiteDir: SUITE, limits: LIMITS, labels: { 'agent-dagger.test': 'swe-suite' } });
    if (!gold.resolved || gold.apply_method !== 'git apply' || gold.error) {
      failures.push(`${task.instance_id}: gold not resolved (${gold.apply_method}, error ${gold.error}, F2P failing ${gold.FAIL_TO_PASS.failure}, P2P failing ${gold.PASS_TO_PASS.failure})`);
    }
    const empty = await verify(sandboxes, task, '', { suiteDir: SUITE, limits: LIMITS, labels: { 'agent-dagger.test': 'swe-suite' } });
    if (empty.resolved || empty.error || empty.FAIL_TO_PASS.failure.length === 0 || empty.PASS_TO_PASS.failure.length > 0) {
      failures.push(`${task.instance_id}: empty patch graded wrongly (resolved ${empty.resolved}, error ${empty.error}, F2P failing ${empty.FAIL_TO_PASS.failure.length}, P2P failing ${empty.PASS_TO_PASS.failure})`);
    }
  });
  console.log(`verified ${suite.instances.length} instances × {gold, empty} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(failures, []);
});

test('workspace: answer leaks are purged, the agent owns the repo, the patch includes new files but no caches', { timeout: 120_000 }, async () => {
  const suite = loadSuite(SUITE);
  const task = suite.instances[0];
  const sandboxes = new DockerSandboxes();
  const id = await sandboxes.create({ image: task.image, workdir: task.workdir, limits: LIMITS, labels: { 'agent-dagger.test': 'swe-suite' } });
  const root = (cmd: string) => sandboxes.exec(id, cmd, { user: 'root', workdir: task.workdir, timeoutS: 60 });
  try {
    await setupWorkspace(sandboxes, id, task, { suiteDir: SUITE });
    // Plant what real images carried: a future commit holding the fix on a branch, a tag, a remote, a stash.
    await sandboxes.putFiles(id, [{ path: '/tmp/gold.patch', content: task.patch }], { user: 'root' });
    const plant = await root(
      'git checkout -q -b future && git apply /tmp/gold.patch && git commit -qam fix && git tag v-fix && ' +
        'git remote add origin https://example.invalid/x.git && git checkout -q main && echo x >> README.md && git stash -q && ' +
        'rm /tmp/gold.patch && git rev-parse future',
    );
    assert.equal(plant.exitCode, 0, plant.output);
    const future = plant.output.trim().split('\n').pop() as string;
    // What setupWorkspace does after the commit: purge, then hand the (re-written) files to the agent.
    const purge = await root(`bash -c ${shellQuote(purgeLeaksScript(task.base_commit))} && chown -R agent:agent ${task.workdir}`);
    assert.equal(purge.exitCode, 0, purge.output);
    const state = await root(`git log --all --format=%H; git tag; git remote; git stash list; git cat-file -e ${future} 2>/dev/null && echo future-present || echo future-gone; git branch --format='%(refname)'`);
    assert.equal(state.output.trim(), [task.base_commit, 'future-gone', 'refs/heads/main'].join('\n'));

    // Neither the patch nor the test_patch is anywhere in the agent's sandbox.
    const testName = /def (test_\w+)/.exec(task.test_patch.split('\n').filter((l) => l.startsWith('+')).join('\n'))?.[1];
    assert.ok(testName);
    const search = await root(`grep -rl ${shellQuote(testName)} / --exclude-dir=proc --exclude-dir=sys 2>/dev/null; true`);
    assert.equal(search.output.trim(), '', `the hidden test ${testName} is in the sandbox`);

    // As the agent: edit a file, add a new one, leave byte-code caches; the extracted patch has exactly the two files.
    const agent = await sandboxes.exec(id, 'whoami && echo "# note" >> README.md && echo "x = 1" > newmod.py && python3 -c "import newmod" && python3 -m pytest -q tests >/dev/null; ls -a', { workdir: task.workdir, timeoutS: 60 });
    assert.match(agent.output, /^agent\n/);
    assert.match(agent.output, /__pycache__/);
    const patch = await extractPatch(sandboxes, id, task);
    assert.deepEqual(parseDiff(patch).map((f) => [f.path, f.kind]), [['README.md', 'modify'], ['newmod.py', 'add']]);
  } finally {
    await sandboxes.destroy(id);
  }
});
