/**
 * A model directory served on this machine over the OpenAI protocol by the bundled server
 * (`agent_dagger_trainer serve`), created from scratch first when the config asks for a tiny model.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as readline from 'node:readline';
import { trainerInvocation } from '../config/paths';
import type { PolicyConfig } from '../config/schema';

export interface LocalModelServer {
  url: string;
  close(): Promise<void>;
}

/** How a tiny model is made (config `student.tiny`). */
export type TinyModelOptions = Extract<PolicyConfig, { kind: 'local' }>['tiny'];

/** Create a tiny model (config, tokenizer and chat template made locally) whose tokenizer is fitted to `corpus`. */
export async function initTinyModel(modelDir: string, corpus: string, tiny: TinyModelOptions = { template: 'chatml-json', copyWarmupSteps: 0 }): Promise<void> {
  if (tiny.copyWarmupSteps > 0) {
    console.log(`creating the tiny student in ${modelDir} (${tiny.template}, copy warm-up ${tiny.copyWarmupSteps} steps: ≈ ${Math.ceil(tiny.copyWarmupSteps / 1300)} min on CPU, once)`);
  }
  const { command, args, env } = trainerInvocation([
    'init-model',
    '--output',
    modelDir,
    '--corpus',
    corpus,
    '--template',
    tiny.template,
    '--copy-warmup-steps',
    String(tiny.copyWarmupSteps),
  ]);
  // stdin stays open and unused: the trainer exits when it closes (this process died).
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const problems: string[] = []; // the trainer's error event and the tail of its stderr
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.includes('"error"')) problems.push(line); // {"event": "error", "message": ...}
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    // The warm-up's progress events are shown; anything else is kept for the error message.
    try {
      const event = JSON.parse(line) as { event?: string; step?: number; steps?: number; loss?: number };
      if (event.event === 'copy_warmup') {
        console.log(`  copy warm-up: step ${event.step}/${event.steps}, loss ${event.loss}`);
        return;
      }
    } catch {
      // not an event line
    }
    problems.push(line);
    if (problems.length > 20) problems.shift();
  });
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`creating a tiny model in ${modelDir} failed (exit ${code}): ${problems.join('\n').slice(-800)}`);
}

export async function serveLocalModel(options: {
  modelDir: string;
  name: string;
  port: number;
  init: 'none' | 'tiny';
  corpus: string;
  tiny?: TinyModelOptions;
}): Promise<LocalModelServer> {
  if (!existsSync(options.modelDir)) {
    if (options.init !== 'tiny') throw new Error(`the model directory ${options.modelDir} does not exist: make it first (e.g. an earlier run's checkpoint, as the config's header says) or set init: tiny to create a tiny model there`);
    await initTinyModel(options.modelDir, options.corpus, options.tiny);
  }
  const { command, args, env } = trainerInvocation(['serve', '--model', options.modelDir, '--port', String(options.port), '--name', options.name]);
  // stdin stays open and unused: the server exits when it closes (this process died).
  // As vLLM, the server offers /v1/load_lora_adapter (the deploy step) only with runtime LoRA updating allowed.
  const child = spawn(command, args, { env: { ...env, VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'True' }, stdio: ['pipe', 'pipe', 'pipe'] });
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
