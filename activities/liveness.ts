/**
 * Liveness heartbeats: while an activity works, it heartbeats every few seconds, so that when its worker
 * dies (SIGKILL, a lost machine) Temporal notices within the heartbeat timeout and retries it on another
 * worker, instead of waiting out the whole start-to-close timeout.
 */
import { Context } from '@temporalio/activity';

export const LIVENESS_INTERVAL_MS = 5_000;

export async function whileAlive<T>(work: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), LIVENESS_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
