/**
 * The software-engineering environment: a task is a repository with an issue; the agent acts with the
 * OpenHands tools in a Docker sandbox; the reward is the verifier's resolved flag.
 *
 * The handle of an episode is its sandbox's container id, so any worker can continue it.
 */
import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import * as path from 'node:path';
import type { Action, Message, ToolDefinition } from '../../core/types';
import type { SandboxLimits } from '../sandbox/docker';
import { AGENT_DIR } from '../sandbox/session';
import { toolsFor, type PromptStyle } from '../tools/definitions';
import { executeAction, installTools } from '../tools/execute';
import type { Environment, StepResult, TaskInstance } from '../types';
import { isRealImage, taskEnv } from './instances';
import type { SandboxApi } from './sandbox';
import { verify, type SweVerification } from './verifier';
import { captureWorkspace, extractPatch, PatchRefusedError, restoreWorkspace, setupWorkspace } from './workspace';

const PROMPTS_DIR = path.join(__dirname, 'prompts');
const WORKDIR_FILE = `${AGENT_DIR}/workdir`;

/** Fills `{{name}}` placeholders in one pass (values are never re-scanned, so an issue may contain braces). */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    if (!(key in values)) throw new Error(`prompt template placeholder {{${key}}} has no value; known: ${Object.keys(values).join(', ')}`);
    return values[key];
  });
}

export interface SweEnvironmentOptions {
  /** Limits of the verifier's fresh sandboxes (default: the agent's limits). */
  verifyLimits?: SandboxLimits;
  /** Observations longer than this are cut in the middle (default 30,000 characters, as OpenHands). */
  maxObservationChars?: number;
  /** Seconds for the verifier's test command (default 600). */
  testTimeoutS?: number;
  /** Labels put on every sandbox (e.g. the experiment id, to clean up leaks). */
  labels?: Record<string, string>;
  /**
   * How the task and tools are described (default `openhands`): `compact` is a one-line system prompt, a short
   * task message and the same tools with one-line descriptions, for tiny students (config `tasks.prompt`).
   */
  prompt?: PromptStyle;
  /** Count a patch that changes test infrastructure as unresolved (default false, as SWE-bench's harness). */
  rejectTampering?: boolean;
}

/**
 * The sandbox limits for one task. A real (pre-built) image already holds the repository in its workdir
 * (SWE-bench's `/testbed`), which the workspace tmpfs of `workspaceMb` would hide: its sandboxes get none, so
 * their root filesystem stays writable and unbounded (docs/sandbox.md). Bundled tasks keep the limits as given.
 */
export function sandboxLimitsFor(task: TaskInstance, limits: SandboxLimits): SandboxLimits {
  if (!isRealImage(task) || limits.workspaceMb === undefined) return limits;
  const { workspaceMb: _hidesTheRepository, ...unbounded } = limits;
  return unbounded;
}

/** The prompt files of each style under prompts/. */
const PROMPT_FILES: Record<PromptStyle, { system: string; task: string }> = {
  openhands: { system: 'system.md', task: 'task.md' },
  compact: { system: 'system-compact.md', task: 'task-compact.md' },
};

export class SweEnvironment implements Environment {
  readonly name = 'swe';
  private readonly systemPrompt: string;
  private readonly taskTemplate: string;
  private readonly toolDefinitions: ToolDefinition[];
  /** Each live handle's task workdir: a sandbox is created per task, so this is known from start(). */
  private readonly workdirs = new Map<string, string>();

  constructor(
    private readonly sandboxes: SandboxApi,
    /** Directory of the bundled suite (repo_dir is relative to it); unused for real images. */
    private readonly suiteDir: string,
    private readonly limits: SandboxLimits,
    private readonly options: SweEnvironmentOptions = {},
  ) {
    const style = options.prompt ?? 'openhands';
    this.systemPrompt = readFileSync(path.join(PROMPTS_DIR, PROMPT_FILES[style].system), 'utf8').trim();
    this.taskTemplate = readFileSync(path.join(PROMPTS_DIR, PROMPT_FILES[style].task), 'utf8').trim();
    this.toolDefinitions = toolsFor(style);
  }

