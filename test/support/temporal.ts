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
