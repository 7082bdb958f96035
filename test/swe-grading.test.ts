/**
 * Grading through SWE-bench's harness (the `swebench` package in the project venv) on real pytest logs of the
 * sandbox image's pytest (tasks/swe-mini/fixtures/pytest/make.sh regenerates them), the verdict rules of
 * grading.ts, tampering detection, and the harness-shaped reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { betweenMarkers, harnessLog, TEST_END_MARKER, TEST_EXIT_CODE_MARKER, TEST_START_MARKER, testScript, verdict } from '../env/swe/grading';
import { gradeWithHarness, type HarnessCase } from '../env/swe/harness';
import { harnessReports, writeHarnessFiles, type StoredVerification } from '../env/swe/harness-report';
import { parsePytestLog, parserForRepo, resolveLogParser } from '../env/swe/parsers';
import { detectTampering } from '../env/swe/tampering';

const FIXTURES = path.join(__dirname, '..', 'tasks', 'swe-mini', 'fixtures', 'pytest');
/** A fixture as the verifier hands it to the harness: between the markers, the exit code after them. */
const fixture = (name: string) => {
  const exitCode = Number(readFileSync(path.join(FIXTURES, `${name}.exit`), 'utf8').trim());
  const log = readFileSync(path.join(FIXTURES, `${name}.log`), 'utf8');
  return { exitCode, log: `${TEST_START_MARKER}\n${log}${TEST_END_MARKER}\n${TEST_EXIT_CODE_MARKER}: ${exitCode}\n` };
};
const M = 'tests/test_mixed.py::';

const caseOf = (log: string, FAIL_TO_PASS: string[], PASS_TO_PASS: string[] = []): HarnessCase => ({
  instance_id: 'owner__repo-1',
  repo: 'owner/repo',
  log_parser: 'parse_log_pytest',
  FAIL_TO_PASS,
  PASS_TO_PASS,
  model_patch: 'diff --git a/x b/x\n',
  log,
});

async function judge(name: string, FAIL_TO_PASS: string[], PASS_TO_PASS: string[] = []) {
  const { log, exitCode } = fixture(name);
  const [grade] = (await gradeWithHarness([caseOf(log, FAIL_TO_PASS, PASS_TO_PASS)])).results;
  return { grade, ...verdict({ grade, FAIL_TO_PASS, PASS_TO_PASS, patchApplied: true, emptyPatch: false, timedOut: false, exitCode }) };
}

test("the harness's pytest parser: ids split on whitespace, only lines starting with a status, XPASS unread, collection errors by file", async () => {
  const { grade } = await judge('mixed', []);
  assert.deepEqual(grade.status_map, {
    [`${M}test_pass`]: 'PASSED',
    [`${M}test_fail`]: 'FAILED',
    // test_skip is absent: -rA names a skipped test only in `SKIPPED [1] file:line: reason`, which is no id.
    [`${M}test_xfail`]: 'XFAIL',
    [`${M}test_error`]: 'ERROR',
    [`${M}test_param[1]`]: 'FAILED',
    // `PASSED tests/test_mixed.py::test_param[a b]`: SWE-bench's FAIL_TO_PASS lists hold ids in this cut form.
    [`${M}test_param[a`]: 'PASSED',
    [`${M}test_param[c-d]`]: 'PASSED',
    [`${M}TestGroup::test_method`]: 'PASSED',
  });
  assert.deepEqual(parsePytestLog(fixture('mixed').log).statusMap, grade.status_map, 'the TypeScript port reads the log as the package does');
  const collection = await judge('collection-error', []);
  assert.equal(collection.grade.status_map['tests/test_broken.py'], 'ERROR');
});

