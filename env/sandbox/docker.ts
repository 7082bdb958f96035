/**
 * Docker sandboxes through dockerode: one container per episode, named only by its container id.
 *
 * Guarantees (docs/sandbox.md): no network; memory, CPU and pids limits; all capabilities dropped but
 * CHOWN, DAC_OVERRIDE and FOWNER (root's setup: writing and chowning the agent's files); no-new-privileges;
 * commands as the image's non-root user when it has one; a per-command timeout that kills the command's
 * process group (and, for non-root users, every process of that user when something escaped it);
 * a lifetime per container (its main process is `sleep <lifetimeS>` under docker-init, auto-removed);
 * with `workspaceMb`, a read-only root filesystem and size-bounded tmpfs for every writable place.
 * Shell state (cwd, exported env) lives in the container (session.ts), so any worker continues any sandbox.
 */
import Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import * as tar from 'tar-stream';
import { ChannelLost, ChannelUnavailable, CommandChannel } from './channel';
import { HeadTailBuffer } from './output-buffer';
import { CLAIM_PATH, claimMatches, DEFAULT_POOL_IDLE_S, stockCommand, WarmPool, type PoolOptions } from './pool';
import { scratchSizes } from './scratch';
import {
  AGENT_DIR,
  CAPTURE_SCRIPT,
  CAPTURE_SCRIPT_PATH,
  JOURNAL_SCRIPT,
  JOURNAL_SCRIPT_PATH,
  KILLED_EXIT_CODE,
  MAX_COMMAND_BYTES,
  parseJournalled,
  SESSION_SCRIPT,
  SESSION_SCRIPT_PATH,
  sessionArgv,
  STATE_DIR,
} from './session';
import { CREATOR_LABEL, creatorAlive, creatorLabels, DEFAULT_SWEEP_GRACE_S, EPISODE_LABEL, PROBE_LABEL, sweepReason, type EpisodeState } from './sweep';

export type { SandboxLimits, SandboxSpec } from './spec';
import type { SandboxSpec } from './spec';

export interface ExecResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  durationMs: number;
}

export interface ExecOptions {
  /** Journal key of the step: run at most once per sandbox, a repeat replays the first result. */
  journal?: string;
  timeoutS?: number;
  workdir?: string;
  user?: string;
  env?: Record<string, string>;
}

/** The sandbox is gone (destroyed, its lifetime over, or Docker lost it): retrying the command cannot help. */
export class SandboxGoneError extends Error {
  constructor(readonly sandboxId: string, what: string, cause: unknown) {
    super(`sandbox ${sandboxId.slice(0, 12)} is gone (${what}): ${errorText(cause)}; it was destroyed, outlived its lifetime or Docker lost it — start a new sandbox`);
    this.name = 'SandboxGoneError';
  }
}

/** Files read back from a sandbox are refused beyond this (readFile's default bound). */
export const READ_MAX_BYTES = 16 * 1024 * 1024;

/** A file to read back is over the bound: the caller decides what that means (a refused patch, say). */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly sandboxId: string, readonly path: string, readonly maxBytes: number) {
    super(`${path} in sandbox ${sandboxId.slice(0, 12)} is larger than ${maxBytes} bytes, the most read back from a sandbox`);
  }
}

const SANDBOX_LABEL = 'agent-dagger.sandbox';
const USER_LABEL = 'agent-dagger.user';
const TIMEOUT_LABEL = 'agent-dagger.command-timeout-s';
/** On warm-pool containers: their caller's labels are in the container's claim record (pool.ts). */
const POOLED_LABEL = 'agent-dagger.pooled';
/** Which DockerSandboxes made a pool container (a random id per instance), to check for leaks. */
export const POOL_OWNER_LABEL = 'agent-dagger.pool-owner';
/** Output kept per command (head and tail each); observations are truncated much shorter later. */
const OUTPUT_KEEP_BYTES = 2 * 1024 * 1024;
/** Host-side grace after the in-container timeout before the fallback kill. */
const HOST_GRACE_MS = 2000;
/** After the fallback kill, how long to wait for the output stream before abandoning it. */
const ABANDON_MS = 3000;

