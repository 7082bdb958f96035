/**
 * Grading: a parsed test log → resolved or not, by SWE-bench's rules.
 *
 * Pure. A task is resolved iff every FAIL_TO_PASS test passes and every PASS_TO_PASS test still passes.
 * - "passes" means PASSED or XFAIL; a skipped FAIL_TO_PASS test fails (a patch must not earn a pass by
 *   skipping the test), while a skipped PASS_TO_PASS test is kept (counted as a success: it was
 *   not broken by the patch, e.g. an environment-dependent skip).
 * - The test command's exit code is cross-checked against the log: code 1 ("tests failed") with no FAILED
 *   or ERROR line means the log lies (e.g. a conftest printing fake PASSED lines) → not resolved.
 * - An empty status map with no sign that the test runner even started is an infrastructure error (the
 *   verifier could not judge), never a pass and never a plain failure of the patch.
 */
import type { TestStatus } from '../types';

export interface GradeInput {
  statusMap: Record<string, TestStatus>;
  suiteRan: boolean;
  /** Exit code of the test command; null when it was killed (timeout). */
  exitCode: number | null;
  timedOut: boolean;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
}

export interface Grade {
  resolved: boolean;
  FAIL_TO_PASS: { success: string[]; failure: string[] };
  PASS_TO_PASS: { success: string[]; failure: string[] };
  /** Set when the log cannot be judged at all (infrastructure error). */
  error: string | null;
  /** Why a log was distrusted or looked odd, for the report. */
  warnings: string[];
}

const PASSING: ReadonlySet<TestStatus> = new Set(['PASSED', 'XFAIL']);

// pytest exit codes: 0 all passed, 1 some tests failed, 2 interrupted (e.g. collection errors),
// 3 internal error, 4 usage error, 5 no tests collected.
const EXIT_TESTS_FAILED = 1;

export function grade(input: GradeInput): Grade {
  const statuses = Object.values(input.statusMap);
  const warnings: string[] = [];
  const split = (ids: string[], ok: (status: TestStatus | undefined) => boolean) => ({
    success: ids.filter((id) => ok(input.statusMap[id])),
    failure: ids.filter((id) => !ok(input.statusMap[id])),
  });
  const f2p = split(input.FAIL_TO_PASS, (s) => s !== undefined && PASSING.has(s));
  const p2p = split(input.PASS_TO_PASS, (s) => s !== undefined && (PASSING.has(s) || s === 'SKIPPED'));

  if (statuses.length === 0 && !input.suiteRan && !input.timedOut) {
    return {
      resolved: false,
      FAIL_TO_PASS: f2p,
      PASS_TO_PASS: p2p,
      error: `no test results and no sign the test runner started (exit code ${input.exitCode}); check the image, workdir and test_cmd`,
      warnings,
    };
  }

  const anyFailing = statuses.some((s) => s === 'FAILED' || s === 'ERROR');
  let trusted = true;
  if (input.timedOut) {
    warnings.push('the test command timed out; results after the cut are missing');
    trusted = false;
  } else if (input.exitCode === EXIT_TESTS_FAILED && !anyFailing) {
    warnings.push('exit code 1 (tests failed) but the log shows no FAILED or ERROR line: the log is not trusted');
    trusted = false;
  } else if (input.exitCode === 0 && anyFailing) {
    warnings.push('exit code 0 but the log shows FAILED or ERROR lines: graded by the log');
  } else if (input.exitCode !== null && input.exitCode > EXIT_TESTS_FAILED) {
    warnings.push(`test command exited with ${input.exitCode} (interrupted, internal/usage error or no tests collected)`);
  }

  const resolved = trusted && f2p.failure.length === 0 && p2p.failure.length === 0;
  return { resolved, FAIL_TO_PASS: f2p, PASS_TO_PASS: p2p, error: null, warnings };
}
