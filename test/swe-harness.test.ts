/**
 * Our grading against SWE-bench's harness itself (the `swebench` package in the project venv):
 * - the names and constants we pin (parsers, repository → parser, apply cascade, markers) equal the package's;
 * - on a corpus of real logs (test/fixtures/grading/, made by make-corpus.ts: pytest 4.6, 6.2, 7.4, 8.3 and
 *   9.2 in -rA, -rA -v, -v, -rA -s and colour modes, Django's runner, SymPy's runner, a timeout, forged and
 *   rewritten outcomes) and many FAIL_TO_PASS / PASS_TO_PASS lists per log, the verifier's verdict, test lists
 *   and run-report outcome equal what the harness decides, computed here by an independent script that calls
 *   the package as run_evaluation does (zero disagreements);
 * - the TypeScript port of parse_log_pytest (used by the bundled suite's build) equals the package on every log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { venvPython } from '../config/paths';
import { betweenMarkers, harnessLog, TEST_END_MARKER, TEST_EXIT_CODE_MARKER, TEST_START_MARKER, verdict } from '../env/swe/grading';
import { describeHarness, gradeWithHarness, type HarnessCase } from '../env/swe/harness';
import { harnessReports } from '../env/swe/harness-report';
import { HARNESS_PARSERS, parsePytestLog, REPO_PARSERS } from '../env/swe/parsers';
import { APPLY_METHODS, ALREADY_APPLIED } from '../env/swe/verifier';

const CORPUS = path.join(__dirname, 'fixtures', 'grading');

interface Entry {
  name: string;
  runner: string;
  scenario: string;
  mode: string;
  exit_code: number | null;
  timed_out: boolean;
  log_parser: string;
  repo: string;
}
const entries = JSON.parse(readFileSync(path.join(CORPUS, 'corpus.json'), 'utf8')) as Entry[];
const logOf = (entry: Entry) => readFileSync(path.join(CORPUS, `${entry.name}.log`), 'utf8');

test("the pinned parser names, repository parsers, apply cascade and markers are the package's", async () => {
  const described = await describeHarness();
  assert.equal(described.swebench, '5.0.2', 'trainer/requirements.txt pins the harness version the pins below were taken from');
  assert.deepEqual([...HARNESS_PARSERS].sort(), described.parsers);
  assert.deepEqual(Object.keys(REPO_PARSERS).sort(), described.python_repos);
  for (const [repo, parser] of Object.entries(REPO_PARSERS)) assert.ok(described.repo_parsers[repo].includes(parser), `${repo}: ${parser} is not its parser in the package`);
  assert.deepEqual(APPLY_METHODS.map((m) => m.command('FILE').replace(/ FILE$/, '')), described.apply_commands);
  assert.equal(ALREADY_APPLIED.command('FILE'), 'git apply --check --reverse FILE');
  assert.deepEqual([TEST_START_MARKER, TEST_END_MARKER, TEST_EXIT_CODE_MARKER], [described.markers.start, described.markers.end, described.markers.exit_code]);
  assert.equal(harnessLog('x', true, 7), `x\n\n${described.markers.timeout.replace('{timeout}', '7')}`);
});

const M = 'tests/test_mixed.py::';
const OK = 'tests/test_ok.py::';
const P = 'tests/test_prints.py::';
const dj = (cls: string, name: string) => `${name} (shop.tests.${cls}.${name})`;
/** FAIL_TO_PASS / PASS_TO_PASS lists asked of each log, written as a dataset would hold them (no package output used). */
const QUESTIONS: Record<string, [string[], string[]][]> = {
  mixed: [
    [[`${M}test_pass`], [`${M}TestGroup::test_method`]],
    [[`${M}test_fail`], []],
    [[`${M}test_xfail`], []],
    [[`${M}test_xpass`], []],
    [[`${M}test_skip`], []],
    [[`${M}test_pass`], [`${M}test_skip`]],
    [[`${M}test_param[a b]`], []],
    [[`${M}test_param[a`], []],
    [[`${M}test_param[x[1]]`], []],
    [[`${M}test_param[\u00fcn\u00efc\u00f6de]`], []],
    [[`${M}test_param[\\xfcn\\xefc\\xf6de]`], []],
    [[`${M}test_param[value4]`], []],
    [[`${M}test_param[/abs/path/file.txt]`], []],
    // Truncated ids, as 676 of SWE-bench Verified's are: more "[" than "]" makes the harness match by prefix.
    [[`${M}test_param[/abs/pa`], []],
    [[`${M}test_param[x[1`], []],
    [[`${M}TestGroup::test_numbers[`], []],
    [[`${M}test_param[7]`], []],
    [[`${M}test_teardown_error`], []],
    [[`${M}test_error`], [`${M}test_pass`]],
    [[`${M}TestGroup::test_numbers[1]`], [`${M}TestGroup::test_numbers[2]`]],
    [[`${P}test_after_prints`], [`${M}test_pass`]],
    [[`${P}test_after_prints`], [`${M}test_fail`]],
  ],
  ok: [
    [[`${OK}test_one`], [`${OK}test_words[a b]`]],
    [[`${OK}test_words[a`], [`${OK}test_words[\u00e9t\u00e9]`]],
    [[`${OK}test_one`], []],
  ],
  collect: [[['tests/test_broken.py::test_never'], []], [[`${OK}test_one`], []], [['tests/test_broken.py'], []]],
  doctest: [[['docs/guide.txt::guide.txt'], []], [[`${OK}test_one`], []], [['docs/bad.txt'], [`${OK}test_one`]]],
  slow: [[['tests/test_slow.py::test_fast'], []]],
  none: [[[`${OK}test_one`], []]],
  forged: [[['tests/test_target.py::test_target'], []]],
  rewritten: [[['tests/test_target.py::test_target'], []]],
  shop: [
    [[dj('PriceTests', 'test_total')], [dj('CartTests', 'test_empty')]],
    [[dj('PriceTests', 'test_discount')], []],
    [[dj('PriceTests', 'test_crash')], []],
    [[dj('PriceTests', 'test_total')], [dj('PriceTests', 'test_later')]],
    [[dj('PriceTests', 'test_docstring')], []],
    [[dj('PriceTests', 'test_noisy')], []],
  ],
  cart: [[[dj('CartTests', 'test_empty')], []]],
  'test_algebra.py test_ok.py': [[['test_expand'], ['test_one']], [['test_wrong'], []], [['test_raises'], []], [['test_skipped'], []], [['test_two'], ['test_expand']]],
  'test_ok.py': [[['test_one', 'test_two'], []]],
};