/** After a channel failed to open, plain execs only for this long before trying again. */
const CHANNEL_RETRY_MS = 30_000;

interface ChannelSlot {
  channel?: CommandChannel;
  opening?: Promise<void>;
  failedAt?: number;
}

interface SandboxInfo {
  user: string;
  commandTimeoutS: number;
}

export class DockerSandboxes {
  readonly docker: Dockerode;
  /** Read-through cache of a container's labels; rebuilt from Docker by any worker. */
  private readonly info = new Map<string, SandboxInfo>();

  /** Command channels by container id and user (channel.ts); a missing or broken one means plain execs. */
  private readonly channels = new Map<string, ChannelSlot>();
  private readonly useChannels: boolean;

  private readonly pool: WarmPool | undefined;
  /** Value of POOL_OWNER_LABEL on this instance's pool containers. */
  readonly poolOwner = randomBytes(6).toString('hex');
  /** Claims this instance made (pool.ts), so list() need not read them back from the containers. */
  private readonly claims = new Map<string, Record<string, string>>();

  /**
   * `channels: false` runs every command as its own `docker exec` (the plain path); `pool: { size }` keeps
   * that many started containers per spec for `create()` (off by default: call `close()` when done).
   */
  constructor(opts: { docker?: Dockerode; channels?: boolean; pool?: PoolOptions } = {}) {
    this.docker = opts.docker ?? new Dockerode();
    this.useChannels = opts.channels ?? true;
    const size = opts.pool?.size ?? 0;
    if (size > 0) this.pool = new WarmPool(size, opts.pool?.idleS, (spec) => this.start(spec, true), (id) => this.destroy(id));
  }

  /** Removes the warm pool's unclaimed containers and closes the command channels. Sandboxes in use stay. */
  async close(): Promise<void> {
    await this.pool?.drain();
    for (const slot of this.channels.values()) slot.channel?.close();
    this.channels.clear();
  }

  /** Fills the warm pool for this spec ahead of the first `create()`; resolves when it is full (failures are create()'s to report). */
  async prewarm(spec: SandboxSpec): Promise<void> {
    if (spec.name === undefined) await this.pool?.refill(spec);
  }

  /** Resolves when the warm pool has no refill in flight (benchmarks wait for a full pool before timing). */
  async poolSettled(): Promise<void> {
    await this.pool?.settled();
  }

  /** Opens (or waits for) the command channel of (id, user); false when it cannot run there (commands then use plain execs). */
  async openChannel(id: string, user?: string): Promise<boolean> {
    const u = user ?? (await this.sandboxInfo(id)).user;
    if (!this.useChannels) return false;
    if (this.readyChannel(id, u)) return true;
    await this.channels.get(`${id}\n${u}`)?.opening;
    return this.readyChannel(id, u) !== undefined;
  }

  /** Creates and starts a sandbox (or claims one from the warm pool); returns its container id. */
  async create(spec: SandboxSpec): Promise<string> {
    // A named sandbox cannot come from the pool: names, like labels, are given at creation.
    if (this.pool && spec.name === undefined) {
      for (let id = this.pool.take(spec); id !== undefined; id = this.pool.take(spec)) {
        if (await this.claim(id, spec.labels ?? {})) return id;
      }
    }
    return this.start(spec, false);
  }

  /**
   * Writes the caller's labels into a stock container, which starts its lifetime on seeing them.
   * False when the container is gone (expired, removed): the caller takes another.
   */
  private async claim(id: string, labels: Record<string, string>): Promise<boolean> {
    // Root writes it (the agent cannot alter a root file in the sticky volume), through root's open channel.
    const write = `umask 022 && printf '%s' "$1" > ${CLAIM_PATH}.tmp && mv -f ${CLAIM_PATH}.tmp ${CLAIM_PATH}`;
    const out = new HeadTailBuffer(4096, 0);
    try {
      const run = await this.run(id, ['sh', '-c', write, 'claim', JSON.stringify(labels)], 'root', out, 10_000);
      if (run.exitCode !== 0) throw new Error(out.toBuffer().toString('utf8'));
      this.claims.set(id, labels);
      return true;
    } catch {
      await this.destroy(id).catch(() => undefined);
      return false;
    }
  }

