/**
 * Sandbox latency: per-command p50/p95 of DockerSandboxes.exec through the command channel and without it
 * (one docker exec per command), next to a bare dockerode exec in the same container with the same command;
 * sandbox acquisition by create+start and from the warm pool; removal.
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
  const plain = new DockerSandboxes({ channels: false });
  const limits = { memoryMb: 512, cpus: 1, pids: 256, commandTimeoutS: 30, lifetimeS: 600, workspaceMb: 64 };
  const spec = { image, workdir: '/workspace', limits, labels: { 'agent-dagger.bench': '1' } };
  const id = await sandboxes.create(spec);
  if (!(await sandboxes.openChannel(id))) throw new Error('the command channel did not open: is python3 in the image?');
  console.log(`image ${image}, ${iterations} iterations per row`);
  for (const command of ['true', 'echo hi']) {
    const rows = { bare: [] as number[], channel: [] as number[], plain: [] as number[] };
    for (let i = 0; i < iterations; i++) {
      rows.bare.push(await timed(() => bareExec(sandboxes, id, command)));
      rows.channel.push(await timed(() => sandboxes.exec(id, command)));
      rows.plain.push(await timed(() => plain.exec(id, command)));
    }
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`exec ${JSON.stringify(command).padEnd(10)} bare docker exec ${percentiles(rows.bare)} | through the channel ${percentiles(rows.channel)} | without the channel ${percentiles(rows.plain)}`);
    console.log(`${' '.repeat(16)}p50 overhead over bare exec: channel ${(p50(rows.channel) - p50(rows.bare)).toFixed(1)} ms, without ${(p50(rows.plain) - p50(rows.bare)).toFixed(1)} ms`);
  }
  await sandboxes.destroy(id);
  const rounds = Math.min(iterations, 10);
  const create: number[] = [];
  const destroy: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let sid = '';
    create.push(await timed(async () => (sid = await plain.create(spec))));
    destroy.push(await timed(() => plain.destroy(sid)));
  }
  console.log(`acquire by create+start (+session script, workspace chown) ${percentiles(create)}`);
  console.log(`destroy ${percentiles(destroy)}`);
  // The pool refills in the background between acquisitions, as between an episode's start and the next one's.
  const pooled = new DockerSandboxes({ pool: { size: 1 } });
  const warm: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      await pooled.prewarm(spec);
      let sid = '';
      warm.push(await timed(async () => (sid = await pooled.create(spec))));
      await pooled.destroy(sid);
    }
  } finally {
    await pooled.close();
  }
  console.log(`acquire from the warm pool (size 1, refilled between acquisitions) ${percentiles(warm)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
