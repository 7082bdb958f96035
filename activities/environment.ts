/**
 * Environment activities: start an episode's sandbox, execute the chosen action, verify, destroy, and
 * assemble the finished trajectory. The sandbox lives on one Docker host: `startEpisode` runs on the
 * shared rollout queue and answers with the task queue of its host, where the episode's later sandbox
 * activities go. State lives in the sandbox and the run store, never in the worker, so a restarted worker
 * carries on from the handle alone.
 *
 * After each step the workspace is snapshotted into the run store, so that an episode whose host is lost
 * continues on another one: `moveEpisode` (shared queue) starts a sandbox wherever it runs, restores the last
 * snapshot into it and records that placement; the episode's later sandbox activities name the placement.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Mixing } from '../core/mixing';
import type { EpisodeSummary } from '../core/records';
import { TRAJECTORY_SCHEMA, TURN_SCHEMA, type Action, type EndReason, type Executor, type PolicyOutput, type TrajectoryRecord, type TurnRecord } from '../core/types';
import { mayChangeWorkspace } from '../env/swe/workspace';
import type { Environment, TaskInstance, VerificationResult } from '../env/types';
import { RunStore, type EpisodeManifest } from '../store/run-store';
import { HOST_LOSS_DEFAULTS } from '../core/host-loss';
import type { EnvironmentSpec } from './types';

/** Where environments and tasks come from; the worker wires the real ones (workers/wiring.ts). */
export interface EnvironmentProvider {
  environment(spec: EnvironmentSpec): Environment;
  task(suite: string, taskId: string): TaskInstance;
}

export interface EpisodeRef {
  runDir: string;
  episodeId: string;
}

/** One of an episode's sandboxes: placement 0 is the one startEpisode made, n ≥ 1 the n-th move to another host. */
export interface SandboxRef extends EpisodeRef {
  /** Absent = 0 (and in histories from before episodes could move). */
  placement?: number;
}

export interface StartEpisodeInput extends EpisodeRef {
  experimentId: string;
  iteration: number;
  taskId: string;
  env: EnvironmentSpec;
}

export interface MoveEpisodeInput extends EpisodeRef {
  /** The new placement's number (1 for the first move). */
  placement: number;
  /** The host queue that stopped answering, for the record. */
  lostHostQueue: string;
  env: EnvironmentSpec;
}

export interface StepInput extends SandboxRef {
  turn: number;
  executor: Executor;
  mixing: Mixing;
  env: EnvironmentSpec;
}

export interface StepSummary {
  finished: boolean;
  /** The executed action could not be executed as given (malformed call, unknown tool, bad arguments). */
  formatError: boolean;
}

/** An episode's sandbox after its n-th move to another host (n ≥ 1); written once. */
export interface PlacementRecord {
  schema: 'agent-dagger/placement@1';
  episodeId: string;
  placement: number;
  handle: string;
  hostQueue: string;
  lostHostQueue: string;
  /** The last turn whose workspace the sandbox was given (from that turn's snapshot); -1: base_commit. */
  restoredTurn: number;
}

/** The workspace after turn t, written once per (episode, turn), after the turn record; its bytes are under `ref`. */
export interface WorkspaceSnapshotRecord {
  schema: 'agent-dagger/workspace-snapshot@1';
  episodeId: string;
  turn: number;
  /** The placement whose sandbox took it. */
  placement: number;
  sha256: string;
  bytes: number;
  /** Content-addressed key of the snapshot's bytes (turns that change nothing share one object). */
  ref: string;
}

const placementKey = (episodeId: string, n: number) => `episodes/${episodeId}/placements/${n}.json`;
const snapshotKey = (episodeId: string, turn: number) => `episodes/${episodeId}/turns/${turn}.workspace.json`;
const snapshotBlobKey = (episodeId: string, sha256: string) => `episodes/${episodeId}/workspace/${sha256}`;

interface Sandbox {
  handle: string;
  placement: number;
  restoredTurn: number;
}

