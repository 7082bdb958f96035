/**
 * A sandbox's command channel: one long-lived `docker exec` per (container, user) running a small
 * dispatcher (dispatcher.py) that forks each command, so a command costs a request on an open stream
 * instead of a new exec (≈ 70–110 ms of runc each). The argv it runs is the one the plain path runs
 * (sessionArgv: same timeout, session restore/save, journal); see docs/sandbox.md.
 *
 * Host → dispatcher: 4-byte big-endian length + JSON request. Dispatcher → host: frames of 4-byte request
 * id, 1-byte kind, 4-byte length, payload. Requests are independent: commands run concurrently.
 */
import type Dockerode from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

const DISPATCHER = readFileSync(join(__dirname, 'dispatcher.py'));
/** Reads the dispatcher's source from stdin, so `ps` in the sandbox shows one short line, not the whole script. */
const BOOTSTRAP = 'import os, sys\nn = int(sys.argv[1]); s = b""\nwhile len(s) < n: s += os.read(0, n - len(s)) or sys.exit(1)\nexec(compile(s, "agent-dagger-dispatcher", "exec"))';
/** How long the dispatcher may take to start and say it is ready. */
const READY_TIMEOUT_MS = 10_000;
/** Slack over the dispatcher's own limits before the host gives up on it. */
const WATCHDOG_SLACK_MS = 3000;
const FRAME_HEADER = 9;

export interface Frame {
  id: number;
  kind: string;
  payload: Buffer;
}

