/**
 * A worker process to kill mid-episode (test/sandbox-leaks.test.ts): starts an episode's sandbox through
 * SweEnvironment, fills a warm pool, starts a long step, prints `ready <handle>` and waits to be killed.
 */
import * as path from 'node:path';
import { DockerSandboxes } from '../../env/sandbox/docker';
import { SweEnvironment } from '../../env/swe/environment';
import { loadSuite } from '../../env/swe/instances';

async function main(): Promise<void> {
  const [episodeId, label] = process.argv.slice(2) as [string, string];
  const suite = path.join(__dirname, '..', '..', 'tasks', 'swe-mini');
  const limits = { memoryMb: 512, cpus: 1, pids: 128, commandTimeoutS: 300, lifetimeS: 600, workspaceMb: 64 };
  const sandboxes = new DockerSandboxes({ pool: { size: 1, idleS: 600 } });
  const env = new SweEnvironment(sandboxes, suite, limits, { labels: { 'agent-dagger.test': label } });
  const task = loadSuite(suite).instances[0]!;
  const handle = await env.start(task, episodeId);
  await sandboxes.prewarm({ image: task.image, workdir: task.workdir, limits, labels: {} });
  void env.step(handle, { content: '', toolCalls: [{ id: 'c0', name: 'execute_bash', arguments: { command: 'sleep 250' } }] }, 'turn-0');
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`ready ${handle}`);
  await new Promise(() => undefined);
}

void main();
