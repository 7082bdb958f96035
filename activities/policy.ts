/**
 * Policy activities: ask the teacher for its label a*_t, or sample the student's action, at state h_t.
 *
 * Any OpenAI-compatible endpoint (vLLM, SGLang, a hosted API, the bundled policies). The `openai`
 * client's own retries are off; Temporal owns retries: 429 / 5xx / timeouts / connection errors throw a
 * retryable failure, other 4xx fail fast, and a context-length rejection is an outcome, not an error
 * (the episode ends with its own reason). Outputs are written once per (episode, turn, role), and every
 * request is recorded before it is sent and its answer as soon as it arrives, so a retry after a worker died
 * takes an answer the dead attempt received instead of paying for it again, and what was paid twice is counted
 * (activities/policy-records.ts). A teacher reply that is no valid label is asked again, then recorded as a
 * teacher error that is never trained on.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, activityInfo } from '@temporalio/activity';
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { type Action, type Message, type PolicyOutput, type SampledTokens, type ToolDefinition } from '../core/types';
import type { EndpointPolicy } from '../config/schema';
import { parseNativeAction, parseTextAction, renderTextAction, renderToolResult, TEXT_STOP_WORDS, textToolInstructions, toolNameOf } from '../env/tools/text-format';
import { HistoryCache, RunStore, type PolicyRole } from '../store/run-store';
import {
  accountCalls,
  CALL_RECORD_SCHEMA,
  labelProblem,
  TEACHER_LABEL_TRIES,
  trySeed,
  type CallAccount,
  type CallIntent,
  type CallOutcome,
  type RecordedPolicyOutput,
} from './policy-records';

/**
 * A policy whose samples are recorded token for token with their log-probabilities (the iteration asks for it when
 * the objective trains on the student's own tokens: opd, grpo).
 */
export type RecordingPolicy = EndpointPolicy & { recordTokens?: true };

export interface ActInput {
  runDir: string;
  episodeId: string;
  turn: number;
  role: PolicyRole;
  policy: RecordingPolicy;
  /** The model name to request (the deployed student checkpoint may differ from the config's). */
  model: string;
  /** Sampling seed for this request, keyed by (seed, iteration, episode, turn). */
  seed: number;
  /** Overrides the policy's temperature (evaluation decodes greedily). */
  temperature?: number;
}

/** What the workflow needs to know about a policy output (the output itself stays in the store). */
export interface ActSummary {
  finish: boolean;
  contextExceeded: boolean;
  parseError: boolean;
  tool: string | null;
  attempt: number;
}

export function summarize(output: PolicyOutput): ActSummary {
  const call = output.action.toolCalls[0];
  return {
    finish: call?.name === 'finish',
    contextExceeded: output.contextExceeded,
    parseError: Boolean(output.action.parseError) || !call,
    tool: call?.name ?? null,
    attempt: output.attempt ?? 1,
  };
}

const clients = new Map<string, OpenAI>();

export function clientFor(policy: EndpointPolicy): OpenAI {
  const apiKey = policy.apiKeyEnv ? process.env[policy.apiKeyEnv] : 'unused';
  if (policy.apiKeyEnv && !apiKey) {
    throw ApplicationFailure.nonRetryable(
      `the environment variable ${policy.apiKeyEnv} (apiKeyEnv of the endpoint ${policy.baseUrl}) is not set on this worker`,
      'MissingApiKey',
    );
  }
  const key = `${policy.baseUrl}\u0000${apiKey}\u0000${policy.timeoutS}`;
  let client = clients.get(key);
  if (!client) {
    client = new OpenAI({ baseURL: policy.baseUrl, apiKey, maxRetries: 0, timeout: policy.timeoutS * 1000 });
    clients.set(key, client);
  }
  return client;
}

/** This worker's episode histories: each turn record is read once per worker, not once per later call. */
const histories = new HistoryCache();

