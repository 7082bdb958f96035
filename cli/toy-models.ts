/**
 * The models of the embedded default (config/default.yaml), made once per machine by `npm start` before the run:
 *
 *   <root>/toy-demos/episodes.jsonl  the oracle's episodes on the train tasks of tasks/toy (D_0, the demonstrations)
 *   <root>/toy-base/                 a tiny model made from scratch (tokenizer fitted to tasks/toy, chatml-brief) + copy warm-up
 *   <root>/toy-student/              toy-base + a short behaviour cloning on D_0: resolves some held-out tasks, not most
 *   <root>/toy-teacher/              toy-student + more behaviour cloning on D_0: resolves ≈ all of them; an LM teacher
 *                                    with log-probabilities and the student's tokenizer (for on-policy distillation)
 *
 * Each output carries `toy-models.json` with the hash of its inputs (the recipe, the files it is made from, the hashes
 * of the outputs it is made from); an output whose hash matches is kept, any other is made again, so a second call
 * costs nothing and a changed recipe or task suite remakes exactly what depends on it. The oracle's episodes are
 * appended to a partial file as they finish, so an interrupted collection continues where it stopped.
 *
 *   node --import tsx cli/toy-models.ts [--root runs/models] [--concurrency 3]
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Command } from 'commander';
import OpenAI from 'openai';
import { PROJECT_ROOT, trainerInvocation } from '../config/paths';
import type { TrajectoryRecord } from '../core/types';
import { DockerSandboxes } from '../env/sandbox/docker';
import { SweEnvironment } from '../env/swe/environment';
import { loadSuite, readSplit } from '../env/swe/instances';
import type { TaskInstance } from '../env/types';
import { LIMITS, SUITE, noisyOracle, runEpisode, servedStudent } from '../studies/toy/episodes';
import { initTinyModel, serveLocalModel } from './local-model';

export interface ToyRecipe {
  /** the first n train tasks (null: the whole train split) */
  trainTasks: number | null;
  copyWarmupSteps: number;
  studentEpochs: number;
  /** epochs from the student on (it costs only these, and the student's epochs are not done twice) */
  teacherEpochs: number;
  /** held-out tasks the teacher is checked on, alone and greedy (0: none) */
  teacherCheckTasks: number;
  /** episodes at once while collecting and checking */
  concurrency: number;
}

/** Stage 1 of docs/experiments.md: 3 epochs resolved 24/100 held-out tasks, 6 all; measured with this set-up, 3 epochs
 * resolved 18/20 (docs/experiments.md, "The embedded default"), so the student gets 1 epoch and starts low; the
 * teacher, 6 epochs in all, is the recipe that resolved every held-out task. */
export const DEFAULT_RECIPE: ToyRecipe = { trainTasks: null, copyWarmupSteps: 6000, studentEpochs: 1, teacherEpochs: 5, teacherCheckTasks: 20, concurrency: 3 };

/** The behaviour cloning of docs/toy-tasks.md ("Learnability", run e) but for the number of epochs. */
const BC_OPTIONS = { lr: 2e-3, batch_size: 2, warmup_steps: 10, device: 'cpu', dtype: 'fp32', seed: 0 };
const TEMPLATE = 'chatml-brief';
const STAMP = 'toy-models.json';

/** What each output is made from, besides the recipe: the files whose change remakes it. */
const DEMO_FILES = ['tasks/toy/instances.jsonl', 'tasks/toy/splits/train.txt', 'policies/oracle.ts', 'env/swe/prompts/system-compact.md', 'env/swe/prompts/task-compact.md', 'env/tools/definitions.ts', 'core/episode-loop.ts'];
const BASE_FILES = ['tasks/toy/corpus', 'trainer/agent_dagger_trainer/model.py', 'trainer/agent_dagger_trainer/warmup.py', 'trainer/agent_dagger_trainer/templates.py'];