test('resolved needs every F2P passing (XFAIL passes, SKIPPED fails) and every P2P passing or skipped', async () => {
  const ok = await judge('mixed', [`${M}test_pass`, `${M}test_xfail`], [`${M}test_param[a`]);
  assert.equal(ok.resolved, true);
  assert.equal(ok.error, null);
  assert.deepEqual(ok.PASS_TO_PASS.success, [`${M}test_param[a`]);

  const unseenSkip = await judge('mixed', [`${M}test_pass`], [`${M}test_skip`]);
  assert.equal(unseenSkip.resolved, false, 'a test the parser never saw is a failure, even one pytest skipped');

  const skips = `${TEST_START_MARKER}\nPASSED t.py::test_a\nSKIPPED t.py::test_s\n${TEST_END_MARKER}\n${TEST_EXIT_CODE_MARKER}: 0\n`;
  const [keptSkip, skippedF2pLine] = (await gradeWithHarness([caseOf(skips, ['t.py::test_a'], ['t.py::test_s']), caseOf(skips, ['t.py::test_s'])])).results;
  assert.equal(keptSkip.report.resolved, true, 'a skipped PASS_TO_PASS test is kept');
  assert.equal(skippedF2pLine.report.resolved, false, 'a skipped FAIL_TO_PASS test fails');

  const fullId = await judge('mixed', [`${M}test_param[a b]`]);
  assert.equal(fullId.resolved, false, 'the uncut id is not in the harness status map and its prefix rule does not apply (brackets balance)');

  const truncated = await judge('mixed', [`${M}test_param[c`]);
  assert.equal(truncated.resolved, true, 'a truncated parametrised id matches by prefix');

  const broken = await judge('mixed', [`${M}test_pass`], [`${M}test_fail`, `${M}test_error`, `${M}test_missing`]);
  assert.equal(broken.resolved, false);
  assert.deepEqual(broken.PASS_TO_PASS.failure, [`${M}test_fail`, `${M}test_error`, `${M}test_missing`]);
  assert.deepEqual(broken.grade.report.tests_status?.FAIL_TO_FAIL, { success: [], failure: [] });
});

test('a collection error fails the tests of the file; a later line for the same test wins', async () => {
  const g = await judge('collection-error', ['tests/test_broken.py::test_never'], ['tests/test_ok.py::test_ok']);
  assert.equal(g.resolved, false);
  assert.equal(g.error, null);
  assert.deepEqual(g.PASS_TO_PASS.failure, ['tests/test_ok.py::test_ok']);
  const log = `${TEST_START_MARKER}\nPASSED tests/t.py::test_a\nERROR tests/t.py::test_a - RuntimeError\n${TEST_END_MARKER}\n${TEST_EXIT_CODE_MARKER}: 1\n`;
  const [grade] = (await gradeWithHarness([caseOf(log, ['tests/t.py::test_a'])])).results;
  assert.equal(grade.status_map['tests/t.py::test_a'], 'ERROR');
});

test('forged PASSED lines with exit code 1 and no FAILED line: the exit-code gate, a failure of the patch', async () => {
  const g = await judge('fake-passed', ['tests/test_target.py::test_target']);
  assert.equal(g.grade.log_found, false);
  assert.equal(g.grade.not_found_reason, 'exit_code_gate');
  assert.equal(g.resolved, false);
  assert.equal(g.error, null);
  assert.match(g.warnings.join('\n'), /does not trust the log/);
});

test('no results: an infrastructure error only when the tests evidently did not run', async () => {
  const noTests = await judge('no-tests', ['tests/test_nothing.py::test_x']);
  assert.equal(noTests.grade.log_found, false);
  assert.equal(noTests.resolved, false);
  assert.equal(noTests.error, null, 'pytest ran and collected nothing (exit 5): the patch may have done that');
  assert.equal(noTests.grade.failure_reason, 'no_tests_collected');

  const notStarted = await judge('not-started', ['a::b']);
  assert.equal(notStarted.resolved, false);
  assert.match(notStarted.error ?? '', /did not run/);

  const emptyOk = `${TEST_START_MARKER}\n${TEST_END_MARKER}\n${TEST_EXIT_CODE_MARKER}: 0\n`;
  const [grade] = (await gradeWithHarness([caseOf(emptyOk, [])])).results;
  const v = verdict({ grade, FAIL_TO_PASS: [], PASS_TO_PASS: [], patchApplied: true, emptyPatch: false, timedOut: false, exitCode: 0 });
  assert.equal(v.resolved, false, 'an empty log never passes, even with nothing to check');
  assert.notEqual(v.error, null);

  const [noMarkers] = (await gradeWithHarness([caseOf('PASSED a::b\n', ['a::b'])])).results;
  assert.equal(noMarkers.not_found_reason, 'no_markers');
});

