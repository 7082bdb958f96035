/**
 * Every bundled swe-mini instance is valid in Docker: its gold patch resolves it and the empty patch does
 * not (the FAIL_TO_PASS tests really fail at base), each in a fresh sandbox as the verifier always works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { loadSuite, readSplit } from '../env/swe/instances';
import { verify } from '../env/swe/verifier';

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
