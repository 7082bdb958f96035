/**
 * A model directory served on this machine over the OpenAI protocol by the bundled server
 * (`agent_dagger_trainer serve`), created from scratch first when the config asks for a tiny model.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as readline from 'node:readline';
import { promisify } from 'node:util';
import { trainerInvocation } from '../config/paths';

const run = promisify(execFile);

export interface LocalModelServer {
  url: string;
  close(): Promise<void>;
}

/** Create a tiny model (config, tokenizer and chat template made locally) whose tokenizer is fitted to `corpus`. */
export async function initTinyModel(modelDir: string, corpus: string): Promise<void> {
  const { command, args, env } = trainerInvocation(['init-model', '--output', modelDir, '--corpus', corpus]);
  try {
    await run(command, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    throw new Error(`creating a tiny model in ${modelDir} failed: ${(err as { stderr?: string }).stderr?.slice(-800) ?? (err as Error).message}`);
  }
}

export async function serveLocalModel(options: { modelDir: string; name: string; port: number; init: 'none' | 'tiny'; corpus: string }): Promise<LocalModelServer> {
  if (!existsSync(options.modelDir)) {
    if (options.init !== 'tiny') throw new Error(`the model directory ${options.modelDir} does not exist (set init: tiny to create a tiny model there)`);
    await initTinyModel(options.modelDir, options.corpus);
  }
  const { command, args, env } = trainerInvocation(['serve', '--model', options.modelDir, '--port', String(options.port), '--name', options.name]);
  // stdin stays open and unused: the server exits when it closes (this process died).
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => {
    stderr.push(l);
    if (stderr.length > 30) stderr.shift();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start within 120 s')), 120_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`serving ${options.modelDir} on port ${options.port}: ${err.message}\n${stderr.slice(-10).join('\n')}`));
    };
    child.once('exit', (code) => fail(new Error(`the server exited (${code})`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'serving' && event.url) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve(event.url);
        }
      } catch {
        // not an event line
      }
    });
  });
  return {
    url,
    async close() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
