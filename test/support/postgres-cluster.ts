/**
 * Temporal's own server on PostgreSQL for a test (scripts/temporal-cluster.sh: built from the Go module proxy and
 * cached, PostgreSQL from Debian's packages, a namespace with the project's search attributes), and workers in a
 * separate process against it that a test can SIGKILL.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../config/paths';
import type { WorkerRole } from '../../workers/workers';

const run = promisify(execFile);
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'temporal-cluster.sh');

export interface PostgresCluster {
  dir: string;
  address: string;
  namespace: string;
  /** The server's build folder (binaries and schema files). */
  build: string;
  /** Runs SQL on one of the cluster's databases (psql, local socket) and returns its rows, fields split by '|'. */
  sql(database: 'temporal' | 'temporal_visibility', query: string): Promise<string[][]>;
  /** Stops the Temporal server and starts it again on the same PostgreSQL databases. */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgresCluster(namespace = 'dagger-test'): Promise<PostgresCluster> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-cluster-'));
  chmodSync(parent, 0o755); // run as root, the script hands PostgreSQL's data to the postgres user, who must reach it
  const dir = path.join(parent, 'cluster');
  // Whatever ends the test process, neither PostgreSQL nor the server outlives it.
  const stopNow = () => {
    try {
      execFileSync(SCRIPT, ['stop', dir], { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(parent, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  let stdout: string;
  try {
    ({ stdout } = await run(SCRIPT, ['start', dir, namespace], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    stopNow();
    const e = err as { stderr?: string; message: string };
    throw new Error(`scripts/temporal-cluster.sh start failed:\n${e.stderr ?? e.message}`);
  }
  const env = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const psql = path.join(env.AGENT_DAGGER_PG_BIN, 'psql');
  return {
    dir,
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    build: env.AGENT_DAGGER_TEMPORAL_BUILD,
    async sql(database, query) {
      const { stdout: rows } = await run(psql, ['-h', path.join(dir, 'pgdata'), '-p', env.AGENT_DAGGER_PG_PORT, '-U', 'temporal', '-d', database, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', query]);
      return rows
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('|'));
    },
    async restartServer() {
      await run(SCRIPT, ['restart', dir]);
    },
    async stop() {
      process.off('exit', stopNow);
      await run(SCRIPT, ['stop', dir]);
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** `agent-dagger worker` in its own process against a cluster's namespace. */
export function spawnClusterWorker(cluster: PostgresCluster, roles: WorkerRole[], hostId: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'cli', 'main.ts'), 'worker', '--role', ...roles, '--address', cluster.address, '--namespace', cluster.namespace, '--host-id', hostId],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Drained so a chatty worker never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}
