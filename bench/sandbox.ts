/**
 * Sandbox latency: per-command p50/p95 of DockerSandboxes.exec next to a bare dockerode exec in the same
 * container with the same command, and sandbox acquisition (create+start) and removal times.
 * Run: node --import tsx bench/sandbox.ts [iterations]
 */
import { Writable } from 'node:stream';
import { DockerSandboxes } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';

const iterations = Number(process.argv[2] ?? 30);

function percentiles(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${at(0.5).toFixed(1)} ms  p95 ${at(0.95).toFixed(1)} ms`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function bareExec(sandboxes: DockerSandboxes, id: string, command: string): Promise<void> {
  const exec = await sandboxes.docker.getContainer(id).exec({ Cmd: ['bash', '-c', command], AttachStdout: true, AttachStderr: true, Tty: false, User: 'agent' });
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new Writable({ write: (_c, _e, done) => done() });
  sandboxes.docker.modem.demuxStream(stream, sink, sink);
  await new Promise((resolve) => stream.on('end', resolve));
  while ((await exec.inspect()).Running) await new Promise((r) => setTimeout(r, 2));
}

async function main(): Promise<void> {
  const image = ensureSandboxImage();
  const sandboxes = new DockerSandboxes();
  const limits = { memoryMb: 512, cpus: 1, pids: 256, commandTimeoutS: 30, lifetimeS: 600, workspaceMb: 64 };
  const id = await sandboxes.create({ image, workdir: '/workspace', limits, labels: { 'agent-dagger.bench': '1' } });
  console.log(`image ${image}, ${iterations} iterations per row`);
  for (const command of ['true', 'echo hi']) {
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < iterations; i++) {
      ours.push(await timed(() => sandboxes.exec(id, command)));
      bare.push(await timed(() => bareExec(sandboxes, id, command)));
    }
    const overhead = ours.sort((a, b) => a - b)[Math.floor(ours.length / 2)]! - bare.sort((a, b) => a - b)[Math.floor(bare.length / 2)]!;
    console.log(`exec ${JSON.stringify(command).padEnd(10)} DockerSandboxes ${percentiles(ours)} | bare docker exec ${percentiles(bare)} | p50 overhead ${overhead.toFixed(1)} ms`);
  }
  await sandboxes.destroy(id);
  const create: number[] = [];
  const destroy: number[] = [];
  for (let i = 0; i < Math.min(iterations, 10); i++) {
    let sid = '';
    create.push(await timed(async () => (sid = await sandboxes.create({ image, workdir: '/workspace', limits, labels: { 'agent-dagger.bench': '1' } }))));
    destroy.push(await timed(() => sandboxes.destroy(sid)));
  }
  console.log(`acquire (create+start+session script+workspace chown) ${percentiles(create)}`);
  console.log(`destroy ${percentiles(destroy)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
