/**
 * Measures the three properties of the lookup family (docs/lookup-tasks.md) with real episodes: the same
 * episode loop, SweEnvironment and Docker sandboxes as the workflows (studies/toy/episodes.ts), no Temporal.
 *
 *   oracle    the oracle alone on a split: resolved, turns, and turns off its own path (tasks/lookup/states.ts)
 *   inject    the oracle with a student's mistake executed in its place at the first (or every) broken module:
 *             does it recover, in how many turns
 *   classify  episodes written by `studies/toy/episodes.ts eval|collect --suite tasks/lookup`: how many left the
 *             oracle's path, where first, and whether they still resolved
 *
 *   node --import tsx tasks/lookup/measure.ts oracle --split train [--limit n] [--out runs/lookup/oracle.jsonl]
 *   node --import tsx tasks/lookup/measure.ts inject --limit 40 [--at first|both]
 *   node --import tsx tasks/lookup/measure.ts classify runs/lookup/eval.jsonl
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import type { TrajectoryRecord } from '../../core/types';
import { DockerSandboxes, type SandboxLimits } from '../../env/sandbox/docker';
import { SweEnvironment } from '../../env/swe/environment';
import { loadSuite, readSplit } from '../../env/swe/instances';
import type { TaskInstance } from '../../env/types';
import { runEpisode, type Actor } from '../../studies/toy/episodes';
import { ExperimentConfigSchema } from '../../config/schema';
import { makeTasks, SUITE_COUNT, SUITE_SEED, type LookupTask } from './family';
import { MISTAKES, mistakeAction, offPath, type Mistake } from './states';

export const SUITE = __dirname;
const LIMITS: SandboxLimits = { memoryMb: 512, cpus: 1, pids: 128, commandTimeoutS: 30, lifetimeS: 600 };
/** config/lookup-dagger.yaml's rollout.maxTurns: the oracle needs 9 and any one mistake costs 1–4 more; two costly ones do not fit. */
export const MAX_TURNS = 14;
const EPISODE_LIMITS = { maxTurns: MAX_TURNS, maxConsecutiveFormatErrors: ExperimentConfigSchema.shape.rollout.parse({}).maxConsecutiveFormatErrors };

const generated = new Map(makeTasks(SUITE_SEED, SUITE_COUNT).map((t) => [t.instanceId, t]));
export function lookupTask(id: string): LookupTask {
  const t = generated.get(id);
  if (!t) throw new Error(`${id} is not an instance of tasks/lookup (seed ${SUITE_SEED}); rebuild with tasks/lookup/build.ts`);
  return t;
}

/** The oracle, except that at broken module k (where its label first views it) `mistake` runs instead, for each k in `at`. */
export function mistakenOracle(task: LookupTask, mistake: Mistake, at: (0 | 1)[]): Actor {
  const done = new Set<number>();
  return async (_messages, _t, label) => {
    const call = label.toolCalls[0];
    const k = task.broken.findIndex((c) => call?.name === 'str_replace_editor' && call.arguments.command === 'view' && call.arguments.path === `/testbed/${c.module}.py`);
    if ((k !== 0 && k !== 1) || !at.includes(k) || done.has(k)) return { executed: label, student: null };
    done.add(k);
    const action = mistakeAction(task, mistake, k);
    return { executed: action, student: { action, usage: { promptTokens: 0, completionTokens: 0 }, latencyMs: 0, model: `mistake:${mistake}`, contextExceeded: false } };
  };
}

/** Per episode: where it first left the oracle's path (turn and why), before or after its first correct fix, and its outcome. */
export function classify(record: TrajectoryRecord) {
  const task = lookupTask(record.taskId);
  const instance = suiteInstances().find((t) => t.instance_id === record.taskId) as TaskInstance;
  const reasons = record.turns.map((t, i) =>
    offPath(task, instance, t) ?? (i === record.turns.length - 1 && t.executed.toolCalls[0]?.name === 'finish' && record.reward !== 1 ? 'finished unresolved' : null),
  );
  const first = reasons.findIndex((r) => r !== null);
  const firstFix = record.turns.findIndex((t, i) => reasons[i] === null && t.executed.toolCalls[0]?.arguments.command === 'str_replace' && /has been edited/.test(t.observation.text));
  return {
    taskId: record.taskId,
    resolved: record.reward === 1,
    turns: record.turns.length,
    endReason: record.endReason,
    offPathTurns: reasons.filter((r) => r !== null).length,
    firstOffPath: first < 0 ? null : { turn: first, why: reasons[first] as string, beforeFirstFix: firstFix < 0 || first < firstFix },
  };
}

