/**
 * The train step and the student deploy.
 *
 * trainStep spawns the configured trainer command on the aggregated dataset D = D_1 ∪ … ∪ D_i, turns its
 * JSON-lines progress into heartbeats, and on a retry starts the same command on the same output
 * directory, where the trainer resumes from its last checkpoint. deployStudent makes the new checkpoint
 * the student the next iteration samples from.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ExperimentConfig } from '../config/schema';
import type { TrainStepResult } from '../core/records';
import { trainerInvocation } from '../config/paths';
import { localCopy, RunStore, writeJsonAtomic } from '../store/run-store';

type ActiveTrainer = Exclude<ExperimentConfig['trainer'], { kind: 'none' }>;

export interface TrainStepInput {
  runDir: string;
  iteration: number;
  trainer: ActiveTrainer;
  /** Dataset files relative to the run directory (D_1 … D_i). */
  datasets: string[];
  /** The checkpoint to continue from, or null for the base model. */
  initFrom: string | null;
  seed: number;
}

interface TrainerEvent {
  event: string;
  [key: string]: unknown;
}

export function createTrainActivities() {
  return {
    async trainStep(input: TrainStepInput): Promise<TrainStepResult> {
      const store = new RunStore(input.runDir);
      // A store that is not this host's directory (S3): the trainer works in this host's scratch copy of the run,
      // one output directory per host (a retry on the same host resumes there), and the finished model is uploaded.
      const checkpointKey = store.checkpointKey(input.iteration);
      const outputKey = store.local ? checkpointKey : `${checkpointKey}/${hostTag()}`;
      if (!store.local) {
        const stored = await store.getJson<TrainStepResult>(`${checkpointKey}/checkpoint.json`);
        if (stored) return stored; // an earlier attempt (on any host) finished and uploaded this step
      }
      const outputDir = store.scratchPath(outputKey);
      mkdirSync(outputDir, { recursive: true });
      const configFile = path.join(outputDir, 'train-config.json');
      const datasets: string[] = [];
      for (const d of input.datasets) datasets.push(await store.localFile(d));
      writeJsonAtomic(configFile, {
        ...input.trainer.options,
        // D = D_0 ∪ D_1 ∪ … ∪ D_i: the demonstrations (absolute paths) and this run's aggregated datasets.
        datasets: [...(input.trainer.demonstrations ?? []), ...datasets],
        model: input.trainer.model,
        init_from: input.initFrom && (await localCopy(input.initFrom)),
        output_dir: outputDir,
        seed: input.seed,
      });
      const { command, args, env } =
        input.trainer.kind === 'bundled'
          ? trainerInvocation(['train', '--config', configFile])
          : { command: input.trainer.command[0], args: input.trainer.command.slice(1).map((a) => a.replaceAll('{config}', configFile)), env: process.env };
      const argv = [command, ...args];
      const started = Date.now();
      const ctx = Context.current();
      let last: TrainerEvent = { event: 'spawned' };
      let tokens = 0;
      const errors: string[] = [];
      // stdin stays open and unused: the bundled trainer exits when it closes (this worker died).
      const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const beat = setInterval(() => ctx.heartbeat(last), 10_000);
      const onCancel = () => child.kill('SIGTERM');
      ctx.cancellationSignal.addEventListener('abort', onCancel);
      const stderrTail: string[] = [];
      readline.createInterface({ input: child.stderr! }).on('line', (line) => {
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
      });
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal }));
      });
      let result: TrainerEvent | null = null;
      try {
        for await (const line of readline.createInterface({ input: child.stdout! })) {
          let event: TrainerEvent;
          try {
            event = JSON.parse(line) as TrainerEvent;
          } catch {
            continue; // the trainer's own plain output
          }
          last = event;
          if (event.event === 'step') {
            tokens += Number(event.tokens ?? 0);
            ctx.heartbeat(event);
          } else if (event.event === 'done') {
            result = event;
          } else if (event.event === 'error') {
            errors.push(String(event.message));
          }
        }
        const { code, signal } = await done;
        // A trainer killed by a signal (the OOM killer's SIGKILL, a SIGTERM) has no exit code: name the signal.
        const ended = signal ? `killed by ${signal}` : `exit ${code}`;
        if (ctx.cancellationSignal.aborted) throw ApplicationFailure.nonRetryable('train step cancelled', 'Cancelled');
        if (code === 2 && input.trainer.kind === 'bundled') {
          // The bundled trainer exits 2 for a config error: the same step would fail the same way.
          throw ApplicationFailure.nonRetryable(`trainer config rejected: ${errors.join('; ') || stderrTail.slice(-5).join(' | ')}`, 'TrainerConfigRejected');
        }
        if (code !== 0 || !result) {
          const why = errors.join('; ') || stderrTail.slice(-5).join(' | ') || (signal ? 'no output' : 'no done event');
          throw ApplicationFailure.retryable(`trainer ${argv.join(' ')} failed (${ended}): ${why}`, 'TrainerFailed');
        }
      } finally {
        clearInterval(beat);
        ctx.cancellationSignal.removeEventListener('abort', onCancel);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      const trained: TrainStepResult = {
        modelDir: String(result.model_dir ?? outputDir),
        steps: Number(result.steps ?? 0),
        finalLoss: result.final_loss === undefined || result.final_loss === null ? null : Number(result.final_loss),
        trainSeconds: (Date.now() - started) / 1000,
        tokens,
      };
      if (store.local) return trained;
      // Upload the model under this host's output key, then claim the step: the first complete upload's record wins,
      // so every later reader (deploy, the next step's init_from) takes one whole checkpoint, never a mix of two.
      const modelRel = path.relative(outputDir, trained.modelDir).split(path.sep).join('/');
      if (modelRel.startsWith('..') || path.isAbsolute(modelRel)) throw ApplicationFailure.nonRetryable(`the trainer's model_dir ${trained.modelDir} is outside its output_dir ${outputDir}`, 'TrainerOutput');
      const modelKey = modelRel ? `${outputKey}/${modelRel}` : outputKey;
      await store.uploadDir(modelKey, trained.modelDir);
      // LoRA: a merged model's adapter beside it is what load-adapter deploys (adapterOf).
      const adapter = path.join(path.dirname(trained.modelDir), 'adapter');
      if (path.basename(trained.modelDir) === 'merged' && existsSync(adapter)) await store.uploadDir(`${path.posix.dirname(modelKey)}/adapter`, adapter);
      const claimed = await store.putJsonOnce(`${checkpointKey}/checkpoint.json`, { ...trained, modelDir: store.locationOf(modelKey) });
      return claimed.value;
    },

    /** Make a checkpoint the served student; returns the model name requests must use. */
    async deployStudent(input: {
      deploy: ExperimentConfig['deploy'];
      studentBaseUrl: string;
      checkpoint: string;
      name: string;
    }): Promise<{ model: string }> {
      const { deploy } = input;
      if (deploy.kind === 'none') return { model: input.name };
      // A checkpoint in an S3 store is fetched into this host's scratch copy first (where the model server reads it).
      const checkpoint = await localCopy(input.checkpoint);
      if (deploy.kind === 'load-adapter') {
        if (checkpoint !== input.checkpoint && path.basename(checkpoint) === 'merged') await localCopy(siblingLocation(input.checkpoint, 'adapter')).catch(() => undefined);
        await loadAdapter(input.studentBaseUrl, input.name, adapterOf(checkpoint));
        return { model: input.name };
      }
      const argv = deploy.command.map((a) => a.replaceAll('{checkpoint}', checkpoint).replaceAll('{name}', input.name));
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
        child.on('error', reject);
        child.on('close', resolve);
      });
      if (code !== 0) throw ApplicationFailure.retryable(`deploy command ${argv.join(' ')} exited ${code}`, 'DeployFailed');
      return { model: input.name };
    },
  };
}