  /** Creates and starts a container; `stock`: for the warm pool (no caller labels, waits for a claim). */
  private async start(spec: SandboxSpec, stock: boolean): Promise<string> {
    await this.inspectImage(spec.image);
    const user = spec.user ?? (await this.defaultUser(spec.image));
    const { limits } = spec;
    const bounded = limits.workspaceMb !== undefined;
    const tmpfs: Record<string, string> = {};
    const sizes = bounded ? scratchSizes(limits.memoryMb, limits.workspaceMb!) : undefined;
    if (sizes) {
      const scratch = `size=${sizes.scratchMb}m`;
      tmpfs[spec.workdir] = `size=${sizes.workspaceMb}m,mode=0755,exec`;
      tmpfs['/tmp'] = `${scratch},mode=1777,exec`;
      tmpfs['/var/tmp'] = `${scratch},mode=1777,exec`;
      if (user !== 'root') tmpfs[`/home/${user}`] = `${scratch},mode=0755,exec`;
    }
    let container: Dockerode.Container;
    try {
      container = await this.docker.createContainer({
        Image: spec.image,
        name: spec.name,
        // The main process bounds the container's life; docker-init reaps orphans (else zombies fill the pids limit).
        Entrypoint: [],
        Cmd: stock ? stockCommand(this.pool!.idleS, limits.lifetimeS) : ['sleep', String(Math.ceil(limits.lifetimeS))],
        WorkingDir: spec.workdir,
        User: 'root',
        Env: [...Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`)],
        Labels: {
          ...(stock ? { [POOLED_LABEL]: '1', [POOL_OWNER_LABEL]: this.poolOwner } : spec.labels),
          [SANDBOX_LABEL]: '1',
          [USER_LABEL]: user,
          [TIMEOUT_LABEL]: String(limits.commandTimeoutS),
          ...creatorLabels(),
        },
        Tty: false,
        OpenStdin: false,
        NetworkDisabled: true,
        HostConfig: {
          NetworkMode: 'none',
          Init: true,
          AutoRemove: true,
          Memory: limits.memoryMb * 1024 * 1024,
          MemorySwap: limits.memoryMb * 1024 * 1024,
          NanoCpus: Math.round(limits.cpus * 1e9),
          PidsLimit: limits.pids,
          CapDrop: ['ALL'],
          CapAdd: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'],
          SecurityOpt: ['no-new-privileges'],
          ReadonlyRootfs: bounded,
          Tmpfs: tmpfs,
          // Volumes, not plain tmpfs: Docker's archive API (putFiles) reaches volumes but not tmpfs mounts. The
          // tools are root's; the users' state has its own volume, so nothing the agent fills elsewhere reaches it.
          Mounts: [tmpfsVolume(AGENT_DIR, 64), tmpfsVolume(STATE_DIR, sizes?.stateMb ?? 16)],
        },
      });
    } catch (err) {
      throw new Error(`creating a sandbox from image ${spec.image} failed: ${errorText(err)}`);
    }
    try {
      await container.start();
      const scripts = tar.pack();
      for (const [path, content] of [
        [SESSION_SCRIPT_PATH, SESSION_SCRIPT],
        [JOURNAL_SCRIPT_PATH, JOURNAL_SCRIPT],
        [CAPTURE_SCRIPT_PATH, CAPTURE_SCRIPT],
      ] as const) {
        scripts.entry({ name: path.slice(AGENT_DIR.length + 1), mode: 0o644, uid: 0, gid: 0 }, content);
      }
      scripts.finalize();
      await container.putArchive(scripts as unknown as NodeJS.ReadableStream, { path: AGENT_DIR });
      this.info.set(container.id, { user, commandTimeoutS: limits.commandTimeoutS });
      // Each user's state directory is its own (0700); root's is root's, so the agent cannot plant root's session.
      const setup = [`install -d -m 0700 ${STATE_DIR}/0`];
      if (user !== 'root') {
        setup.push(`install -d -m 0700 -o ${shellQuote(user)} -g "$(id -g ${shellQuote(user)})" ${STATE_DIR}/"$(id -u ${shellQuote(user)})"`);
        if (bounded) setup.push(`chown ${shellQuote(user)}: ${shellQuote(spec.workdir)} /home/${shellQuote(user)}`);
      }
      const done = await this.exec(container.id, setup.join(' && '), { user: 'root', timeoutS: 30, workdir: '/' });
      if (done.exitCode !== 0) throw new Error(`setting up the state directories (and ${spec.workdir}) for ${user} failed: ${done.output}`);
    } catch (err) {
      await this.destroy(container.id).catch(() => undefined);
      throw new Error(`starting sandbox ${container.id.slice(0, 12)} (image ${spec.image}) failed: ${errorText(err)}`);
    }
    // Stock is handed out ready to run its first command through a channel.
    if (stock) await Promise.all([this.openChannel(container.id, user), this.openChannel(container.id, 'root')]).catch(() => false);
    return container.id;
  }

  /**
   * Runs a shell command in the sandbox's persistent session (cwd and exported env carry over) and
   * returns its combined stdout+stderr. Throws only for infrastructure faults.
   */
  async exec(id: string, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const bytes = Buffer.byteLength(command);
    if (bytes > MAX_COMMAND_BYTES) {
      throw new RangeError(`command of ${bytes} bytes exceeds the sandbox limit of ${MAX_COMMAND_BYTES}; put long content into a file first`);
    }
    const info = await this.sandboxInfo(id);
    const user = opts.user ?? info.user;
    const timeoutS = opts.timeoutS ?? info.commandTimeoutS;
    const argv = sessionArgv({ command, timeoutS, workdir: opts.workdir, env: opts.env, journal: opts.journal });
    const buffer = new HeadTailBuffer(OUTPUT_KEEP_BYTES, OUTPUT_KEEP_BYTES);
    const run = await this.run(id, argv, user, buffer, timeoutS * 1000 + HOST_GRACE_MS);
    // A journalled step's runner states the verdict (a replay is quick, so durations cannot tell a timeout).
    const journalled = opts.journal === undefined ? undefined : parseJournalled(buffer.toBuffer());
    if (journalled) {
      const timedOut = journalled.timedOut || run.hostTimedOut;
      return { exitCode: timedOut ? null : journalled.exitCode, output: journalled.output.toString('utf8'), timedOut, durationMs: run.durationMs };
    }
    const output = buffer.toBuffer().toString('utf8');
    // timeout -s KILL also kills itself with its process group: a timeout reads as 137 after the full time.
    const timedOut = run.hostTimedOut || (run.exitCode === KILLED_EXIT_CODE && run.durationMs >= timeoutS * 1000 - 100);
    return { exitCode: timedOut ? null : run.exitCode, output, timedOut, durationMs: run.durationMs };
  }

  /** Writes files (absolute paths) owned by `user` (default: the sandbox's user); missing parents are created. */
  async putFiles(id: string, files: { path: string; content: string | Buffer; mode?: number }[], opts: { user?: string } = {}): Promise<void> {
    if (files.length === 0) return;
    for (const f of files) {
      if (!f.path.startsWith('/') || f.path.split('/').includes('..')) throw new Error(`putFiles: path ${JSON.stringify(f.path)} must be absolute without '..'`);
    }
    const info = await this.sandboxInfo(id);
    const user = opts.user ?? info.user;
    // Staged through the agent volume, then moved by a root command: the archive API cannot write into
    // tmpfs mounts (the workspace) nor into a read-only root filesystem.
    const stage = `stage-${randomBytes(6).toString('hex')}`;
    const pack = tar.pack();
    // Parents get explicit 0755 entries: implicit ones would be created 0700 and hide root's files from the agent.
    const dirs = new Set<string>();
    for (const f of files) {
      for (let d = f.path.slice(0, f.path.lastIndexOf('/')); d !== ''; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
    }
    pack.entry({ name: stage, type: 'directory', mode: 0o755, uid: 0, gid: 0 });
    for (const d of [...dirs].sort()) pack.entry({ name: `${stage}${d}`, type: 'directory', mode: 0o755, uid: 0, gid: 0 });
    for (const f of files) {
      pack.entry({ name: `${stage}${f.path}`, mode: f.mode ?? 0o644, uid: 0, gid: 0 }, typeof f.content === 'string' ? Buffer.from(f.content) : f.content);
    }
    pack.finalize();
    try {
      await this.docker.getContainer(id).putArchive(pack as unknown as NodeJS.ReadableStream, { path: AGENT_DIR });
    } catch (err) {
      throw this.infraError(id, 'putting files', err);
    }
    // Only new directories enter the inner archive: tar touches the mode of every directory it extracts,
    // which fails on existing read-only ones such as /opt.
    const place = [
      'set -e',
      `s=${AGENT_DIR}/${stage}; u=$1; shift`,
      'cd "$s"',
      'dirs=()',
      'while IFS= read -r -d "" d; do [ -e "/${d#./}" ] || dirs+=("${d#./}"); done < <(find . -mindepth 1 -type d -print0)',
      'items=("${dirs[@]}"); for f in "$@"; do items+=("${f#/}"); done',
      'tar --no-recursion -cf - -- "${items[@]}" | tar -C / -xpf -',
      'cd / && rm -rf -- "$s"',
      // -h: a link the agent swapped in since is chowned itself, never what it points to.
      'if [ "$u" != root ]; then chown -h "$u": -- "${dirs[@]/#//}" "$@"; fi',
    ].join('\n');
    const quoted = files.map((f) => shellQuote(f.path)).join(' ');
    const res = await this.exec(id, `bash -c ${shellQuote(place)} place ${shellQuote(user)} ${quoted}`, { user: 'root', timeoutS: 60, workdir: '/' });
    if (res.exitCode !== 0) throw new Error(`putFiles into sandbox ${id.slice(0, 12)} failed (exit ${res.exitCode}): ${res.output.trim()}`);
  }

  /**
   * Reads a file's bytes, at most `maxBytes` (default READ_MAX_BYTES; a longer file throws FileTooLargeError
   * without more than that ever reaching the host). Through `head -c` rather than the archive API, which
   * cannot see tmpfs mounts (it would return what the workspace mount hides). As root, or with
   * `asSandboxUser` as the sandbox's user (for files in places the agent controls, e.g. a symlink it planted).
   */
  async readFile(id: string, path: string, opts: { maxBytes?: number; asSandboxUser?: boolean } = {}): Promise<Buffer> {
    const info = await this.sandboxInfo(id);
    const maxBytes = opts.maxBytes ?? READ_MAX_BYTES;
    const buffer = new HeadTailBuffer(maxBytes + 1, 0);
    // One byte past the bound tells "exactly maxBytes" from "longer"; head stops reading there.
    const read = 'test -f "$1" && test -r "$1" || { cat -- "$1"; exit 1; }; head -c "$2" -- "$1"';
    const run = await this.run(id, ['sh', '-c', read, 'read', path, String(maxBytes + 1)], opts.asSandboxUser ? info.user : 'root', buffer, 120_000);
    if (run.exitCode !== 0) throw new Error(`reading ${path} in sandbox ${id.slice(0, 12)} failed (exit ${run.exitCode}): ${buffer.toBuffer().toString('utf8').trim()}`);
    if (buffer.totalBytes > maxBytes) throw new FileTooLargeError(id, path, maxBytes);
    return buffer.toBuffer();
  }

  /** Removes the sandbox and its volumes; a missing container is not an error. */
  async destroy(id: string): Promise<void> {
    this.info.delete(id);
    this.claims.delete(id);
    for (const [key, slot] of this.channels) {
      if (key.startsWith(`${id}\n`)) {
        slot.channel?.close('the sandbox is being destroyed');
        this.channels.delete(key);
      }
    }
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      const code = statusCode(err);
      // 404: already gone; 409: removal already in progress (AutoRemove or another worker).
      if (code === 404 || code === 409) return;
      throw new Error(`destroying sandbox ${id.slice(0, 12)} failed: ${errorText(err)}`);
    }
  }

  /**
   * Ids of existing sandboxes carrying all these labels (to clean up leaks): Docker's labels, and for
   * warm-pool containers their claim record (unclaimed stock matches only an empty filter).
   */
  async list(labels: Record<string, string> = {}): Promise<string[]> {
    const filters = [`${SANDBOX_LABEL}=1`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
    const ids = (await this.docker.listContainers({ all: true, filters: { label: filters } })).map((c) => c.Id);
    if (Object.keys(labels).length === 0) return ids;
    const pooled = await this.docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`, `${POOLED_LABEL}=1`] } });
    for (const c of pooled) {
      if (claimMatches(this.claims.get(c.Id) ?? (await this.readClaim(c.Id)), labels)) ids.push(c.Id);
    }
    return ids;
  }

