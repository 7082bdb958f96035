/**
 * Episodes on the toy suite without the Temporal pipeline, for measuring learnability quickly. The episode
 * loop is the workflow's own (core/episode-loop.ts) with direct calls in place of activities, and the limits
 * are the experiment config's defaults (config/schema.ts), so its numbers compare with the workflow's.
 *
 *   collect  the oracle labels every visited state; with --noise p a turn is executed by an off-track
 *            "student" action (policies/noisy.ts kinds) with probability p, so the data also holds states
 *            the oracle never visits on its own and its recoveries from them (DAgger's point).
 *   eval     a served student (OpenAI protocol) acts ALONE, greedily; the oracle's label is still recorded
 *            (it is pure and free) so agreement can be measured.
 *
 * Both write one TrajectoryRecord per line (docs/formats.md), which `agent_dagger_trainer train` reads.
 *
 *   node --import tsx studies/toy/episodes.ts collect --split train --out runs/toy/sft.jsonl [--noise 0.3] [--seed 1] [--prompt compact]
 *   node --import tsx studies/toy/episodes.ts eval --split heldout --url http://127.0.0.1:8300/v1 --out runs/toy/eval.jsonl [--prompt compact]
 *
 * The prompt style must be the one the student was trained with (the records carry the prompt and tools).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { toOpenAIMessages } from '../../activities/policy';
import { ExperimentConfigSchema } from '../../config/schema';
import { runEpisodeLoop, type EpisodeLimits } from '../../core/episode-loop';
import { uniform, uniformInt } from '../../core/random';
import { TRAJECTORY_SCHEMA, TURN_SCHEMA, turnMessages, type Action, type EndReason, type Message, type PolicyOutput, type ToolDefinition, type TrajectoryRecord, type TurnRecord } from '../../core/types';
import { DockerSandboxes, type SandboxLimits } from '../../env/sandbox/docker';
import { PROMPT_STYLES, type PromptStyle } from '../../env/tools/definitions';
import { parseNativeAction } from '../../env/tools/text-format';
import { SweEnvironment } from '../../env/swe/environment';
import { loadSuite, readSplit } from '../../env/swe/instances';
import type { TaskInstance } from '../../env/types';
import { OFF_TRACK_KINDS, offTrackReply } from '../../policies/noisy';
import { oracleAction } from '../../policies/oracle';

export const SUITE = path.join(__dirname, '..', '..', 'tasks', 'toy');
/** The sandboxes of toy episodes (a toy episode needs little); cli/toy-models.ts uses the same. */
export const LIMITS: SandboxLimits = { memoryMb: 512, cpus: 1, pids: 128, commandTimeoutS: 30, lifetimeS: 600 };
/** The toy config's turn limit (config/toy.yaml); the format-error limit is the schema's default. */
export const MAX_TURNS = 12;
const EPISODE_LIMITS: EpisodeLimits = {
  maxTurns: MAX_TURNS,
  maxConsecutiveFormatErrors: ExperimentConfigSchema.shape.rollout.parse({}).maxConsecutiveFormatErrors,
};

/** Who acts at a state: returns the executed action and the student's proposal (if one was made). */
export type Actor = (messages: Message[], t: number, label: Action) => Promise<{ executed: Action; student: PolicyOutput | null; contextExceeded?: boolean }>;

function output(action: Action, model: string, latencyMs = 0, usage = { promptTokens: 0, completionTokens: 0 }): PolicyOutput {
  return { action, usage, latencyMs, model, contextExceeded: false };
}