/**
 * The harness's decision, computed apart from our code: run_evaluation.run_instance raises (no report: an
 * error) for a timed-out run, else writes get_eval_report's entry; make_run_report then counts it resolved or
 * unresolved. Also parse_log_pytest on each log's test output, for the TypeScript port.
 */
const ORACLE = String.raw`
import json, sys, tempfile, os
from swebench.harness.grading import get_eval_report
from swebench.harness.log_parsers import PARSER_REGISTRY
from swebench.types import TestSpec
out = []
for case in json.load(sys.stdin):
    if case["timed_out"]:
        out.append({"outcome": "error"})
        continue
    spec = TestSpec(instance_id=case["instance_id"], image="", eval_script_list=[], repo=case["repo"], version="",
                    FAIL_TO_PASS=case["FAIL_TO_PASS"], PASS_TO_PASS=case["PASS_TO_PASS"], log_parser=case["log_parser"],
                    eval_type="pass_and_fail")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(case["log"])
    report = get_eval_report(spec, {"instance_id": case["instance_id"], "model_patch": "diff", "model_name_or_path": "m"}, f.name, True)[case["instance_id"]]
    os.unlink(f.name)
    out.append({"outcome": "resolved" if report["resolved"] else "unresolved", "tests_status": report.get("tests_status")})
json.dump(out, sys.stdout)
`;
const PYTEST_PARSE = String.raw`
import json, sys
from swebench.harness.log_parsers import PARSER_REGISTRY
json.dump([PARSER_REGISTRY["parse_log_pytest"](log, None) for log in json.load(sys.stdin)], sys.stdout)
`;
const python = (program: string, input: unknown) =>
  JSON.parse(execFileSync(venvPython(), ['-c', program], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, PYTHONUTF8: '1' } }));