test('a timed-out run is not resolved even when the printed part passed; an empty patch never resolves', async () => {
  const cut = harnessLog(`${TEST_START_MARKER}\nPASSED tests/t.py::test_a\n`, true, 5);
  assert.match(cut, /Timeout error: 5 seconds exceeded\.$/);
  const [grade] = (await gradeWithHarness([caseOf(cut, ['tests/t.py::test_a'])])).results;
  const v = verdict({ grade, FAIL_TO_PASS: ['tests/t.py::test_a'], PASS_TO_PASS: [], patchApplied: true, emptyPatch: false, timedOut: true, exitCode: null });
  assert.equal(v.resolved, false);
  assert.match(v.warnings.join(''), /timed out/);

  const passing = `${TEST_START_MARKER}\nPASSED tests/t.py::test_a\n${TEST_END_MARKER}\n${TEST_EXIT_CODE_MARKER}: 0\n`;
  const [ok] = (await gradeWithHarness([caseOf(passing, ['tests/t.py::test_a'])])).results;
  assert.equal(ok.report.resolved, true);
  assert.equal(verdict({ grade: ok, FAIL_TO_PASS: ['tests/t.py::test_a'], PASS_TO_PASS: [], patchApplied: false, emptyPatch: true, timedOut: false, exitCode: 0 }).resolved, false);
});

test('the test script records the exit code after the end marker; the output is cut between the markers', () => {
  assert.equal(testScript('pytest -rA'), `echo '${TEST_START_MARKER}'; pytest -rA; rc=$?; echo '${TEST_END_MARKER}'; echo "${TEST_EXIT_CODE_MARKER}: $rc"; exit $rc`);
  const out = `setup noise\n${TEST_START_MARKER}\nPASSED a::b\n${TEST_END_MARKER}\nteardown noise\n`;
  assert.deepEqual(betweenMarkers(out), { log: 'PASSED a::b\n', complete: true });
  assert.deepEqual(betweenMarkers(`${TEST_START_MARKER}\nPASSED a::b\n`), { log: 'PASSED a::b\n', complete: false });
});

test('log parsers by name: short or registry names, the repository default, unknown names refused', () => {
  assert.equal(resolveLogParser('pytest'), 'parse_log_pytest');
  assert.equal(resolveLogParser('parse_log_django'), 'parse_log_django');
  assert.equal(resolveLogParser('pytest_v2'), 'parse_log_pytest_v2');
  assert.equal(resolveLogParser('nosetests'), null);
  assert.equal(parserForRepo('django/django'), 'parse_log_django');
  assert.equal(parserForRepo('sympy/sympy'), 'parse_log_sympy');
  assert.equal(parserForRepo('getmoto/moto'), 'parse_log_pytest');
});

const diff = (file: string, lines: string[], kind: 'add' | 'modify' = 'modify') =>
  [`diff --git a/${file} b/${file}`, ...(kind === 'add' ? ['new file mode 100644', '--- /dev/null'] : [`--- a/${file}`]), `+++ b/${file}`, `@@ -1,1 +1,${lines.length + 1} @@`, ' # top', ...lines].join('\n') + '\n';

test('tampering: test infrastructure added or changed is flagged, ordinary source changes are not', () => {
  const flagged = (patch: string) => detectTampering(patch).map((f) => f.path);
  assert.deepEqual(flagged(diff('conftest.py', ['+import pytest'], 'add')), ['conftest.py']);
  assert.deepEqual(flagged(diff('tests/conftest.py', ['+x = 1'])), ['tests/conftest.py']);
  assert.deepEqual(flagged(diff('pytest.ini', ['+addopts = -p no:x'])), ['pytest.ini']);
  assert.deepEqual(flagged(diff('tox.ini', ['+[testenv]'])), ['tox.ini']);
  assert.deepEqual(flagged(diff('pyproject.toml', ['+addopts = "-k not slow"'])), ['pyproject.toml']);
  assert.deepEqual(flagged(diff('setup.cfg', ['+[tool:pytest]', '+testpaths = nothing'])), ['setup.cfg']);
  assert.deepEqual(flagged(diff('pyproject.toml', ['+requires = ["x"]'])), [], 'a dependency change is not a pytest setting');
  assert.deepEqual(flagged(diff('sitecustomize.py', ['+import os'], 'add')), ['sitecustomize.py']);
  assert.deepEqual(flagged(diff('src/evil.pth', ['+import evil'], 'add')), ['src/evil.pth']);
  assert.deepEqual(flagged(diff('src/plugin.py', ['+def pytest_runtest_makereport(item, call):', '+    pass'], 'add')), ['src/plugin.py']);
  assert.deepEqual(flagged(diff('src/pkg/mod.py', ['+pytest_plugins = ["evil"]'])), ['src/pkg/mod.py']);
  assert.deepEqual(flagged(diff('src/pkg/mod.py', ['+def fix():', '+    return 1'])), []);
  assert.deepEqual(flagged(''), []);
});

