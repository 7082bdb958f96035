/**
 * The text tool-call form against OpenHands' own converter (openhands/llm/fn_call_converter.py of openhands-ai
 * 1.0.0): test/fixtures/openhands-text-format.json holds what that converter answered for the inputs of
 * test/fixtures/openhands-cases.json (regenerate with `python3 test/fixtures/openhands_oracle.py`). Parsing,
 * rendering, tool results, the system-prompt suffix and the stop word must agree; the one deliberate difference
 * checked here is that `number` parameters become numbers (OpenHands keeps the string until it executes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolDefinition } from '../core/types';
import { TOOLS } from '../env/tools/definitions';
import { parseTextAction, renderTextAction, renderToolResult, TEXT_STOP_WORDS, textToolInstructions, toolNameOf } from '../env/tools/text-format';
import { toOpenAIMessages } from '../activities/policy';

interface Oracle {
  stopWords: string[];
  tools: ToolDefinition[];
  parse: ({ text: string } & ({ content: string; calls: { name: string; arguments: Record<string, unknown> }[] } | { error: string; message: string }))[];
  render: { content: string; name: string; arguments: Record<string, unknown>; result: string; assistant: string; tool: string }[];
  system: { content: string; converted: string };
}

const oracle = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'openhands-text-format.json'), 'utf8')) as Oracle;

function schemaType(tool: string, key: string): string | undefined {
  const props = (oracle.tools.find((t) => t.function.name === tool)?.function.parameters as { properties?: Record<string, { type?: string }> }).properties;
  return props?.[key]?.type;
}

test('the fixture is what OpenHands\' converter answers now (run live from its wheel)', { timeout: 120_000 }, (t) => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'openhands-oracle-')), 'answers.json');
  const run = spawnSync('python3', [path.join(__dirname, 'fixtures', 'openhands_oracle.py'), '--out', out], { encoding: 'utf8' });
  if (run.status !== 0 && /pip|download|distribution/i.test(run.stderr) && !/Traceback[\s\S]*fn_call_converter/.test(run.stderr)) {
    t.skip(`the openhands-ai wheel could not be fetched here: ${run.stderr.trim().split('\n').pop()}`);
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), oracle);
});

test('the oracle was made with the tools this project offers', () => {
  assert.deepEqual(oracle.tools, JSON.parse(JSON.stringify(TOOLS)));
  assert.ok(oracle.parse.length >= 30);
});

test('parsing agrees with OpenHands on every fixture', () => {
  for (const c of oracle.parse) {
    const action = parseTextAction(c.text, { callId: 'toolu_01', tools: oracle.tools });
    if ('error' in c) {
      assert.deepEqual(action.toolCalls, [], `${JSON.stringify(c.text)}: OpenHands refused it (${c.message})`);
      assert.ok(action.parseError, c.text);
      continue;
    }
    assert.equal(action.content, c.content, JSON.stringify(c.text));
    if (c.calls.length === 0) {
      assert.deepEqual(action.toolCalls, [], JSON.stringify(c.text));
      assert.match(action.parseError ?? '', /No tool call found/);
      continue;
    }
    const [call] = c.calls;
    const expected = Object.fromEntries(Object.entries(call!.arguments).map(([k, v]) => [k, schemaType(call!.name, k) === 'number' ? Number(v) : v]));
    assert.equal(action.parseError, undefined, `${JSON.stringify(c.text)}: ${action.parseError}`);
    assert.deepEqual(action.toolCalls, [{ id: 'toolu_01', name: call!.name, arguments: expected }], JSON.stringify(c.text));
    // Keys in OpenHands' order too (a parameter given twice keeps its first place).
    assert.deepEqual(Object.keys(action.toolCalls[0]!.arguments), Object.keys(call!.arguments));
  }
});

test('rendering an assistant call and its result agrees with OpenHands, and parses back', () => {
  for (const c of oracle.render) {
    const action = { content: c.content, toolCalls: [{ id: 'toolu_01', name: c.name, arguments: c.arguments }] };
    assert.equal(renderTextAction(action), c.assistant);
    assert.equal(renderToolResult(c.name, c.result), c.tool);
    const back = parseTextAction(c.assistant, { callId: 'toolu_01', tools: oracle.tools });
    // A call without its required parameters renders, and (as in OpenHands) does not parse back.
    if (Object.keys(c.arguments).length > 0) assert.deepEqual(back.toolCalls, action.toolCalls);
    else assert.match(back.parseError ?? '', /Missing required parameters/);

    // The same through the request builder: canonical messages → the text-mode chat messages.
    const messages = toOpenAIMessages(
      [
        { role: 'assistant', content: c.content, toolCalls: action.toolCalls },
        { role: 'tool', content: c.result, toolCallId: 'toolu_01' },
      ],
      false,
      oracle.tools,
    );
    assert.deepEqual(messages, [
      { role: 'assistant', content: c.assistant },
      { role: 'user', content: c.tool },
    ]);
  }
  assert.equal(toolNameOf([{ role: 'tool', content: 'x', toolCallId: 'nowhere' }], 0), 'function');
});

test('the system-prompt suffix and the stop word are OpenHands\'', () => {
  assert.equal(oracle.system.content + textToolInstructions(oracle.tools), oracle.system.converted);
  const [system] = toOpenAIMessages([{ role: 'system', content: oracle.system.content }], false, oracle.tools);
  assert.deepEqual(system, { role: 'system', content: oracle.system.converted });
  assert.deepEqual([...TEXT_STOP_WORDS], oracle.stopWords);
});
