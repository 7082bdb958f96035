/**
 * The bundled policy server on the OpenAI protocol, answered through the real `openai` client (maxRetries 0,
 * so every fault reaches the caller), plus the noisy student's determinism and off-track rate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message } from '../core/types';
import { DockerSandboxes } from '../env/sandbox/docker';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite } from '../env/swe/instances';
import { noisyPolicy, noisyReply, OFF_TRACK_KINDS } from '../policies/noisy';
import { oracleAction, oraclePolicy } from '../policies/oracle';
import { startPolicyServer } from '../policies/server';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const suite = loadSuite(SUITE);
const env = new SweEnvironment(new DockerSandboxes(), SUITE, { memoryMb: 512, cpus: 1, pids: 64, commandTimeoutS: 30, lifetimeS: 60 });
const task = suite.instances[0];

/** Canonical messages → the OpenAI wire format (arguments as JSON strings). */
function toWire(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    if (m.role === 'assistant') {
      return {
        role: 'assistant',
        content: m.content || null,
        ...(m.toolCalls ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : {}),
      };
    }
    if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' };
    return { role: m.role, content: m.content };
  });
}

test('tool calls round-trip: the served oracle answers what the oracle function decides, turn after turn', async () => {
  const server = await startPolicyServer({ policy: oraclePolicy(suite.instances), name: 'oracle' });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ['oracle']);

    const messages = env.prompt(task);
    for (let turn = 0; turn < 3; turn++) {
      const completion = await client.chat.completions.create({ model: 'oracle', messages: toWire(messages), tools: env.tools() as never, temperature: 0.7, top_p: 0.9, seed: 3 });
      const choice = completion.choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      const call = choice.message.tool_calls?.[0];
      assert.ok(call && call.type === 'function');
      const expected = oracleAction(suite.instances, messages);
      assert.equal(call.function.name, expected.toolCalls[0].name);
      assert.deepEqual(JSON.parse(call.function.arguments), expected.toolCalls[0].arguments);
      assert.ok(completion.usage && completion.usage.prompt_tokens > 100 && completion.usage.completion_tokens > 0);
      // The history goes back with the call (JSON-string arguments) and an observation for it.
      const action = { id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) as Record<string, unknown> };
      const observation = action.name === 'str_replace_editor' ? 'The file has been edited.' : 'ok\n[The command completed with exit code 0.]';
      messages.push({ role: 'assistant', content: choice.message.content ?? '', toolCalls: [action] }, { role: 'tool', content: observation, toolCallId: call.id });
    }
    assert.equal(server.stats().completions, 3);
  } finally {
    await server.close();
  }
});

test('faults are injected at about the configured rate: 500, 429 with Retry-After, and hangs past the client timeout', { timeout: 120_000 }, async () => {
  const rate = 0.3;
  const server = await startPolicyServer({ policy: oraclePolicy(suite.instances), name: 'oracle', faults: { rate, seed: 11 } });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0, timeout: 300 });
    const n = 150;
    const seen = { ok: 0, s500: 0, s429: 0, timeout: 0, retryAfter: 0 };
    for (let i = 0; i < n; i++) {
      try {
        await client.chat.completions.create({ model: 'oracle', messages: toWire(env.prompt(task)) });
        seen.ok++;
      } catch (err) {
        if (err instanceof APIConnectionTimeoutError) seen.timeout++;
        else if (err instanceof APIError && err.status === 500) seen.s500++;
        else if (err instanceof APIError && err.status === 429) {
          seen.s429++;
          if (err.headers?.get('retry-after') === '1') seen.retryAfter++;
        } else throw err;
      }
    }
    const faults = seen.s500 + seen.s429 + seen.timeout;
    console.log(`faults ${faults}/${n} (500: ${seen.s500}, 429: ${seen.s429}, hang: ${seen.timeout}) at rate ${rate}`);
    assert.ok(Math.abs(faults / n - rate) < 0.1, `fault fraction ${faults / n} is far from ${rate}`);
    assert.ok(seen.s500 > 0 && seen.s429 > 0 && seen.timeout > 0, 'every kind of fault occurs');
    assert.equal(seen.retryAfter, seen.s429);
    const stats = server.stats();
    assert.deepEqual(stats.faults, { status500: seen.s500, status429: seen.s429, hang: seen.timeout });
    assert.equal(stats.completions, seen.ok);
  } finally {
    await server.close();
  }
});

test('the same fault seed injects the same faults', async () => {
  const outcomes = async () => {
    const server = await startPolicyServer({ policy: oraclePolicy(suite.instances), name: 'oracle', faults: { rate: 0.5, seed: 5, hangMs: 50 } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0, timeout: 2000 });
    const out: string[] = [];
    for (let i = 0; i < 20; i++) {
      out.push(await client.chat.completions.create({ model: 'oracle', messages: toWire(env.prompt(task)) }).then(() => 'ok', (e: unknown) => (e instanceof APIError && e.status ? String(e.status) : 'hang')));
    }
    await server.close();
    return out;
  };
  const first = await outcomes();
  assert.deepEqual(await outcomes(), first);
  assert.ok(first.includes('ok') && first.some((o) => o !== 'ok'));
});

