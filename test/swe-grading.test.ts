/**
 * The pytest log parser and the SWE-bench grading rules, on real logs of the sandbox image's pytest
 * (tasks/swe-mini/fixtures/pytest/make.sh regenerates them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { grade } from '../env/swe/grading';
import { getLogParser, parsePytestLog } from '../env/swe/parsers';
import { betweenMarkers, TEST_END_MARKER, TEST_START_MARKER, writePredictions, writeReport } from '../env/swe/verifier';
import type { VerificationResult } from '../env/types';

const FIXTURES = path.join(__dirname, '..', 'tasks', 'swe-mini', 'fixtures', 'pytest');
const fixture = (name: string) => ({
  log: readFileSync(path.join(FIXTURES, `${name}.log`), 'utf8'),
  exitCode: Number(readFileSync(path.join(FIXTURES, `${name}.exit`), 'utf8').trim()),
});
const M = 'tests/test_mixed.py::';

test('pytest parser: every status of a mixed run, parametrised ids with spaces and dashes, class methods', () => {
  const { statusMap, suiteRan } = parsePytestLog(fixture('mixed').log);
  assert.ok(suiteRan);
  assert.deepEqual(statusMap, {
    [`${M}test_pass`]: 'PASSED',
    [`${M}test_fail`]: 'FAILED',
    [`${M}test_skip`]: 'SKIPPED',
    [`${M}test_xfail`]: 'XFAIL',
    [`${M}test_xpass`]: 'PASSED',
    [`${M}test_error`]: 'ERROR',
    [`${M}test_param[1]`]: 'FAILED',
    [`${M}test_param[a b]`]: 'PASSED',
    [`${M}test_param[c-d]`]: 'PASSED',
    [`${M}TestGroup::test_method`]: 'PASSED',
  });
  // The `SKIPPED [1] file:line: reason` summary line is a count, never a test id.
  assert.ok(!Object.keys(statusMap).some((id) => id.startsWith('[') || id.includes(':9')));
});

test('pytest parser: a failing teardown after a pass counts as the worse status', () => {
  const log = 'tests/t.py::test_a PASSED\ntests/t.py::test_a ERROR\nPASSED tests/t.py::test_a\nERROR tests/t.py::test_a - RuntimeError\n';
  assert.equal(parsePytestLog(log).statusMap['tests/t.py::test_a'], 'ERROR');
});

test('pytest parser: a collection error is keyed by its file', () => {
  const { statusMap } = parsePytestLog(fixture('collection-error').log);
  assert.equal(statusMap['tests/test_broken.py'], 'ERROR');
  assert.equal(statusMap['tests/test_ok.py::test_ok'], undefined, 'pytest stops before running anything');
});

test('parsers are found by name, and an unknown name says which exist', () => {
  assert.equal(getLogParser('pytest'), parsePytestLog);
  assert.throws(() => getLogParser('jest'), /unknown log_parser "jest".*pytest/);
});

test('grading: resolved needs every F2P and P2P passing; XFAIL passes; a skipped F2P fails; a skipped P2P is kept', () => {
  const { log, exitCode } = fixture('mixed');
  const parsed = parsePytestLog(log);
  const base = { ...parsed, exitCode, timedOut: false };
  const ok = grade({ ...base, exitCode: 0, FAIL_TO_PASS: [`${M}test_pass`, `${M}test_xfail`], PASS_TO_PASS: [`${M}test_param[a b]`, `${M}test_skip`] });
  assert.equal(ok.resolved, true);
  assert.deepEqual(ok.PASS_TO_PASS.success, [`${M}test_param[a b]`, `${M}test_skip`]);
  assert.ok(ok.warnings.some((w) => /exit code 0 but/.test(w)), 'a real log with FAILED lines but exit 0 is noted');

  const skippedF2p = grade({ ...base, FAIL_TO_PASS: [`${M}test_skip`], PASS_TO_PASS: [] });
  assert.equal(skippedF2p.resolved, false);
  assert.deepEqual(skippedF2p.FAIL_TO_PASS.failure, [`${M}test_skip`]);

  const broken = grade({ ...base, FAIL_TO_PASS: [`${M}test_pass`], PASS_TO_PASS: [`${M}test_fail`, `${M}test_error`, `${M}test_missing`] });
  assert.equal(broken.resolved, false);
  assert.deepEqual(broken.PASS_TO_PASS.failure, [`${M}test_fail`, `${M}test_error`, `${M}test_missing`]);
  assert.equal(broken.error, null);
});

test('grading: tests of a file that failed to collect fail', () => {
  const { log, exitCode } = fixture('collection-error');
  const g = grade({ ...parsePytestLog(log), exitCode, timedOut: false, FAIL_TO_PASS: ['tests/test_broken.py::test_never'], PASS_TO_PASS: ['tests/test_ok.py::test_ok'] });
  assert.equal(exitCode, 2);
  assert.equal(g.resolved, false);
  assert.equal(g.error, null);
  assert.deepEqual(g.PASS_TO_PASS.failure, ['tests/test_ok.py::test_ok']);
});

test('grading: fake PASSED lines with a failing exit code and no FAILED line are not trusted', () => {
  const { log, exitCode } = fixture('fake-passed');
  const parsed = parsePytestLog(log);
  assert.equal(parsed.statusMap['tests/test_target.py::test_target'], 'PASSED', 'the forged line parses like a real one');
  const g = grade({ ...parsed, exitCode, timedOut: false, FAIL_TO_PASS: ['tests/test_target.py::test_target'], PASS_TO_PASS: [] });
  assert.equal(exitCode, 1);
  assert.equal(g.resolved, false);
  assert.match(g.warnings.join('\n'), /not trusted/);
});

test('grading: a run that collected nothing is a plain failure, a log with no sign of pytest is an infrastructure error', () => {
  const noTests = fixture('no-tests');
  const ran = grade({ ...parsePytestLog(noTests.log), exitCode: noTests.exitCode, timedOut: false, FAIL_TO_PASS: ['tests/test_nothing.py::test_x'], PASS_TO_PASS: [] });
  assert.equal(noTests.exitCode, 5);
  assert.equal(ran.resolved, false);
  assert.equal(ran.error, null);

  const notStarted = fixture('not-started');
  const parsed = parsePytestLog(notStarted.log);
  assert.equal(parsed.suiteRan, false);
  const g = grade({ ...parsed, exitCode: notStarted.exitCode, timedOut: false, FAIL_TO_PASS: ['a::b'], PASS_TO_PASS: [] });
  assert.equal(g.resolved, false);
  assert.match(g.error ?? '', /no sign the test runner started/);

  const empty = grade({ ...parsePytestLog(''), exitCode: 0, timedOut: false, FAIL_TO_PASS: [], PASS_TO_PASS: [] });
  assert.equal(empty.resolved, false, 'an empty log never passes, even with nothing to check');
  assert.notEqual(empty.error, null);
});

test('grading: a timed-out run is not resolved even when the printed part passed', () => {
  const log = 'tests/t.py::test_a PASSED\n';
  const g = grade({ ...parsePytestLog(log), exitCode: null, timedOut: true, FAIL_TO_PASS: ['tests/t.py::test_a'], PASS_TO_PASS: [] });
  assert.equal(g.resolved, false);
  assert.match(g.warnings.join(''), /timed out/);
});

test('the test output is cut between the start and end markers', () => {
  const out = `setup noise\n${TEST_START_MARKER}\nPASSED a::b\n${TEST_END_MARKER}\nteardown noise\n`;
  assert.deepEqual(betweenMarkers(out), { log: 'PASSED a::b\n', complete: true });
  assert.deepEqual(betweenMarkers(`${TEST_START_MARKER}\nPASSED a::b\n`), { log: 'PASSED a::b\n', complete: false });
});

test('report.json and predictions in the harness shapes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'swe-report-'));
  const result = (id: string, resolved: boolean, patch: string, error: string | null): VerificationResult => ({
    instance_id: id,
    model_patch: patch,
    patch_applied: patch !== '',
    apply_method: patch !== '' ? 'git apply' : null,
    test_exit_code: 0,
    status_map: {},
    FAIL_TO_PASS: { success: resolved ? ['t::a'] : [], failure: resolved ? [] : ['t::a'] },
    PASS_TO_PASS: { success: [], failure: [] },
    resolved,
    error,
    log_ref: null,
  });
  const results = [result('b', true, 'diff', null), result('a', false, 'diff', null), result('c', false, '', null), result('d', false, 'diff', 'no sign')];
  writeReport(results, path.join(dir, 'report.json'));
  writePredictions(results, 'student-iter-1', path.join(dir, 'preds.jsonl'));
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(report.schema_version, 2);
  assert.equal(report.total_instances, 4);
  assert.deepEqual(report.resolved_ids, ['b']);
  assert.deepEqual(report.unresolved_ids, ['a']);
  assert.deepEqual(report.empty_patch_ids, ['c']);
  assert.deepEqual(report.error_ids, ['d']);
  assert.deepEqual(report.instances.b.tests_status.FAIL_TO_PASS, { success: ['t::a'], failure: [] });
  assert.equal(report.instances.c.patch_exists, false);
  const preds = readFileSync(path.join(dir, 'preds.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(preds[0], { instance_id: 'b', model_name_or_path: 'student-iter-1', model_patch: 'diff' });
  assert.equal(preds.length, 4);
});