/** One episode: the oracle labels every state, `actor` decides what runs (β: the teacher's share); verified at the end. */
export async function runEpisode(env: SweEnvironment, task: TaskInstance, actor: Actor, ids: { experimentId: string; episodeId: string; beta: number }, limits: EpisodeLimits = EPISODE_LIMITS): Promise<TrajectoryRecord> {
  const prompt = env.prompt(task);
  const messages = [...prompt];
  const turns: TurnRecord[] = [];
  const handle = await env.start(task, ids.episodeId);
  try {
    // The actor decides who executes when it sees the label, so label and proposal are one call here.
    let label: Action | null = null;
    let acted: Awaited<ReturnType<Actor>> | null = null;
    const endReason: EndReason = await runEpisodeLoop(
      {
        executor: () => 'teacher',
        label: async (t) => {
          label = oracleAction([task], messages);
          acted = await actor(messages, t, label);
          return { contextExceeded: Boolean(acted.contextExceeded) };
        },
        propose: async () => ({ contextExceeded: false }),
        studentProposals: false,
        step: async (t) => {
          const { executed, student } = acted!;
          const step = await env.step(handle, executed, `turn-${t}`);
          turns.push({
            schema: TURN_SCHEMA, experimentId: ids.experimentId, iteration: 1, episodeId: ids.episodeId, taskId: task.instance_id, turn: t,
            executor: executed === label ? 'teacher' : 'student',
            mixing: { kind: 'dagger', beta: ids.beta },
            label: output(label!, 'oracle'), student, executed, observation: step.observation, fullObservationRef: null,
          });
          messages.push(...turnMessages(executed, step.observation));
          return { finished: step.finished, formatError: executed.toolCalls.length === 0 };
        },
      },
      limits,
    );
    const v = await env.verify(handle, task);
    return {
      schema: TRAJECTORY_SCHEMA, experimentId: ids.experimentId, iteration: 1, episodeId: ids.episodeId, taskId: task.instance_id,
      prompt, tools: env.tools(), turns, endReason, reward: v.resolved ? 1 : 0,
      verification: { resolved: v.resolved, patchApplied: v.patch_applied, error: v.error, ref: null },
    };
  } finally {
    await env.destroy(handle);
  }
}

/** The oracle, with an off-track action executed instead at a keyed fraction `noise` of the turns. */
export function noisyOracle(task: TaskInstance, noise: number, seed: number): Actor {
  return async (_messages, t, label) => {
    if (uniform(['toy-noise', seed, task.instance_id, t]) >= noise) return { executed: label, student: null };
    const kind = OFF_TRACK_KINDS[uniformInt(['toy-noise-kind', seed, task.instance_id, t], 0, OFF_TRACK_KINDS.length - 1)];
    const reply = offTrackReply(kind, task, t);
    const action = parseNativeAction(reply.content, reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })));
    return { executed: action, student: output(action, `off-track:${kind}`) };
  };
}

/** A served student acting alone with greedy decoding, shown the environment's tools. */
export function servedStudent(client: OpenAI, model: string, maxTokens: number, tools: ToolDefinition[]): Actor {
  return async (messages, _t, _label) => {
    const started = Date.now();
    try {
      const r = await client.chat.completions.create({ model, messages: toOpenAIMessages(messages, true, tools), tools: tools as ChatCompletionTool[], temperature: 0, max_tokens: maxTokens });
      const choice = r.choices[0];
      const action = parseNativeAction(choice.message.content, choice.message.tool_calls as never);
      const usage = { promptTokens: r.usage?.prompt_tokens ?? 0, completionTokens: r.usage?.completion_tokens ?? 0 };
      return { executed: action, student: output(action, model, Date.now() - started, usage) };
    } catch (err) {
      if (err instanceof OpenAI.APIError && err.status === 400 && /context length/i.test(err.message)) {
        return { executed: { content: '', toolCalls: [] }, student: null, contextExceeded: true };
      }
      throw err;
    }
  };
}

async function pool<T>(items: T[], width: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}