/** sha256 of a value and of the contents of files or folders (relative to `root`), in a stable order. */
export function inputsHash(value: unknown, files: string[] = [], root = PROJECT_ROOT): string {
  const hash = createHash('sha256').update(JSON.stringify(value));
  const add = (rel: string) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) throw new Error(`toy models: input ${abs} does not exist (is this a complete checkout?)`);
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) add(path.join(rel, name));
      return;
    }
    hash.update(`\0${rel}\0`).update(readFileSync(abs));
  };
  for (const f of files) add(f);
  return hash.digest('hex');
}

/** The hash of every output, each including the hashes of the outputs it is made from. */
export function outputKeys(recipe: ToyRecipe, root = PROJECT_ROOT) {
  const demos = inputsHash({ step: 'demos', trainTasks: recipe.trainTasks }, DEMO_FILES, root);
  const base = inputsHash({ step: 'base', template: TEMPLATE, copyWarmupSteps: recipe.copyWarmupSteps }, BASE_FILES, root);
  const bc = (from: string, epochs: number) => inputsHash({ step: 'bc', demos, from, epochs, ...BC_OPTIONS });
  const student = bc(base, recipe.studentEpochs);
  return { demos, base, student, teacher: bc(student, recipe.teacherEpochs) };
}

interface Stamp {
  key: string;
  seconds: number;
  [detail: string]: unknown;
}

function readStamp(dir: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, STAMP), 'utf8')) as Stamp;
  } catch {
    return null;
  }
}

const log = (line: string) => console.log(`[toy-models] ${line}`);
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

/** Make `dir` with `make(tmp)` unless its stamp has `key`; the new folder replaces the old one only when complete. */
async function cached(dir: string, key: string, what: string, make: (tmp: string) => Promise<Record<string, unknown>>): Promise<Stamp> {
  const stamp = readStamp(dir);
  if (stamp?.key === key) {
    log(`${what}: ${dir} is up to date (made in ${minutes(stamp.seconds)})`);
    return stamp;
  }
  log(`${what}: making ${dir}${stamp ? ' again (its inputs changed)' : ''}`);
  const started = Date.now();
  const tmp = `${dir}.tmp`;
  mkdirSync(tmp, { recursive: true });
  const details = await make(tmp);
  const made: Stamp = { key, seconds: Math.round((Date.now() - started) / 1000), ...details };
  writeFileSync(path.join(tmp, STAMP), JSON.stringify(made, null, 2) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`${what}: done in ${minutes(made.seconds)}`);
  return made;
}

function toyEnvironment(experimentId: string): SweEnvironment {
  return new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { labels: { 'agent-dagger.toy': experimentId }, prompt: 'compact' });
}

function splitTasks(split: 'train' | 'heldout', limit: number | null): TaskInstance[] {
  const suite = loadSuite(SUITE);
  const ids = readSplit(path.join(SUITE, 'splits', `${split}.txt`), suite).slice(0, limit ?? undefined);
  return ids.map((id) => suite.instances.find((t) => t.instance_id === id) as TaskInstance);
}

/** Episodes of `tasks` by `width` workers; `done` gets each as it ends. */
async function episodes(tasks: TaskInstance[], width: number, what: string, episode: (task: TaskInstance) => Promise<TrajectoryRecord>, done: (r: TrajectoryRecord) => void): Promise<void> {
  let next = 0;
  let finished = 0;
  let lastReport = Date.now();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const record = await episode(tasks[next++]);
        done(record);
        finished += 1;
        if (Date.now() - lastReport > 15_000 || finished === tasks.length) {
          lastReport = Date.now();
          const rate = finished / ((Date.now() - started) / 60_000);
          log(`  ${what}: ${finished}/${tasks.length} episodes (${rate.toFixed(0)}/min)`);
        }
      }
    }),
  );
}

