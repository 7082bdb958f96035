/**
 * One attempt of the policy activity in a process of its own, so a test can SIGKILL it mid-call as a worker
 * dies: `node --import tsx test/support/act-once.ts <attempt> '<ActInput as JSON>'`. Prints the summary.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { act, type ActInput } from '../../activities/policy';

const [attempt, input] = process.argv.slice(2);
new MockActivityEnvironment({ attempt: Number(attempt) })
  .run(act, JSON.parse(input!) as ActInput)
  .then((summary) => {
    process.stdout.write(JSON.stringify(summary) + '\n');
    process.exit(0);
  })
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