const stored = (id: string, fields: Partial<StoredVerification>): StoredVerification => ({
  instance_id: id,
  model_patch: 'diff',
  patch_applied: true,
  apply_method: 'git apply',
  test_exit_code: 0,
  status_map: {},
  FAIL_TO_PASS: { success: [], failure: [] },
  PASS_TO_PASS: { success: [], failure: [] },
  resolved: false,
  error: null,
  log_ref: null,
  tampering: [],
  failure_reason: null,
  failure_tier: null,
  harness_report: null,
  ...fields,
});
const report = (resolved: boolean) => ({
  patch_is_None: false,
  patch_exists: true,
  patch_successfully_applied: true,
  resolved,
  infra_failure: false,
  tests_status: {
    FAIL_TO_PASS: { success: resolved ? ['t::a'] : [], failure: resolved ? [] : ['t::a'] },
    PASS_TO_PASS: { success: [], failure: [] },
    FAIL_TO_FAIL: { success: [], failure: [] },
    PASS_TO_FAIL: { success: [], failure: [] },
  },
});

test("the run report counts as the harness's make_run_report; a repeated instance counts once, by its last prediction", () => {
  const results = [
    stored('b', { resolved: true, harness_report: report(true) }),
    stored('a', { harness_report: report(false), failure_reason: 'no_tests_collected', failure_tier: 'ambiguous' }),
    stored('c', { model_patch: '', patch_applied: false, apply_method: null }),
    stored('d', { patch_applied: false, apply_method: null }), // did not apply: the harness raises, writes no report
    stored('e', { harness_report: null, test_exit_code: null, timed_out: true }),
    stored('f', { resolved: true, harness_report: report(true), tampering: [{ path: 'conftest.py', reason: 'adds conftest.py' }] }),
    stored('r', { resolved: true, harness_report: report(true) }),
    stored('r', { harness_report: report(false) }),
  ];
  const { report: run, instances } = harnessReports(results);
  assert.equal(run.total_instances, 7);
  assert.equal(run.submitted_instances, 7);
  assert.deepEqual(run.completed_ids, ['a', 'b', 'f', 'r']);
  assert.deepEqual(run.resolved_ids, ['b', 'f']);
  assert.deepEqual(run.unresolved_ids, ['a', 'r'], 'the repeated instance is listed once, by its last verification');
  assert.deepEqual(run.empty_patch_ids, ['c']);
  assert.deepEqual(run.error_ids, ['d', 'e']);
  assert.deepEqual(run.ambiguous_failure_ids, ['a']);
  assert.deepEqual(run.infra_failure_ids, []);
  assert.deepEqual(run.failure_reasons, { a: 'no_tests_collected' });
  assert.deepEqual(run.tampering_ids, ['f']);
  assert.equal(run.schema_version, 2);
  assert.deepEqual(Object.keys(instances).sort(), ['a', 'b', 'f', 'r']);
  assert.deepEqual((instances.b.b as { tests_status: unknown }).tests_status, report(true).tests_status);

  const dir = mkdtempSync(path.join(tmpdir(), 'swe-report-'));
  writeHarnessFiles(results, 'student-iter-1', dir);
  const written = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
  assert.deepEqual(written, run);
  const perInstance = JSON.parse(readFileSync(path.join(dir, 'f', 'report.json'), 'utf8'));
  assert.equal(perInstance.f.resolved, true);
  assert.deepEqual(perInstance.f.tampering, [{ path: 'conftest.py', reason: 'adds conftest.py' }]);
  const preds = readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(preds.length, 8, 'every episode keeps its prediction');
  assert.deepEqual(preds[0], { instance_id: 'b', model_name_or_path: 'student-iter-1', model_patch: 'diff' });
});

test('a machine without the harness is told how to get it', async () => {
  await assert.rejects(gradeWithHarness([], '/nonexistent/venv/bin/python'), /swebench package\) is not installed for \/nonexistent\/venv\/bin\/python: run `bash scripts\/bootstrap\.sh`/);
});