/** The oracle's episodes on the train tasks, appended to a partial file as they end (a rerun continues it). */
async function collectDemos(out: string, key: string, recipe: ToyRecipe): Promise<Record<string, unknown>> {
  const partial = path.join(path.dirname(out), `toy-demos.partial-${key.slice(0, 16)}.jsonl`);
  const kept = existsSync(partial) ? readFileSync(partial, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrajectoryRecord) : [];
  const tasks = splitTasks('train', recipe.trainTasks);
  const have = new Set(kept.map((r) => r.taskId));
  if (kept.length) log(`  continuing from ${partial}: ${kept.length} episodes already there`);
  const env = toyEnvironment('toy-demos');
  await episodes(
    tasks.filter((t) => !have.has(t.instance_id)),
    recipe.concurrency,
    "the oracle's episodes",
    (task) => runEpisode(env, task, noisyOracle(task, 0, 0), { experimentId: 'toy-demos', episodeId: `toy-demos-${task.instance_id}`, beta: 1 }),
    (r) => {
      appendFileSync(partial, JSON.stringify(r) + '\n');
      kept.push(r);
    },
  );
  // In split order, so the file depends only on its inputs.
  const byTask = new Map(kept.map((r) => [r.taskId, r]));
  const records = tasks.map((t) => byTask.get(t.instance_id) as TrajectoryRecord);
  const resolved = records.filter((r) => r.reward === 1).length;
  if (resolved < records.length) throw new Error(`toy models: the oracle resolved only ${resolved} of ${records.length} train tasks (expected all; see ${partial}): check the sandbox image and Docker (docs/toy-tasks.md, Validation)`);
  writeFileSync(path.join(out, 'episodes.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  rmSync(partial);
  return { episodes: records.length, resolved };
}

/** Behaviour cloning of `base` on the demonstrations; the trainer resumes from its checkpoints in `work` after an interruption. */
async function behaviourCloning(what: string, base: string, demos: string, epochs: number, work: string, out: string): Promise<Record<string, unknown>> {
  mkdirSync(work, { recursive: true });
  const configFile = path.join(work, 'train.json');
  writeFileSync(configFile, JSON.stringify({ datasets: [demos], model: base, output_dir: work, render_cache_dir: path.join(work, 'render-cache'), epochs, ...BC_OPTIONS }, null, 2));
  const { command, args, env } = trainerInvocation(['train', '--config', configFile]);
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => {
    stderr.push(l);
    if (stderr.length > 20) stderr.shift();
  });
  let done: { model_dir?: string; final_loss?: number; steps?: number } | null = null;
  let error = '';
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    let event: { event?: string; step?: number; total_steps?: number; loss?: number; message?: string };
    try {
      event = JSON.parse(line);
    } catch {
      return; // not an event line
    }
    if (event.event === 'step' && event.step && event.total_steps && (event.step % 100 === 0 || event.step === event.total_steps)) {
      log(`  ${what}: step ${event.step}/${event.total_steps}, loss ${event.loss?.toFixed(4)}`);
    } else if (event.event === 'done') done = event as typeof done;
    else if (event.event === 'error') error = event.message ?? line;
  });
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  const result = done as { model_dir?: string; final_loss?: number; steps?: number } | null;
  if (code !== 0 || !result?.model_dir) throw new Error(`toy models: training the ${what} failed (exit ${code}; its config: ${configFile}): ${error || stderr.join('\n').slice(-800)}`);
  rmSync(out, { recursive: true, force: true });
  renameSync(result.model_dir, out);
  rmSync(work, { recursive: true, force: true });
  return { epochs, steps: result.steps, finalLoss: result.final_loss };
}

/** The model alone, greedy, on the first n held-out tasks: how many it resolves. */
async function heldOutCheck(modelDir: string, n: number, concurrency: number): Promise<{ resolved: number; tasks: number }> {
  const server = await serveLocalModel({ modelDir, name: 'check', port: 0, init: 'none', corpus: '' });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'none', maxRetries: 2, timeout: 300_000 });
    const env = toyEnvironment('toy-check');
    let resolved = 0;
    const tasks = splitTasks('heldout', n);
    await episodes(tasks, concurrency, 'held-out check', (task) => runEpisode(env, task, servedStudent(client, 'check', 256, env.tools()), { experimentId: 'toy-check', episodeId: `toy-check-${task.instance_id}`, beta: 0 }), (r) => {
      resolved += r.reward === 1 ? 1 : 0;
    });
    return { resolved, tasks: tasks.length };
  } finally {
    await server.close();
  }
}

