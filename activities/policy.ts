/**
 * Policy activities: ask the teacher for its label a*_t, or sample the student's action, at state h_t.
 *
 * Any OpenAI-compatible endpoint (vLLM, SGLang, a hosted API, the bundled policies). The `openai`
 * client's own retries are off; Temporal owns retries: 429 / 5xx / timeouts / connection errors throw a
 * retryable failure, other 4xx fail fast, and a context-length rejection is an outcome, not an error
 * (the episode ends with its own reason). Outputs are written once per (episode, turn, role), so a retry
 * after a lost completion never calls the model twice.
 */
import { ApplicationFailure, activityInfo } from '@temporalio/activity';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { historyMessages, type Action, type Message, type PolicyOutput, type ToolDefinition } from '../core/types';
import type { EndpointPolicy } from '../config/schema';
import { parseNativeAction, parseTextAction, renderTextAction, textToolInstructions } from '../env/tools/text-format';
import { RunStore, writeJsonOnce, type PolicyRole } from '../store/run-store';

export interface ActInput {
  runDir: string;
  episodeId: string;
  turn: number;
  role: PolicyRole;
  policy: EndpointPolicy;
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

function clientFor(policy: EndpointPolicy): OpenAI {
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

/** Query a policy at h_t and store its output; idempotent per (episode, turn, role). */
export async function act(input: ActInput): Promise<ActSummary> {
  const store = new RunStore(input.runDir);
  const existing = store.readPolicy(input.episodeId, input.turn, input.role);
  if (existing) return summarize(existing);

  const manifest = store.readManifest(input.episodeId);
  const turns = store.readTurns(input.episodeId, input.turn);
  if (turns.length !== input.turn) {
    throw new Error(`episode ${input.episodeId}: turn ${input.turn} requested but only ${turns.length} earlier turns are stored`);
  }
  const messages = historyMessages(manifest.prompt, turns);
  const output = await query(input, messages, manifest.tools);
  return summarize(writeJsonOnce(store.policyFile(input.episodeId, input.turn, input.role), output).value);
}

async function query(input: ActInput, messages: Message[], tools: ToolDefinition[]): Promise<PolicyOutput> {
  const { policy } = input;
  const native = policy.toolFormat === 'native';
  const started = Date.now();
  const attempt = activityInfo().attempt;
  try {
    const response = await clientFor(policy).chat.completions.create({
      model: input.model,
      messages: toOpenAIMessages(messages, native, tools),
      ...(native ? { tools: tools as ChatCompletionTool[], tool_choice: 'auto' as const } : {}),
      temperature: input.temperature ?? policy.temperature,
      top_p: policy.topP,
      max_tokens: policy.maxTokens,
      seed: input.seed,
    });
    const message = response.choices[0]?.message;
    if (!message) throw new Error(`${policy.baseUrl} returned no choices for model ${input.model}`);
    const action: Action = native
      ? parseNativeAction(message.content ?? '', message.tool_calls ?? [])
      : parseTextAction(message.content ?? '', { callId: `call_${input.turn}`, tools });
    return {
      action,
      usage: { promptTokens: response.usage?.prompt_tokens ?? 0, completionTokens: response.usage?.completion_tokens ?? 0 },
      latencyMs: Date.now() - started,
      model: response.model || input.model,
      contextExceeded: false,
      attempt,
    };
  } catch (err) {
    if (isContextLengthError(err)) {
      return {
        action: { content: '', toolCalls: [] },
        usage: { promptTokens: 0, completionTokens: 0 },
        latencyMs: Date.now() - started,
        model: input.model,
        contextExceeded: true,
        attempt,
      };
    }
    throw classify(err, `${input.role} ${input.model} at ${policy.baseUrl} (episode ${input.episodeId}, turn ${input.turn})`);
  }
}

/** Canonical messages → the endpoint's chat format (native tool calls, or the text form). */
export function toOpenAIMessages(messages: Message[], native: boolean, tools: ToolDefinition[]): ChatCompletionMessageParam[] {
  return messages.map((m, i): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: native || i !== 0 ? m.content : `${m.content}\n\n${textToolInstructions(tools)}` };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return native
          ? { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content }
          : { role: 'user', content: `EXECUTION RESULT:\n${m.content}` };
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
function classify(err: unknown, where: string): Error {
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