/** Query a policy at h_t and store its output; idempotent per (episode, turn, role). */
export async function act(input: ActInput): Promise<ActSummary> {
  const store = new RunStore(input.runDir);
  const existing = await store.readPolicy(input.episodeId, input.turn, input.role);
  if (existing) return summarize(existing);

  const { manifest, messages } = await histories.at(store, input.episodeId, input.turn);
  const output = await query(input, messages, manifest.tools, new CallLog(store, input));
  return summarize((await store.putJsonOnce(store.policyKey(input.episodeId, input.turn, input.role), output)).value);
}

/**
 * The records of one (episode, turn, role)'s requests: an intent before each request, its outcome as soon as it
 * is known, keyed by (activity attempt, try). A retry first takes any answer an earlier attempt recorded.
 */
class CallLog {
  private readonly dir: string;
  readonly attempt = activityInfo().attempt;

  constructor(
    private readonly store: RunStore,
    input: ActInput,
  ) {
    this.dir = store.callsKey(input.episodeId, input.turn, input.role);
  }

  private async records<T>(suffix: string): Promise<T[]> {
    const names = (await this.store.blobs.list(this.dir)).filter((f) => f.endsWith(`.${suffix}.json`));
    const records = await Promise.all(names.map((f) => this.store.getJson<T>(`${this.dir}/${f}`)));
    return records.filter((r) => r !== null);
  }

  /** A completion an earlier attempt received for this try but did not finish handling. */
  async recorded(tryIndex: number): Promise<unknown | null> {
    const found = (await this.records<CallOutcome>('response')).find((o) => o.kind === 'response' && o.try === tryIndex);
    return found && found.kind === 'response' ? found.response : null;
  }

  /** The request without its messages and tools (the store holds them: prompt and turns), which grow with every turn. */
  async intend(tryIndex: number, body: { messages: unknown[]; tools?: unknown[] }): Promise<void> {
    const { messages, tools, ...params } = body;
    const request = { ...params, messages: messages.length, messagesSha256: createHash('sha256').update(JSON.stringify(messages)).digest('hex'), tools: tools?.length ?? 0 };
    const intent: CallIntent = { schema: CALL_RECORD_SCHEMA, attempt: this.attempt, try: tryIndex, at: new Date().toISOString(), request };
    await this.store.putJson(`${this.dir}/${this.attempt}.${tryIndex}.request.json`, intent);
  }

  async settle(tryIndex: number, outcome: DistributiveOmit<CallOutcome, 'schema' | 'attempt' | 'try' | 'at'>): Promise<void> {
    const suffix = outcome.kind === 'response' ? 'response' : 'error';
    await this.store.putJson(`${this.dir}/${this.attempt}.${tryIndex}.${suffix}.json`, { schema: CALL_RECORD_SCHEMA, attempt: this.attempt, try: tryIndex, at: new Date().toISOString(), ...outcome });
  }

