/**
 * Upgrades must not break running experiments: every history under test/histories/<commit>/ (recorded from that
 * commit's workflow code by scripts/record-histories.ts) is replayed against the current workflow bundle. A change to what
 * a workflow does for an event it has already recorded (another activity, another order, one command more or
 * less) fails here; such a change ships behind `patched()` (docs/cluster.md, "Upgrading").
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { PROJECT_ROOT } from '../config/paths';
import { workflowBundle } from './support/stack';

const DIR = path.join(PROJECT_ROOT, 'test', 'histories');
const { History } = temporal.api.history.v1;
const EventType = temporal.api.enums.v1.EventType;

interface Recorded {
  file: string;
  workflowId: string;
  workflowType: string;
  commit: string;
  history: temporal.api.history.v1.History;
}

/** Every history under test/histories, one folder per recorded commit (file: its path below that folder). */
function recorded(): Recorded[] {
  return readdirSync(DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const json = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
      return { ...json, file, history: History.fromObject(json.history) };
    });
}

/** Replays each history; returns "file: error" for each that does not replay. */
async function replay(histories: Recorded[]): Promise<string[]> {
  const failures: string[] = [];
  const results = Worker.runReplayHistories(
    { workflowBundle: await workflowBundle(), replayName: 'committed-histories' },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  let index = 0; // one result per history, in order (the runs of a continued experiment share a workflow id)
  for await (const result of results) {
    const h = histories[index++];
    assert.equal(result.workflowId, h.workflowId);
    if (!result.error) continue;
    const kind = result.error instanceof DeterminismViolationError ? 'non-deterministic' : 'failed';
    failures.push(`${h.file} (${kind}): ${result.error.message.split('\n')[0]}`);
  }
  assert.equal(index, histories.length, 'every history was replayed');
  return failures;
}

test('the committed histories cover every workflow type, the continue-as-new runs included', () => {
  const histories = recorded();
  const types = new Map<string, number>();
  for (const h of histories) types.set(h.workflowType, (types.get(h.workflowType) ?? 0) + 1);
  for (const type of ['experimentWorkflow', 'iterationWorkflow', 'episodeWorkflow', 'sweepWorkflow']) assert.ok(types.get(type), `no history of ${type} in ${DIR}`);
  // The experiment continues as new after each iteration: the second run starts from carried-over state.
  assert.ok(histories.some((h) => h.workflowType === 'experimentWorkflow' && h.file.includes('.run2.')), 'no second run of an experiment');
  // Every phase of an iteration ran in some recorded history, training and (re)deploying included.
  const activities = new Set(
    histories.flatMap((h) => h.history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])),
  );
  for (const name of ['listTasks', 'startEpisode', 'verifyEpisode', 'aggregate', 'trainStep', 'deployStudent', 'recordMetrics']) {
    assert.ok(activities.has(name), `no recorded history schedules ${name}`);
  }
  for (const h of histories) {
    const last = h.history.events.at(-1)!;
    assert.ok(
      [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW].includes(last.eventType!),
      `${h.file} ends with ${EventType[last.eventType!]}: record histories of executions that ended`,
    );
  }
});

test('every committed history replays against the current workflow code', async () => {
  const failures = await replay(recorded());
  assert.deepEqual(
    failures,
    [],
    'the workflow code no longer does what these recorded executions did. A running experiment of that code would fail ' +
      'on the upgraded workers: guard the change with patched() (docs/cluster.md, "Upgrading"). Remove a folder of ' +
      'histories only when no execution of its commit can still be running anywhere.',
  );
});

test('a history whose recorded commands differ from what the code does is rejected as non-deterministic', async () => {
  // The guard itself: the same check the replay above relies on, shown to fire. An activity the code schedules
  // is recorded under another name, as if the code had changed which activity it calls at that point.
  const episode = recorded().find((h) => h.workflowType === 'episodeWorkflow')!;
  const history = History.fromObject(episode.history.toJSON());
  const scheduled = history.events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)!;
  scheduled.activityTaskScheduledEventAttributes!.activityType!.name = 'renamedActivity';
  const failures = await replay([{ ...episode, history }]);
  assert.equal(failures.length, 1);
  assert.match(failures[0], /non-deterministic/);
});
