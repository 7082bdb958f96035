/**
 * The verifier R(τ): grade a model patch as the SWE-bench harness does, in a FRESH sandbox of the task's
 * image (nothing the agent left behind, e.g. a planted conftest outside the diff, can influence it), with the
 * harness's own grading code (the `swebench` package, env/swe/harness.ts).
 *
 * Steps: set up the workspace at base_commit → apply the model patch with the harness's cascade
 * (GIT_APPLY_CMDS, pristine tree before each retry, then `git apply --check --reverse` for a patch the chain
 * applied while exiting non-zero) → restore the test files the test_patch touches to base and apply the
 * test_patch → run test_cmd between the harness's markers, its exit code recorded after the end marker →
 * the package grades the log with the task's parser (get_eval_report) → verdict (grading.ts).
 *
 * Infrastructure faults (Docker, workspace setup, the grader itself) throw so the caller can retry; a log
 * that cannot be judged comes back with `error` set; a bad patch is simply not resolved.
 */
import type { SandboxLimits } from '../sandbox/docker';
import type { TaskInstance, VerificationResult } from '../types';
import { harnessLog, testScript, verdict, type HarnessInstanceReport } from './grading';
import { gradeWithHarness } from './harness';
import { taskEnv, TEST_FILES_PLACEHOLDER } from './instances';
import { resolveLogParser } from './parsers';
import { parseDiff } from './patches';
import type { SandboxApi } from './sandbox';
import { detectTampering, type TamperingFinding } from './tampering';
import { setupWorkspace, shellQuote } from './workspace';

export { betweenMarkers, TEST_END_MARKER, TEST_START_MARKER } from './grading';

/** The harness's apply cascade (swebench's GIT_APPLY_CMDS), in order; the first that exits 0 wins. */
export const APPLY_METHODS: readonly { name: string; command: (file: string) => string }[] = [
  { name: 'git apply', command: (f) => `git apply --verbose ${f}` },
  { name: 'git apply --3way', command: (f) => `git apply --verbose --3way ${f}` },
  { name: 'git apply --reject', command: (f) => `git apply --verbose --reject ${f}` },
  { name: 'patch --fuzz', command: (f) => `patch --batch --forward --fuzz=5 -p1 -i ${f}` },
];
/** What the harness checks when every method failed: the chain may have applied the patch anyway. */
export const ALREADY_APPLIED = { name: 'already applied', command: (f: string) => `git apply --check --reverse ${f}` };

/** A verification result with what the harness keeps beside the report. */
export interface SweVerification extends VerificationResult {
  /** The test output in the harness's test_output.txt form (markers, exit-code line, timeout line). */
  test_output: string;
  warnings: string[];
  timed_out: boolean;
  /** The harness's per-instance report (report.json's entry); null where the harness writes none (empty patch, unapplied patch, timeout, task error). */
  harness_report: HarnessInstanceReport | null;
  /** The harness's advisory classification of the log (infra_failure.classify_text), for failure_reasons. */
  failure_reason: string | null;
  failure_tier: 'environment' | 'ambiguous' | null;
  /** Test infrastructure the patch adds or changes (tampering.ts); non-empty = flagged. */
  tampering: TamperingFinding[];
}

export interface VerifyOptions {
  suiteDir: string;
  limits: SandboxLimits;
  /** Seconds for the test command (default 600). */
  testTimeoutS?: number;
  labels?: Record<string, string>;
  /** Treat a patch flagged for tampering as unresolved (default false, as the harness). */
  rejectTampering?: boolean;
}

