/**
 * Actions to and from model output: the text fallback for models without native tool calling,
 *   <function=NAME>
 *   <parameter=KEY>VALUE</parameter>
 *   </function>
 * and native OpenAI tool calls (arguments as a JSON string, possibly malformed). Malformed input becomes
 * an Action with `parseError` telling the model how to fix its call; nothing here throws. Pure.
 */
import type { Action, ToolCall, ToolDefinition } from '../../core/types';
import { TOOLS } from './definitions';

const FORMAT_HELP =
  'Call exactly one tool per message in this format:\n<function=TOOL_NAME>\n<parameter=NAME>value</parameter>\n</function>';

/** Parses the text fallback. Parameter values are strings, converted to the schema's number / integer / array types. */
export function parseTextAction(text: string, opts: { callId?: string; tools?: ToolDefinition[] } = {}): Action {
  const tools = opts.tools ?? TOOLS;
  const start = text.indexOf('<function=');
  if (start < 0) return { content: text.trim(), toolCalls: [], parseError: `No tool call found in your message. ${FORMAT_HELP}` };
  const content = text.slice(0, start).trim();
  const fail = (why: string): Action => ({ content, toolCalls: [], parseError: `${why} ${FORMAT_HELP}` });

  const header = /^<function=([^>\s]*)>/.exec(text.slice(start));
  if (!header || !header[1]) return fail('Malformed function tag: expected `<function=TOOL_NAME>`.');
  const name = header[1];
  const bodyStart = start + header[0].length;
  const close = text.indexOf('</function>', bodyStart);
  // A model stopped at the `</function>` stop sequence omits the closing tag: the call runs to the end.
  const bodyEnd = close < 0 ? text.length : close;
  const after = close < 0 ? '' : text.slice(close + '</function>'.length);
  if (after.includes('<function=')) return fail('Only one tool call per message is allowed; send the next call after seeing this one\'s result.');

  const body = text.slice(bodyStart, bodyEnd);
  const args: Record<string, unknown> = {};
  const paramRe = /<parameter=([^>\s]*)>([\s\S]*?)<\/parameter>/g;
  for (let m = paramRe.exec(body); m; m = paramRe.exec(body)) {
    const key = m[1]!;
    if (!key) return fail('Malformed parameter tag: expected `<parameter=NAME>`.');
    if (key in args) return fail(`Parameter "${key}" is given twice.`);
    const converted = convertValue(stripOneNewline(m[2]!), propertyType(tools, name, key));
    if ('error' in converted) return fail(`Parameter "${key}": ${converted.error}.`);
    args[key] = converted.value;
  }
  const leftover = body.replace(paramRe, '').trim();
  if (leftover.includes('<parameter=')) return fail('A `<parameter=NAME>` tag is not closed with `</parameter>`.');
  if (leftover !== '') return fail(`Unexpected text inside the function call: ${JSON.stringify(leftover.slice(0, 80))}; every value belongs in a <parameter> tag.`);
  const call: ToolCall = { id: opts.callId ?? 'call_0', name, arguments: args };
  return { content, toolCalls: [call] };
}

/** Renders an action as the text fallback (the inverse of parseTextAction). */
export function renderTextAction(action: Pick<Action, 'content' | 'toolCalls'>): string {
  const parts: string[] = [];
  if (action.content) parts.push(action.content);
  for (const call of action.toolCalls) {
    const params = Object.entries(call.arguments).map(([k, v]) => `<parameter=${k}>${typeof v === 'string' ? v : JSON.stringify(v)}</parameter>`);
    parts.push([`<function=${call.name}>`, ...params, '</function>'].join('\n'));
  }
  return parts.join('\n');
}

/** An OpenAI chat-completion tool call as the API returns it (custom, non-function calls lack `function`). */
export interface NativeToolCall {
  id: string;
  type?: string;
  function?: { name: string; arguments: string };
}

/** Parses native tool calls; exactly one function call with a JSON object as arguments is a valid action. */
export function parseNativeAction(content: string | null | undefined, toolCalls: readonly NativeToolCall[] | null | undefined): Action {
  const text = content ?? '';
  const calls = toolCalls ?? [];
  if (calls.length === 0) return { content: text, toolCalls: [], parseError: 'No tool call found in your message: call exactly one of the tools (use `finish` when the task is done).' };
  if (calls.length > 1) {
    return { content: text, toolCalls: [], parseError: `You made ${calls.length} tool calls in one message; only one is allowed per message. Send the first one again and the others after seeing its result.` };
  }
  const fn = calls[0]!.function;
  if (!fn) return { content: text, toolCalls: [], parseError: 'Your tool call is not a function call: call one of the given function tools with JSON arguments.' };
  const raw = (fn.arguments ?? '').trim();
  let args: unknown;
  try {
    args = raw === '' ? {} : JSON.parse(raw);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { content: text, toolCalls: [], parseError: `The arguments of your ${fn.name} call are not valid JSON (${why}). Send the call again with a JSON object as arguments, strings quoted and escaped (\\n for newlines, \\" for quotes).` };
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return { content: text, toolCalls: [], parseError: `The arguments of your ${fn.name} call must be a JSON object such as {"command": "ls"}.` };
  }
  return { content: text, toolCalls: [{ id: calls[0]!.id, name: fn.name, arguments: args as Record<string, unknown> }] };
}

/**
 * The system-prompt section that teaches a model without native tool calling the text form and the
 * tools (names, descriptions, parameters).
 */
export function textToolInstructions(tools: ToolDefinition[] = TOOLS): string {
  const lines = ['You have access to the following functions. ' + FORMAT_HELP, '', 'Values are written verbatim (no quoting or escaping); numbers and arrays as JSON.', ''];
  for (const tool of tools) {
    const { name, description, parameters } = tool.function;
    const schema = parameters as { properties?: Record<string, { type?: string; description?: string; enum?: unknown[] }>; required?: string[] };
    lines.push(`---- BEGIN FUNCTION ${name} ----`, description, 'Parameters:');
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const required = schema.required?.includes(key) ? 'required' : 'optional';
      const allowed = prop.enum ? ` Allowed values: ${prop.enum.map((v) => JSON.stringify(v)).join(', ')}.` : '';
      lines.push(`  ${key} (${prop.type ?? 'any'}, ${required}): ${prop.description ?? ''}${allowed}`);
    }
    lines.push(`---- END FUNCTION ${name} ----`, '');
  }
  lines.push('Example:', renderTextAction({ content: '', toolCalls: [{ id: 'example', name: 'execute_bash', arguments: { command: 'ls -la' } }] }));
  return lines.join('\n');
}

function propertyType(tools: ToolDefinition[], tool: string, key: string): string | undefined {
  const def = tools.find((t) => t.function.name === tool);
  const props = (def?.function.parameters as { properties?: Record<string, { type?: string }> } | undefined)?.properties;
  return props?.[key]?.type;
}

/** Values are written on their own lines inside the tags: one leading and one trailing newline are layout. */
function stripOneNewline(value: string): string {
  return value.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

function convertValue(value: string, type: string | undefined): { value: unknown } | { error: string } {
  const trimmed = value.trim();
  switch (type) {
    case 'integer':
    case 'number': {
      const n = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(n)) return { error: `expected a number, got ${JSON.stringify(trimmed.slice(0, 40))}` };
      return { value: n };
    }
    case 'array': {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) return { value: parsed };
      } catch {
        // Reported below with the expected shape.
      }
      return { error: `expected a JSON array such as [1, 20], got ${JSON.stringify(trimmed.slice(0, 40))}` };
    }
    default:
      return { value };
  }
}
