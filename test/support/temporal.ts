/**
 * A real Temporal dev server for tests (the project's `temporal` CLI, SQLite file), on free ports.
 */
import { mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../cli/embedded-server';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface TestServer extends EmbeddedServer {
  dir: string;
  dbFile: string;
  port: number;
  uiPort: number;
  /** Stop and start again on the same port and SQLite file. */
  restart(): Promise<TestServer>;
}

export async function startTestServer(dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-test-'))): Promise<TestServer> {
  const port = await freePort();
  const uiPort = await freePort();
  const dbFile = path.join(dir, 'temporal.db');
  const boot = async (): Promise<TestServer> => {
    const server = await startEmbeddedServer({ dbFile, port, uiPort });
    return {
      ...server,
      dir,
      dbFile,
      port,
      uiPort,
      async restart() {
        await server.stop();
        return boot();
      },
    };
  };
  return boot();
}
