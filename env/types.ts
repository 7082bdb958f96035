/**
 * The environment contract: what an episode needs from a task family, independent of Temporal.
 *
 * The loop (workflows/episode.ts) only ever talks to an environment through these calls, made from
 * activities; nothing here is software-engineering specific except the instance fields, which follow
 * SWE-bench / SWE-Gym so users can bring those task sets as they are.
 */
import type { Action, Message, Observation, ToolDefinition } from '../core/types';

/** A task instance in the SWE-bench / SWE-Gym format, plus how to run it here. */
export interface TaskInstance {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  /** The gold patch (never enters the agent's sandbox). */
  patch: string;
  /** The patch adding / changing the tests (never enters the agent's sandbox before verification). */
  test_patch: string;
  /** Tests that must go from failing to passing (SWE-bench ships these as JSON-encoded strings; we normalise to lists). */
  FAIL_TO_PASS: string[];
  /** Tests that must keep passing. */
  PASS_TO_PASS: string[];
  version?: string;
  hints_text?: string;
  created_at?: string;
  environment_setup_commit?: string;
  /** Docker image the task runs in. */
  image: string;
  /** Repository root inside the container (SWE-bench images: /testbed). */
  workdir: string;
  /** Shell command that runs the instance's tests from `workdir`. */
  test_cmd: string;
  /** Name of the log parser for the test output (e.g. 'pytest'). */
  log_parser: string;
  /**
   * Bundled suites only: directory (relative to the suite's directory) with the repository's files at
   * base_commit; it is copied into the container and committed there. Real images already hold the repo.
   */
  repo_dir?: string;
}

/** A named list of instances: the task set a config's splits draw from. */
export interface TaskSet {
  name: string;
  instances: TaskInstance[];
}

/** What executing one action returned. */
export interface StepResult {
  observation: Observation;
  /** The full output when the observation was truncated (the store keeps it), else null. */
  fullText: string | null;
  /** The executed action was `finish`. */
  finished: boolean;
}

export type TestStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'ERROR' | 'XFAIL';

/** The verifier's result, in the SWE-bench harness's terms. */
export interface VerificationResult {
  instance_id: string;
  /** The agent's patch (diff against base_commit). */
  model_patch: string;
  patch_applied: boolean;
  /** How the patch was applied: 'git apply', 'git apply --reject', 'patch --fuzz', or null (empty or failed). */
  apply_method: string | null;
  test_exit_code: number | null;
  status_map: Record<string, TestStatus>;
  FAIL_TO_PASS: { success: string[]; failure: string[] };
  PASS_TO_PASS: { success: string[]; failure: string[] };
  resolved: boolean;
  /** An infrastructure error (the verifier could not judge), as opposed to a failing patch. */
  error: string | null;
  /** Path of the test log relative to the run directory, when stored. */
  log_ref: string | null;
  /** Test infrastructure the patch adds or changes (conftest.py, pytest settings, …): non-empty = flagged. */
  tampering?: { path: string; reason: string }[];
}

/**
 * An episode environment. A `handle` names a live sandbox and survives worker restarts: a new worker can
 * keep acting in the same sandbox with nothing but the handle. Infrastructure faults throw (the activity
 * retries them); an error named `SandboxGoneError` says the sandbox cannot come back (no retry helps).
 */
export interface Environment {
  readonly name: string;
  /** System prompt and task prompt: the messages before the first action. */
  prompt(task: TaskInstance): Message[];
  tools(): ToolDefinition[];
  /** Create the sandbox, set up the workspace and remove answer leaks; returns the handle. */
  start(task: TaskInstance, episodeId: string): Promise<string>;
  /**
   * Execute one action. Model faults (malformed calls, bad arguments) become error observations, never throws.
   * `key` names the step: executing the same key again (a retry after a lost worker) returns the first
   * execution's result and never runs the action twice.
   */
  step(handle: string, action: Action, key: string): Promise<StepResult>;
  /** Grade the workspace's changes against the task's tests (in a fresh sandbox, as the harness does). */
  verify(handle: string, task: TaskInstance): Promise<VerificationResult>;
  /**
   * The workspace's state as a binary-safe snapshot of at most `maxBytes` bytes (an error named
   * `WorkspaceTooLargeError` beyond: final for the episode). Leaves the workspace as it was.
   */
  snapshot(handle: string, task: TaskInstance, maxBytes: number): Promise<Buffer>;
  /** Start a sandbox as `start` does, with a snapshot's workspace restored into it; returns the handle. */
  restore(task: TaskInstance, episodeId: string, snapshot: Buffer): Promise<string>;
  /** Remove the sandbox; idempotent. */
  destroy(handle: string): Promise<void>;
}
