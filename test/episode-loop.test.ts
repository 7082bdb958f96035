/** The episode loop (Algorithm 1) over scripted ports: who is asked, what runs, and why an episode ends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEpisodeLoop, type EpisodePorts, type StepReply } from '../core/episode-loop';
import type { Executor } from '../core/types';

function scripted(options: {
  executors: Executor[];
  teacher?: boolean;
  studentProposals?: boolean;
  steps?: Partial<StepReply>[];
  teacherContext?: number;
  studentContext?: number;
}) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const policy = (who: string, contextAt?: number) => async (t: number) => {
    calls.push(`${who}${t}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return { contextExceeded: t === contextAt };
  };
  const ports: EpisodePorts = {
    executor: (t) => options.executors[t] ?? 'student',
    label: options.teacher === false ? undefined : policy('label', options.teacherContext),
    propose: policy('propose', options.studentContext),
    studentProposals: options.studentProposals ?? false,
    step: async (t, executor) => {
      calls.push(`step${t}:${executor}`);
      return { finished: false, formatError: false, ...options.steps?.[t] };
    },
  };
  return { ports, calls, maxInFlight: () => maxInFlight };
}

test('the teacher labels every state, the student samples where it executes, and label and sample are requested at once', async () => {
  const s = scripted({ executors: ['teacher', 'student', 'teacher'], steps: [{}, {}, { finished: true }] });
  assert.equal(await runEpisodeLoop(s.ports, { maxTurns: 10, maxConsecutiveFormatErrors: 3 }), 'finish');
  assert.deepEqual(s.calls, ['label0', 'step0:teacher', 'label1', 'propose1', 'step1:student', 'label2', 'step2:teacher']);
  assert.equal(s.maxInFlight(), 2);
});

test('student proposals where the teacher executes are asked for only when wanted', async () => {
  const s = scripted({ executors: ['teacher'], studentProposals: true, steps: [{ finished: true }] });
  await runEpisodeLoop(s.ports, { maxTurns: 5, maxConsecutiveFormatErrors: 3 });
  assert.deepEqual(s.calls, ['label0', 'propose0', 'step0:teacher']);
});

test('without a teacher the student acts alone, whatever the mixture says', async () => {
  const s = scripted({ executors: ['teacher', 'teacher'], teacher: false });
  assert.equal(await runEpisodeLoop(s.ports, { maxTurns: 2, maxConsecutiveFormatErrors: 3 }), 'max_turns');
  assert.deepEqual(s.calls, ['propose0', 'step0:student', 'propose1', 'step1:student']);
});

test("the context ends an episode when the teacher's prompt or the executing student's prompt no longer fits", async () => {
  const teacherFull = scripted({ executors: ['teacher', 'teacher'], teacherContext: 1 });
  assert.equal(await runEpisodeLoop(teacherFull.ports, { maxTurns: 5, maxConsecutiveFormatErrors: 3 }), 'context');
  assert.deepEqual(teacherFull.calls, ['label0', 'step0:teacher', 'label1']);
  // A proposal that no longer fits where the teacher executes is only a missing diagnostic.
  const proposalFull = scripted({ executors: ['teacher', 'teacher'], studentProposals: true, studentContext: 0 });
  assert.equal(await runEpisodeLoop(proposalFull.ports, { maxTurns: 2, maxConsecutiveFormatErrors: 3 }), 'max_turns');
  const studentFull = scripted({ executors: ['student'], studentContext: 0 });
  assert.equal(await runEpisodeLoop(studentFull.ports, { maxTurns: 5, maxConsecutiveFormatErrors: 3 }), 'context');
  assert.ok(!studentFull.calls.includes('step0:student'));
});

test('consecutive format errors end the episode; one good action in between resets the count', async () => {
  const bad = { formatError: true };
  const s = scripted({ executors: [], teacher: false, steps: [bad, bad, {}, bad, bad, bad, {}] });
  assert.equal(await runEpisodeLoop(s.ports, { maxTurns: 10, maxConsecutiveFormatErrors: 3 }), 'format_errors');
  assert.equal(s.calls.filter((c) => c.startsWith('step')).length, 6);
});