/**
 * Load `loraPath` as `name` into a vLLM-compatible server, idempotently. vLLM answers 400 to a name that is loaded
 * already unless the request says `load_inplace` (vllm/entrypoints/openai/models/serving.py), and the iteration
 * deploys the previous checkpoint again under its name, and a retry follows a response lost on the way. So: a
 * name the server lists (GET /v1/models) with this path as its `root` is deployed already; otherwise the adapter
 * is loaded with `load_inplace`, which replaces whatever the name held (e.g. after a server restart with other
 * state). A server that ignores `load_inplace` (vLLM before it existed) and refuses is checked against the
 * listing once more before the refusal counts.
 */
export async function loadAdapter(baseUrl: string, name: string, loraPath: string): Promise<void> {
  const base = baseUrl.replace(/\/$/, '');
  if (await servesAdapter(base, name, loraPath)) return;
  const url = `${base}/load_lora_adapter`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lora_name: name, lora_path: loraPath, load_inplace: true }),
  }).catch((err: unknown) => {
    // The server may have loaded it before the connection dropped: the retry finds it listed.
    throw ApplicationFailure.retryable(`loading ${loraPath} as ${name} at ${url}: ${(err as Error).message}`, 'DeployFailed');
  });
  if (response.ok) return;
  const body = await response.text();
  const message = `loading ${loraPath} as ${name} at ${url} failed (${response.status}): ${body.slice(0, 500)}`;
  if (response.status === 404 && /"detail"\s*:\s*"Not Found"/.test(body)) {
    throw ApplicationFailure.nonRetryable(
      `${message}. The server has no runtime LoRA loading: start vLLM with --enable-lora and the environment variable VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`,
      'DeployRejected',
    );
  }
  if (response.status >= 500 || response.status === 429) throw ApplicationFailure.retryable(message, 'DeployFailed');
  if (await servesAdapter(base, name, loraPath)) return;
  throw ApplicationFailure.nonRetryable(message, 'DeployRejected');
}

