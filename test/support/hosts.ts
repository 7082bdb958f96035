/**
 * Worker processes as separate hosts: each is its own OS process (`agent-dagger worker`), with its own host id,
 * its own working directory and temporary directory, so that nothing but what the test passes (the Temporal
 * address, the run location) is shared. Each is killed when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentDaggerHome, PROJECT_ROOT } from '../../config/paths';
import type { WorkerRole } from '../../workers/workers';

export interface HostProcess {
  hostId: string;
  /** Its working directory (also its TMPDIR; with privateFiles, inside its own /tmp). */
  dir: string;
  child: ChildProcess;
  /** Resolves when its workers poll; rejects if it exits first. */
  ready: Promise<void>;
  /** Everything it printed, for failure messages. */
  log(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export interface HostOptions {
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
  /**
   * A filesystem of its own where machines differ: the host runs in a mount namespace of its own (`unshare`, as
   * root) with fresh tmpfs over /tmp and over the run store's scratch directory, so it sees none of the test's or the
   * other hosts' files there (run directories, databases, downloads) and they see none of its. What a machine image
   * holds (the checkout, the venv, Docker) stays shared.
   */
  privateFiles?: boolean;
}

/**
 * Fresh tmpfs over /tmp and the scratch directory, then the command. A checkout under /tmp (a CI clone) would be
 * hidden by the new /tmp: it is bind-mounted aside first and back into place after.
 */
const PRIVATE_FILES = [
  'set -e',
  'case "$PROJECT_ROOT" in /tmp/*) aside=$(mktemp -d "$AGENT_DAGGER_STATE/checkout-aside.XXXXXX"); mount --bind "$PROJECT_ROOT" "$aside";; *) aside=;; esac',
  'mount -t tmpfs -o size=4g tmpfs /tmp',
  'if [ -n "$aside" ]; then mkdir -p "$PROJECT_ROOT" && mount --bind "$aside" "$PROJECT_ROOT" && umount "$aside" && rmdir "$aside"; fi',
  'mkdir -p "$SCRATCH" && mount -t tmpfs -o size=4g tmpfs "$SCRATCH"',
  'mkdir -p "$HOST_DIR" && cd "$HOST_DIR"',
  'exec "$@"',
].join('\n');

export function spawnHost(address: string, hostId: string, roles: WorkerRole[], options: HostOptions = {}): HostProcess {
  const dir = mkdtempSync(path.join(os.tmpdir(), `agent-dagger-${hostId}-`));
  // An absolute loader: the host's working directory has no node_modules.
  const tsx = require.resolve('tsx');
  const argv = [process.execPath, '--import', new URL(`file://${tsx}`).href, path.join(PROJECT_ROOT, 'cli', 'main.ts'), 'worker', '--address', address, '--host-id', hostId, '--role', ...roles];
  const env = { ...process.env, TMPDIR: dir, HOST_DIR: dir, SCRATCH: path.join(agentDaggerHome(), 'store-scratch'), PROJECT_ROOT, AGENT_DAGGER_STATE: agentDaggerHome(), ...options.env };
  const child = options.privateFiles
    ? spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', PRIVATE_FILES, 'sh', ...argv], { cwd: '/', env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(argv[0], argv.slice(1), { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`host ${hostId} exited (${signal ?? code}) before its workers ran:\n${output}`)));
  });
  ready.catch(() => undefined);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    hostId,
    dir,
    child,
    ready,
    log: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
