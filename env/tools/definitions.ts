/**
 * The agent's tools: OpenHands CodeAct names and parameters, as OpenAI function-tool definitions.
 * Pure data; validate.ts checks calls against these schemas.
 *
 * Two prompt styles describe the same tools: `openhands` (the full descriptions, for real models) and
 * `compact` (one short line per tool, no parameter descriptions) for tiny students made from scratch, whose
 * every prompt token is training and inference time. Names, parameters, types, enums and required lists
 * are identical, so calls valid in one style are valid in the other.
 */
import type { ToolDefinition } from '../../core/types';

export const EXECUTE_BASH = 'execute_bash';
export const STR_REPLACE_EDITOR = 'str_replace_editor';
export const THINK = 'think';
export const FINISH = 'finish';

export const EDITOR_COMMANDS = ['view', 'create', 'str_replace', 'insert', 'undo_edit'] as const;
export type EditorCommand = (typeof EDITOR_COMMANDS)[number];

export const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: EXECUTE_BASH,
      description: [
        'Execute a bash command in the terminal. The working directory and exported variables persist between calls.',
        '* One command per call; chain several with `&&` or `;`. Commands cannot read input: pass flags instead (e.g. `-y`, `--no-pager`).',
        '* Long-running commands are killed at the timeout; run servers in the background with output redirected to a file.',
        '* Long output is cut in the middle; filter it with `grep`, `head` or `tail`.',
      ].join('\n'),
      parameters: {
        type: 'object',
        properties: {
          command: { type: 'string', description: 'The bash command to execute.' },
          timeout: { type: 'number', description: 'Optional: seconds before the command is killed (capped by the sandbox limit).' },
        },
        required: ['command'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: STR_REPLACE_EDITOR,
      description: [
        'Custom editing tool for viewing, creating and editing files. Paths must be absolute.',
        '* `view` shows a file with line numbers (like `cat -n`) or lists a directory two levels deep.',
        '* `create` writes a new file; it fails if the path exists.',
        '* `str_replace` replaces `old_str` with `new_str`; `old_str` must match exactly one place in the file, whitespace included: add surrounding lines to make it unique.',
        '* `insert` inserts `new_str` after line `insert_line` (0 inserts at the top).',
        '* `undo_edit` reverts the last edit made to the file.',
      ].join('\n'),
      parameters: {
        type: 'object',
        properties: {
          command: { type: 'string', enum: [...EDITOR_COMMANDS], description: 'The command to run.' },
          path: { type: 'string', description: 'Absolute path to a file or directory, e.g. `/workspace/file.py`.' },
          file_text: { type: 'string', description: 'Required for `create`: the content of the file.' },
          old_str: { type: 'string', description: 'Required for `str_replace`: the exact text to replace.' },
          new_str: { type: 'string', description: 'For `str_replace`: the replacement (empty deletes `old_str`). Required for `insert`: the text to insert.' },
          insert_line: { type: 'integer', description: 'Required for `insert`: `new_str` goes after this line.' },
          view_range: {
            type: 'array',
            items: { type: 'integer' },
            description: 'Optional for `view` of a file: [start, end] line numbers, 1-based; end -1 means to the end of the file.',
          },
        },
        required: ['command', 'path'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: THINK,
      description: 'Think about something: the thought is logged and nothing changes. Use it to plan, or to reason about a bug or test result before acting.',
      parameters: {
        type: 'object',
        properties: { thought: { type: 'string', description: 'The thought.' } },
        required: ['thought'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: FINISH,
      description: 'Finish the task when it is solved (or cannot be solved). Ends the episode.',
      parameters: {
        type: 'object',
        properties: { message: { type: 'string', description: 'A short summary of what was done.' } },
        required: ['message'],
      },
    },
  },
];


/** How the environment describes the task and the tools to the agent (docs/toy-tasks.md). */
export const PROMPT_STYLES = ['openhands', 'compact'] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];

const COMPACT_DESCRIPTIONS: Record<string, string> = {
  [EXECUTE_BASH]: 'Run a bash command.',
  [STR_REPLACE_EDITOR]: 'View or edit a file (absolute path).',
  [THINK]: 'Think; nothing changes.',
  [FINISH]: 'End the episode.',
};

/** TOOLS with a short description per tool and none per parameter; the schemas are otherwise unchanged. */
export const COMPACT_TOOLS: ToolDefinition[] = TOOLS.map((tool) => {
  const { properties, ...rest } = tool.function.parameters as { properties: Record<string, Record<string, unknown>> };
  const bare = Object.fromEntries(Object.entries(properties).map(([name, { description: _d, ...schema }]) => [name, schema]));
  return { type: 'function', function: { name: tool.function.name, description: COMPACT_DESCRIPTIONS[tool.function.name], parameters: { ...rest, properties: bare } } };
});

export function toolsFor(style: PromptStyle): ToolDefinition[] {
  return style === 'compact' ? COMPACT_TOOLS : TOOLS;
}