const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

/** Make (or find up to date) every output under `root`; returns their folders. */
export async function makeToyModels(root: string, recipe: ToyRecipe = DEFAULT_RECIPE, options: { teacher?: boolean } = {}) {
  const started = Date.now();
  const keys = outputKeys(recipe);
  const dirs = { demos: path.join(root, 'toy-demos'), base: path.join(root, 'toy-base'), student: path.join(root, 'toy-student'), teacher: path.join(root, 'toy-teacher') };
  mkdirSync(root, { recursive: true });
  // The oracle's episodes (Docker, one core per sandbox) and the warm-up (one core) overlap.
  await Promise.all([
    cached(dirs.demos, keys.demos, "the oracle's episodes", (tmp) => collectDemos(tmp, keys.demos, recipe)),
    cached(dirs.base, keys.base, 'the tiny base model (copy warm-up)', async (tmp) => {
      rmSync(tmp, { recursive: true, force: true }); // init-model writes a new folder
      await initTinyModel(tmp, path.join(PROJECT_ROOT, 'tasks', 'toy'), { template: TEMPLATE, copyWarmupSteps: recipe.copyWarmupSteps });
      return { template: TEMPLATE, copyWarmupSteps: recipe.copyWarmupSteps };
    }),
  ]);
  const demos = path.join(dirs.demos, 'episodes.jsonl');
  await cached(dirs.student, keys.student, `the student (${epochs(recipe.studentEpochs)} of behaviour cloning)`, (tmp) =>
    behaviourCloning('student', dirs.base, demos, recipe.studentEpochs, `${dirs.student}.work`, tmp));
  // The default run's teacher is the oracle: the LM teacher (for on-policy distillation) is made on request.
  if (options.teacher === false) {
    log(`ready in ${minutes((Date.now() - started) / 1000)}: student ${dirs.student}, demonstrations ${demos} (the LM teacher: run with --teacher)`);
    return { ...dirs, demonstrations: demos };
  }
  await cached(dirs.teacher, keys.teacher, `the LM teacher (the student + ${epochs(recipe.teacherEpochs)} of behaviour cloning)`, async (tmp) => {
    const made = await behaviourCloning('teacher', dirs.student, demos, recipe.teacherEpochs, `${dirs.teacher}.work`, tmp);
    if (recipe.teacherCheckTasks === 0) return made;
    const check = await heldOutCheck(tmp, recipe.teacherCheckTasks, recipe.concurrency);
    log(`  the LM teacher alone resolved ${check.resolved}/${check.tasks} held-out tasks`);
    return { ...made, heldOut: check };
  });
  log(`all ready in ${minutes((Date.now() - started) / 1000)}: student ${dirs.student}, LM teacher ${dirs.teacher}, demonstrations ${demos}`);
  return { ...dirs, demonstrations: demos };
}

if (require.main === module) {
  const program = new Command()
    .name('toy-models')
    .description("the embedded default's models: the oracle's toy episodes, a warmed-up tiny student, an LM teacher (cached)")
    .option('--root <dir>', 'where the models go (config/default.yaml reads runs/models)', path.join(PROJECT_ROOT, 'runs', 'models'))
    .option('--concurrency <n>', 'episodes at once (not part of any output\'s key)', (v) => Number(v), DEFAULT_RECIPE.concurrency)
    .option('--teacher', 'also make the LM teacher (the offline teacher with log-probabilities that on-policy distillation needs)', false)
    .action(async (opts: { root: string; concurrency: number; teacher: boolean }) => {
      if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error(`--concurrency must be a positive integer, got ${opts.concurrency}`);
      // One core per trainer process: the warm-up overlaps the sandboxes.
      process.env.OMP_NUM_THREADS ??= '1';
      await makeToyModels(path.resolve(opts.root), { ...DEFAULT_RECIPE, concurrency: opts.concurrency }, { teacher: opts.teacher });
    });
  program.parseAsync(process.argv).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
