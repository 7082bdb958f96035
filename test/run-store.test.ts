/**
 * The run store's contract, run against both backends: a local directory and a real S3-compatible server
 * (SeaweedFS's weed, test/support/s3.ts). Write-once records (the first complete write wins, also between
 * concurrent writers in separate processes), idempotent retries, overwrites, listing, large objects streamed both
 * ways, the local scratch copies the trainer reads, and the history cache reading each turn once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mock } from 'node:test';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from '../config/paths';
import { HistoryCache, RunStore, type EpisodeManifest } from '../store/run-store';
import { checkRunLocation, parseRunLocation, runLocationFor } from '../store/location';
import { TURN_SCHEMA, type TurnRecord } from '../core/types';
import { startS3Server, type TestS3Server } from './support/s3';
import { reportCommand } from '../report';

let s3: TestS3Server;
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-store-'));
let n = 0;

before(async () => {
  s3 = await startS3Server();
  await s3.createBucket('contract');
});
after(() => s3?.stop());

const backends: { name: string; runDir: () => string }[] = [
  { name: 'local directory', runDir: () => path.join(tmp(), 'run') },
  { name: 's3 (weed)', runDir: () => s3.runDir('contract', `run-${++n}-${randomBytes(3).toString('hex')}`, 'runs') },
];

/** Writers in separate processes (as on separate hosts), released at once; each prints what it got back. */
async function raceProcesses(runDir: string, key: string, writers: number): Promise<{ created: boolean; value: { writer: number } }[]> {
  const script = `
    const { RunStore } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'store', 'run-store.ts'))});
    const [runDir, key, start, writer] = process.argv.slice(1);
    const store = new RunStore(runDir);
    (async () => {
      await new Promise((r) => setTimeout(r, Number(start) - Date.now()));
      const got = await store.putJsonOnce(key, { writer: Number(writer), pad: 'x'.repeat(200000) });
      console.log(JSON.stringify({ created: got.created, value: { writer: got.value.writer } }));
    })();`;
  const start = Date.now() + 4000;
  const runs = Array.from({ length: writers }, (_, i) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, runDir, key, String(start), String(i)], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer ${i} exited ${code}`))));
    }),
  );
  return (await Promise.all(runs)).map((o) => JSON.parse(o.trim()));
}

for (const backend of backends) {
  describe(`run store contract: ${backend.name}`, () => {
    test('a write-once record: the first write wins, a retry gets the stored record back', async () => {
      const store = new RunStore(backend.runDir());
      const key = store.policyKey('ep.1', 0, 'teacher');
      assert.equal(await store.getJson(key), null);
      const first = await store.putJsonOnce(key, { answer: 1 });
      assert.deepEqual(first, { value: { answer: 1 }, created: true });
      const retry = await store.putJsonOnce(key, { answer: 2 });
      assert.deepEqual(retry, { value: { answer: 1 }, created: false });
      assert.deepEqual(await store.getJson(key), { answer: 1 });
      // Another store object on the same run (another worker) sees the same record.
      assert.deepEqual(await new RunStore(store.runDir).readPolicy('ep.1', 0, 'teacher'), { answer: 1 });
    });

    test('concurrent writers in one process: exactly one is created, all get its value', async () => {
      const store = new RunStore(backend.runDir());
      const key = store.turnKey('ep.c', 3);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putJsonOnce(key, { writer: i })));
      const winners = results.filter((r) => r.created);
      assert.equal(winners.length, 1);
      for (const r of results) assert.deepEqual(r.value, winners[0].value);
      assert.deepEqual(await store.getJson(key), winners[0].value);
    });

    test('concurrent writers in separate processes: exactly one wins, every writer returns the winner', { timeout: 120_000 }, async () => {
      const runDir = backend.runDir();
      const key = 'episodes/race/turns/0.json';
      const results = await raceProcesses(runDir, key, 4);
      const winners = results.filter((r) => r.created);
      assert.equal(winners.length, 1, JSON.stringify(results));
      for (const r of results) assert.equal(r.value.writer, winners[0].value.writer);
      assert.equal((await new RunStore(runDir).getJson<{ writer: number }>(key))!.writer, winners[0].value.writer);
    });

    test('overwrites replace; text objects; listing of episodes and of every key under a prefix', async () => {
      const store = new RunStore(backend.runDir());
      assert.deepEqual(await store.listEpisodes(), []);
      await store.putJson('metrics/iter-1.json', { v: 1 });
      await store.putJson('metrics/iter-1.json', { v: 2 });
      assert.deepEqual(await store.getJson('metrics/iter-1.json'), { v: 2 });
      await store.putText(store.testLogKey('b'), 'log\n');
      assert.equal(await store.getText(store.testLogKey('b')), 'log\n');
      for (const id of ['b', 'a', 'c.1']) await store.putJsonOnce(store.manifestKey(id), { id });
      await store.putJsonOnce(store.turnKey('a', 0), { t: 0 });
      assert.deepEqual(await store.listEpisodes(), ['a', 'b', 'c.1']);
      assert.deepEqual(await store.blobs.list('episodes/a'), ['episode.json', 'turns']);
      assert.deepEqual(await store.blobs.listAll('episodes'), ['a/episode.json', 'a/turns/0.json', 'b/episode.json', 'b/test-output.txt', 'c.1/episode.json']);
      assert.deepEqual(await store.blobs.list('nothing/here'), []);
    });

    test('keys outside the run are refused', async () => {
      const store = new RunStore(backend.runDir());
      for (const bad of ['../x.json', '/etc/passwd', 'a//b', 'a/./b', '']) await assert.rejects(store.putJson(bad, {}), /not a relative path inside the run/);
    });

    test('large objects stream both ways, write-once, and come back byte for byte', { timeout: 180_000 }, async () => {
      const store = new RunStore(backend.runDir());
      const dir = tmp();
      const big = path.join(dir, 'model.safetensors');
      const bytes = randomBytes(48 * 1024 * 1024);
      writeFileSync(big, bytes);
      writeFileSync(path.join(dir, 'config.json'), '{"a":1}');
      const sha = createHash('sha256').update(bytes).digest('hex');
      await store.uploadDir('checkpoints/iter-1', dir);
      await store.uploadDir('checkpoints/iter-1', dir); // a retried upload finds every file stored
      assert.equal(await store.blobs.putFileOnce('checkpoints/iter-1/config.json', big), false, 'the first upload of a key wins');
      const local = await store.localDir('checkpoints/iter-1');
      assert.equal(createHash('sha256').update(readFileSync(path.join(local, 'model.safetensors'))).digest('hex'), sha);
      assert.equal(readFileSync(path.join(local, 'config.json'), 'utf8'), '{"a":1}');
      assert.equal(statSync(await store.localFile('checkpoints/iter-1/model.safetensors')).size, bytes.length);
      await assert.rejects(store.localFile('checkpoints/iter-9/none'), /does not exist|ENOENT/);
    });

    test('the history cache reads each turn record once per worker (O(T) per episode)', async () => {
      const store = new RunStore(backend.runDir());
      const manifest = { schema: 'agent-dagger/episode@1', episodeId: 'h', prompt: [{ role: 'system', content: 'S' }], tools: [] } as unknown as EpisodeManifest;
      await store.putJsonOnce(store.manifestKey('h'), manifest);
      const cache = new HistoryCache();
      const reads = mock.method(RunStore.prototype, 'readTurn');
      try {
        for (let t = 0; t < 12; t++) {
          const history = await cache.at(store, 'h', t);
          assert.equal(history.messages.length, 1 + 2 * t);
          await store.putJsonOnce(store.turnKey('h', t), turn(t));
        }
        assert.equal(reads.mock.callCount(), 11);
        // teacher and student of one turn at once: one consistent history each
        const [a, b] = await Promise.all([cache.at(store, 'h', 12), cache.at(store, 'h', 12)]);
        assert.deepEqual(a.messages, b.messages);
        assert.equal(a.messages.length, 25);
      } finally {
        reads.mock.restore();
      }
    });
  });
}

function turn(t: number): TurnRecord {
  return {
    schema: TURN_SCHEMA, experimentId: 'x', iteration: 1, episodeId: 'h', taskId: 'task', turn: t, executor: 'teacher', mixing: { kind: 'beta', beta: 1 },
    label: null, student: null, executed: { content: `a${t}`, toolCalls: [] }, observation: `o${t}`, fullObservationRef: null,
  } as unknown as TurnRecord;
}

describe('s3 specifics (weed)', () => {
  test('records land in the bucket under <prefix>/<experimentId>/<the local layout>', async () => {
    const runDir = s3.runDir('contract', 'layout-exp', 'team/runs');
    const store = new RunStore(runDir);
    await store.putJsonOnce(store.turnKey('layout-exp.i1.e0', 2), { x: 1 });
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'contract', Prefix: 'team/runs/layout-exp/' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['team/runs/layout-exp/episodes/layout-exp.i1.e0/turns/2.json']);
    const body = await s3.client.send(new GetObjectCommand({ Bucket: 'contract', Key: 'team/runs/layout-exp/episodes/layout-exp.i1.e0/turns/2.json' }));
    assert.deepEqual(JSON.parse(await body.Body!.transformToString()), { x: 1 });
  });

  test('`agent-dagger report s3://…` reads the run from the bucket and uploads its report', async () => {
    const runDir = s3.runDir('contract', 'report-exp', 'runs');
    const store = new RunStore(runDir);
    await store.putJson('config.json', { name: 'fixture', iterations: 2, algorithm: { kind: 'dagger' } });
    const html = await reportCommand(runDir);
    assert.ok(existsSync(html), html);
    const uploaded = JSON.parse((await store.getText('report/report.json'))!);
    assert.deepEqual([uploaded.status, uploaded.plannedIterations, uploaded.runDir], ['running', 2, `s3://contract/runs/report-exp at ${s3.endpoint}`]);
    assert.match((await store.getText('report/index.html'))!, /<html/);
  });

  test('the server refuses a second conditional write with 412 (If-None-Match: *), the contract write-once relies on', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'contract', Key: 'probe/once', Body: 'a', IfNoneMatch: '*' }));
    await assert.rejects(s3.client.send(new PutObjectCommand({ Bucket: 'contract', Key: 'probe/once', Body: 'b', IfNoneMatch: '*' })), (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 412);
  });

  test('a server that ignores If-None-Match (accepts every PutObject) is refused before any write-once', async () => {
    const puts: string[] = [];
    const lax = http.createServer((req, res) => {
      if (req.method === 'PUT') puts.push(String(req.headers['if-none-match']));
      req.resume().on('end', () => {
        res.writeHead(req.method === 'DELETE' ? 204 : 200, { ETag: '"0"' });
        res.end();
      });
    });
    await new Promise<void>((r) => lax.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(lax.address() as AddressInfo).port}`;
      const store = new RunStore(runLocationFor({ ...s3.storeConfig('lax'), endpoint }, '', 'e'));
      await assert.rejects(store.putJsonOnce('episodes/e/turns/0.json', {}), /does not honour conditional writes .*If-None-Match: \*/);
      assert.deepEqual(puts, ['*', '*'], 'the probe wrote twice, conditionally, and nothing else');
    } finally {
      lax.close();
    }
  });

  test('wrong credentials and a missing credential variable are reported with what to fix', async () => {
    const location = parseRunLocation(s3.runDir('contract', 'creds'));
    assert.equal(location.kind, 's3');
    process.env.AGENT_DAGGER_TEST_WRONG_SECRET = 'not-the-secret';
    const wrong = new RunStore(runLocationFor({ ...s3.storeConfig('contract'), secretKeyEnv: 'AGENT_DAGGER_TEST_WRONG_SECRET' }, '', 'creds'));
    await assert.rejects(wrong.getJson('summary.json'), /run store s3:\/\/contract\/creds.*(HTTP 403|SignatureDoesNotMatch)/);
    assert.throws(() => new RunStore(runLocationFor({ ...s3.storeConfig('contract'), accessKeyEnv: 'AGENT_DAGGER_TEST_UNSET_KEY' }, '', 'creds')), /AGENT_DAGGER_TEST_UNSET_KEY \(store.accessKeyEnv\) is not set on this worker/);
    await assert.rejects(new RunStore(s3.runDir('no-such-bucket', 'x')).getJson('a.json'), /run store s3:\/\/no-such-bucket\/x.*NoSuchBucket/);
  });
});

describe('run locations', () => {
  test('local and s3 locations round-trip; bad ones are refused with the expected forms', () => {
    assert.deepEqual(parseRunLocation('/abs/runs/e1'), { kind: 'local', dir: '/abs/runs/e1' });
    const loc = runLocationFor({ kind: 's3', bucket: 'b', prefix: '/team/runs/', endpoint: 'http://h:9000', region: 'eu-west-1', forcePathStyle: true, accessKeyEnv: 'K', secretKeyEnv: 'S' }, 'ignored', 'exp-1');
    assert.deepEqual(parseRunLocation(loc), { kind: 's3', bucket: 'b', prefix: 'team/runs/exp-1', endpoint: 'http://h:9000', region: 'eu-west-1', forcePathStyle: true, accessKeyEnv: 'K', secretKeyEnv: 'S' });
    assert.equal(runLocationFor({ kind: 'local' }, '/r', 'e'), '/r/e');
    assert.match(checkRunLocation('runs/e1')!, /absolute directory or s3:/);
    assert.match(checkRunLocation('s3://b/p?secretKey=abc')!, /unknown parameter\(s\) secretKey/);
    assert.match(checkRunLocation('s3://b/p?endpoint=ftp://x')!, /not an http\(s\) URL/);
    assert.equal(checkRunLocation(loc), null);
  });
});
