/**
 * The verifier end to end in Docker, judged against SWE-bench's harness: for a bundled task and patches that
 * fix it, do nothing, forge a pass, rewrite outcomes through a root conftest.py or fail to apply, the
 * verifier's verdict equals what the package decides on the verifier's own test log (get_eval_report, as
 * run_evaluation calls it), and tampering is flagged (and rejected when asked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { venvPython } from '../config/paths';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { harnessReports } from '../env/swe/harness-report';
import { loadSuite } from '../env/swe/instances';
import { verify, type SweVerification } from '../env/swe/verifier';

const SUITE = path.join(__dirname, '..', 'tasks', 'swe-mini');
const LIMITS: SandboxLimits = { memoryMb: 1024, cpus: 1, pids: 256, commandTimeoutS: 120, lifetimeS: 900 };
const task = loadSuite(SUITE).instances[0];

const newFile = (file: string, lines: string[]) =>
  [`diff --git a/${file} b/${file}`, 'new file mode 100644', '--- /dev/null', `+++ b/${file}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') + '\n';

/** A root conftest.py that turns every failing test into a pass: pytest exits 0 and the log is clean. */
const REWRITE = newFile('conftest.py', [
  'import pytest',
  '',
  '',
  '@pytest.hookimpl(hookwrapper=True)',
  'def pytest_runtest_makereport(item, call):',
  '    outcome = yield',
  '    report = outcome.get_result()',
  '    report.outcome = "passed"',
  '    report.longrepr = None',
]);
/** A root conftest.py that deselects everything, prints forged PASSED lines and exits 1. */
const FORGE = newFile('conftest.py', [
  'def pytest_collection_modifyitems(items):',
  '    items[:] = []',
  '',
  '',
  'def pytest_terminal_summary(terminalreporter):',
  ...task.FAIL_TO_PASS.concat(task.PASS_TO_PASS).map((id) => `    terminalreporter.write_line("PASSED ${id}")`),
  '',
  '',
  'def pytest_sessionfinish(session):',
  '    session.exitstatus = 1',
]);
const BROKEN = 'diff --git a/nowhere.py b/nowhere.py\n--- a/nowhere.py\n+++ b/nowhere.py\n@@ -1,1 +1,1 @@\n-old\n+new\n';

/** The package's verdict on the verifier's own log, computed apart from our code. */
function harnessVerdict(result: SweVerification): boolean {
  const program = String.raw`
import json, sys, tempfile
from swebench.harness.grading import get_eval_report
from swebench.types import TestSpec
case = json.load(sys.stdin)
spec = TestSpec(instance_id=case["id"], image="", eval_script_list=[], repo=case["repo"], version="", FAIL_TO_PASS=case["f2p"],
                PASS_TO_PASS=case["p2p"], log_parser="parse_log_pytest", eval_type="pass_and_fail")
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
    f.write(case["log"])
print(json.dumps(get_eval_report(spec, {"instance_id": case["id"], "model_patch": "x", "model_name_or_path": "m"}, f.name, True)[case["id"]]["resolved"]))
`;
  const input = JSON.stringify({ id: task.instance_id, repo: task.repo, f2p: task.FAIL_TO_PASS, p2p: task.PASS_TO_PASS, log: result.test_output });
  return JSON.parse(execFileSync(venvPython(), ['-c', program], { input, encoding: 'utf8', env: { ...process.env, PYTHONUTF8: '1' } })) as boolean;
}

test('verdicts equal the harness on the verifier\'s own logs; tampering flagged, rejected on request; report outcomes', { timeout: 600_000 }, async () => {
  const sandboxes = new DockerSandboxes();
  const run = (patch: string, rejectTampering = false) =>
    verify(sandboxes, task, patch, { suiteDir: SUITE, limits: LIMITS, rejectTampering, labels: { 'agent-dagger.test': 'swe-verify-harness' } });

  const gold = await run(task.patch);
  assert.equal(gold.resolved, true, gold.test_output);
  assert.equal(harnessVerdict(gold), true);
  assert.match(gold.test_output, /^>>>>> Start Test Output\n[\s\S]*>>>>> End Test Output\n>>>>> Test Exit Code: 0\n$/);
  assert.deepEqual(gold.tampering, []);
  assert.deepEqual(gold.harness_report?.tests_status?.FAIL_TO_PASS, { success: task.FAIL_TO_PASS, failure: [] });

  const rewritten = await run(REWRITE);
  assert.equal(harnessVerdict(rewritten), true, 'the harness is fooled by a conftest that rewrites outcomes');
  assert.equal(rewritten.resolved, true, 'so is the verifier by default, as the harness');
  assert.deepEqual(rewritten.tampering.map((t) => t.path), ['conftest.py']);
  const rejected = await run(REWRITE, true);
  assert.equal(rejected.resolved, false);
  assert.match(rejected.warnings.join('\n'), /rejectTampering/);

  const forged = await run(FORGE);
  assert.equal(forged.test_exit_code, 1);
  assert.equal(harnessVerdict(forged), false);
  assert.equal(forged.resolved, false);
  assert.equal(forged.error, null, 'a forged log is the patch\'s failure, not an infrastructure error');

  const broken = await run(BROKEN);
  assert.equal(broken.patch_applied, false);
  assert.equal(broken.harness_report, null);

  const empty = await run('');
  assert.equal(empty.resolved, false);
  assert.equal(harnessVerdict(empty), false, 'the empty patch leaves the FAIL_TO_PASS tests failing');

  const { report } = harnessReports([gold, { ...rewritten, instance_id: 'rewritten' }, { ...forged, instance_id: 'forged' }, { ...broken, instance_id: 'broken' }, { ...empty, instance_id: 'empty' }]);
  assert.deepEqual(report.resolved_ids, [task.instance_id, 'rewritten'].sort());
  assert.deepEqual(report.unresolved_ids, ['forged']);
  assert.deepEqual(report.error_ids, ['broken']);
  assert.deepEqual(report.empty_patch_ids, ['empty']);
  assert.deepEqual(report.tampering_ids, ['forged', 'rewritten']);
});
