/**
 * Actions to and from model output: OpenHands' text form for models without native tool calling
 * (openhands/llm/fn_call_converter.py, the CodeAct agent's converter), parsed and rendered as it does:
 *   <function=NAME>
 *   <parameter=KEY>VALUE</parameter>
 *   </function>
 * Values are kept as written (no trimming); the first function block is the call; a parameter given twice keeps
 * the last value; a reply cut at the stop word `</function` is closed as OpenHands closes it. Tool results go
 * back as `EXECUTION RESULT of [NAME]:`. Where we differ on purpose (docs/fidelity.md, "OpenHands"): `number`
 * parameters become numbers here (OpenHands converts them when it executes the call), there is no in-context
 * example in the first user message, and malformed input becomes an Action whose `parseError` tells the model
 * how to fix its call, where OpenHands raises. Native OpenAI tool calls are parsed below. Pure; nothing throws.
 */
import type { Action, Message, ToolCall, ToolDefinition } from '../../core/types';
import { TOOLS } from './definitions';

const FORMAT_HELP =
  'Call exactly one tool per message in this format:\n<function=TOOL_NAME>\n<parameter=NAME>value</parameter>\n</function>';

/** OpenHands' stop words for the text form: generation ends before the closing tag, which the parser restores. */
export const TEXT_STOP_WORDS = ['</function'] as const;

// OpenHands' patterns (the function tag must be followed by a newline; `s`: dot matches newlines).
const FN_REGEX = /<function=([^>]+)>\n(.*?)<\/function>/s;
const PARAM_REGEX = /<parameter=([^>]+)>(.*?)<\/parameter>/gs;

/** Python's str.strip() / lstrip(): the characters str.isspace() accepts (JS trim() differs in a few). */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const pyStrip = (s: string) => s.replace(new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g'), '');
const pyLstrip = (s: string) => s.replace(new RegExp(`^[${PY_SPACE}]+`), '');

/** OpenHands' _fix_stopword: a reply with one function block that lacks its closing tag gets one. */
function fixStopword(text: string): string {
  if (text.split('<function=').length !== 2) return text;
  return text.endsWith('</') ? text + 'function>' : text + '\n</function>';
}

/** OpenHands' _normalize_parameter_tags: `<parameter=name=value</parameter>` → `<parameter=name>value</parameter>`. */
function normalizeParameterTags(body: string): string {
  return body.replace(/<parameter=([a-zA-Z0-9_]+)=([^<]*)<\/parameter>/g, '<parameter=$1>$2</parameter>');
}

/** Parses the text form as OpenHands' convert_non_fncall_messages_to_fncall_messages does for an assistant message. */
export function parseTextAction(text: string, opts: { callId?: string; tools?: ToolDefinition[] } = {}): Action {
  const tools = opts.tools ?? TOOLS;
  const fixed = fixStopword(text);
  const match = FN_REGEX.exec(fixed);
  if (!match) return { content: text, toolCalls: [], parseError: `No tool call found in your message. ${FORMAT_HELP}` };
  const content = pyStrip(fixed.split('<function=')[0]!);
  const fail = (why: string): Action => ({ content, toolCalls: [], parseError: `${why} ${FORMAT_HELP}` });

  const name = match[1]!;
  const tool = tools.find((t) => t.function.name === name);
  if (!tool) return fail(`Function ${JSON.stringify(name)} not found in the available tools: ${tools.map((t) => t.function.name).join(', ')}.`);
  const schema = (tool.function.parameters ?? {}) as { properties?: Record<string, { type?: string; enum?: unknown[] }>; required?: string[] };
  const properties = schema.properties ?? {};
  const allowed = Object.keys(properties);
  const args: Record<string, unknown> = {};
  for (const m of normalizeParameterTags(match[2]!).matchAll(PARAM_REGEX)) {
    const key = m[1]!;
    if (allowed.length > 0 && !allowed.includes(key)) return fail(`Parameter "${key}" is not allowed for function ${name}; allowed: ${allowed.join(', ')}.`);
    const converted = convertValue(m[2]!, properties[key]?.type);
    if ('error' in converted) return fail(`Parameter "${key}" is expected to be ${converted.error}.`);
    const allowedValues = properties[key]?.enum;
    if (allowedValues && !allowedValues.some((v) => v === converted.value)) {
      return fail(`Parameter "${key}" is expected to be one of ${allowedValues.map((v) => JSON.stringify(v)).join(', ')}.`);
    }
    args[key] = converted.value; // given twice: the last value, in the first one's place (as a Python dict)
  }
  const missing = (schema.required ?? []).filter((key) => !(key in args));
  if (missing.length > 0) return fail(`Missing required parameters for function ${name}: ${missing.join(', ')}.`);
  const call: ToolCall = { id: opts.callId ?? 'call_0', name, arguments: args };
  return { content, toolCalls: [call] };
}

/** Renders an assistant action as OpenHands' convert_fncall_messages_to_non_fncall_messages does (the first call). */
export function renderTextAction(action: Pick<Action, 'content' | 'toolCalls'>): string {
  const call = action.toolCalls[0];
  if (!call) return action.content;
  const params = Object.entries(call.arguments).map(([k, v]) => `<parameter=${k}>${pythonStr(v)}</parameter>\n`);
  return pyLstrip(`${action.content}\n\n<function=${call.name}>\n${params.join('')}</function>`);
}

/** A tool result as OpenHands sends it in text mode: a user message naming the tool that produced it. */
export function renderToolResult(toolName: string, content: string): string {
  return `EXECUTION RESULT of [${toolName}]:\n${content}`;
}

/** The tool name of a tool message: that of the assistant call it answers ('function' when none matches, as OpenHands). */
export function toolNameOf(messages: Message[], index: number): string {
  const id = messages[index]!.toolCallId;
  for (let i = index - 1; i >= 0; i--) {
    const call = messages[i]!.toolCalls?.find((c) => c.id === id);
    if (call) return call.name;
  }
  return 'function';
}

/** Python's f'{value}' / json.dumps(value) for a JSON value, as OpenHands writes parameter values. */
function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) return pythonJson(value);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** json.dumps with its defaults: ', ' and ': ' separators, non-ASCII escaped. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value ?? null);
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
 * The system-prompt suffix that teaches a model without native tool calling the text form and the tools:
 * OpenHands' SYSTEM_PROMPT_SUFFIX_TEMPLATE with its convert_tools_to_description (appended to the system message).
 */
