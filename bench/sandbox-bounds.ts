/**
 * Worker memory under an adversarial agent: the worker's RSS while a step prints 200 MB (through
 * SweEnvironment.step, the journalled path episodes use; also through a plain exec), and while the patch
 * of a workspace holding a 400 MB file is extracted (refused) and verified. Prints RSS before and the peak
 * during each phase, sampled every 20 ms, and the process's peak RSS (getrusage).
 * Run: node --import tsx bench/sandbox-bounds.ts
 */
import * as path from 'node:path';
import type { Action } from '../core/types';
import { DockerSandboxes } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { extractPatch } from '../env/swe/workspace';

const MiB = 2 ** 20;

async function measured<T>(what: string, fn: () => Promise<T>): Promise<T> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`${what.padEnd(58)} RSS before ${(before / MiB).toFixed(0).padStart(4)} MiB, peak ${(peak / MiB).toFixed(0).padStart(4)} MiB (+${((peak - before) / MiB).toFixed(0)}), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

async function main(): Promise<void> {
  ensureSandboxImage();
  const suite = path.join(__dirname, '..', 'tasks', 'swe-mini');
  const task = loadSuite(suite).instances[0]!;
  const sandboxes = new DockerSandboxes();
  // The project's default limits (config/schema.ts).
  const env = new SweEnvironment(sandboxes, suite, { memoryMb: 2048, cpus: 1, pids: 256, commandTimeoutS: 120, lifetimeS: 900, workspaceMb: 1024 }, { labels: { 'agent-dagger.bench': 'bounds' } });
  const handle = await env.start(task, `bench-bounds-${process.pid}`);
  let turn = 0;
  const bash = (command: string): Action => ({ content: '', toolCalls: [{ id: `c${turn}`, name: 'execute_bash', arguments: { command } }] });
  try {
    const big = await measured('step printing 200 MB (journalled, SweEnvironment.step)', () => env.step(handle, bash('head -c 200000000 /dev/zero | tr "\\0" x'), `turn-${turn++}`));
    console.log(`  observation ${big.observation.text.length} chars of ${big.observation.fullChars}; stored full text ${big.fullText?.length ?? 0} chars`);
    const plain = await measured('exec printing 200 MB (plain exec, no journal)', () => sandboxes.exec(handle, 'head -c 200000000 /dev/zero | tr "\\0" x', { timeoutS: 120 }));
    console.log(`  output ${plain.output.length} chars`);
    await env.step(handle, bash('head -c 400000000 /dev/zero | tr "\\0" a > huge.txt && ls -l huge.txt'), `turn-${turn++}`);
    const refused = await measured('extractPatch with a 400 MB file in the workspace', () => extractPatch(sandboxes, handle, task).then(() => 'accepted', (err: Error) => err.message));
    console.log(`  ${refused}`);
    const verified = await measured('SweEnvironment.verify with that file', () => env.verify(handle, task).then(() => 'verified', (err: Error & { type?: string }) => `${err.type}: non-retryable`));
    console.log(`  ${verified}`);
    console.log(`process peak RSS (getrusage): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    await env.destroy(handle);
    await sandboxes.close();
  }
}

void main();
