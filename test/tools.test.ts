import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../core/types';
import { DockerSandboxes } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { executeAction, installTools, type ExecuteOptions } from '../env/tools/execute';
import { parseNativeAction, parseTextAction, renderTextAction, textToolInstructions } from '../env/tools/text-format';
import { truncateMiddle } from '../env/tools/truncate';
import { validateToolCall } from '../env/tools/validate';
import { TOOLS } from '../env/tools/definitions';

// ---- pure: text format, native calls, validation, truncation ----

test('the text form parses into a call with schema-typed values and renders back', () => {
  const text = 'I will look.\n<function=str_replace_editor>\n<parameter=command>view</parameter>\n<parameter=path>/workspace/a.py</parameter>\n<parameter=view_range>[1, 20]</parameter>\n</function>';
  const action = parseTextAction(text, { callId: 'c1' });
  assert.equal(action.parseError, undefined);
  assert.equal(action.content, 'I will look.');
  assert.deepEqual(action.toolCalls, [{ id: 'c1', name: 'str_replace_editor', arguments: { command: 'view', path: '/workspace/a.py', view_range: [1, 20] } }]);
  assert.deepEqual(parseTextAction(renderTextAction(action), { callId: 'c1' }), action);

  // Values are kept as written, newlines included (as OpenHands keeps them: test/openhands-format.test.ts).
  const multiline = parseTextAction('<function=execute_bash>\n<parameter=command>\ncat <<EOF\n  x < y\nEOF\n</parameter>\n<parameter=timeout>5</parameter>\n</function>');
  assert.deepEqual(multiline.toolCalls[0]!.arguments, { command: '\ncat <<EOF\n  x < y\nEOF\n', timeout: 5 });
  // Stopped at the `</function>` stop sequence: the closing tag is missing.
  assert.deepEqual(parseTextAction('<function=finish>\n<parameter=message>done</parameter>\n').toolCalls[0]!.arguments, { message: 'done' });
});

