/**
 * What keeps a turn's cost near its model calls' cost: the policy activity's history is assembled in O(T) per
 * episode (each turn record read once per worker, rebuilt from the store by a fresh worker, equal to the history
 * read whole), the warm pool refills a pool sized to many episodes a few containers at a time, and the bundled policy
 * server can simulate a model's latency without spending CPU on it.
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { historyMessages, TURN_SCHEMA, type TurnRecord } from '../core/types';
import { WarmPool } from '../env/sandbox/pool';
import type { SandboxSpec } from '../env/sandbox/docker';
import { startPolicyServer } from '../policies/server';
import { HistoryCache, RunStore } from '../store/run-store';
import { testManifest } from './support/manifest';

const manifest = testManifest;

function turn(episodeId: string, t: number, observationChars = 100): TurnRecord {
  const call = { id: `call_${t}`, name: 'execute_bash', arguments: { command: `echo ${t}` } };
  // Every third action is malformed: its error goes back as a user message (no call id), as turnMessages does.
  const executed = t % 3 === 2 ? { content: `thinking ${t}`, toolCalls: [], parseError: 'no call' } : { content: `step ${t}`, toolCalls: [call] };
  return {
    schema: TURN_SCHEMA,
    experimentId: 'x',
    iteration: 1,
    episodeId,
    taskId: 't',
    turn: t,
    executor: 'teacher',
    mixing: { kind: 'dagger', beta: 1 },
    label: null,
    student: null,
    executed,
    observation: { text: `${t}:`.padEnd(observationChars, 'x'), error: false },
    fullObservationRef: null,
  } as unknown as TurnRecord;
}

test('the history at every turn equals the one read whole from the store, each turn record read once per worker', async (t) => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-history-'));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  const store = new RunStore(runDir);
  const id = 'e1';
  await store.putJson(store.manifestKey(id), manifest(id));
  const reads = mock.method(RunStore.prototype, 'readTurn');
  t.after(() => reads.mock.restore());
  const cache = new HistoryCache();
  const T = 100;
  for (let k = 0; k < T; k++) {
    // Teacher and student ask at the same turn: the second call reads nothing.
    const first = await cache.at(store, id, k);
    const second = await cache.at(store, id, k);
    assert.deepEqual(first.messages, historyMessages(manifest(id).prompt, await store.readTurns(id, k)), `turn ${k}`);
    assert.deepEqual(second.messages, first.messages);
    await store.putJsonOnce(store.turnKey(id, k), turn(id, k));
  }
  // Records 0 … T−2 once each by the cache (the last is written after the last call), plus the test's own full
  // reads (0 + 1 + … + T−1).
  assert.equal(reads.mock.callCount(), T - 1 + (T * (T - 1)) / 2);

  // A fresh worker (empty cache) rebuilds from the store once, with the same result.
  reads.mock.resetCalls();
  const fresh = new HistoryCache();
  assert.deepEqual((await fresh.at(store, id, T)).messages, historyMessages(manifest(id).prompt, await store.readTurns(id, T)));
  assert.equal(reads.mock.callCount(), 2 * T);
  // An earlier turn asked again (a retried call) gets that turn's history, not a longer one.
  assert.deepEqual((await fresh.at(store, id, 3)).messages, historyMessages(manifest(id).prompt, await store.readTurns(id, 3)));
});

test('a missing earlier turn is an error naming the file; a run directory made again is not served from the cache', async (t) => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-history-'));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  const store = new RunStore(runDir);
  const cache = new HistoryCache();
  await store.putJson(store.manifestKey('e'), manifest('e'));
  await store.putJsonOnce(store.turnKey('e', 0), turn('e', 0));
  await assert.rejects(cache.at(store, 'e', 2), /episode e: turn 2 requested but only 1 earlier turns are stored \(.*turns\/1\.json is missing/);
  assert.equal((await cache.at(store, 'e', 1)).messages.length, 4);

  // The same path and episode id, new content (a test or a user removing runs/ and starting again).
  rmSync(path.join(runDir, 'episodes'), { recursive: true });
  await store.putJson(store.manifestKey('e'), manifest('e', 'Another system prompt.'));
  await assert.rejects(cache.at(store, 'e', 1), /only 0 earlier turns are stored/);
  assert.equal((await cache.at(store, 'e', 0)).messages[0].content, 'Another system prompt.');
});

test('the cache keeps at most maxEpisodes episodes, least recently used out', async (t) => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-history-'));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  const store = new RunStore(runDir);
  for (const id of ['a', 'b', 'c']) {
    await store.putJson(store.manifestKey(id), manifest(id));
    await store.putJsonOnce(store.turnKey(id, 0), turn(id, 0));
  }
  const cache = new HistoryCache(2);
  await cache.at(store, 'a', 1);
  await cache.at(store, 'b', 1);
  await cache.at(store, 'a', 1); // a is now the most recent
  await cache.at(store, 'c', 1); // b goes
  const reads = mock.method(RunStore.prototype, 'readTurn');
  t.after(() => reads.mock.restore());
  await cache.at(store, 'a', 1);
  assert.equal(reads.mock.callCount(), 0);
  await cache.at(store, 'b', 1);
  assert.equal(reads.mock.callCount(), 1);
});

test('history assembly over a 100-turn episode reads each record once: linear, not quadratic, in the bytes parsed', async (t) => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-history-'));
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  const store = new RunStore(runDir);
  await store.putJson(store.manifestKey('long'), manifest('long'));
  const parse = mock.method(JSON, 'parse');
  t.after(() => parse.mock.restore());
  const cache = new HistoryCache();
  let parsedChars = 0;
  const OBS = 10_000;
  for (let k = 0; k < 100; k++) {
    parse.mock.resetCalls();
    await cache.at(store, 'long', k);
    parsedChars += parse.mock.calls.reduce((n, c) => n + String(c.arguments[0]).length, 0);
    await store.putJsonOnce(store.turnKey('long', k), turn('long', k, OBS));
  }
  // 99 records of ≈ 10 KB are parsed once each (≈ 1 MB); re-reading every earlier turn would be ≈ 50 MB.
  assert.ok(parsedChars > 99 * OBS && parsedChars < 110 * OBS, `parsed ${parsedChars} characters`);
});

test('the policy server simulates latency from the request’s arrival, with timers, and answers at once without it', async (t) => {
  const reply = () => ({ content: '', toolCalls: [{ id: 'c', name: 'finish', arguments: '{}' }] });
  const slow = await startPolicyServer({ name: 'p', policy: reply, latencyMs: 300 });
  const fast = await startPolicyServer({ name: 'p', policy: reply });
  t.after(() => Promise.all([slow.close(), fast.close()]));
  const ask = async (url: string) => {
    const client = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
    const started = performance.now();
    const r = await client.chat.completions.create({ model: 'p', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    return performance.now() - started;
  };
  await ask(fast.url); // connection warm-up
  const cpuBefore = process.cpuUsage();
  const times = await Promise.all(Array.from({ length: 8 }, () => ask(slow.url)));
  const cpu = process.cpuUsage(cpuBefore);
  // Eight at once take one latency, not eight: the wait is a timer, as a served model's queue would overlap them.
  for (const ms of times) assert.ok(ms >= 295 && ms < 1500, `a request took ${ms.toFixed(0)} ms with 300 ms latency`);
  assert.ok((cpu.user + cpu.system) / 1000 < 1000, 'waiting spent no CPU to speak of');
  assert.ok((await ask(fast.url)) < 250);
  await assert.rejects(startPolicyServer({ name: 'p', policy: reply, latencyMs: -1 }), /latencyMs must be a finite number ≥ 0, got -1/);
});

test('the warm pool refills a few containers at once, keeps what was made when one create fails, and says when it is settled', async () => {
  let inFlight = 0;
  let most = 0;
  let made = 0;
  let failAt = -1;
  const discarded: string[] = [];
  const make = async () => {
    const k = made++;
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    if (k === failAt) throw new Error('docker said no');
    return `c${k}`;
  };
  const pool = new WarmPool(10, 300, make, async (id) => void discarded.push(id));
  const spec = { image: 'img', workdir: '/w', limits: {} } as unknown as SandboxSpec;
  assert.equal(pool.take(spec), undefined); // empty: the caller creates one; a refill starts
  await pool.settled();
  assert.equal(made, 10);
  assert.equal(most, 4);
  await pool.drain();
  assert.deepEqual(discarded.sort(), Array.from({ length: 10 }, (_, i) => `c${i}`).sort());

  // The third create of a refill fails: the others' containers are kept, and the refill stops there.
  made = 0;
  failAt = 2;
  const failing = new WarmPool(6, 300, make, async () => undefined);
  assert.equal(failing.take(spec), undefined);
  await failing.settled();
  assert.equal(made, 4);
  assert.deepEqual([failing.take(spec), failing.take(spec), failing.take(spec)], ['c0', 'c1', 'c3']);
  await failing.drain();
});