export function textToolInstructions(tools: ToolDefinition[] = TOOLS): string {
  return `
You have access to the following functions:

${describeTools(tools)}

If you choose to call a function ONLY reply in the following format with NO suffix:

<function=example_function_name>
<parameter=example_parameter_1>value_1</parameter>
<parameter=example_parameter_2>
This is the value for the second parameter
that can span
multiple lines
</parameter>
</function>

<IMPORTANT>
Reminder:
- Function calls MUST follow the specified format, start with <function= and end with </function>
- Required parameters MUST be specified
- Only call one function at a time
- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after.
- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls
</IMPORTANT>
`;
}

function describeTools(tools: ToolDefinition[]): string {
  return tools
    .map((tool, i) => {
      const { name, description, parameters } = tool.function;
      const lines = [`---- BEGIN FUNCTION #${i + 1}: ${name} ----`, `Description: ${description}`];
      if (parameters) {
        const schema = parameters as { properties?: Record<string, { type?: string; description?: string; enum?: unknown[] }>; required?: string[] };
        lines.push('Parameters:');
        Object.entries(schema.properties ?? {}).forEach(([key, prop], j) => {
          const status = schema.required?.includes(key) ? 'required' : 'optional';
          const allowed = prop.enum ? `\nAllowed values: [${prop.enum.map((v) => `\`${pythonStr(v)}\``).join(', ')}]` : '';
          lines.push(`  (${j + 1}) ${key} (${prop.type ?? 'string'}, ${status}): ${prop.description ?? 'No description provided'}${allowed}`);
        });
      } else {
        lines.push('No parameters are required for this function.');
      }
      lines.push(`---- END FUNCTION #${i + 1} ----`);
      return lines.join('\n') + '\n';
    })
    .join('\n');
}

/**
 * OpenHands' conversions: `integer` as Python's int() reads it (surrounding whitespace, a sign, digit groups with
 * `_`), `array` as json.loads; other values stay strings. `number` is ours: converted here, as OpenHands converts
 * it (float()) only when it executes the call.
 */
function convertValue(value: string, type: string | undefined): { value: unknown } | { error: string } {
  switch (type) {
    case 'integer': {
      const digits = /^[+-]?\d+(?:_\d+)*$/.test(pyStrip(value)) ? pyStrip(value).replaceAll('_', '') : null;
      return digits === null ? { error: 'an integer' } : { value: Number(digits) };
    }
    case 'number': {
      const trimmed = pyStrip(value);
      const n = Number(trimmed);
      return trimmed === '' || !Number.isFinite(n) ? { error: 'a number' } : { value: n };
    }
    case 'array': {
      try {
        return { value: JSON.parse(value) };
      } catch {
        return { error: 'an array (JSON, e.g. [1, 20])' };
      }
    }
    default:
      return { value };
  }
}