  /**
   * Removes this project's containers that leaked (sweep.ts): those whose episode is finished, and those
   * whose creating process is gone, older than `graceS`, unless their episode still runs. `episodeState`
   * tells a running episode from a finished one (the worker asks Temporal; it gets the container's creation
   * time, seconds since the epoch); undefined: unknown.
   * `labels` narrows the sweep to containers carrying all of them. Returns what was removed and why.
   */
  async sweep(
    opts: { graceS?: number; episodeState?: (episodeId: string, createdS: number) => Promise<EpisodeState>; labels?: Record<string, string> } = {},
  ): Promise<{ id: string; reason: string }[]> {
    const graceS = opts.graceS ?? DEFAULT_SWEEP_GRACE_S;
    const removed: { id: string; reason: string }[] = [];
    const filters = [CREATOR_LABEL, ...Object.entries(opts.labels ?? {}).map(([k, v]) => `${k}=${v}`)];
    for (const c of await this.docker.listContainers({ all: true, filters: { label: filters } })) {
      const labels = { ...c.Labels, ...(c.Labels[POOLED_LABEL] === '1' ? ((this.claims.get(c.Id) ?? (await this.readClaim(c.Id))) ?? {}) : {}) };
      const episode = labels[EPISODE_LABEL];
      // Pool stock is claimed by an episode up to its idle time after it was made.
      const madeFor = c.Labels[POOLED_LABEL] === '1' ? c.Created + DEFAULT_POOL_IDLE_S : c.Created;
      const state = episode !== undefined && opts.episodeState ? await opts.episodeState(episode, madeFor) : undefined;
      const reason = sweepReason({ id: c.Id, labels, createdS: c.Created }, { alive: creatorAlive(labels[CREATOR_LABEL]!), episode: state, nowS: Date.now() / 1000, graceS });
      if (reason === null) continue;
      await this.destroy(c.Id);
      removed.push({ id: c.Id, reason });
    }
    return removed;
  }

