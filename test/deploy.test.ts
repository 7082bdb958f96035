/**
 * The student deploy against a server as strict as vLLM (the bundled model server, which answers as vLLM's
 * /v1/load_lora_adapter does: a loaded name is refused unless `load_inplace`): three iterations' deploys, each
 * iteration's redeploy of the previous checkpoint, and a retry after the first load's response was lost on the
 * way back (dropped by a proxy after the server had loaded the adapter).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { ApplicationFailure } from '@temporalio/activity';
import { createTrainActivities } from '../activities/train';
import { PROJECT_ROOT } from '../config/paths';
import { initTinyModel, serveLocalModel } from '../cli/local-model';

/** Forwards to `target`; the response to the first load request is dropped once the server has answered it. */
async function droppingProxy(target: string) {
  const upstream = new URL(target);
  let dropNextLoad = true;
  const loads: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer: IncomingMessage) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            if (req.url?.endsWith('/load_lora_adapter')) {
              loads.push(answer.statusCode ?? 0);
              if (dropNextLoad) {
                dropNextLoad = false;
                req.socket.destroy(); // the server has loaded it; the client never hears so
                return;
              }
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const prefix = upstream.pathname.replace(/\/$/, '');
  return { url: `http://127.0.0.1:${port}${prefix}`, loads, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('deploys are idempotent against vLLM\'s contract: three iterations, redeploys, and a lost response', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-deploy-'));
  const base = path.join(dir, 'base');
  await initTinyModel(base, path.join(PROJECT_ROOT, 'tasks', 'swe-mini'));
  // Three checkpoints (full model directories: the server loads them as it loads adapters).
  const checkpoints = [1, 2, 3].map((i) => {
    const ckpt = path.join(dir, `iter-${i}`, 'model');
    cpSync(base, ckpt, { recursive: true });
    return ckpt;
  });
  const served = await serveLocalModel({ modelDir: base, name: 'base', port: 0, init: 'none', corpus: '' });
  const proxy = await droppingProxy(served.url);
  const { deployStudent } = createTrainActivities();
  const deploy = (i: number) => deployStudent({ deploy: { kind: 'load-adapter' }, studentBaseUrl: proxy.url, checkpoint: checkpoints[i - 1]!, name: `exp-iter-${i}` });
  const client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
  const listed = async () => Object.fromEntries((await client.models.list()).data.map((m) => [m.id, (m as unknown as { root: string }).root]));
  try {
    // The server is strict: a second plain load of a loaded name is refused, as vLLM refuses it.
    const strict = async (name: string, loraPath: string) =>
      (await fetch(`${served.url}/load_lora_adapter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lora_name: name, lora_path: loraPath }) })).status;

    // Iteration 1's deploy: the server loads it, the response is lost, the activity fails retryably; the retry succeeds.
    await assert.rejects(deploy(1), (err: unknown) => err instanceof ApplicationFailure && err.type === 'DeployFailed' && !err.nonRetryable);
    assert.deepEqual(proxy.loads, [200]);
    assert.deepEqual(await deploy(1), { model: 'exp-iter-1' });
    assert.equal(await strict('exp-iter-1', checkpoints[0]!), 400);

    for (const i of [2, 3]) {
      // The iteration's first act: the previous checkpoint again, under its name.
      assert.deepEqual(await deploy(i - 1), { model: `exp-iter-${i - 1}` });
      assert.deepEqual(await deploy(i), { model: `exp-iter-${i}` });
      assert.deepEqual(await deploy(i), { model: `exp-iter-${i}` }); // a retry after a lost completion of the activity
    }
    assert.deepEqual(await listed(), { base, 'exp-iter-1': checkpoints[0], 'exp-iter-2': checkpoints[1], 'exp-iter-3': checkpoints[2] });
    // One load per checkpoint reached the server after the lost one; redeploys found theirs listed.
    assert.deepEqual(proxy.loads, [200, 200, 200]);

    // A name that holds another checkpoint (e.g. reused by a rerun) is replaced in place, not refused.
    assert.deepEqual(await deployStudent({ deploy: { kind: 'load-adapter' }, studentBaseUrl: proxy.url, checkpoint: checkpoints[0]!, name: 'exp-iter-3' }), { model: 'exp-iter-3' });
    assert.equal((await listed())['exp-iter-3'], checkpoints[0]);

    // Requests name the deployed model, and it answers under that name.
    const completion = await client.chat.completions.create({ model: 'exp-iter-2', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, temperature: 0 });
    assert.equal(completion.model, 'exp-iter-2');
    await assert.rejects(client.chat.completions.create({ model: 'exp-iter-9', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }), (err: unknown) => err instanceof OpenAI.NotFoundError);
  } finally {
    await proxy.close();
    await served.close();
  }
});
