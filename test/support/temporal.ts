/**
 * A real Temporal dev server for tests (the project's `temporal` CLI, SQLite file), on free ports. It exits with
 * the test process however that ends (cli/embedded-server.ts), so no server outlives the suite.
 */
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startEmbeddedServer, type EmbeddedServer } from '../../cli/embedded-server';

export { freePort };

export interface TestServer extends EmbeddedServer {
  dir: string;
  dbFile: string;
  port: number;
  uiPort: number;
  /** Stop and start again on the same port and SQLite file. */
  restart(): Promise<TestServer>;
}

export async function startTestServer(dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-test-'))): Promise<TestServer> {
  // A free port can be taken by another process before the server binds it (the dev server then panics at start,
  // and it also picks internal ports of its own): a first start that fails so is tried again on other ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestServerOn(dir, await freePort(), await freePort());
    } catch (err) {
      if (attempt >= 3 || !String((err as Error).message).includes('exited at start')) throw err;
    }
  }
}

async function startTestServerOn(dir: string, port: number, uiPort: number): Promise<TestServer> {
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
