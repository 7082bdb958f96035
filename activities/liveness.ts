/**
 * Liveness heartbeats: while an activity works, it heartbeats every few seconds, so that when its worker
 * dies (SIGKILL, a lost machine) Temporal notices within the heartbeat timeout and retries it on another
 * worker, instead of waiting out the whole start-to-close timeout.
 */
import { Context } from '@temporalio/activity';

export const LIVENESS_INTERVAL_MS = 5_000;

export async function whileAlive<T>(work: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  // No heartbeat at the start: the server's heartbeat timeout already runs from the activity's start, and most
  // activities (a turn's model call and step) end within the first interval, so each saves a server round trip
  // and a write of the workflow's state.
  const timer = setInterval(() => ctx.heartbeat(), LIVENESS_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