/** The sandbox of a placement: the manifest's for 0, else the placement record's. */
async function sandboxOf(store: RunStore, ref: SandboxRef, manifest: EpisodeManifest): Promise<Sandbox> {
  const placement = ref.placement ?? 0;
  if (placement === 0) return { handle: manifest.handle, placement, restoredTurn: -1 };
  const record = await store.getJson<PlacementRecord>(placementKey(ref.episodeId, placement));
  if (!record) throw ApplicationFailure.nonRetryable(`episode ${ref.episodeId}: placement ${placement} is not recorded (${placementKey(ref.episodeId, placement)} in ${store.blobs.where}); moveEpisode writes it`, 'MissingPlacement');
  return { handle: record.handle, placement, restoredTurn: record.restoredTurn };
}

export function createEnvironmentActivities(provider: EnvironmentProvider, hostQueue: string) {
  /** Snapshot the workspace after `turn` and record it once (the bytes content-addressed). */
  async function recordWorkspace(store: RunStore, input: StepInput, sandbox: Sandbox, task: TaskInstance, action: Action): Promise<void> {
    const key = snapshotKey(input.episodeId, input.turn);
    if (input.turn > 0 && !mayChangeWorkspace(action)) {
      // The workspace is the previous turn's: its snapshot, recorded again for this turn, without asking the sandbox.
      const previous = await store.getJson<WorkspaceSnapshotRecord>(snapshotKey(input.episodeId, input.turn - 1));
      if (previous) {
        await store.putJsonOnce(key, { ...previous, turn: input.turn, placement: sandbox.placement });
        return;
      }
    }
    const maxBytes = input.env.sandbox.snapshotMaxBytes ?? HOST_LOSS_DEFAULTS.snapshotMaxBytes;
    let data: Buffer;
    try {
      data = await provider.environment(input.env).snapshot(sandbox.handle, task, maxBytes).catch(sandboxGone);
    } catch (err) {
      if (err instanceof Error && err.name === 'WorkspaceTooLargeError') {
        throw ApplicationFailure.nonRetryable(`episode ${input.episodeId} after turn ${input.turn}: ${err.message}`, 'WorkspaceTooLarge');
      }
      throw err;
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    const ref = snapshotBlobKey(input.episodeId, sha256);
    await store.blobs.putOnce(ref, data);
    const record: WorkspaceSnapshotRecord = { schema: 'agent-dagger/workspace-snapshot@1', episodeId: input.episodeId, turn: input.turn, placement: sandbox.placement, sha256, bytes: data.length, ref };
    await store.putJsonOnce(key, record);
  }

  return {
    /** Create the sandbox and write the episode's manifest; a retry reuses a manifest already written. */
    async startEpisode(input: StartEpisodeInput): Promise<{ hostQueue: string }> {
      const store = new RunStore(input.runDir);
      const existing = await store.readManifestIfExists(input.episodeId);
      if (existing) return { hostQueue: existing.hostQueue };
      const task = provider.task(input.env.suite, input.taskId);
      const env = provider.environment(input.env);
      const handle = await env.start(task, input.episodeId);
      const manifest: EpisodeManifest = {
        schema: 'agent-dagger/episode@1',
        experimentId: input.experimentId,
        iteration: input.iteration,
        episodeId: input.episodeId,
        taskId: input.taskId,
        suite: input.env.suite,
        prompt: env.prompt(task),
        tools: env.tools(),
        handle,
        hostQueue,
      };
      const written = await store.putJsonOnce(store.manifestKey(input.episodeId), manifest);
      if (!written.created) await env.destroy(handle); // another attempt won the race: its sandbox is the episode's
      return { hostQueue: written.value.hostQueue };
    },

    /**
     * The episode's host is lost: start a sandbox on this host with the workspace of the last snapshotted turn and
     * record it as placement n (once; a retry returns the recorded one). Turns after that snapshot are executed
     * again by envStep on the new placement (their records, when written, are kept).
     */
    async moveEpisode(input: MoveEpisodeInput): Promise<{ hostQueue: string }> {
      const store = new RunStore(input.runDir);
      const key = placementKey(input.episodeId, input.placement);
      const existing = await store.getJson<PlacementRecord>(key);
      if (existing) return { hostQueue: existing.hostQueue };
      const manifest = await store.readManifest(input.episodeId);
      const task = provider.task(manifest.suite, manifest.taskId);
      // Snapshots are written in turn order, each after its turn's record: the last of the unbroken run is the newest.
      let latest: WorkspaceSnapshotRecord | null = null;
      for (let t = 0; ; t++) {
        const record = await store.getJson<WorkspaceSnapshotRecord>(snapshotKey(input.episodeId, t));
        if (!record) break;
        latest = record;
      }
      const env = provider.environment(input.env);
      let handle: string;
      if (latest) {
        const data = await store.blobs.get(latest.ref);
        const sha256 = data && createHash('sha256').update(data).digest('hex');
        if (!data || sha256 !== latest.sha256) {
          throw ApplicationFailure.nonRetryable(`episode ${input.episodeId}: the workspace snapshot of turn ${latest.turn} (${latest.ref} in ${store.blobs.where}) is ${data ? `corrupt (sha256 ${sha256}, recorded ${latest.sha256})` : 'missing'}`, 'SnapshotLost');
        }
        handle = await env.restore(task, input.episodeId, data);
      } else {
        handle = await env.start(task, input.episodeId);
      }
      const record: PlacementRecord = {
        schema: 'agent-dagger/placement@1',
        episodeId: input.episodeId,
        placement: input.placement,
        handle,
        hostQueue,
        lostHostQueue: input.lostHostQueue,
        restoredTurn: latest?.turn ?? -1,
      };
      const written = await store.putJsonOnce(key, record);
      if (!written.created) await env.destroy(handle);
      return { hostQueue: written.value.hostQueue };
    },

    /**
     * Execute turn t's chosen action in the sandbox, write the turn record (once), then snapshot the workspace.
     * A turn whose record exists is executed again (its record kept) only when its workspace is not yet in this
     * sandbox: the step journal makes that a replay on the same sandbox, and it rebuilds the workspace on a new one.
     */
    async envStep(input: StepInput): Promise<StepSummary> {
      const store = new RunStore(input.runDir);
      const [manifest, done, snapshot] = await Promise.all([
        store.readManifest(input.episodeId),
        store.readTurn(input.episodeId, input.turn),
        store.getJson<WorkspaceSnapshotRecord>(snapshotKey(input.episodeId, input.turn)),
      ]);
      const sandbox = await sandboxOf(store, input, manifest);
      if (done && snapshot && (snapshot.placement === sandbox.placement || input.turn <= sandbox.restoredTurn)) return summarizeStep(done, manifest);
      let action = done?.executed;
      let label: PolicyOutput | null = null;
      let student: PolicyOutput | null = null;
      if (!action) {
        [label, student] = await Promise.all([store.readPolicy(input.episodeId, input.turn, 'teacher'), store.readPolicy(input.episodeId, input.turn, 'student')]);
        const chosen = input.executor === 'teacher' ? label : student;
        if (!chosen) {
          throw ApplicationFailure.nonRetryable(
            `episode ${input.episodeId} turn ${input.turn}: no ${input.executor} action is stored to execute`,
            'MissingAction',
          );
        }
        action = chosen.action;
      }
      const result = await provider
        .environment(input.env)
        .step(sandbox.handle, action, `turn-${input.turn}`)
        .catch(sandboxGone);
      let record = done;
      if (!record) {
        let fullObservationRef: string | null = null;
        if (result.fullText !== null) {
          fullObservationRef = store.fullObservationKey(input.episodeId, input.turn);
          await store.putText(fullObservationRef, result.fullText);
        }
        const fresh: TurnRecord = {
          schema: TURN_SCHEMA,
          experimentId: manifest.experimentId,
          iteration: manifest.iteration,
          episodeId: input.episodeId,
          taskId: manifest.taskId,
          turn: input.turn,
          executor: input.executor,
          mixing: input.mixing,
          label,
          student,
          executed: action,
          observation: result.observation,
          fullObservationRef,
        };
        record = (await store.putJsonOnce(store.turnKey(input.episodeId, input.turn), fresh)).value;
      }
      await recordWorkspace(store, input, sandbox, provider.task(manifest.suite, manifest.taskId), action);
      return summarizeStep(record, manifest);
    },

    /** Grade the episode's workspace; writes verification.json. */
    async verifyEpisode(input: SandboxRef & { env: EnvironmentSpec }): Promise<{ resolved: boolean; error: string | null }> {
      const store = new RunStore(input.runDir);
      const done = await store.readVerification(input.episodeId);
      if (done) return { resolved: done.resolved, error: done.error };
      const manifest = await store.readManifest(input.episodeId);
      const sandbox = await sandboxOf(store, input, manifest);
      const task = provider.task(manifest.suite, manifest.taskId);
      const { test_output: log, ...result }: VerificationResult & { test_output?: string } = await provider
        .environment(input.env)
        .verify(sandbox.handle, task)
        .catch(sandboxGone);
      if (log) {
        const logKey = store.testLogKey(input.episodeId);
        await store.putText(logKey, log);
        result.log_ref = logKey;
      }
      await store.putJson(store.verificationKey(input.episodeId), result);
      return { resolved: result.resolved, error: result.error };
    },

    /** Remove the placement's sandbox; safe to call when it never started or is already gone. */
    async destroySandbox(input: SandboxRef & { env: EnvironmentSpec }): Promise<void> {
      const store = new RunStore(input.runDir);
      const manifest = await store.readManifestIfExists(input.episodeId);
      if (!manifest) return;
      const sandbox = await sandboxOf(store, input, manifest);
      await provider.environment(input.env).destroy(sandbox.handle);
    },

    /** Assemble trajectory.json from the stored turns and verification. */
    async finishEpisode(input: EpisodeRef & { taskId: string; endReason: EndReason }): Promise<EpisodeSummary> {
      const store = new RunStore(input.runDir);
      const manifest = await store.readManifestIfExists(input.episodeId);
      const turns = manifest ? await store.readTurns(input.episodeId) : [];
      const verification = manifest ? await store.readVerification(input.episodeId) : null;
      const reward = verification && !verification.error ? (verification.resolved ? 1 : 0) : null;
      if (manifest) {
        const trajectory: TrajectoryRecord = {
          schema: TRAJECTORY_SCHEMA,
          experimentId: manifest.experimentId,
          iteration: manifest.iteration,
          episodeId: input.episodeId,
          taskId: manifest.taskId,
          prompt: manifest.prompt,
          tools: manifest.tools,
          turns,
          endReason: input.endReason,
          reward,
          verification: verification && {
            resolved: verification.resolved,
            patchApplied: verification.patch_applied,
            error: verification.error,
            ref: store.verificationKey(input.episodeId),
          },
        };
        await store.putJson(store.trajectoryKey(input.episodeId), trajectory);
      }
      return {
        episodeId: input.episodeId,
        taskId: input.taskId,
        turns: turns.length,
        teacherTurns: turns.filter((t) => t.executor === 'teacher').length,
        endReason: input.endReason,
        reward,
        verifyError: verification?.error ?? null,
        retries: turns.reduce((n, t) => n + retriesOf(t.label) + retriesOf(t.student), 0),
        tampered: (verification?.tampering?.length ?? 0) > 0,
      };
    },
  };
}

/** A sandbox that is gone (destroyed, past its lifetime, lost by Docker) cannot come back: no retries. */
function sandboxGone(err: unknown): never {
  if (err instanceof Error && err.name === 'SandboxGoneError') throw ApplicationFailure.nonRetryable(err.message, 'SandboxGone');
  throw err;
}

function retriesOf(output: PolicyOutput | null): number {
  return output?.attempt ? output.attempt - 1 : 0;
}

function summarizeStep(turn: TurnRecord, manifest: EpisodeManifest): StepSummary {
  const call = turn.executed.toolCalls[0];
  // A format error: nothing parsable, or a tool the episode does not offer (bad arguments to a known
  // tool are an ordinary error observation, like a failing command).
  const formatError = Boolean(turn.executed.parseError) || !call || !manifest.tools.some((t) => t.function.name === call.name);
  return { finished: call?.name === 'finish' && !turn.observation.error, formatError };
}
