/**
 * Environment activities: start an episode's sandbox, execute the chosen action, verify, destroy, and
 * assemble the finished trajectory. The sandbox lives on one Docker host: `startEpisode` runs on the
 * shared rollout queue and answers with the task queue of its host, where the episode's later sandbox
 * activities go. State lives in the sandbox and the run store, never in the worker, so a restarted worker
 * carries on from the handle alone.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Mixing } from '../core/mixing';
import type { EpisodeSummary } from '../core/records';
import { TRAJECTORY_SCHEMA, TURN_SCHEMA, type EndReason, type Executor, type PolicyOutput, type TrajectoryRecord, type TurnRecord } from '../core/types';
import type { Environment, TaskInstance, VerificationResult } from '../env/types';
import { RunStore, type EpisodeManifest } from '../store/run-store';
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

export interface StartEpisodeInput extends EpisodeRef {
  experimentId: string;
  iteration: number;
  taskId: string;
  env: EnvironmentSpec;
}

export interface StepInput extends EpisodeRef {
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

export function createEnvironmentActivities(provider: EnvironmentProvider, hostQueue: string) {
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

    /** Execute turn t's chosen action in the sandbox and write the turn record (once). */
    async envStep(input: StepInput): Promise<StepSummary> {
      const store = new RunStore(input.runDir);
      const [done, manifest] = await Promise.all([store.readTurn(input.episodeId, input.turn), store.readManifest(input.episodeId)]);
      if (done) return summarizeStep(done, manifest);
      const [label, student] = await Promise.all([store.readPolicy(input.episodeId, input.turn, 'teacher'), store.readPolicy(input.episodeId, input.turn, 'student')]);
      const chosen = input.executor === 'teacher' ? label : student;
      if (!chosen) {
        throw ApplicationFailure.nonRetryable(
          `episode ${input.episodeId} turn ${input.turn}: no ${input.executor} action is stored to execute`,
          'MissingAction',
        );
      }
      const result = await provider
        .environment(input.env)
        .step(manifest.handle, chosen.action, `turn-${input.turn}`)
        .catch(sandboxGone);
      let fullObservationRef: string | null = null;
      if (result.fullText !== null) {
        fullObservationRef = store.fullObservationKey(input.episodeId, input.turn);
        await store.putText(fullObservationRef, result.fullText);
      }
      const record: TurnRecord = {
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
        executed: chosen.action,
        observation: result.observation,
        fullObservationRef,
      };
      return summarizeStep((await store.putJsonOnce(store.turnKey(input.episodeId, input.turn), record)).value, manifest);
    },

    /** Grade the episode's workspace; writes verification.json. */
    async verifyEpisode(input: EpisodeRef & { env: EnvironmentSpec }): Promise<{ resolved: boolean; error: string | null }> {
      const store = new RunStore(input.runDir);
      const done = await store.readVerification(input.episodeId);
      if (done) return { resolved: done.resolved, error: done.error };
      const manifest = await store.readManifest(input.episodeId);
      const task = provider.task(manifest.suite, manifest.taskId);
      const { test_output: log, ...result }: VerificationResult & { test_output?: string } = await provider
        .environment(input.env)
        .verify(manifest.handle, task)
        .catch(sandboxGone);
      if (log) {
        result.log_ref = store.testLogKey(input.episodeId);
        await store.putText(result.log_ref, log);
      }
      await store.putJson(store.verificationKey(input.episodeId), result);
      return { resolved: result.resolved, error: result.error };
    },

    /** Remove the episode's sandbox; safe to call when it never started or is already gone. */
    async destroySandbox(input: EpisodeRef & { env: EnvironmentSpec }): Promise<void> {
      const manifest = await new RunStore(input.runDir).readManifestIfExists(input.episodeId);
      if (manifest) await provider.environment(input.env).destroy(manifest.handle);
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