export async function verify(sandboxes: SandboxApi, task: TaskInstance, modelPatch: string, options: VerifyOptions): Promise<SweVerification> {
  const logParser = resolveLogParser(task.log_parser);
  if (logParser === null) throw new Error(`${task.instance_id}: log_parser "${task.log_parser}" is not one of SWE-bench's parsers (parsers.ts HARNESS_PARSERS)`);
  const emptyPatch = modelPatch === '';
  const result: SweVerification = {
    instance_id: task.instance_id,
    model_patch: modelPatch,
    patch_applied: false,
    apply_method: null,
    test_exit_code: null,
    status_map: {},
    FAIL_TO_PASS: { success: [], failure: [...task.FAIL_TO_PASS] },
    PASS_TO_PASS: { success: [], failure: [...task.PASS_TO_PASS] },
    resolved: false,
    error: null,
    log_ref: null,
    test_output: '',
    warnings: [],
    timed_out: false,
    harness_report: null,
    failure_reason: null,
    failure_tier: null,
    tampering: detectTampering(modelPatch),
  };
  if (result.tampering.length > 0) {
    result.warnings.push(`the patch changes test infrastructure: ${result.tampering.map((t) => `${t.path} (${t.reason})`).join('; ')}`);
  }
  const id = await sandboxes.create({
    image: task.image,
    workdir: task.workdir,
    user: 'root',
    env: taskEnv(task),
    limits: options.limits,
    labels: { ...options.labels, 'agent-dagger.role': 'verify', 'agent-dagger.instance': task.instance_id },
  });
  try {
    await setupWorkspace(sandboxes, id, task, { suiteDir: options.suiteDir });
    const env = taskEnv(task);
    const sh = (script: string, timeoutS = 120) => sandboxes.exec(id, `bash -c ${shellQuote(script)}`, { timeoutS, workdir: task.workdir, user: 'root', env });

    if (!emptyPatch) {
      await sandboxes.putFiles(id, [{ path: '/tmp/model.patch', content: modelPatch }], { user: 'root' });
      for (const [attempt, method] of APPLY_METHODS.entries()) {
        // A failed attempt (notably --reject) leaves partial state behind: start each retry from a pristine tree.
        if (attempt > 0) await sh('git reset -q --hard && git clean -fdq');
        if ((await sh(method.command('/tmp/model.patch'))).exitCode === 0) {
          result.patch_applied = true;
          result.apply_method = method.name;
          break;
        }
      }
      if (!result.patch_applied && (await sh(ALREADY_APPLIED.command('/tmp/model.patch'))).exitCode === 0) {
        result.patch_applied = true;
        result.apply_method = ALREADY_APPLIED.name;
      }
      if (!result.patch_applied) {
        result.warnings.push('the model patch did not apply with any method (the harness counts the instance as an error)');
        return result;
      }
    }

    // The test_patch's files start from base, whatever the model patch did to them.
    const testFiles = parseDiff(task.test_patch);
    const existing = testFiles.filter((f) => f.kind !== 'add').map((f) => shellQuote(f.path));
    const created = testFiles.filter((f) => f.kind === 'add').map((f) => shellQuote(f.path));
    const restore = [
      existing.length > 0 ? `git checkout ${task.base_commit} -- ${existing.join(' ')}` : 'true',
      created.length > 0 ? `rm -f -- ${created.join(' ')}` : 'true',
    ].join(' && ');
    const restored = await sh(restore);
    if (restored.exitCode !== 0) throw new Error(`restoring the test files of ${task.instance_id} failed: ${restored.output.slice(-2000)}`);
    await sandboxes.putFiles(id, [{ path: '/tmp/test.patch', content: task.test_patch }], { user: 'root' });
    const testPatch = await sh('git apply --verbose /tmp/test.patch');
    if (testPatch.exitCode !== 0) {
      result.error = `the task's test_patch does not apply at base_commit ${task.base_commit}: ${testPatch.output.slice(-1000)}`;
      return result;
    }

    const testCmd = task.test_cmd.replaceAll(TEST_FILES_PLACEHOLDER, testFiles.map((f) => shellQuote(f.path)).join(' '));
    const timeoutS = options.testTimeoutS ?? 600;
    const run = await sh(testScript(testCmd), timeoutS);
    const log = harnessLog(run.output, run.timedOut, timeoutS);
    result.test_output = log;
    result.test_exit_code = run.exitCode;
    result.timed_out = run.timedOut;
    const { results } = await gradeWithHarness([
      {
        instance_id: task.instance_id,
        repo: task.repo,
        version: task.version,
        log_parser: logParser,
        eval_type: (task as TaskInstance & { eval_type?: string }).eval_type,
        FAIL_TO_PASS: task.FAIL_TO_PASS,
        PASS_TO_PASS: task.PASS_TO_PASS,
        model_patch: modelPatch,
        log,
      },
    ]);
    const [graded] = results;
    const judged = verdict({
      grade: graded,
      FAIL_TO_PASS: task.FAIL_TO_PASS,
      PASS_TO_PASS: task.PASS_TO_PASS,
      patchApplied: result.patch_applied,
      emptyPatch,
      timedOut: run.timedOut,
      exitCode: run.exitCode,
    });
    result.status_map = graded.status_map;
    result.FAIL_TO_PASS = judged.FAIL_TO_PASS;
    result.PASS_TO_PASS = judged.PASS_TO_PASS;
    result.error = judged.error;
    result.warnings.push(...judged.warnings);
    result.resolved = judged.resolved;
    result.failure_reason = graded.failure_reason;
    result.failure_tier = graded.failure_tier;
    // The harness writes a report for what it ran to the end: a non-empty patch that applied, tests in time.
    if (!emptyPatch && !run.timedOut) result.harness_report = graded.report;
    if (result.resolved && options.rejectTampering && result.tampering.length > 0) {
      result.resolved = false;
      result.warnings.push('resolved by the tests but not counted: the patch changes test infrastructure (rejectTampering)');
    }
    return result;
  } finally {
    await sandboxes.destroy(id);
  }
}
