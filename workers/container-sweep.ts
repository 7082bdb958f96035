/**
 * The rollout worker's container sweep: at start-up and then periodically, remove this project's
 * containers on the local Docker that leaked (env/sandbox/sweep.ts): an episode's sandbox once Temporal
 * says its episode workflow is closed, and anything whose creating process is gone beyond the grace period
 * unless its episode still runs (a replacement worker continues it).
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { DockerSandboxes } from '../env/sandbox/docker';
import type { EpisodeState } from '../env/sandbox/sweep';

/** How often a running worker sweeps. */
export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/**
 * An episode's state from its workflow (the workflow id is the episode id); undefined when Temporal has none,
 * or when the workflow started after the container was made: then it is another server's episode of the same
 * name (Temporal servers sharing a Docker host), not this container's.
 */
export function temporalEpisodeState(connection: NativeConnection, namespace: string): (episodeId: string, createdS: number) => Promise<EpisodeState> {
  const client = new Client({ connection, namespace });
  return async (episodeId, createdS) => {
    try {
      const { status, startTime } = await client.workflow.getHandle(episodeId).describe();
      if (startTime.getTime() / 1000 > createdS + 1) return undefined;
      return status.name === 'RUNNING' || status.name === 'PAUSED' ? 'running' : 'closed';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };
}

/** Sweeps now and every SWEEP_INTERVAL_MS until stopped; failures are reported, never fatal to the worker. */
export function startContainerSweeps(connection: NativeConnection, namespace: string, opts: { graceS?: number } = {}): { stop(): void; first: Promise<void> } {
  const sandboxes = new DockerSandboxes({ channels: false });
  const episodeState = temporalEpisodeState(connection, namespace);
  const sweep = async () => {
    try {
      for (const { id, reason } of await sandboxes.sweep({ graceS: opts.graceS, episodeState })) {
        console.log(`[sweep] removed container ${id.slice(0, 12)}: ${reason}`);
      }
    } catch (err) {
      console.warn(`[sweep] sweeping leaked containers failed (retried in ${SWEEP_INTERVAL_MS / 60000} min): ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const first = sweep();
  const timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), first };
}
