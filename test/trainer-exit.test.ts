/** How a train step reports a trainer that ends without its `done` event: by exit code, or by the signal that killed it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createTrainActivities, type TrainStepInput } from '../activities/train';

function step(command: string[]): TrainStepInput {
  return {
    runDir: mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-trainer-exit-')),
    iteration: 1,
    trainer: { kind: 'command', command, model: 'base', continueFromPrevious: true, demonstrations: [], options: {}, timeoutS: 60 },
    datasets: [],
    initFrom: null,
    seed: 0,
  };
}

test('a trainer killed by a signal is reported with the signal; one that exits, with its code', async () => {
  const { trainStep } = createTrainActivities();
  await assert.rejects(new MockActivityEnvironment().run(trainStep, step(['sh', '-c', 'kill -KILL $$'])), /failed \(killed by SIGKILL\): no output/);
  await assert.rejects(new MockActivityEnvironment().run(trainStep, step(['sh', '-c', 'echo "out of memory" >&2; kill -TERM $$'])), /failed \(killed by SIGTERM\): out of memory/);
  await assert.rejects(new MockActivityEnvironment().run(trainStep, step(['sh', '-c', 'exit 3'])), /failed \(exit 3\): no done event/);
});