test('malformed text calls become parse errors that say how to fix them', () => {
  const cases: [string, RegExp][] = [
    ['just prose', /No tool call found/],
    ['<function=>\n</function>', /No tool call found/],
    ['<function=execute_bash>\n<parameter=command>ls\n</function>', /Missing required parameters/],
    ['<function=execute_bash>\nls -la\n</function>', /Missing required parameters/],
    ['<function=nope>\n</function>', /not found in the available tools/],
    ['<function=execute_bash>\n<parameter=command>ls</parameter>\n<parameter=timeout>soon</parameter>\n</function>', /expected to be a number/],
  ];
  for (const [text, why] of cases) {
    const action = parseTextAction(text);
    assert.equal(action.toolCalls.length, 0, text);
    assert.match(action.parseError ?? '', why, text);
    assert.match(action.parseError ?? '', /<function=TOOL_NAME>/);
  }
  assert.match(textToolInstructions(TOOLS), /---- BEGIN FUNCTION #2: str_replace_editor ----[\s\S]*view_range \(array, optional\)/);
});

test('native tool calls: valid JSON becomes the call, anything else a parse error', () => {
  const ok = parseNativeAction('thinking', [{ id: 'x', type: 'function', function: { name: 'execute_bash', arguments: '{"command": "ls"}' } }]);
  assert.deepEqual(ok, { content: 'thinking', toolCalls: [{ id: 'x', name: 'execute_bash', arguments: { command: 'ls' } }] });
  assert.match(parseNativeAction('', [{ id: 'x', function: { name: 'execute_bash', arguments: '{"command": "ls' } }]).parseError!, /not valid JSON/);
  assert.match(parseNativeAction('', [{ id: 'x', function: { name: 'execute_bash', arguments: '["ls"]' } }]).parseError!, /must be a JSON object/);
  assert.match(parseNativeAction('hi', []).parseError!, /No tool call/);
  assert.match(parseNativeAction(null, [{ id: 'a', function: { name: 'think', arguments: '{}' } }, { id: 'b', function: { name: 'think', arguments: '{}' } }]).parseError!, /only one/);
  assert.deepEqual(parseNativeAction('', [{ id: 'e', function: { name: 'finish', arguments: '' } }]).toolCalls[0]!.arguments, {});
});

test('validation names the unknown tool, missing, extra and mistyped parameters', () => {
  assert.equal(validateToolCall({ name: 'execute_bash', arguments: { command: 'ls', timeout: 3 } }), null);
  assert.match(validateToolCall({ name: 'browser', arguments: {} })!, /Unknown tool "browser".*execute_bash, str_replace_editor, think, finish/);
  assert.match(validateToolCall({ name: 'execute_bash', arguments: {} })!, /missing required parameter "command"/);
  assert.match(validateToolCall({ name: 'execute_bash', arguments: { command: 'ls', cwd: '/' } })!, /unknown parameter "cwd"/);
  assert.match(validateToolCall({ name: 'execute_bash', arguments: { command: 5 } })!, /"command" must be a string/);
  assert.match(validateToolCall({ name: 'str_replace_editor', arguments: { command: 'delete', path: '/a' } })!, /must be one of "view", "create"/);
  assert.match(validateToolCall({ name: 'str_replace_editor', arguments: { command: 'insert', path: '/a', insert_line: 1.5 } })!, /"insert_line" must be an integer/);
  assert.match(validateToolCall({ name: 'str_replace_editor', arguments: { command: 'view', path: '/a', view_range: [1, 'x'] } })!, /array of integers/);
});

test('truncation keeps head and tail and says how much was elided', () => {
  assert.deepEqual(truncateMiddle('short', 10, 10), { text: 'short', truncated: false, fullChars: 5 });
  const long = 'a'.repeat(50) + 'b'.repeat(100) + 'c'.repeat(50);
  const cut = truncateMiddle(long, 50, 50);
  assert.equal(cut.truncated, true);
  assert.equal(cut.fullChars, 200);
  assert.ok(cut.text.startsWith('a'.repeat(50) + '\n[... 100 characters elided'));
  assert.ok(cut.text.endsWith('...]\n' + 'c'.repeat(50)));
});

// ---- against a real container: bash and the editor ----

let image = '';
const sandboxes = new DockerSandboxes();
let id = '';
const opts: ExecuteOptions = { workdir: '/workspace', commandTimeoutS: 10, maxObservationChars: 4000 };
const call = (name: string, args: Record<string, unknown>): Action => ({ content: '', toolCalls: [{ id: 'c', name, arguments: args }] });
const edit = (args: Record<string, unknown>) => executeAction(sandboxes, id, call('str_replace_editor', args), opts);

before(async () => {
  image = ensureSandboxImage();
  id = await sandboxes.create({ image, workdir: '/workspace', labels: { 'agent-dagger.test': `tools-${process.pid}` }, limits: { memoryMb: 256, cpus: 1, pids: 128, commandTimeoutS: 10, lifetimeS: 300, workspaceMb: 32 } });
  await installTools(sandboxes, id);
});

after(async () => {
  if (id) await sandboxes.destroy(id);
});

test('execute_bash reports output, exit code, timeouts and truncation', async () => {
  const ok = await executeAction(sandboxes, id, call('execute_bash', { command: 'echo hi; false' }), opts);
  assert.equal(ok.observation.text, 'hi\n[The command completed with exit code 1.]');
  assert.equal(ok.observation.exitCode, 1);
  assert.equal(ok.observation.error, false);
  assert.equal(ok.finished, false);
  const slow = await executeAction(sandboxes, id, call('execute_bash', { command: 'sleep 30', timeout: 1 }), opts);
  assert.equal(slow.observation.timedOut, true);
  assert.match(slow.observation.text, /timed out after 1 seconds/);
  assert.ok(slow.observation.durationMs < 3000);
  const big = await executeAction(sandboxes, id, call('execute_bash', { command: 'seq 1 5000' }), opts);
  assert.equal(big.observation.truncated, true);
  assert.ok(big.observation.text.length < 4200);
  assert.match(big.observation.text, /^1\n2\n[\s\S]*characters elided[\s\S]*5000\n\[The command completed with exit code 0.\]$/);
  assert.equal(big.fullText?.length, big.observation.fullChars);
});

test('model faults become error observations, never exceptions', async () => {
  const cases: [Action, RegExp][] = [
    [{ content: 'x', toolCalls: [], parseError: 'bad format' }, /bad format/],
    [{ content: 'x', toolCalls: [] }, /No tool call/],
    [call('browse', { url: 'x' }), /Unknown tool/],
    [call('execute_bash', { cmd: 'ls' }), /missing required parameter "command"/],
    [call('execute_bash', { command: '   ' }), /empty/],
    [call('execute_bash', { command: 'x'.repeat(200_000) }), /limit is 100000/],
  ];
  for (const [action, why] of cases) {
    const r = await executeAction(sandboxes, id, action, opts);
    assert.equal(r.observation.error, true);
    assert.match(r.observation.text, why);
  }
  const think = await executeAction(sandboxes, id, call('think', { thought: 'hmm' }), opts);
  assert.equal(think.observation.text, 'Your thought has been logged.');
  const finish = await executeAction(sandboxes, id, call('finish', { message: 'done' }), opts);
  assert.equal(finish.finished, true);
});

test('editor: create, view, str_replace, insert and undo_edit with OpenHands semantics', async () => {
  const created = await edit({ command: 'create', path: '/workspace/pkg/mod.py', file_text: 'def f():\n    return 1\n\ndef g():\n    return 1\n' });
  assert.equal(created.observation.text, 'File created successfully at: /workspace/pkg/mod.py');
  assert.match((await edit({ command: 'create', path: '/workspace/pkg/mod.py', file_text: 'x' })).observation.text, /already exists/);

  const view = await edit({ command: 'view', path: '/workspace/pkg/mod.py' });
  assert.equal(view.observation.text, "Here's the result of running `cat -n` on /workspace/pkg/mod.py:\n     1\tdef f():\n     2\t    return 1\n     3\t\n     4\tdef g():\n     5\t    return 1\n     6\t\n");
  const range = await edit({ command: 'view', path: '/workspace/pkg/mod.py', view_range: [4, 5] });
  assert.match(range.observation.text, /^Here's[^\n]*\n     4\tdef g\(\):\n     5\t    return 1\n$/);
  assert.match((await edit({ command: 'view', path: '/workspace/pkg/mod.py', view_range: [9, 10] })).observation.text, /Invalid view_range/);
  const dir = await edit({ command: 'view', path: '/workspace' });
  assert.match(dir.observation.text, /2 levels deep in \/workspace[\s\S]*\/workspace\/pkg\/\n\/workspace\/pkg\/mod\.py/);

  const multiple = await edit({ command: 'str_replace', path: '/workspace/pkg/mod.py', old_str: 'return 1', new_str: 'return 2' });
  assert.equal(multiple.observation.error, true);
  assert.match(multiple.observation.text, /Multiple occurrences of old_str `return 1` in lines \[2, 5\]/);
  const missing = await edit({ command: 'str_replace', path: '/workspace/pkg/mod.py', old_str: 'return 3', new_str: 'x' });
  assert.match(missing.observation.text, /did not appear verbatim/);
  const replaced = await edit({ command: 'str_replace', path: '/workspace/pkg/mod.py', old_str: 'def g():\n    return 1', new_str: 'def g():\n    return 2' });
  assert.equal(replaced.observation.error, false);
  assert.match(replaced.observation.text, /has been edited[\s\S]*     5\t    return 2/);
  const inserted = await edit({ command: 'insert', path: '/workspace/pkg/mod.py', insert_line: 0, new_str: '"""Module."""' });
  assert.match(inserted.observation.text, /     1\t"""Module."""\n     2\tdef f\(\):/);
  assert.match((await edit({ command: 'insert', path: '/workspace/pkg/mod.py', insert_line: 99, new_str: 'x' })).observation.text, /Invalid `insert_line` 99/);

  const content = async () => (await sandboxes.readFile(id, '/workspace/pkg/mod.py')).toString();
  assert.equal(await content(), '"""Module."""\ndef f():\n    return 1\n\ndef g():\n    return 2\n');
  // Undo history lives in the container: a new worker undoes the earlier worker's edits.
  const worker2 = new DockerSandboxes();
  await executeAction(worker2, id, call('str_replace_editor', { command: 'undo_edit', path: '/workspace/pkg/mod.py' }), opts);
  assert.equal(await content(), 'def f():\n    return 1\n\ndef g():\n    return 2\n');
  await edit({ command: 'undo_edit', path: '/workspace/pkg/mod.py' });
  assert.equal(await content(), 'def f():\n    return 1\n\ndef g():\n    return 1\n');
  assert.match((await edit({ command: 'undo_edit', path: '/workspace/pkg/mod.py' })).observation.text, /Undid the creation/);
  assert.match((await edit({ command: 'undo_edit', path: '/workspace/pkg/mod.py' })).observation.text, /does not exist/);
});

test('editor: paths must be absolute and inside the workspace or /tmp; long views are clipped', async () => {
  const relative = await edit({ command: 'create', path: 'pkg/x.py', file_text: 'x' });
  assert.equal(relative.observation.error, true);
  assert.match(relative.observation.text, /not absolute.*\/workspace\/pkg\/x\.py/);
  for (const path of ['/etc/passwd', '/workspace/../etc/x', '/home/agent/x']) {
    const r = await edit({ command: 'create', path, file_text: 'x' });
    assert.equal(r.observation.error, true, path);
    assert.match(r.observation.text, /outside the workspace/, path);
  }
  await executeAction(sandboxes, id, call('execute_bash', { command: 'ln -s /etc /workspace/etc-link' }), opts);
  assert.match((await edit({ command: 'view', path: '/workspace/etc-link/passwd' })).observation.text, /outside the workspace/);
  assert.equal((await edit({ command: 'create', path: '/tmp/scratch.txt', file_text: 'ok' })).observation.error, false);

  const huge = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
  await edit({ command: 'create', path: '/workspace/big.txt', file_text: huge });
  const clipped = await edit({ command: 'view', path: '/workspace/big.txt' });
  assert.match(clipped.observation.text, /grep -n/);
  assert.ok(clipped.observation.text.length <= 4200);
  // A request too long for the command line travels through a file.
  const long = 'y'.repeat(150_000);
  assert.equal((await edit({ command: 'create', path: '/workspace/long.txt', file_text: long })).observation.error, false);
  assert.equal((await sandboxes.readFile(id, '/workspace/long.txt')).toString(), long);
});
