/**
 * Benchmark: what the workspace snapshot after each step costs, beside the step itself.
 *
 * One sandbox of the bundled suite (`swe-mini__cachekit-1`) with a small edit and a new file, as an agent leaves it
 * mid-episode; then `--reps` rounds of one step (`ls` in the repository, through SweEnvironment.step as episodes
 * take it) followed by one snapshot (SweEnvironment.snapshot, as envStep takes it). Prints the medians.
 *
 *   node --import tsx bench/snapshot.ts [--reps 30]
 */
import * as path from 'node:path';
import { DockerSandboxes } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { HOST_LOSS_DEFAULTS } from '../core/host-loss';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const reps = Number(process.argv[process.argv.indexOf('--reps') + 1] || 30);

async function main() {
  ensureSandboxImage();
  const task = loadSuite(SUITE).instances[0]!;
  const sandboxes = new DockerSandboxes();
  const env = new SweEnvironment(sandboxes, SUITE, { memoryMb: 1024, cpus: 1, pids: 256, commandTimeoutS: 60, lifetimeS: 900, workspaceMb: 512 }, { labels: { 'agent-dagger.bench': 'snapshot' } });
  const handle = await env.start(task, `bench-snapshot-${process.pid}`);
  try {
    let turn = 0;
    const step = (command: string) => env.step(handle, { content: '', toolCalls: [{ id: `c${turn}`, name: 'execute_bash', arguments: { command } }] }, `turn-${turn++}`);
    await step(`cd ${task.workdir} && echo '# edited' >> README.md && echo new > new.txt`);
    const steps: number[] = [];
    const snapshots: number[] = [];
    let bytes = 0;
    // One warm-up round: the command channel opens on first use.
    for (let i = -1; i < reps; i++) {
      let t0 = performance.now();
      await step(`cd ${task.workdir} && ls`);
      const stepMs = performance.now() - t0;
      t0 = performance.now();
      bytes = (await env.snapshot(handle, task, HOST_LOSS_DEFAULTS.snapshotMaxBytes)).length;
      const snapshotMs = performance.now() - t0;
      if (i >= 0) steps.push(stepMs), snapshots.push(snapshotMs);
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
    console.log(`${reps} rounds: step median ${median(steps).toFixed(0)} ms, snapshot median ${median(snapshots).toFixed(0)} ms (${bytes} bytes)`);
  } finally {
    await env.destroy(handle);
    await sandboxes.close();
  }
}

void main();