  prompt(task: TaskInstance): Message[] {
    return [
      { role: 'system', content: this.systemPrompt },
      { role: 'user', content: renderTemplate(this.taskTemplate, { repo: task.repo, workdir: task.workdir, problem_statement: task.problem_statement.trim() }) },
    ];
  }

  tools(): ToolDefinition[] {
    return this.toolDefinitions;
  }

  async start(task: TaskInstance, episodeId: string): Promise<string> {
    const id = await this.sandboxes.create({
      image: task.image,
      workdir: task.workdir,
      env: taskEnv(task),
      limits: sandboxLimitsFor(task, this.limits),
      labels: { ...this.options.labels, 'agent-dagger.role': 'episode', 'agent-dagger.episode': episodeId, 'agent-dagger.instance': task.instance_id },
    });
    try {
      await setupWorkspace(this.sandboxes, id, task, { suiteDir: this.suiteDir });
      await installTools(this.sandboxes, id);
      // Recorded in the sandbox so that any worker can continue the episode from the handle alone.
      await this.sandboxes.putFiles(id, [{ path: WORKDIR_FILE, content: task.workdir }], { user: 'root' });
      // The agent's shell starts where the repository is.
      await this.sandboxes.exec(id, `cd ${task.workdir}`, { timeoutS: 10 });
    } catch (err) {
      await this.sandboxes.destroy(id).catch(() => undefined);
      throw err;
    }
    this.workdirs.set(id, task.workdir);
    return id;
  }

  /**
   * Executes one action; the editor may touch files under the task's workdir (and /tmp) only. `key` names
   * the step: a retry with the same key replays the first execution's result instead of acting twice.
   */
  async step(handle: string, action: Action, key: string): Promise<StepResult> {
    const workdir = this.workdirs.get(handle) ?? (await this.sandboxWorkdir(handle));
    return executeAction(this.sandboxes, handle, action, {
      workdir,
      commandTimeoutS: this.limits.commandTimeoutS,
      maxObservationChars: this.options.maxObservationChars ?? 30_000,
      journalKey: key,
    });
  }

  /**
   * Grades the episode's workspace. A patch that cannot be graded (huge files: PatchRefusedError)
   * fails the verification for good: a non-retryable failure naming the file (a retry would read the same
   * workspace), which ends the episode as an error, as SWE-bench's report lists a patch its harness could
   * not apply among the errors.
   */
  async verify(handle: string, task: TaskInstance): Promise<SweVerification> {
    let patch: string;
    try {
      patch = await extractPatch(this.sandboxes, handle, task);
    } catch (err) {
      if (!(err instanceof PatchRefusedError)) throw err;
      throw ApplicationFailure.nonRetryable(err.message, 'PatchRefused');
    }
    return verify(this.sandboxes, task, patch, {
      suiteDir: this.suiteDir,
      limits: sandboxLimitsFor(task, this.options.verifyLimits ?? this.limits),
      testTimeoutS: this.options.testTimeoutS,
      labels: this.options.labels,
      rejectTampering: this.options.rejectTampering,
    });
  }

  async snapshot(handle: string, task: TaskInstance, maxBytes: number): Promise<Buffer> {
    return captureWorkspace(this.sandboxes, handle, task, maxBytes);
  }

  async restore(task: TaskInstance, episodeId: string, snapshot: Buffer): Promise<string> {
    const handle = await this.start(task, episodeId);
    try {
      await restoreWorkspace(this.sandboxes, handle, task, snapshot);
    } catch (err) {
      await this.destroy(handle).catch(() => undefined);
      throw err;
    }
    return handle;
  }

  async destroy(handle: string): Promise<void> {
    this.workdirs.delete(handle);
    await this.sandboxes.destroy(handle);
  }

  /** The workdir of a sandbox another worker started (a restarted worker continues its episodes). */
  private async sandboxWorkdir(handle: string): Promise<string> {
    const dir = (await this.sandboxes.readFile(handle, WORKDIR_FILE)).toString().trim();
    if (!dir.startsWith('/')) throw new Error(`sandbox ${handle.slice(0, 12)} has no workdir record in ${WORKDIR_FILE}; was it started by SweEnvironment.start?`);
    this.workdirs.set(handle, dir);
    return dir;
  }
}