  /** A pooled container's claim record; undefined while unclaimed or once gone. */
  private async readClaim(id: string): Promise<Record<string, string> | undefined> {
    try {
      const text = await readTarEntry(await this.docker.getContainer(id).getArchive({ path: CLAIM_PATH }));
      return JSON.parse(text) as Record<string, string>;
    } catch {
      return undefined;
    }
  }

  /** The image's configured user, else `agent` when the image has that user, else root. */
  private async defaultUser(image: string): Promise<string> {
    const config = (await this.inspectImage(image)).Config;
    if (config?.User && config.User !== '0') return config.User;
    return (await this.imageHasAgent(image)) ? 'agent' : 'root';
  }

  private readonly agentInImage = new Map<string, boolean>();

  /** Whether /etc/passwd of the image lists `agent` (read from a created, never started container). */
  private async imageHasAgent(image: string): Promise<boolean> {
    const known = this.agentInImage.get(image);
    if (known !== undefined) return known;
    // Labelled with its creator, so a sweep removes it if this process dies between create and remove.
    const probe = await this.docker.createContainer({
      Image: image,
      Entrypoint: [],
      Cmd: ['true'],
      NetworkDisabled: true,
      Labels: { [PROBE_LABEL]: '1', ...creatorLabels() },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      const archive = await probe.getArchive({ path: '/etc/passwd' });
      const passwd = await readTarEntry(archive);
      const has = passwd.split('\n').some((line) => line.startsWith('agent:'));
      this.agentInImage.set(image, has);
      return has;
    } catch {
      this.agentInImage.set(image, false);
      return false;
    } finally {
      await probe.remove({ force: true, v: true }).catch(() => undefined);
    }
  }

  private async inspectImage(image: string): Promise<Dockerode.ImageInspectInfo> {
    try {
      return await this.docker.getImage(image).inspect();
    } catch (err) {
      if (statusCode(err) === 404) throw new Error(`sandbox image ${image} is not in the local Docker; build it (scripts/build-sandbox-image.sh) or pull it`);
      throw new Error(`inspecting image ${image} failed (is Docker running? scripts/ensure-docker.sh): ${errorText(err)}`);
    }
  }

  private async sandboxInfo(id: string): Promise<SandboxInfo> {
    const cached = this.info.get(id);
    if (cached) return cached;
    let labels: Record<string, string>;
    try {
      labels = (await this.docker.getContainer(id).inspect()).Config.Labels ?? {};
    } catch (err) {
      throw this.infraError(id, 'inspecting', err);
    }
    if (labels[SANDBOX_LABEL] !== '1') throw new Error(`container ${id.slice(0, 12)} is not an agent-dagger sandbox (label ${SANDBOX_LABEL} missing)`);
    const info = { user: labels[USER_LABEL] ?? 'root', commandTimeoutS: Number(labels[TIMEOUT_LABEL] ?? 60) };
    this.info.set(id, info);
    return info;
  }

  /**
   * Runs argv with its output captured, through the container's command channel when one is open (else a
   * plain exec, and a channel starts opening for the next command). Same results either way.
   */
  private async run(id: string, argv: string[], user: string, sink: HeadTailBuffer, hostLimitMs: number): Promise<{ exitCode: number | null; durationMs: number; hostTimedOut: boolean }> {
    const channel = this.useChannels ? this.readyChannel(id, user) : undefined;
    if (channel) {
      try {
        return await channel.run(argv, hostLimitMs, ABANDON_MS, user !== 'root', (chunk) => sink.push(chunk));
      } catch (err) {
        if (!(err instanceof ChannelLost)) {
          if (err instanceof ChannelUnavailable) return this.plainRun(id, argv, user, sink, hostLimitMs);
          throw err;
        }
        // The command started and its channel died under it: most often the command killed it (kill -9 -1),
        // and itself with it. Its exit code is lost; report what a killed command reports.
        await this.sandboxInfoFresh(id);
        if (err.overdue && user !== 'root') await this.killUserProcesses(id, user);
        return { exitCode: err.overdue ? null : KILLED_EXIT_CODE, durationMs: err.durationMs, hostTimedOut: err.overdue };
      }
    }
    return this.plainRun(id, argv, user, sink, hostLimitMs);
  }

  /** The open channel for (id, user), or undefined after starting to open one in the background. */
  private readyChannel(id: string, user: string): CommandChannel | undefined {
    const key = `${id}\n${user}`;
    const slot = this.channels.get(key) ?? {};
    if (slot.channel?.alive) return slot.channel;
    if (slot.opening || (slot.failedAt !== undefined && Date.now() - slot.failedAt < CHANNEL_RETRY_MS)) return undefined;
    this.channels.set(key, slot);
    slot.channel = undefined;
    slot.opening = CommandChannel.open(this.docker, id, user).then(
      (channel) => {
        slot.opening = undefined;
        if (this.channels.get(key) !== slot) return channel.close('the sandbox was destroyed while its channel opened');
        slot.channel = channel;
        channel.onClose(() => {
          if (this.channels.get(key) === slot && slot.channel === channel) this.channels.delete(key);
        });
      },
      () => {
        slot.opening = undefined;
        slot.failedAt = Date.now();
      },
    );
    return undefined;
  }

  /** Throws SandboxGoneError when the container no longer runs. */
  private async sandboxInfoFresh(id: string): Promise<void> {
    try {
      const state = (await this.docker.getContainer(id).inspect()).State;
      if (!state.Running) throw Object.assign(new Error('container is not running'), { statusCode: 404 });
    } catch (err) {
      throw this.infraError(id, 'running a command', err);
    }
  }

  /**
   * One docker exec with its output captured; waits for the stream's end and the exec's exit code.
   * If the stream outlives `hostLimitMs` (a process escaped the command's process group and holds the
   * output open), every process of a non-root user is killed, then the stream is abandoned.
   */
  private async plainRun(id: string, argv: string[], user: string, sink: HeadTailBuffer, hostLimitMs: number): Promise<{ exitCode: number | null; durationMs: number; hostTimedOut: boolean }> {
    const started = Date.now();
    let exec: Dockerode.Exec;
    let stream: NodeJS.ReadWriteStream;
    try {
      exec = await this.docker.getContainer(id).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false, User: user });
      stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadWriteStream;
    } catch (err) {
      throw this.infraError(id, 'starting a command', err);
    }
    const writer = new Writable({
      write(chunk: Buffer, _enc, done) {
        sink.push(chunk);
        done();
      },
    });
    this.docker.modem.demuxStream(stream, writer, writer);
    let hostTimedOut = false;
    const ended = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', resolve);
    });
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), hostLimitMs);
    });
    if ((await Promise.race([ended, overdue])) === 'overdue') {
      hostTimedOut = true;
      if (user !== 'root') await this.killUserProcesses(id, user);
      const gone = await Promise.race([ended.then(() => true), sleep(ABANDON_MS).then(() => false)]);
      if (!gone) (stream as unknown as { destroy?: () => void }).destroy?.();
    }
    clearTimeout(timer);
    const exitCode = await this.exitCode(id, exec, hostTimedOut);
    return { exitCode, durationMs: Date.now() - started, hostTimedOut };
  }

  /** The exec's exit code; inspect can still read Running just after the stream ended, so poll briefly. */
  private async exitCode(id: string, exec: Dockerode.Exec, abandoned: boolean): Promise<number | null> {
    const deadline = Date.now() + (abandoned ? 500 : 5000);
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      let state: Dockerode.ExecInspectInfo;
      try {
        state = await exec.inspect();
      } catch (err) {
        throw this.infraError(id, 'reading a command exit code', err);
      }
      if (!state.Running) return state.ExitCode ?? null;
      if (Date.now() > deadline) return null;
      await sleep(delay);
    }
  }

  /** kill(-1) as the user signals all of that user's processes except the caller: the escaped ones too. */
  private async killUserProcesses(id: string, user: string): Promise<void> {
    try {
      const exec = await this.docker.getContainer(id).exec({ Cmd: ['kill', '-KILL', '-1'], User: user, AttachStdout: false, AttachStderr: false });
      await exec.start({ Detach: true });
    } catch {
      // The container may be gone already; the caller then learns it from the exit-code lookup.
    }
  }

  private infraError(id: string, what: string, err: unknown): Error {
    const code = statusCode(err);
    const text = errorText(err);
    if (code === 404 || (code === 409 && /not running|is paused|is restarting/i.test(text))) return new SandboxGoneError(id, what, err);
    return new Error(`${what} in sandbox ${id.slice(0, 12)} failed (is Docker running? scripts/ensure-docker.sh): ${text}`);
  }
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function statusCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err ? (err as { statusCode?: number }).statusCode : undefined;
}

function errorText(err: unknown): string {
  const json = typeof err === 'object' && err !== null && 'json' in err ? (err as { json?: { message?: string } }).json : undefined;
  if (json?.message) return json.message;
  return err instanceof Error ? err.message : String(err);
}

/** A small tmpfs volume (root's, mode 0755) at `target`, removed with its container. */
function tmpfsVolume(target: string, sizeMb: number): Dockerode.MountSettings {
  return {
    Type: 'volume',
    Source: '',
    Target: target,
    VolumeOptions: { NoCopy: true, Labels: {}, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs', o: `size=${sizeMb}m,mode=0755` } } },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readTarEntry(archive: NodeJS.ReadableStream): Promise<string> {
  const extract = tar.extract();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (_header, body, next) => {
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', next);
      body.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  archive.pipe(extract);
  await done;
  return Buffer.concat(chunks).toString('utf8');
}
