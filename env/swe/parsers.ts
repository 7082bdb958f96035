/**
 * Test-log parsers: a test command's output → a per-test status map (SWE-bench's `log_parsers`).
 *
 * Pure. Parsing is kept apart from grading (grading.ts), as in the SWE-bench harness; a task names its
 * parser with `log_parser`, resolved through the registry below.
 */
import type { TestStatus } from '../types';

export interface ParsedLog {
  statusMap: Record<string, TestStatus>;
  /** The log shows the test runner started (a session header or a result summary), even if no test ran. */
  suiteRan: boolean;
}

export type LogParser = (log: string) => ParsedLog;

/** Statuses a failing result overrides (a test that passed its call but errored in teardown is an ERROR). */
const SEVERITY: Record<TestStatus, number> = { PASSED: 0, XFAIL: 0, SKIPPED: 1, FAILED: 2, ERROR: 3 };

/** pytest's own words → our statuses. XPASS (non-strict) is a pass: pytest does not fail the run for it. */
const PYTEST_STATUS: Record<string, TestStatus> = {
  PASSED: 'PASSED',
  FAILED: 'FAILED',
  SKIPPED: 'SKIPPED',
  ERROR: 'ERROR',
  XFAIL: 'XFAIL',
  XPASS: 'PASSED',
};

// A node id: `path::name` with an optional `[params]` suffix that may contain spaces; or, for a
// collection error, just the file path.
const NODE_ID = String.raw`(\S+?::[^\s\[]+(?:\[.*?\])?|\S+\.py)`;
/** `-rA` short summary line: `STATUS id[ - message]` (the message of FAILED/ERROR/XFAIL is dropped). */
const SUMMARY_LINE = new RegExp(String.raw`^(PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS) ${NODE_ID}(?:\s|$)`);
/** `-v` progress line: `id STATUS ...`; the only place pytest names a skipped test. */
const VERBOSE_LINE = new RegExp(String.raw`^${NODE_ID} (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)(?:\s|$)`);
/** `SKIPPED [N] file:line: reason`: a count over tests, not a test; never a key. */
const SKIP_COUNT_LINE = /^SKIPPED \[\d+\] /;
const SESSION_SIGNS = [/^=+ test session starts =+$/m, /^collected \d+ items?/m, /^=+ .*\b(passed|failed|error|errors|skipped|no tests ran)\b.* in [\d.]+s/m];

/** Parses pytest output run with `-rA` (and preferably `-v`, which names skipped tests). */
export function parsePytestLog(log: string): ParsedLog {
  const statusMap: Record<string, TestStatus> = {};
  const record = (id: string, word: string) => {
    const status = PYTEST_STATUS[word];
    const previous = statusMap[id];
    if (previous === undefined || SEVERITY[status] > SEVERITY[previous]) statusMap[id] = status;
  };
  for (const raw of log.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/\x1b\[[0-9;]*m/g, '');
    if (SKIP_COUNT_LINE.test(line)) continue;
    const summary = SUMMARY_LINE.exec(line);
    if (summary) {
      record(summary[2], summary[1]);
      continue;
    }
    const verbose = VERBOSE_LINE.exec(line);
    if (verbose) record(verbose[1], verbose[2]);
  }
  return { statusMap, suiteRan: SESSION_SIGNS.some((sign) => sign.test(log)) };
}

export const LOG_PARSERS: Readonly<Record<string, LogParser>> = { pytest: parsePytestLog };

export function getLogParser(name: string): LogParser {
  const parser = LOG_PARSERS[name];
  if (!parser) {
    throw new Error(`unknown log_parser "${name}": known parsers are ${Object.keys(LOG_PARSERS).join(', ')}; set the task's log_parser to one of them`);
  }
  return parser;
}
