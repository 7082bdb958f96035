/**
 * The retry policies of the project's activities, named once. Workflow code: pure values only.
 */
import type { RetryPolicy } from '@temporalio/workflow';

export const RETRY = {
  /** Store, sandbox and bookkeeping activities: transient faults clear within minutes, or the cause is real. */
  activity: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  /**
   * Model endpoints: a flaky endpoint is retried for as long as it takes (visible as attempts in the Web UI);
   * rejections that retrying cannot fix are non-retryable failures raised by the activity.
   */
  endpoint: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2 minutes' },
  /** Train steps and deploys: each attempt is long, and a trainer that fails five times will not recover. */
  trainer: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
  /** Quick bookkeeping of the experiment and sweep workflows (reports, summaries). */
  bookkeeping: { maximumAttempts: 10 },
} as const satisfies Record<string, RetryPolicy>;
