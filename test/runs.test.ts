/**
 * Runs in one checkout: two `agent-dagger run` at once share the run root's Temporal server (started once, on
 * one SQLite file, stopped by the last one out) and serve their policies on different ports; a taken `--id` is
 * refused before anything is written; a server start that fails leaves no database behind; `agent-dagger server`
 * exits non-zero when its server dies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';
import { acquireSharedServer, alive, portOpen, startEmbeddedServer } from '../cli/embedded-server';
import { freePort } from './support/temporal';
import { SUITE, suiteIds } from './support/stack';

const CLI = path.join(PROJECT_ROOT, 'bin', 'agent-dagger');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Outcome> {
  const child = spawn(CLI, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

test('two runs at once share one server and both finish; a taken --id is refused before anything is written', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-two-runs-'));
  const runRoot = path.join(dir, 'runs');
  const config = path.join(dir, 'two.yaml');
  writeFileSync(
    config,
    [
      'name: two',
      'iterations: 1',
      `runRoot: ${runRoot}`,
      'algorithm: { kind: dagger, beta: { type: constant, value: 1 } }',
      'teacher: { kind: bundled, name: oracle, temperature: 0, timeoutS: 5 }',
      'student: { kind: bundled, name: noisy, timeoutS: 5 }',
      `tasks: { suite: ${SUITE}, train: { ids: [${suiteIds()[0]}] } }`,
      'rollout: { episodesPerIteration: 1, maxTurns: 12, concurrency: 1, sandbox: { commandTimeoutS: 20, memoryMb: 512 } }',
      '',
    ].join('\n'),
  );
  const [a, b] = await Promise.all([cli(['run', config, '--id', 'run-a']), cli(['run', config, '--id', 'run-b'])]);
  for (const [name, r] of [['run-a', a], ['run-b', b]] as const) {
    assert.equal(r.code, 0, `${name}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`experiment ${name} finished`));
    assert.ok(existsSync(path.join(runRoot, name, 'datasets', 'iter-1.jsonl')), `${name} wrote its dataset`);
  }
  const server = (r: Outcome) => /Temporal server: (\S+) \((started here|shared with)/.exec(r.stdout);
  assert.equal(server(a)![1], server(b)![1], 'one server address');
  assert.deepEqual([server(a)![2], server(b)![2]].sort(), ['shared with', 'started here'], 'started once, shared once');
  const teacherUrl = (r: Outcome) => /teacher: oracle at (\S+)/.exec(r.stdout)![1];
  assert.notEqual(teacherUrl(a), teacherUrl(b), 'each run serves its policies on its own port');
  // The last one out stopped the server (no record, no lock left); the database was made under its own name only
  // (SQLite's -wal and -shm companions may stay when the server was slow to stop and was killed: they are replayed on open).
  const left = readdirSync(runRoot).filter((f) => f.startsWith('temporal.db') && !/-(wal|shm)$/.test(f));
  assert.deepEqual(left.sort(), ['temporal.db', 'temporal.db.log', 'temporal.db.users']);
  assert.equal(await portOpen(Number(server(a)![1].split(':')[1])), false, 'the server is stopped');

  const recorded = path.join(runRoot, 'run-a', 'config.json');
  const before = { text: readFileSync(recorded, 'utf8'), mtime: statSync(recorded).mtimeMs };
  const again = await cli(['run', config, '--id', 'run-a']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /experiment run-a exists already .*choose another --id, or continue it with --resume run-a/);
  assert.doesNotMatch(again.stdout, /Temporal server:/, 'refused before anything started');
  assert.deepEqual({ text: readFileSync(recorded, 'utf8'), mtime: statSync(recorded).mtimeMs }, before);
});

test('a server start that fails leaves no database behind', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-db-'));
  // A stand-in that writes part of a database and fails, as an interrupted first start did.
  const fake = path.join(dir, 'temporal');
  writeFileSync(fake, '#!/bin/sh\nwhile [ "$1" != "--db-filename" ]; do shift; done\necho half > "$2"\nexit 3\n');
  chmodSync(fake, 0o755);
  const dbFile = path.join(dir, 'temporal.db');
  const saved = process.env.TEMPORAL_BIN;
  process.env.TEMPORAL_BIN = fake;
  try {
    await assert.rejects(startEmbeddedServer({ dbFile, port: await freePort(), uiPort: await freePort() }), /the Temporal server exited at start/);
  } finally {
    if (saved === undefined) delete process.env.TEMPORAL_BIN;
    else process.env.TEMPORAL_BIN = saved;
  }
  assert.deepEqual(readdirSync(dir).sort(), ['temporal', 'temporal.db.log'], 'no database, whole or half');
});

test('a test server stops when the process that started it is killed', async () => {
  // A process that starts one (as a test file does) and is then SIGKILLed: no clean-up code runs in it.
  const script = `require(${JSON.stringify(path.join(PROJECT_ROOT, 'test', 'support', 'temporal.ts'))}).startTestServer().then((s) => console.log('server ' + s.pid));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const match = /server (\d+)/.exec(d.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before its server was up`)));
  });
  child.kill('SIGKILL');
  const deadline = Date.now() + 20_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal(alive(pid), false, `the server ${pid} outlived the process that started it`);
});

test('a record naming an unrelated live process (a reused pid) never signals it; leftovers of a killed creator are removed', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-stale-'));
  const dbFile = path.join(dir, 'temporal.db');
  const bystander = spawn('sleep', ['120']);
  writeFileSync(`${dbFile}.server.json`, JSON.stringify({ pid: bystander.pid, address: '127.0.0.1:9', uiUrl: 'http://127.0.0.1:9' }));
  writeFileSync(`${dbFile}.creating-999999999`, 'half'); // no such process
  const server = await acquireSharedServer(dbFile, { port: await freePort(), uiPort: await freePort() });
  try {
    assert.equal(server.started, true, 'a new server, not the recorded pid');
    assert.notEqual(server.pid, bystander.pid);
    assert.ok(alive(bystander.pid!), 'the unrelated process was not signalled');
    assert.equal(existsSync(`${dbFile}.creating-999999999`), false);
  } finally {
    await server.release();
    bystander.kill();
  }
  assert.equal(alive(server.pid), false, 'the last one out stopped the server');
  assert.equal(existsSync(`${dbFile}.server.json`), false);
});

test('`agent-dagger server` exits non-zero when its Temporal server dies', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-server-'));
  const dbFile = path.join(dir, 'temporal.db');
  let killed = false;
  const outcome = await cli(['server', '--db', dbFile, '--port', String(await freePort()), '--ui-port', String(await freePort())], (stdout) => {
    if (killed || !/Ctrl-C stops it/.test(stdout)) return;
    killed = true;
    const { pid } = JSON.parse(readFileSync(`${dbFile}.server.json`, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
  });
  assert.ok(killed, outcome.stdout + outcome.stderr);
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /the Temporal server \(pid \d+\) stopped by itself; see .*temporal\.db\.log/);
});