async function main() {
  const program = new Command();
  const common = (c: Command) =>
    c.requiredOption('--out <file>', 'TrajectoryRecord JSONL to write')
      .option('--split <name>', 'train or heldout', 'train')
      .option('--limit <n>', 'first n tasks of the split', (v) => Number(v))
      .option('--concurrency <n>', 'episodes at once', (v) => Number(v), 2)
      .option('--prompt <style>', `prompt style: ${PROMPT_STYLES.join(' or ')} (config tasks.prompt)`, 'openhands')
      .option('--suite <dir>', 'a bundled suite of the same format (tasks/lookup, say)', SUITE)
      .option('--max-turns <n>', 'turn limit (the suite\'s config rollout.maxTurns)', (v) => Number(v), MAX_TURNS);
  type RunOptions = { out: string; split: string; limit?: number; concurrency: number; prompt: PromptStyle; suite: string; maxTurns: number };
  const environment = (opts: RunOptions, experimentId: string) => {
    if (!PROMPT_STYLES.includes(opts.prompt)) throw new Error(`--prompt must be one of ${PROMPT_STYLES.join(', ')}`);
    return new SweEnvironment(new DockerSandboxes(), opts.suite, LIMITS, { labels: { 'agent-dagger.toy': experimentId }, prompt: opts.prompt });
  };
  const run = async (opts: RunOptions, env: SweEnvironment, experimentId: string, beta: number, actorFor: (task: TaskInstance) => Actor) => {
    const suite = loadSuite(opts.suite);
    const ids = readSplit(path.join(opts.suite, 'splits', `${opts.split}.txt`), suite).slice(0, opts.limit);
    const tasks = ids.map((id) => suite.instances.find((t) => t.instance_id === id) as TaskInstance);
    const records: TrajectoryRecord[] = new Array(tasks.length);
    const started = Date.now();
    await pool(tasks, opts.concurrency, async (task, i) => {
      records[i] = await runEpisode(env, task, actorFor(task), { experimentId, episodeId: `${experimentId}-${task.instance_id}`, beta }, { ...EPISODE_LIMITS, maxTurns: opts.maxTurns });
      const r = records[i];
      process.stdout.write(`${task.instance_id}: reward ${r.reward}, ${r.turns.length} turns, ${r.endReason}\n`);
    });
    mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    writeFileSync(opts.out, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const resolved = records.filter((r) => r.reward === 1).length;
    const agree = records.flatMap((r) => r.turns).filter((t) => t.student && t.label && JSON.stringify(t.student.action.toolCalls[0]?.arguments ?? null) === JSON.stringify(t.label.action.toolCalls[0]?.arguments ?? null) && t.student.action.toolCalls[0]?.name === t.label.action.toolCalls[0]?.name);
    const studentTurns = records.flatMap((r) => r.turns).filter((t) => t.student).length;
    process.stdout.write(JSON.stringify({ event: 'done', split: opts.split, episodes: records.length, resolved, rate: resolved / records.length, studentTurns, agreeing: agree.length, seconds: Math.round((Date.now() - started) / 1000), out: opts.out }) + '\n');
  };
  common(program.command('collect'))
    .option('--noise <p>', 'fraction of turns executed off-track', (v) => Number(v), 0)
    .option('--seed <n>', 'noise seed', (v) => Number(v), 0)
    .action((opts) => {
      const id = `toy-collect-n${opts.noise}-s${opts.seed}`;
      return run(opts, environment(opts, id), id, 1 - opts.noise, (task) => noisyOracle(task, opts.noise, opts.seed));
    });
  common(program.command('eval'))
    .requiredOption('--url <url>', 'OpenAI-compatible base URL of the student')
    .option('--model <name>', 'model name to request', 'student')
    .option('--max-tokens <n>', 'completion limit per turn', (v) => Number(v), 512)
    .action((opts) => {
      const client = new OpenAI({ baseURL: opts.url, apiKey: 'none', maxRetries: 2, timeout: 300_000 });
      const env = environment(opts, 'toy-eval');
      return run(opts, env, 'toy-eval', 0, () => servedStudent(client, opts.model, opts.maxTokens, env.tools()));
    });
  await program.parseAsync(process.argv);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