test('the corpus covers what the grader must read: 5 pytest majors x 5 modes, Django, SymPy, at least 60 logs', () => {
  assert.ok(entries.length >= 60, `${entries.length} logs`);
  for (const major of ['4', '6', '7', '8', '9']) {
    for (const mode of ['rA', 'rAv', 'v', 'rAs', 'color']) assert.ok(entries.some((e) => e.runner.startsWith(`pytest ${major}.`) && e.mode === mode), `pytest ${major} ${mode}`);
  }
  assert.ok(entries.filter((e) => e.log_parser === 'parse_log_django').length >= 3);
  assert.ok(entries.filter((e) => e.log_parser === 'parse_log_sympy').length >= 3);
  assert.ok(entries.some((e) => e.timed_out));
  assert.ok(entries.some((e) => /\x1b\[/.test(logOf(e))), 'colour codes in some logs');
});

test("the verifier's verdicts on the corpus equal the harness's: zero disagreements", { timeout: 600_000 }, async () => {
  const cases: (HarnessCase & { entry: Entry; timed_out: boolean })[] = [];
  for (const entry of entries) {
    const questions = [...(QUESTIONS[entry.scenario] ?? []), [[], []] as [string[], string[]]];
    assert.ok(QUESTIONS[entry.scenario], `no questions for scenario ${entry.scenario}`);
    for (const [index, [FAIL_TO_PASS, PASS_TO_PASS]] of questions.entries()) {
      cases.push({
        entry,
        instance_id: `corpus__${entry.name}-${index}`,
        repo: entry.repo,
        log_parser: entry.log_parser,
        FAIL_TO_PASS,
        PASS_TO_PASS,
        model_patch: 'diff',
        log: logOf(entry),
        timed_out: entry.timed_out,
      });
    }
  }
  const ours = (await gradeWithHarness(cases.map(({ entry: _entry, timed_out: _t, ...c }) => c))).results;
  const theirs = python(ORACLE, cases.map(({ entry: _entry, ...c }) => c)) as { outcome: string; tests_status?: unknown }[];
  const disagreements: string[] = [];
  let resolvedCount = 0;
  cases.forEach((c, i) => {
    const judged = verdict({
      grade: ours[i],
      FAIL_TO_PASS: c.FAIL_TO_PASS,
      PASS_TO_PASS: c.PASS_TO_PASS,
      patchApplied: true,
      emptyPatch: false,
      timedOut: c.timed_out,
      exitCode: c.entry.exit_code,
    });
    // What the iteration's harness report says of this case, built as the verifier stores it.
    const { report } = harnessReports([
      {
        instance_id: c.instance_id,
        model_patch: c.model_patch,
        patch_applied: true,
        apply_method: 'git apply',
        test_exit_code: c.entry.exit_code,
        status_map: ours[i].status_map,
        FAIL_TO_PASS: judged.FAIL_TO_PASS,
        PASS_TO_PASS: judged.PASS_TO_PASS,
        resolved: judged.resolved,
        error: judged.error,
        log_ref: null,
        harness_report: c.timed_out ? null : ours[i].report,
      },
    ]);
    const outcome = report.resolved_instances ? 'resolved' : report.unresolved_instances ? 'unresolved' : report.error_instances ? 'error' : 'other';
    const expected = theirs[i];
    if (judged.resolved) resolvedCount++;
    if (outcome !== expected.outcome || judged.resolved !== (expected.outcome === 'resolved')) {
      disagreements.push(`${c.instance_id}: ours ${outcome} (resolved ${judged.resolved}), harness ${expected.outcome}`);
    }
    if (expected.tests_status && ours[i].log_found) {
      const status = expected.tests_status as Record<string, unknown>;
      if (JSON.stringify({ F: judged.FAIL_TO_PASS, P: judged.PASS_TO_PASS }) !== JSON.stringify({ F: status.FAIL_TO_PASS, P: status.PASS_TO_PASS })) {
        disagreements.push(`${c.instance_id}: test lists differ`);
      }
    }
  });
  assert.deepEqual(disagreements, [], `${disagreements.length} of ${cases.length} cases disagree`);
  // The corpus asks questions with both answers (a check that cannot fail would prove nothing).
  assert.ok(resolvedCount > 50 && resolvedCount < cases.length - 50, `${resolvedCount} of ${cases.length} resolved`);
});

test('the TypeScript parse_log_pytest port equals the package on every log of the corpus', () => {
  const logs = entries.map((e) => betweenMarkers(logOf(e)).log);
  const theirs = python(PYTEST_PARSE, logs) as Record<string, string>[];
  const differ = entries.filter((_e, i) => JSON.stringify(parsePytestLog(logs[i]).statusMap) !== JSON.stringify(theirs[i])).map((e) => e.name);
  assert.deepEqual(differ, []);
  assert.ok(theirs.some((m) => Object.keys(m).some((id) => id.endsWith('test_param[a'))), 'ids with spaces are cut as the harness cuts them');
});