/** Whether GET /v1/models lists `name` with `root` = `loraPath` (vLLM's model card of a loaded adapter). */
async function servesAdapter(base: string, name: string, loraPath: string): Promise<boolean> {
  const url = `${base}/models`;
  const response = await fetch(url).catch((err: unknown) => {
    throw ApplicationFailure.retryable(`listing the models at ${url}: ${(err as Error).message}`, 'DeployFailed');
  });
  if (!response.ok) throw ApplicationFailure.retryable(`listing the models at ${url} failed (${response.status}): ${(await response.text()).slice(0, 300)}`, 'DeployFailed');
  const listed = (await response.json()) as { data?: { id?: string; root?: string }[] };
  return (listed.data ?? []).some((m) => m.id === name && m.root === loraPath);
}

/**
 * What `load_lora_adapter` gets: a LoRA step's trainer reports its merged copy (`<out>/merged`), but vLLM applies
 * adapters to the base it serves, so the adapter beside it (`<out>/adapter`) is sent when there is one.
 */
export function adapterOf(checkpoint: string): string {
  const adapter = path.join(path.dirname(checkpoint), 'adapter');
  return path.basename(checkpoint) === 'merged' && existsSync(path.join(adapter, 'adapter_config.json')) ? adapter : checkpoint;
}

/** This host's name as a key segment: each host trains in its own output directory of a shared store. */
function hostTag(): string {
  return os.hostname().replace(/[^A-Za-z0-9._-]/g, '_') || 'host';
}

/** The location of a sibling directory of an S3 location (its query kept). */
function siblingLocation(location: string, name: string): string {
  const url = new URL(location);
  url.pathname = `${path.posix.dirname(url.pathname)}/${name}`;
  return url.toString();
}
