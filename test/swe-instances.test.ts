/** Loading task sets: SWE-bench / SWE-Gym rows are normalised, bad rows are named by file, line and field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import { checkImages, dockerImageProbe, loadTaskSet, REAL_IMAGE_ENV, sweBenchImage, sweGymImage, taskEnv } from '../env/swe/instances';

const row = {
  instance_id: 'getmoto__moto-5752',
  repo: 'getmoto/moto',
  base_commit: 'b2300f1eae1323e3e8bc45f97e530ce129dff12e',
  problem_statement: 'A real issue text',
  patch: 'diff --git a/x b/x\n',
  test_patch: 'diff --git a/t b/t\n',
};

function write(lines: unknown[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tasks-'));
  const file = path.join(dir, 'instances.jsonl');
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

test('SWE-bench rows: JSON-encoded test lists, default image, workdir, test command and conda env', () => {
  const file = write([{ ...row, FAIL_TO_PASS: '["tests/a.py::t1"]', PASS_TO_PASS: '[]' }]);
  const [task] = loadTaskSet(file, { imageFamily: 'swe-bench' }).instances;
  assert.deepEqual(task.FAIL_TO_PASS, ['tests/a.py::t1']);
  assert.deepEqual(task.PASS_TO_PASS, []);
  assert.equal(task.image, 'swebench/sweb.eval.x86_64.getmoto_1776_moto-5752');
  assert.equal(task.workdir, '/testbed');
  assert.equal(task.log_parser, 'parse_log_pytest', "the harness's parser for a repository it does not map");
  assert.match(task.test_cmd, /pytest -rA .*\{test_files\}/);
  assert.deepEqual(taskEnv(task), REAL_IMAGE_ENV);
});

test('SWE-Gym rows: real lists and the xingyaoww image naming', () => {
  const file = write([{ ...row, instance_id: 'Project-MONAI__MONAI-3403', FAIL_TO_PASS: ['a::b'], PASS_TO_PASS: ['c::d'] }]);
  const set = loadTaskSet(file);
  assert.equal(set.instances[0].image, 'xingyaoww/sweb.eval.x86_64.project-monai_s_monai-3403');
  assert.equal(sweGymImage('a__b-1'), 'xingyaoww/sweb.eval.x86_64.a_s_b-1');
  assert.equal(sweBenchImage('a__b-1'), 'swebench/sweb.eval.x86_64.a_1776_b-1');
});

test('errors name the file, the line and the field', () => {
  const file = write([{ ...row, FAIL_TO_PASS: [], PASS_TO_PASS: [] }, '', { ...row, instance_id: 'x', base_commit: 'abc', FAIL_TO_PASS: 'not json', PASS_TO_PASS: [] }]);
  assert.throws(() => loadTaskSet(file), (err: Error) => {
    assert.match(err.message, new RegExp(`${file}:3: invalid task instance`));
    assert.match(err.message, /field base_commit: must be a 40-hex-digit commit sha/);
    assert.match(err.message, /field FAIL_TO_PASS: a JSON-encoded string must hold a JSON list/);
    return true;
  });
  assert.throws(() => loadTaskSet(write(['{oops'])), /instances\.jsonl:1: not valid JSON/);
  assert.throws(() => loadTaskSet(write([{ ...row, FAIL_TO_PASS: [], PASS_TO_PASS: [] }, { ...row, FAIL_TO_PASS: [], PASS_TO_PASS: [] }])), /:2: field instance_id: "getmoto__moto-5752" repeats line 1/);
});

test("log_parser: the repository's parser in the harness by default, short names accepted, an unknown one refused at load", () => {
  const base = { ...row, FAIL_TO_PASS: [], PASS_TO_PASS: [] };
  const file = write([
    { ...base, instance_id: 'django__django-11099', repo: 'django/django' },
    { ...base, instance_id: 'sympy__sympy-20590', repo: 'sympy/sympy' },
    { ...base, instance_id: 'a__b-1', log_parser: 'pytest_v2' },
    { ...base, instance_id: 'a__b-2', log_parser: 'parse_log_pytest' },
  ]);
  assert.deepEqual(
    loadTaskSet(file).instances.map((i) => i.log_parser),
    ['parse_log_django', 'parse_log_sympy', 'parse_log_pytest_v2', 'parse_log_pytest'],
  );
  const bad = write([base, { ...base, instance_id: 'x__y-2', log_parser: 'nosetests' }]);
  assert.throws(() => loadTaskSet(bad), (err: Error) => {
    assert.match(err.message, new RegExp(`^${bad}:2: instance x__y-2: field log_parser: "nosetests" is not one of SWE-bench's log parsers; use one of .*django, .*pytest`));
    return true;
  });
});

test('images: a missing image is refused naming the instance, the image and the file; nothing is refused when Docker cannot be asked', async () => {
  const file = write([{ ...row, FAIL_TO_PASS: [], PASS_TO_PASS: [] }]);
  const set = loadTaskSet(file, { imageFamily: 'swe-bench' });
  const present = (images: string[]) => async (image: string) => images.includes(image);
  await checkImages(file, set.instances, present([set.instances[0].image]));
  await assert.rejects(checkImages(file, set.instances, present([])), (err: Error) => {
    assert.match(err.message, new RegExp(`^${file}: 1 instance\\(s\\) need an image that is not in the local Docker: getmoto__moto-5752 \\(swebench/sweb\\.eval\\.x86_64\\.getmoto_1776_moto-5752\\)`));
    return true;
  });
  await checkImages(file, set.instances, async () => null);
  // The real probe against this machine's Docker (the bundled image exists once bootstrap ran; the made-up one never).
  const probe = dockerImageProbe(new Dockerode());
  const made = await probe('agent-dagger/no-such-image:never');
  if (made !== null) {
    assert.equal(made, false);
    assert.equal(await probe('agent-dagger/sandbox:latest'), true);
  }
});

