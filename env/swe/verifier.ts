/**
 * The verifier R(τ): grade a model patch as the SWE-bench harness does, in a FRESH sandbox of the task's
 * image (nothing the agent left behind, e.g. a planted conftest outside the diff, can influence it).
 *
 * Steps: set up the workspace at base_commit → apply the model patch (cascade `git apply --verbose`, then
 * `--reject`, then `patch --fuzz=5`) → restore the test files the test_patch touches to base and apply the
 * test_patch → run test_cmd between start/end markers → parse the log → grade (grading.ts).
 *
 * Infrastructure faults (Docker, workspace setup) throw so the caller can retry; a log that cannot be judged
 * comes back with `error` set; a bad patch is simply not resolved.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SandboxLimits } from '../sandbox/docker';
import type { TaskInstance, VerificationResult } from '../types';
import { grade } from './grading';
import { taskEnv, TEST_FILES_PLACEHOLDER } from './instances';
import { getLogParser } from './parsers';
import { parseDiff } from './patches';
import type { SandboxApi } from './sandbox';
import { setupWorkspace, shellQuote } from './workspace';

export const TEST_START_MARKER = '>>>>> Start Test Output';
export const TEST_END_MARKER = '>>>>> End Test Output';

/** The apply cascade, in order; the first that exits 0 wins. */
export const APPLY_METHODS: readonly { name: string; command: (file: string) => string }[] = [
  { name: 'git apply', command: (f) => `git apply --verbose ${f}` },
  { name: 'git apply --reject', command: (f) => `git apply --verbose --reject ${f}` },
  { name: 'patch --fuzz', command: (f) => `patch --batch --fuzz=5 -p1 -i ${f}` },
];

/** A verification result with what the harness keeps beside the report: the test log and the grader's doubts. */
export interface SweVerification extends VerificationResult {
  test_output: string;
  warnings: string[];
}

export interface VerifyOptions {
  suiteDir: string;
  limits: SandboxLimits;
  /** Seconds for the test command (default 600). */
  testTimeoutS?: number;
  labels?: Record<string, string>;
}

/** Cuts the test command's own output out of everything the shell printed. */
export function betweenMarkers(output: string): { log: string; complete: boolean } {
  const start = output.indexOf(TEST_START_MARKER);
  if (start < 0) return { log: output, complete: false };
  const from = output.indexOf('\n', start) + 1;
  const end = output.indexOf(TEST_END_MARKER, from);
  return end < 0 ? { log: output.slice(from), complete: false } : { log: output.slice(from, end), complete: true };
}

export async function verify(sandboxes: SandboxApi, task: TaskInstance, modelPatch: string, options: VerifyOptions): Promise<SweVerification> {
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
  };
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

    if (modelPatch.trim() !== '') {
      await sandboxes.putFiles(id, [{ path: '/tmp/model.patch', content: modelPatch }], { user: 'root' });
      for (const method of APPLY_METHODS) {
        const applied = await sh(method.command('/tmp/model.patch'));
        if (applied.exitCode === 0) {
          result.patch_applied = true;
          result.apply_method = method.name;
          break;
        }
        // Undo a partial application before the next method tries.
        await sh('git reset -q --hard && git clean -fdq');
      }
      if (!result.patch_applied) {
        result.warnings.push('the model patch did not apply with any method');
        return result;
      }
    } else {
      result.warnings.push('the model patch is empty');
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
    const run = await sh(
      `echo '${TEST_START_MARKER}'; ${testCmd}; rc=$?; echo '${TEST_END_MARKER}'; exit $rc`,
      options.testTimeoutS ?? 600,
    );
    const { log, complete } = betweenMarkers(run.output);
    result.test_output = log;
    result.test_exit_code = run.exitCode;
    const parsed = getLogParser(task.log_parser)(log);
    result.status_map = parsed.statusMap;
    const graded = grade({
      statusMap: parsed.statusMap,
      suiteRan: parsed.suiteRan,
      exitCode: run.exitCode,
      timedOut: run.timedOut || !complete,
      FAIL_TO_PASS: task.FAIL_TO_PASS,
      PASS_TO_PASS: task.PASS_TO_PASS,
    });
    result.FAIL_TO_PASS = graded.FAIL_TO_PASS;
    result.PASS_TO_PASS = graded.PASS_TO_PASS;
    result.error = graded.error;
    result.warnings.push(...graded.warnings);
    // An empty patch never resolves an instance, whatever the tests say (as in the harness).
    result.resolved = graded.resolved && result.patch_applied;
    return result;
  } finally {
    await sandboxes.destroy(id);
  }
}

/** Writes SWE-bench predictions: one `{instance_id, model_name_or_path, model_patch}` per line. */
export function writePredictions(results: Pick<VerificationResult, 'instance_id' | 'model_patch'>[], modelName: string, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = results.map((r) => JSON.stringify({ instance_id: r.instance_id, model_name_or_path: modelName, model_patch: r.model_patch }));
  writeFileSync(file, lines.join('\n') + (lines.length > 0 ? '\n' : ''));
}

/**
 * Writes a report.json in the harness's shape: the run summary (schema_version 2: counts and id lists)
 * plus, under `instances`, each instance's report (patch_exists, patch_successfully_applied, resolved,
 * tests_status with FAIL_TO_PASS / PASS_TO_PASS success and failure lists).
 */
export function writeReport(results: VerificationResult[], file: string): void {
  const ids = (pick: (r: VerificationResult) => boolean) => results.filter(pick).map((r) => r.instance_id).sort();
  const empty = (r: VerificationResult) => r.model_patch.trim() === '';
  const report = {
    total_instances: results.length,
    submitted_instances: results.length,
    completed_instances: results.filter((r) => r.error === null).length,
    resolved_instances: results.filter((r) => r.resolved).length,
    unresolved_instances: results.filter((r) => r.error === null && !r.resolved && !empty(r)).length,
    empty_patch_instances: results.filter(empty).length,
    error_instances: results.filter((r) => r.error !== null).length,
    completed_ids: ids((r) => r.error === null),
    incomplete_ids: [] as string[],
    empty_patch_ids: ids(empty),
    submitted_ids: ids(() => true),
    resolved_ids: ids((r) => r.resolved),
    unresolved_ids: ids((r) => r.error === null && !r.resolved && !empty(r)),
    error_ids: ids((r) => r.error !== null),
    schema_version: 2,
    instances: Object.fromEntries(
      results.map((r) => [
        r.instance_id,
        {
          patch_is_None: false,
          patch_exists: !empty(r),
          patch_successfully_applied: r.patch_applied,
          resolved: r.resolved,
          tests_status: { FAIL_TO_PASS: r.FAIL_TO_PASS, PASS_TO_PASS: r.PASS_TO_PASS },
        },
      ]),
    ),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}