test('a prompt over maxContextTokens gets OpenAI\'s context_length_exceeded error', async () => {
  const server = await startPolicyServer({ policy: oraclePolicy(suite.instances), name: 'oracle', maxContextTokens: 200 });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const err = await client.chat.completions.create({ model: 'oracle', messages: toWire(env.prompt(task)) }).then(
      () => assert.fail('expected a 400'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof APIError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'context_length_exceeded');
    assert.equal(err.type, 'invalid_request_error');
    assert.match(err.message, /maximum context length is 200 tokens/);
    assert.equal(server.stats().contextExceeded, 1);
  } finally {
    await server.close();
  }
});

test('bad requests get a 400 with an OpenAI-shaped error; max_tokens cuts the answer', async () => {
  const server = await startPolicyServer({ policy: oraclePolicy(suite.instances), name: 'oracle' });
  try {
    const raw = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{"messages": "nope"}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(raw.status, 400);
    const body = (await raw.json()) as { error: { message: string; type: string; param: string | null } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.param, 'messages');
    const notJson = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{' });
    assert.equal(notJson.status, 400);
    const unknownRoute = await fetch(`${server.url}/completions`, { method: 'POST', body: '{}' });
    assert.equal(unknownRoute.status, 404);

    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const cut = await client.chat.completions.create({ model: 'oracle', messages: toWire(env.prompt(task)), max_tokens: 2 });
    assert.equal(cut.choices[0].finish_reason, 'length');
    assert.equal(cut.choices[0].message.tool_calls, undefined);
    assert.equal(server.stats().badRequests, 2);
  } finally {
    await server.close();
  }
});

test('parallel_tool_calls: false keeps the first of several calls, as vLLM does; a non-boolean is refused', async () => {
  const calls = ['ls', 'pwd'].map((command, i) => ({ id: `c${i}`, name: 'execute_bash', arguments: JSON.stringify({ command }) }));
  const server = await startPolicyServer({ policy: () => ({ content: '', toolCalls: calls }), name: 'two' });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const ask = (extra: object) => client.chat.completions.create({ model: 'two', messages: [{ role: 'user', content: 'go' }], tools: env.tools() as never, ...extra });
    assert.equal((await ask({})).choices[0].message.tool_calls?.length, 2);
    const one = await ask({ parallel_tool_calls: false });
    assert.deepEqual(one.choices[0].message.tool_calls?.map((c) => c.id), ['c0']);
    await assert.rejects(ask({ parallel_tool_calls: 'no' }), (err: unknown) => err instanceof APIError && err.status === 400 && /parallel_tool_calls/.test(err.message));
  } finally {
    await server.close();
  }
});

test('noisy student: deterministic per (seed, turn), off track at about rate p, otherwise the oracle', () => {
  const prompt = env.prompt(task);
  const p = 0.3;
  let offTrack = 0;
  const n = 400;
  for (let seed = 0; seed < n; seed++) {
    const reply = noisyReply(suite.instances, prompt, seed, { p });
    assert.deepEqual(noisyReply(suite.instances, prompt, seed, { p }), reply, 'same seed, same reply');
    const oracle = oracleAction(suite.instances, prompt).toolCalls[0];
    const call = reply.toolCalls[0];
    if (!call || call.name !== oracle.name || call.arguments !== JSON.stringify(oracle.arguments)) offTrack++;
  }
  assert.ok(Math.abs(offTrack / n - p) < 0.07, `off-track fraction ${offTrack / n}`);
  assert.equal(OFF_TRACK_KINDS.length, 7);
});

test('noisy student served over HTTP answers with the request seed; malformed calls reach the client as sent', async () => {
  const server = await startPolicyServer({ policy: noisyPolicy(suite.instances, { p: 1 }), name: 'noisy' });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const kinds = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const c = await client.chat.completions.create({ model: 'noisy', messages: toWire(env.prompt(task)), seed });
      const call = c.choices[0].message.tool_calls?.[0];
      assert.ok(call && call.type === 'function');
      let parsed = true;
      try {
        JSON.parse(call.function.arguments);
      } catch {
        parsed = false;
      }
      kinds.add(parsed ? call.function.name : 'malformed');
    }
    assert.ok(kinds.has('malformed') && kinds.has('finish') && kinds.has('str_replace_editor') && kinds.has('execute_bash'), [...kinds].join(','));
  } finally {
    await server.close();
  }
});

test('serve.ts starts a server from the command line', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'policies', 'serve.ts'), '--policy', 'oracle', '--suite', SUITE, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve.ts exited with ${code}`)));
    });
    const client = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
    const c = await client.chat.completions.create({ model: 'oracle', messages: toWire(env.prompt(task)) });
    assert.equal(c.choices[0].message.tool_calls?.[0].type, 'function');
  } finally {
    child.kill('SIGTERM');
  }
});
