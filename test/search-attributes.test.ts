/**
 * `agent-dagger register-search-attributes` on a server that has none of them (a dev server started without
 * `--search-attribute`, as a production namespace starts): they are added with the workflows' types, as the
 * `temporal` CLI then lists them; a second run changes nothing; a same-named attribute of another type is refused.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { connectTemporalClient } from '../cli/connection';
import { errorChain } from '../cli/experiments';
import { registerSearchAttributes } from '../cli/search-attributes';
import { PROJECT_ROOT, temporalBinary } from '../config/paths';
import { SEARCH_ATTRIBUTE_SPECS } from '../workflows/search-attributes';
import { freePort } from './support/temporal';

const run = promisify(execFile);
let server: ChildProcess;
let address: string;
let client: Client;

before(async () => {
  address = `127.0.0.1:${await freePort()}`;
  // In memory, no UI, and deliberately no --search-attribute flags (the embedded server registers them at start).
  server = spawn(temporalBinary(), ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', address.split(':')[1], '--namespace', 'other'], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await run(temporalBinary(), ['operator', 'cluster', 'health', '--address', address], { timeout: 5000 });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  client = await connectTemporalClient(address, 'default', {});
});

after(async () => {
  await client?.connection.close();
  server?.kill('SIGTERM');
});

/** The namespace's custom attributes as the `temporal` CLI lists them: name → type. */
async function listed(namespace: string): Promise<Record<string, string>> {
  const { stdout } = await run(temporalBinary(), ['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace, '--output', 'json']);
  const json = JSON.parse(stdout) as { customAttributes?: Record<string, string> };
  return json.customAttributes ?? {};
}

/** A visibility query's first page (it fails when the query names an attribute the namespace lacks). */
const query = (q: string) => client.workflow.list({ query: q })[Symbol.asyncIterator]().next();

const typeName = (cliType: string) => cliType.replace(/^INDEXED_VALUE_TYPE_/, '').replace(/_/g, '').toLowerCase();

test('registers every attribute with its type, then finds them all there; visibility queries on them work', async () => {
  await assert.rejects(query('DaggerExperiment = "x"'), (err) => /DaggerExperiment/.test(errorChain(err)));
  const first = await registerSearchAttributes(client);
  assert.deepEqual(first.added.sort(), SEARCH_ATTRIBUTE_SPECS.map(([name]) => name).sort());
  assert.deepEqual(first.present, []);
  const types = await listed('default');
  for (const [name, type] of SEARCH_ATTRIBUTE_SPECS) assert.equal(typeName(types[name] ?? 'missing'), type.toLowerCase(), `${name} as the temporal CLI lists it`);
  await query('DaggerExperiment = "x" AND DaggerIteration >= 2 AND DaggerBeta < 0.5');

  // Again, through the command line: nothing to add.
  const { stdout } = await run(path.join(PROJECT_ROOT, 'bin', 'agent-dagger'), ['register-search-attributes', '--address', address, '--namespace', 'default']);
  assert.equal(stdout.trim(), `namespace default: added none; already there: ${SEARCH_ATTRIBUTE_SPECS.map(([name]) => name).join(', ')}`);
});

test('an attribute already there with another type is refused, naming it and the way out', async () => {
  await run(temporalBinary(), ['operator', 'search-attribute', 'create', '--address', address, '--namespace', 'other', '--name', 'DaggerBeta', '--type', 'Keyword']);
  await assert.rejects(registerSearchAttributes(client, 'other'), (err: Error) => {
    assert.match(err.message, /namespace other: DaggerBeta is registered as KEYWORD, but the workflows write it as DOUBLE/);
    assert.match(err.message, /temporal operator search-attribute remove --namespace other/);
    return true;
  });
  // Nothing was added for the others either: the namespace is left as it was.
  assert.deepEqual(Object.keys(await listed('other')), ['DaggerBeta']);
});
