import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, sameAction } from '../core/diagnostics';
import type { Action, Executor, PolicyOutput, TrajectoryRecord, TurnRecord } from '../core/types';

const bash = (command: string): Action => ({ content: '', toolCalls: [{ id: 'c', name: 'execute_bash', arguments: { command } }] });
const out = (action: Action, tokens = 10): PolicyOutput => ({
  action,
  usage: { promptTokens: tokens, completionTokens: 2 },
  latencyMs: 500,
  model: 'm',
  contextExceeded: false,
});

function turn(t: number, executor: Executor, label: Action, student: Action | null, exitCode = 0): TurnRecord {
  return {
    schema: 'agent-dagger/turn@1',
    experimentId: 'x',
    iteration: 1,
    episodeId: 'e',
    taskId: 'task',
    turn: t,
    executor,
    mixing: { kind: 'dagger', beta: 0.5 },
    label: out(label),
    student: student && out(student, 20),
    executed: executor === 'teacher' ? label : student!,
    observation: { text: '', fullChars: 0, truncated: false, exitCode, timedOut: false, durationMs: 250, error: false },
    fullObservationRef: null,
  };
}

function trajectory(turns: TurnRecord[], reward: number): TrajectoryRecord {
  return { schema: 'agent-dagger/trajectory@1', experimentId: 'x', iteration: 1, episodeId: 'e', taskId: 'task', prompt: [], tools: [], turns, endReason: 'finish', reward, verification: null };
}

test('actions agree on the same tool and arguments, whatever the key order or reasoning text', () => {
  const a: Action = { content: 'first', toolCalls: [{ id: '1', name: 'str_replace_editor', arguments: { command: 'view', path: '/a' } }] };
  const b: Action = { content: 'other words', toolCalls: [{ id: '2', name: 'str_replace_editor', arguments: { path: '/a', command: 'view' } }] };
  assert.ok(sameAction(a, b));
  assert.ok(!sameAction(a, bash('ls')));
  assert.ok(!sameAction({ content: 'no call', toolCalls: [] }, { content: 'no call', toolCalls: [] }));
});

test('agreement by prefix control and by turn, cost, behaviour', () => {
  const d = diagnose([
    trajectory(
      [
        turn(0, 'teacher', bash('ls'), bash('ls')), // teacher-induced state, agree
        turn(1, 'student', bash('cat a'), bash('cat b'), 1), // teacher-induced state, disagree; the command fails
        turn(2, 'teacher', bash('cat a'), bash('cat a')), // student-induced state (turn 1 was the student's), agree
      ],
      1,
    ),
    trajectory([turn(0, 'teacher', bash('ls'), null)], 0),
  ]);
  assert.deepEqual(d.agreement.overall, { n: 3, agree: 2 });
  assert.deepEqual(d.agreement.byPrefix, { teacher: { n: 2, agree: 1 }, student: { n: 1, agree: 1 } });
  assert.deepEqual(d.agreement.byTurn, [
    { turn: 0, n: 1, agree: 1 },
    { turn: 1, n: 1, agree: 0 },
    { turn: 2, n: 1, agree: 1 },
  ]);
  assert.equal(d.cost.teacherCalls, 4);
  assert.equal(d.cost.studentCalls, 3);
  assert.equal(d.cost.teacherPromptTokens, 40);
  assert.equal(d.cost.studentPromptTokens, 60);
  assert.equal(d.cost.policySeconds, 3.5);
  assert.equal(d.cost.sandboxSeconds, 1);
  assert.deepEqual(d.behaviour.actions, { execute_bash: 4 });
  assert.equal(d.behaviour.recoveredEpisodes, 1);
  assert.deepEqual(d.behaviour.endReasons, { finish: 2 });
});