/** Splits the dispatcher's byte stream into frames; keeps an incomplete tail for the next chunk. Pure. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= FRAME_HEADER) {
      const length = this.pending.readUInt32BE(5);
      if (this.pending.length < FRAME_HEADER + length) break;
      frames.push({ id: this.pending.readUInt32BE(0), kind: String.fromCharCode(this.pending[4]!), payload: this.pending.subarray(FRAME_HEADER, FRAME_HEADER + length) });
      this.pending = this.pending.subarray(FRAME_HEADER + length);
    }
    return frames;
  }
}

/** One request as the dispatcher reads it. Pure. */
export function encodeRequest(request: { id: number; argv: string[]; limit_ms: number; abandon_ms: number; kill_user: boolean }): Buffer {
  const body = Buffer.from(JSON.stringify(request));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

export interface ChannelRun {
  exitCode: number | null;
  durationMs: number;
  hostTimedOut: boolean;
}

/** The command did not start through the channel (it is closed, or the dispatcher could not spawn it): run it another way. */
export class ChannelUnavailable extends Error {
  override name = 'ChannelUnavailable';
}

/** The channel broke after the command started: its exit code is lost (the output so far was delivered). */
export class ChannelLost extends Error {
  override name = 'ChannelLost';
  /** `overdue`: the dispatcher stopped answering past the command's limits (the host's timeout fallback applies). */
  constructor(message: string, readonly durationMs: number, readonly overdue: boolean) {
    super(message);
  }
}

interface Pending {
  started: boolean;
  startedAt: number;
  sink: (chunk: Buffer) => void;
  resolve: (run: ChannelRun) => void;
  reject: (err: Error) => void;
  watchdog: NodeJS.Timeout;
}

type Socket = NodeJS.ReadWriteStream & { destroy?: () => void; ref?: () => void; unref?: () => void };

export class CommandChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedBecause: string | undefined;
  private stderrTail = '';
  private readonly closeListeners: (() => void)[] = [];

  private constructor(private readonly stream: Socket, readonly label: string) {}

  /** Starts the dispatcher as `user` in the container; rejects with ChannelUnavailable when it cannot run (no python3). */
  static async open(docker: Dockerode, containerId: string, user: string): Promise<CommandChannel> {
    const label = `sandbox ${containerId.slice(0, 12)} user ${user}`;
    let stream: Socket;
    try {
      const exec = await docker.getContainer(containerId).exec({
        Cmd: ['python3', '-I', '-c', BOOTSTRAP, String(DISPATCHER.length)],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        User: user,
      });
      stream = (await exec.start({ hijack: true, stdin: true })) as Socket;
    } catch (err) {
      throw new ChannelUnavailable(`starting the command channel of ${label} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const channel = new CommandChannel(stream, label);
    stream.write(DISPATCHER);
    const ready = new Promise<void>((resolve, reject) => {
      channel.onReady = resolve;
      channel.closeListeners.push(() => reject(new ChannelUnavailable(`the command channel of ${label} did not start: ${channel.closedBecause}`)));
    });
    const decoder = new FrameDecoder();
    docker.modem.demuxStream(
      stream,
      new Writable({
        write: (chunk: Buffer, _enc, done) => {
          try {
            for (const frame of decoder.push(chunk)) channel.onFrame(frame);
          } catch (err) {
            channel.close(`bad frame: ${err instanceof Error ? err.message : String(err)}`);
          }
          done();
        },
      }),
      new Writable({
        write: (chunk: Buffer, _enc, done) => {
          channel.stderrTail = (channel.stderrTail + chunk.toString('utf8')).slice(-2000);
          done();
        },
      }),
    );
    stream.on('end', () => channel.close(`the dispatcher exited${channel.stderrTail ? `: ${channel.stderrTail.trim()}` : ''}`));
    stream.on('close', () => channel.close('the stream closed'));
    stream.on('error', (err: Error) => channel.close(`stream error: ${err.message}`));
    const timer = setTimeout(() => channel.close(`no ready signal within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
    channel.updateRef();
    return channel;
  }

  get alive(): boolean {
    return this.closedBecause === undefined;
  }

  onClose(listener: () => void): void {
    if (!this.alive) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Runs argv; output chunks go to `sink` as they come. At `limitMs` the dispatcher kills what holds the
   * output open (every process of the user when `killUser`) and abandons the output `abandonMs` later.
   */
  run(argv: string[], limitMs: number, abandonMs: number, killUser: boolean, sink: (chunk: Buffer) => void): Promise<ChannelRun> {
    if (!this.alive) return Promise.reject(new ChannelUnavailable(`the command channel of ${this.label} is closed: ${this.closedBecause}`));
    const id = this.nextId++;
    return new Promise<ChannelRun>((resolve, reject) => {
      // The dispatcher answers within its own limits; if it does not, it is wedged: drop the channel.
      const wait = limitMs + abandonMs + WATCHDOG_SLACK_MS;
      const watchdog = setTimeout(() => this.close(`no answer ${wait} ms after a command`, true), wait);
      this.pending.set(id, { started: false, startedAt: Date.now(), sink, resolve, reject, watchdog });
      this.updateRef();
      this.stream.write(encodeRequest({ id, argv, limit_ms: limitMs, abandon_ms: abandonMs, kill_user: killUser }));
    });
  }

  /** Closes the channel; commands in flight fail (ChannelUnavailable before they started, ChannelLost after). */
  close(reason = 'closed by the host', overdue = false): void {
    if (!this.alive) return;
    this.closedBecause = reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.watchdog);
      this.pending.delete(id);
      p.reject(
        p.started
          ? new ChannelLost(`the command channel of ${this.label} broke while a command ran: ${reason}`, Date.now() - p.startedAt, overdue)
          : new ChannelUnavailable(`the command channel of ${this.label} closed before the command started: ${reason}`),
      );
    }
    this.stream.destroy?.();
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private onReady: () => void = () => undefined;

  private onFrame(frame: Frame): void {
    if (frame.kind === 'r') return this.onReady();
    const p = this.pending.get(frame.id);
    if (!p) throw new Error(`frame ${JSON.stringify(frame.kind)} for unknown request ${frame.id}`);
    switch (frame.kind) {
      case 's':
        p.started = true;
        return;
      case 'o':
        return p.sink(Buffer.from(frame.payload));
      case 'x': {
        const exit = JSON.parse(frame.payload.toString('utf8')) as { code: number | null; host_timed_out: boolean };
        this.settle(frame.id, p);
        return p.resolve({ exitCode: exit.code, durationMs: Date.now() - p.startedAt, hostTimedOut: exit.host_timed_out });
      }
      case 'e': {
        const { error } = JSON.parse(frame.payload.toString('utf8')) as { error: string };
        this.settle(frame.id, p);
        return p.reject(new ChannelUnavailable(`the command channel of ${this.label} could not start the command: ${error}`));
      }
      default:
        throw new Error(`unknown frame kind ${JSON.stringify(frame.kind)}`);
    }
  }

  private settle(id: number, p: Pending): void {
    clearTimeout(p.watchdog);
    this.pending.delete(id);
    this.updateRef();
  }

  /** An idle channel must not keep the host process alive; one with commands in flight must. */
  private updateRef(): void {
    if (this.pending.size > 0) this.stream.ref?.();
    else this.stream.unref?.();
  }
}
