/**
 * Serves a bundled policy on the OpenAI chat-completions protocol (node's http, no framework), so the
 * rollout code talks to the oracle teacher or the noisy student exactly as it talks to vLLM or a hosted API.
 *
 * POST /v1/chat/completions and GET /v1/models. Token counts are estimates (characters / 4), not a
 * tokenizer's. For tests of the rollout loop's resilience it can inject faults (500, 429 with
 * Retry-After, or a hang past the client's timeout) at a seeded rate, and refuse prompts over
 * `maxContextTokens` with OpenAI's `context_length_exceeded` error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Action, Message, ToolCall, ToolDefinition } from '../core/types';
import { unitInterval } from './random';

/** What a policy sees of a request, in canonical form. */
export interface PolicyRequest {
  model: string;
  messages: Message[];
  tools: ToolDefinition[];
  temperature?: number;
  top_p?: number;
  seed?: number;
  max_tokens?: number;
  /** OpenAI's and vLLM's `parallel_tool_calls` (default true); false: at most one call per reply. */
  parallel_tool_calls?: boolean;
}

/** A tool call as sent on the wire: arguments as JSON text (a policy may send malformed text on purpose). */
export interface WireToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface PolicyReply {
  content: string;
  toolCalls: WireToolCall[];
}

export type Policy = (request: PolicyRequest) => PolicyReply | Promise<PolicyReply>;

/** Puts a canonical action on the wire. */
export function toReply(action: Action): PolicyReply {
  return { content: action.content, toolCalls: action.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: JSON.stringify(c.arguments) })) };
}

export interface FaultOptions {
  /** Probability per request of a fault. */
  rate: number;
  seed: number;
  /** How long a hang lasts before the socket is closed without an answer (default 10 minutes). */
  hangMs?: number;
}

export interface PolicyServerOptions {
  policy: Policy;
  /** The model name served (GET /v1/models, the `model` of every completion). */
  name: string;
  port?: number;
  host?: string;
  faults?: FaultOptions;
  /** Prompts estimated above this many tokens get a 400 `context_length_exceeded`. */
  maxContextTokens?: number;
  /**
   * Simulated model latency: every completion is answered this many milliseconds after its request arrived
   * (a timer, no CPU), as a served model would take to generate. For benchmarks; default 0.
   */
  latencyMs?: number;
}

export interface PolicyServerStats {
  requests: number;
  completions: number;
  badRequests: number;
  contextExceeded: number;
  faults: { status500: number; status429: number; hang: number };
  promptTokens: number;
  completionTokens: number;
}

export interface PolicyServer {
  /** Base URL including `/v1`, as the openai client's baseURL. */
  url: string;
  close(): Promise<void>;
  stats(): PolicyServerStats;
}

/** Rough token estimate: 4 characters per token (no tokenizer is bundled). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startPolicyServer(options: PolicyServerOptions): Promise<PolicyServer> {
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`latencyMs must be a finite number ≥ 0, got ${latencyMs}`);
  const stats: PolicyServerStats = {
    requests: 0,
    completions: 0,
    badRequests: 0,
    contextExceeded: 0,
    faults: { status500: 0, status429: 0, hang: 0 },
    promptTokens: 0,
    completionTokens: 0,
  };
  const hanging = new Set<NodeJS.Timeout>();
  let completionCounter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && route === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: options.name, object: 'model', created: 0, owned_by: 'agent-dagger' }] });
    }
    if (route !== '/v1/chat/completions') {
      return sendError(res, 404, `no route ${req.method} ${url.pathname}: this server answers POST /v1/chat/completions and GET /v1/models`, 'not_found_error');
    }
    if (req.method !== 'POST') return sendError(res, 405, `use POST for ${url.pathname}`, 'invalid_request_error');

    const index = stats.requests++;
    const arrived = performance.now();
    const body = await readBody(req);
    if (options.faults && unitInterval(options.faults.seed, index, 0) < options.faults.rate) {
      const kind = Math.floor(unitInterval(options.faults.seed, index, 1) * 3);
      if (kind === 0) {
        stats.faults.status500++;
        return sendError(res, 500, 'injected fault: internal server error', 'server_error');
      }
      if (kind === 1) {
        stats.faults.status429++;
        res.setHeader('Retry-After', '1');
        return sendError(res, 429, 'injected fault: rate limit reached, retry after 1 second', 'rate_limit_exceeded', 'rate_limit_exceeded');
      }
      // Hang: answer nothing; the client's own timeout must fire. Released on close().
      stats.faults.hang++;
      const timer = setTimeout(() => {
        hanging.delete(timer);
        req.socket.destroy();
      }, options.faults.hangMs ?? 600_000);
      hanging.add(timer);
      return;
    }

    let request: PolicyRequest;
    try {
      request = parseRequest(body, options.name);
    } catch (err) {
      stats.badRequests++;
      const bad = err instanceof BadRequest ? err : new BadRequest(String(err));
      return sendError(res, 400, bad.message, 'invalid_request_error', bad.code, bad.param);
    }
    const promptTokens = estimateTokens(JSON.stringify(request.messages)) + estimateTokens(JSON.stringify(request.tools));
    if (options.maxContextTokens !== undefined && promptTokens > options.maxContextTokens) {
      stats.contextExceeded++;
      return sendError(
        res,
        400,
        `This model's maximum context length is ${options.maxContextTokens} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      );
    }

    let reply: PolicyReply;
    try {
      reply = await options.policy(request);
    } catch (err) {
      return sendError(res, 500, `policy ${options.name} failed: ${(err as Error).message}`, 'server_error');
    }
    // The simulated generation time counts from arrival, so the policy's own time is part of it, not added to it.
    const wait = latencyMs - (performance.now() - arrived);
    if (wait > 0) await delay(wait, hanging);
    let content = reply.content;
    // As vLLM's maybe_filter_parallel_tool_calls: without parallel calls only the first is sent.
    let toolCalls = request.parallel_tool_calls === false ? reply.toolCalls.slice(0, 1) : reply.toolCalls;
    let completionTokens = estimateTokens(content) + toolCalls.reduce((n, c) => n + estimateTokens(c.name + c.arguments), 0);
    let finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    if (request.max_tokens !== undefined && completionTokens > request.max_tokens) {
      // As a real model would: the output is cut at max_tokens and the unfinished tool call is lost.
      content = content.slice(0, request.max_tokens * 4);
      toolCalls = [];
      completionTokens = request.max_tokens;
      finishReason = 'length';
    }
    stats.completions++;
    stats.promptTokens += promptTokens;
    stats.completionTokens += completionTokens;
    sendJson(res, 200, {
      id: `chatcmpl-${options.name}-${completionCounter++}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: options.name,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: content === '' ? null : content,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}),
          },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 500, `internal error: ${(err as Error).message}`, 'server_error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/v1`,
    stats: () => structuredClone(stats),
    close: async () => {
      for (const timer of hanging) clearTimeout(timer);
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A timer that close() releases (as it releases hangs), so a closing server does not wait for it. */
function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null) {
  sendJson(res, status, { error: { message, type, param, code } });
}

