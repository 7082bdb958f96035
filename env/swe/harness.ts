/**
 * SWE-bench's harness as the grader: runs env/swe/harness_grade.py with the project venv's python (where
 * trainer/requirements.txt installs the `swebench` package) and returns the package's answer.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { venvPython } from '../../config/paths';
import type { HarnessGrade } from './grading';

const SCRIPT = path.join(__dirname, 'harness_grade.py');

/** One log to grade, with what the harness's TestSpec and prediction hold. */
export interface HarnessCase {
  instance_id: string;
  repo: string;
  version?: string;
  /** A PARSER_REGISTRY key (parsers.ts resolves a task's log_parser to one). */
  log_parser: string;
  eval_type?: string;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
  model_patch: string;
  /** The test output in the harness's test_output.txt form (grading.ts: testScript, harnessLog). */
  log: string;
}

export interface HarnessAnswer {
  swebench: string;
  results: HarnessGrade[];
}

function runScript(args: string[], input: string | null, python: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      python,
      [SCRIPT, ...args],
      // PYTHONUTF8: the harness opens the log with the locale's encoding; a bare container locale is ASCII.
      { env: { ...process.env, PYTHONUTF8: '1', PYTHONDONTWRITEBYTECODE: '1' }, maxBuffer: 256 * 1024 * 1024, timeout: 300_000 },
      (err, stdout, stderr) => {
        if (err) {
          const missing = /No module named 'swebench'/.test(stderr) || (err as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new Error(
              missing
                ? `SWE-bench's harness (the swebench package) is not installed for ${python}: run \`bash scripts/bootstrap.sh\` (trainer/requirements.txt lists it)`
                : `grading with SWE-bench's harness (${SCRIPT}) failed: ${err.message}\n${stderr.slice(-4000)}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** Grades logs with the package's get_eval_report / get_logs_eval; one python process for all of them. */
export async function gradeWithHarness(cases: HarnessCase[], python = venvPython()): Promise<HarnessAnswer> {
  const answer = JSON.parse(await runScript([], JSON.stringify({ cases }), python)) as HarnessAnswer;
  if (answer.results.length !== cases.length) throw new Error(`the harness graded ${answer.results.length} of ${cases.length} logs`);
  return answer;
}

/** The package's constants that parsers.ts and verifier.ts pin (for the tests that check the pins). */
export interface HarnessDescription {
  swebench: string;
  parsers: string[];
  repo_parsers: Record<string, string[]>;
  python_repos: string[];
  apply_commands: string[];
  fail_only_repos: string[];
  markers: { start: string; end: string; exit_code: string; timeout: string };
}

export async function describeHarness(python = venvPython()): Promise<HarnessDescription> {
  return JSON.parse(await runScript(['--describe'], null, python)) as HarnessDescription;
}
