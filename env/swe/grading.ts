/**
 * Grading: what the verifier feeds SWE-bench's harness and how it reads the answer.
 *
 * Pure. The harness's own code decides (env/swe/harness_grade.py runs `swebench.harness.grading`); this
 * module writes the test output in the form the harness grades (its test_output.txt: start/end markers,
 * the test command's exit code after the end marker, the timeout line) and turns the package's
 * per-instance report into the verifier's verdict:
 * - resolved = the harness's `resolved` (every FAIL_TO_PASS passes, every PASS_TO_PASS passes or is skipped,
 *   truncated parametrised ids matched by prefix, the exit-code gate against forged PASSED lines), and an
 *   applied, non-empty patch whose tests finished in time (the harness never grades an empty patch and
 *   counts an unapplied or timed-out one as an error);
 * - a log the harness cannot judge is unresolved; it is an infrastructure error (`error` set, no reward)
 *   only when the tests evidently did not run (couldNotRun), and a log the exit-code gate rejects is the
 *   patch's failure (a warning says why).
 */
import type { TestStatus } from '../types';

export const TEST_START_MARKER = '>>>>> Start Test Output';
export const TEST_END_MARKER = '>>>>> End Test Output';
export const TEST_EXIT_CODE_MARKER = '>>>>> Test Exit Code';

/** The test command wrapped as the harness's eval script wraps it (record_test_exit_code). */
export function testScript(testCmd: string): string {
  return `echo '${TEST_START_MARKER}'; ${testCmd}; rc=$?; echo '${TEST_END_MARKER}'; echo "${TEST_EXIT_CODE_MARKER}: $rc"; exit $rc`;
}

/** The shell's output as the harness's test_output.txt: a timed-out run gets the harness's timeout line. */
export function harnessLog(output: string, timedOut: boolean, timeoutS: number): string {
  return timedOut ? `${output}\n\nTimeout error: ${timeoutS} seconds exceeded.` : output;
}

/** The test command's own output: between the markers (all of it after the start when the end is missing). */
export function betweenMarkers(output: string): { log: string; complete: boolean } {
  const start = output.indexOf(TEST_START_MARKER);
  if (start < 0) return { log: output, complete: false };
  const from = output.indexOf('\n', start) + 1;
  const end = output.indexOf(TEST_END_MARKER, from);
  return end < 0 ? { log: output.slice(from), complete: false } : { log: output.slice(from, end), complete: true };
}

export interface TestLists {
  success: string[];
  failure: string[];
}

/** One instance's entry of the harness's report.json (grading.get_eval_report). */
export interface HarnessInstanceReport {
  patch_is_None: boolean;
  patch_exists: boolean;
  patch_successfully_applied: boolean;
  resolved: boolean;
  infra_failure: boolean;
  infra_failure_reason?: string;
  tests_status?: Record<'FAIL_TO_PASS' | 'PASS_TO_PASS' | 'FAIL_TO_FAIL' | 'PASS_TO_FAIL', TestLists>;
}

/** What env/swe/harness_grade.py answers for one log. */
export interface HarnessGrade {
  report: HarnessInstanceReport;
  status_map: Record<string, TestStatus>;
  log_found: boolean;
  /** Why the harness could not judge the log: bad_code, no_markers, no_results, exit_code_gate (null when it could). */
  not_found_reason: string | null;
  /** infra_failure.classify_text of the log (advisory, as in the harness's run report). */
  failure_reason: string | null;
  failure_tier: 'environment' | 'ambiguous' | null;
}

export interface Verdict {
  resolved: boolean;
  FAIL_TO_PASS: TestLists;
  PASS_TO_PASS: TestLists;
  error: string | null;
  warnings: string[];
}

/**
 * An infrastructure error rather than a failure of the patch: the markers are missing (the command never
 * finished), the harness classifies an environment fault, or the test command could not start (126/127) or
 * "succeeded" without reporting any test (a misconfigured test_cmd). Anything else without results, e.g. no
 * tests collected or a crash at import, may be the patch's doing.
 */
function couldNotRun(grade: HarnessGrade, exitCode: number | null): boolean {
  return grade.not_found_reason === 'no_markers' || grade.failure_tier === 'environment' || exitCode === 0 || exitCode === 126 || exitCode === 127;
}

export function verdict(input: {
  grade: HarnessGrade;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
  patchApplied: boolean;
  emptyPatch: boolean;
  timedOut: boolean;
  exitCode: number | null;
}): Verdict {
  const { grade } = input;
  const warnings: string[] = [];
  const status = grade.report.tests_status;
  const lists = {
    FAIL_TO_PASS: status ? status.FAIL_TO_PASS : { success: [], failure: [...input.FAIL_TO_PASS] },
    PASS_TO_PASS: status ? status.PASS_TO_PASS : { success: [], failure: [...input.PASS_TO_PASS] },
  };
  let error: string | null = null;
  if (input.timedOut) {
    warnings.push('the test command timed out (the harness counts the instance as an error); results after the cut are missing');
  } else if (grade.not_found_reason === 'exit_code_gate') {
    warnings.push(`exit code ${input.exitCode} but the log shows no FAILED or ERROR line: the harness does not trust the log`);
  } else if (!grade.log_found) {
    const why = `the harness found no test results in the log (${grade.not_found_reason}; exit code ${input.exitCode}${grade.failure_reason ? `; ${grade.failure_reason}` : ''})`;
    if (couldNotRun(grade, input.exitCode)) error = `${why}: the tests did not run; check the image, workdir, test_cmd and log_parser`;
    else warnings.push(`${why}: counted as a failure of the patch`);
  }
  if (input.emptyPatch) warnings.push('the model patch is empty (the harness does not evaluate it)');
  const resolved = grade.report.resolved && input.patchApplied && !input.emptyPatch && !input.timedOut && error === null;
  return { resolved, ...lists, error, warnings };
}