export function summarise(rows: ReturnType<typeof classify>[]) {
  const off = rows.filter((r) => r.firstOffPath);
  const early = off.filter((r) => r.firstOffPath?.beforeFirstFix);
  const kinds: Record<string, number> = {};
  for (const r of off) {
    const kind = (r.firstOffPath?.why ?? '').replace(/\/testbed\/\S+/, 'FILE');
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return {
    episodes: rows.length,
    resolved: rows.filter((r) => r.resolved).length,
    meanTurns: Number((rows.reduce((s, r) => s + r.turns, 0) / Math.max(1, rows.length)).toFixed(2)),
    episodesOffPath: off.length,
    offPathTurns: rows.reduce((s, r) => s + r.offPathTurns, 0),
    firstOffPathBeforeFirstFix: early.length,
    resolvedAfterOffPath: off.filter((r) => r.resolved).length,
    firstOffPathKinds: kinds,
  };
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

let loaded: ReturnType<typeof loadSuite> | null = null;
function suiteInstances(): TaskInstance[] {
  loaded ??= loadSuite(SUITE);
  return loaded.instances;
}

function splitTasks(split: string, limit?: number): TaskInstance[] {
  const instances = suiteInstances();
  return readSplit(path.join(SUITE, 'splits', `${split}.txt`), loaded!)
    .slice(0, limit)
    .map((id) => instances.find((t) => t.instance_id === id) as TaskInstance);
}

async function main() {
  const program = new Command();
  const env = () => new SweEnvironment(new DockerSandboxes(), SUITE, LIMITS, { prompt: 'compact', labels: { 'agent-dagger.lookup': 'measure' } });
  const report = (what: string, rows: ReturnType<typeof classify>[], extra: Record<string, unknown> = {}) =>
    process.stdout.write(JSON.stringify({ what, ...summarise(rows), ...extra }) + '\n');
  program.command('oracle')
    .option('--split <name>', 'train or heldout', 'train')
    .option('--limit <n>', 'first n tasks', (v) => Number(v))
    .option('--concurrency <n>', 'episodes at once', (v) => Number(v), 2)
    .option('--out <file>', 'TrajectoryRecord JSONL, appended to as episodes end (a long run keeps what it measured)')
    .action(async (opts) => {
      const records: TrajectoryRecord[] = [];
      const e = env();
      if (opts.out) writeFileSync(opts.out, '');
      await pool(splitTasks(opts.split, opts.limit), opts.concurrency, async (task) => {
        const actor: Actor = async (_m, _t, label) => ({ executed: label, student: null });
        const record = await runEpisode(e, task, actor, { experimentId: 'lookup-oracle', episodeId: `lookup-oracle-${task.instance_id}`, beta: 1 }, EPISODE_LIMITS);
        records.push(record);
        if (opts.out) appendFileSync(opts.out, JSON.stringify(record) + '\n');
      });
      report(`oracle on ${opts.split}`, records.map(classify));
    });
  program.command('inject')
    .option('--limit <n>', 'first n train tasks', (v) => Number(v), 40)
    .option('--at <where>', 'first: the first broken module; both: each of the two', 'first')
    .option('--concurrency <n>', 'episodes at once', (v) => Number(v), 2)
    .action(async (opts) => {
      const at: (0 | 1)[] = opts.at === 'both' ? [0, 1] : [0];
      const e = env();
      const jobs = splitTasks('train', opts.limit).flatMap((task) => MISTAKES.map((m) => ({ task, m })));
      const rows = new Map<Mistake, ReturnType<typeof classify>[]>(MISTAKES.map((m) => [m, []]));
      await pool(jobs, opts.concurrency, async ({ task, m }) => {
        const record = await runEpisode(e, task, mistakenOracle(lookupTask(task.instance_id), m, at), { experimentId: 'lookup-inject', episodeId: `lookup-inject-${m}-${task.instance_id}`, beta: 1 }, EPISODE_LIMITS);
        rows.get(m)?.push(classify(record));
      });
      for (const m of MISTAKES) report(`oracle after ${m} at ${opts.at}`, rows.get(m) ?? []);
      report(`oracle after any mistake at ${opts.at}`, [...rows.values()].flat());
    });
  program.command('classify <file>').action((file: string) => {
    const records = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrajectoryRecord);
    report(`episodes of ${file}`, records.map(classify));
  });
  await program.parseAsync(process.argv);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