/** OpenAI message content: a string, null, or a list of text parts. */
function contentText(content: unknown, where: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part, i) => {
        if (part && typeof part === 'object' && (part as { type?: unknown }).type === 'text' && typeof (part as { text?: unknown }).text === 'string') return (part as { text: string }).text;
        throw new BadRequest(`${where}.content[${i}]: only text parts are supported`, `${where}.content`);
      })
      .join('');
  }
  throw new BadRequest(`${where}.content must be a string, null or a list of text parts`, `${where}.content`);
}

function parseToolCalls(raw: unknown, where: string): ToolCall[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new BadRequest(`${where}.tool_calls must be a list`, `${where}.tool_calls`);
  return raw.map((call, i) => {
    const at = `${where}.tool_calls[${i}]`;
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } })?.function;
    const id = (call as { id?: unknown })?.id;
    if (typeof id !== 'string' || !fn || typeof fn.name !== 'string' || typeof fn.arguments !== 'string') {
      throw new BadRequest(`${at} must have a string id and function {name, arguments (a JSON string)}`, at);
    }
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(fn.arguments);
      // A call whose arguments were malformed stays in the history as it was sent: keep the raw text.
      args = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { _raw: fn.arguments };
    } catch {
      args = { _raw: fn.arguments };
    }
    return { id, name: fn.name, arguments: args };
  });
}

/** Validates an OpenAI chat-completions body and converts it to canonical messages. */
export function parseRequest(body: string, served: string): PolicyRequest {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new BadRequest(`the body is not valid JSON: ${(err as Error).message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new BadRequest('the body must be a JSON object');
  if (!Array.isArray(json.messages) || json.messages.length === 0) throw new BadRequest('messages must be a non-empty list', 'messages');
  const messages: Message[] = json.messages.map((m: unknown, i: number) => {
    const where = `messages[${i}]`;
    const msg = m as { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };
    const role = msg?.role === 'developer' ? 'system' : msg?.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw new BadRequest(`${where}.role must be system, developer, user, assistant or tool (got ${JSON.stringify(msg?.role)})`, `${where}.role`);
    }
    const out: Message = { role, content: contentText(msg.content, where) };
    if (role === 'assistant') {
      const calls = parseToolCalls(msg.tool_calls, where);
      if (calls.length > 0) out.toolCalls = calls;
    }
    if (role === 'tool') {
      if (typeof msg.tool_call_id !== 'string') throw new BadRequest(`${where}.tool_call_id is required for a tool message`, `${where}.tool_call_id`);
      out.toolCallId = msg.tool_call_id;
    }
    return out;
  });
  const tools = json.tools ?? [];
  if (!Array.isArray(tools)) throw new BadRequest('tools must be a list', 'tools');
  const number = (key: string, min: number, max: number): number | undefined => {
    const v = json[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new BadRequest(`${key} must be a number in [${min}, ${max}]`, key);
    return v;
  };
  const maxTokens = number('max_completion_tokens', 1, Number.MAX_SAFE_INTEGER) ?? number('max_tokens', 1, Number.MAX_SAFE_INTEGER);
  const seed = number('seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (seed !== undefined && !Number.isInteger(seed)) throw new BadRequest('seed must be an integer', 'seed');
  if (json.stream === true) throw new BadRequest('stream is not supported by this server', 'stream');
  const parallel = json.parallel_tool_calls;
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean') throw new BadRequest('parallel_tool_calls must be a boolean', 'parallel_tool_calls');
  return {
    model: typeof json.model === 'string' ? json.model : served,
    messages,
    tools: tools as ToolDefinition[],
    temperature: number('temperature', 0, 2),
    top_p: number('top_p', 0, 1),
    seed,
    max_tokens: maxTokens,
    ...(typeof parallel === 'boolean' && { parallel_tool_calls: parallel }),
  };
}