  async account(final: { try: number; reused: boolean }): Promise<CallAccount> {
    const [intents, responses, errors] = await Promise.all([this.records<CallIntent>('request'), this.records<CallOutcome>('response'), this.records<CallOutcome>('error')]);
    return accountCalls(intents, [...responses, ...errors], final, usageOf);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function usageOf(response: unknown): { promptTokens: number; completionTokens: number } {
  const usage = (response as ChatCompletion | null)?.usage;
  return { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
}

/**
 * One request per try; a teacher whose reply is no valid label (no parsable call of one of the episode's tools) is
 * asked again with another seed, up to TEACHER_LABEL_TRIES times, and is then recorded as a teacher error.
 */
async function query(input: ActInput, messages: Message[], tools: ToolDefinition[], log: CallLog): Promise<RecordedPolicyOutput> {
  const tries = input.role === 'teacher' ? TEACHER_LABEL_TRIES : 1;
  let output: RecordedPolicyOutput | null = null;
  for (let k = 0; k < tries; k++) {
    const earlier = await log.recorded(k);
    output = earlier ? toOutput(input, earlier as ChatCompletion, tools, 0) : await call(input, messages, tools, log, k);
    output.calls = await log.account({ try: k, reused: earlier !== null });
    if (input.role !== 'teacher' || output.contextExceeded) return output;
    const problem = labelProblem(output.action, tools);
    if (problem === null) return output;
    output.teacherError = `no valid label after ${k + 1} ${k === 0 ? 'try' : 'tries'}: ${problem}`;
  }
  return output!;
}

async function call(input: ActInput, messages: Message[], tools: ToolDefinition[], log: CallLog, k: number): Promise<RecordedPolicyOutput> {
  const { policy } = input;
  const native = policy.toolFormat === 'native';
  const request = {
    model: input.model,
    messages: toOpenAIMessages(messages, native, tools),
    // One action per turn: endpoints that can return several calls are asked for one (vLLM keeps the first).
    ...(native ? { tools: tools as ChatCompletionTool[], tool_choice: 'auto' as const, parallel_tool_calls: false } : { stop: [...TEXT_STOP_WORDS] }),
    temperature: input.temperature ?? policy.temperature,
    top_p: policy.topP,
    max_tokens: policy.maxTokens,
    seed: trySeed(input.seed, k),
    // vLLM's names: the sampled tokens' log-probabilities, and the prompt's and completion's token ids.
    ...(policy.recordTokens && { logprobs: true, return_token_ids: true }),
  };
  const started = Date.now();
  await log.intend(k, request);
  let response: ChatCompletion;
  try {
    response = await clientFor(policy).chat.completions.create(request);
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) await log.settle(k, { kind: 'status', status: err.status, message: err.message });
    else await log.settle(k, { kind: 'lost', message: err instanceof Error ? err.message : String(err) });
    if (isContextLengthError(err)) {
      return {
        action: { content: '', toolCalls: [] },
        usage: { promptTokens: 0, completionTokens: 0 },
        latencyMs: Date.now() - started,
        model: input.model,
        contextExceeded: true,
        attempt: log.attempt,
      };
    }
    throw classify(err, `${input.role} ${input.model} at ${policy.baseUrl} (episode ${input.episodeId}, turn ${input.turn})`);
  }
  // Recorded before anything else happens to it: a worker that dies from here on leaves the answer to its retry.
  await log.settle(k, { kind: 'response', response });
  return toOutput(input, response, tools, Date.now() - started);
}

function toOutput(input: ActInput, response: ChatCompletion, tools: ToolDefinition[], latencyMs: number): RecordedPolicyOutput {
  const { policy } = input;
  const message = response.choices?.[0]?.message;
  if (!message) throw ApplicationFailure.retryable(`${policy.baseUrl} returned no choices for model ${input.model}`, 'EndpointUnavailable');
  const action: Action =
    policy.toolFormat === 'native'
      ? parseNativeAction(message.content ?? '', message.tool_calls ?? [])
      : parseTextAction(message.content ?? '', { callId: `call_${input.turn}`, tools });
  return {
    action,
    usage: { promptTokens: response.usage?.prompt_tokens ?? 0, completionTokens: response.usage?.completion_tokens ?? 0 },
    latencyMs,
    model: response.model || input.model,
    contextExceeded: false,
    attempt: activityInfo().attempt,
    ...(policy.recordTokens && { sampled: sampledTokens(response, `${input.role} ${input.model} at ${policy.baseUrl} (episode ${input.episodeId}, turn ${input.turn})`) }),
  };
}

/**
 * The prompt and completion token ids and the sampled tokens' log-probabilities, where vLLM puts them with
 * `return_token_ids` and `logprobs: true`: `prompt_token_ids` at the top of a chat completion, `token_ids` and
 * `logprobs.content[].logprob` in its choice. An endpoint that leaves them out cannot serve opd or grpo.
 */
export function sampledTokens(response: unknown, where: string): SampledTokens {
  const body = response as { prompt_token_ids?: unknown; choices?: { token_ids?: unknown; logprobs?: { content?: { logprob?: unknown }[] | null } | null }[] };
  const choice = body.choices?.[0];
  const promptTokenIds = body.prompt_token_ids;
  const tokenIds = choice?.token_ids;
  const content = choice?.logprobs?.content;
  const fix = "objectives opd and grpo need an endpoint that returns them as vLLM does with `return_token_ids: true` (vLLM ≥ 0.10.2) and `logprobs: true`";
  if (!isTokenIds(promptTokenIds) || !isTokenIds(tokenIds)) {
    throw ApplicationFailure.nonRetryable(`${where}: the response has no prompt_token_ids and choices[0].token_ids; ${fix}`, 'EndpointLacksTokens');
  }
  if (!Array.isArray(content) || content.length !== tokenIds.length || !content.every((c) => typeof c?.logprob === 'number')) {
    throw ApplicationFailure.nonRetryable(
      `${where}: choices[0].logprobs.content holds ${Array.isArray(content) ? content.length : 'no'} log-probabilities for ${tokenIds.length} sampled tokens; ${fix}`,
      'EndpointLacksTokens',
    );
  }
  return { promptTokenIds, tokenIds, logprobs: content.map((c) => c.logprob as number) };
}

function isTokenIds(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((t) => Number.isInteger(t) && t >= 0);
}

/** Canonical messages → the endpoint's chat format (native tool calls, or the text form). */
export function toOpenAIMessages(messages: Message[], native: boolean, tools: ToolDefinition[]): ChatCompletionMessageParam[] {
  return messages.map((m, i): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        // OpenHands appends the tool description to every system message.
        return { role: 'system', content: native ? m.content : m.content + textToolInstructions(tools) };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return native
          ? { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content }
          : { role: 'user', content: renderToolResult(toolNameOf(messages, i), m.content) };
      case 'assistant': {
        const action: Action = { content: m.content, toolCalls: m.toolCalls ?? [] };
        if (!native) return { role: 'assistant', content: renderTextAction(action) };
        return {
          role: 'assistant',
          content: m.content,
          ...(action.toolCalls.length
            ? {
                tool_calls: action.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                })),
              }
            : {}),
        };
      }
    }
  });
}

function isContextLengthError(err: unknown): boolean {
  if (!(err instanceof OpenAI.APIError) || err.status !== 400) return false;
  return err.code === 'context_length_exceeded' || /maximum context length|context length|too many tokens/i.test(err.message);
}

/** Map an endpoint failure onto Temporal's retry semantics. */
export function classify(err: unknown, where: string): Error {
  if (err instanceof OpenAI.APIError && err.status !== undefined) {
    const retryAfterS = Number(err.headers?.get?.('retry-after'));
    if (err.status === 429) {
      return ApplicationFailure.create({
        message: `${where}: rate limited (429)`,
        type: 'RateLimited',
        nextRetryDelay: Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS * 1000 : undefined,
      });
    }
    if (err.status >= 500 || err.status === 408 || err.status === 409) {
      return ApplicationFailure.retryable(`${where}: endpoint error ${err.status}: ${err.message}`, 'EndpointUnavailable');
    }
    return ApplicationFailure.nonRetryable(
      `${where}: the endpoint rejected the request (${err.status}): ${err.message}. Check the endpoint, model name and key.`,
      'EndpointRejected',
    );
  }
  if (err instanceof OpenAI.APIConnectionError) {
    return ApplicationFailure.retryable(`${where}: ${err instanceof OpenAI.APIConnectionTimeoutError ? 'timed out' : 'connection failed'}: ${err.message}`, 'EndpointUnreachable');
  }
  return err instanceof Error ? err : new Error(String(err));
}
