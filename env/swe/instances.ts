/**
 * Task sets: load a JSONL file of SWE-bench / SWE-Gym instances (or our bundled suites) and validate it.
 *
 * SWE-bench ships FAIL_TO_PASS / PASS_TO_PASS as JSON-encoded strings and SWE-Gym as lists; both are
 * normalised to lists. Real SWE-bench / SWE-Gym rows carry no image, workdir or test command: defaults
 * name their per-instance evaluation images (the family told by `environment_setup_commit`, which only
 * SWE-bench rows have), /testbed, and pytest with statuses printed. `log_parser` is normalised to a key
 * of the harness's PARSER_REGISTRY (default: the repository's parser in the harness, else pytest's) and
 * an unknown one is refused at load time; `checkImages` refuses instances whose image is not in Docker.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import type { TaskInstance, TaskSet } from '../types';
import { HARNESS_PARSERS, parserForRepo, resolveLogParser } from './parsers';

export const BUNDLED_IMAGE = 'agent-dagger/sandbox:latest';
export const DEFAULT_WORKDIR = '/testbed';
/**
 * `-rA` prints a status line per test, `-v` also names skipped tests (see parsers.ts). `{test_files}` is
 * replaced by the files the test_patch touches (as the SWE-bench harness runs only those).
 */
export const TEST_FILES_PLACEHOLDER = '{test_files}';
export const DEFAULT_TEST_CMD = `python -m pytest -rA -v -p no:cacheprovider ${TEST_FILES_PLACEHOLDER}`;

export type ImageFamily = 'swe-gym' | 'swe-bench';

/** SWE-Gym's evaluation images: `xingyaoww/sweb.eval.x86_64.<id with "__" → "_s_">`. */
export function sweGymImage(instanceId: string): string {
  return `xingyaoww/sweb.eval.x86_64.${instanceId.replaceAll('__', '_s_')}`.toLowerCase();
}

/** SWE-bench's evaluation images on Docker Hub: `swebench/sweb.eval.x86_64.<id with "__" → "_1776_">`. */
export function sweBenchImage(instanceId: string): string {
  return `swebench/sweb.eval.x86_64.${instanceId.replaceAll('__', '_1776_')}`.toLowerCase();
}

/**
 * Environment for commands in a real SWE-bench / SWE-Gym image: conda's `testbed` env is activated from
 * /root/.bashrc, which `bash -c` does not read unless BASH_ENV names it.
 */
export const REAL_IMAGE_ENV: Readonly<Record<string, string>> = { BASH_ENV: '/root/.bashrc' };

/** True for an instance whose image already holds the repository (no bundled `repo_dir`). */
export function isRealImage(task: TaskInstance): boolean {
  return task.repo_dir === undefined;
}

/** Extra environment variables commands need in this task's image. */
export function taskEnv(task: TaskInstance): Record<string, string> {
  return isRealImage(task) ? { ...REAL_IMAGE_ENV } : {};
}

const testList = z.preprocess((value, ctx) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'a JSON-encoded string must hold a JSON list of test ids' });
    return z.NEVER;
  }
}, z.array(z.string()));

const instanceSchema = z.looseObject({
  instance_id: z.string().min(1),
  repo: z.string().min(1),
  base_commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-hex-digit commit sha'),
  problem_statement: z.string().min(1),
  patch: z.string(),
  test_patch: z.string(),
  FAIL_TO_PASS: testList,
  PASS_TO_PASS: testList,
  version: z.string().optional(),
  hints_text: z.string().optional(),
  created_at: z.string().optional(),
  environment_setup_commit: z.string().optional(),
  image: z.string().min(1).optional(),
  workdir: z.string().startsWith('/').optional(),
  test_cmd: z.string().min(1).optional(),
  log_parser: z.string().min(1).optional(),
  eval_type: z.enum(['pass_and_fail', 'fail_only']).optional(),
  repo_dir: z.string().min(1).optional(),
});

export interface LoadOptions {
  /**
   * Image naming for rows without an `image` field (real SWE-Gym / SWE-bench rows). Default: per row, SWE-bench's
   * for a row with `environment_setup_commit` (SWE-bench and SWE-bench Verified carry it), else SWE-Gym's (its
   * rows have none).
   */
  imageFamily?: ImageFamily;
}

/** The image family of a row without an `image` field (see LoadOptions.imageFamily). */
export function imageFamilyOf(row: { environment_setup_commit?: string }, options: LoadOptions = {}): ImageFamily {
  return options.imageFamily ?? (row.environment_setup_commit ? 'swe-bench' : 'swe-gym');
}

/** Parses one JSONL line into a normalised instance; throws with the file, line and field on bad input. */
export function parseInstance(line: string, where: string, options: LoadOptions = {}): TaskInstance {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not valid JSON (${(err as Error).message}); each line must hold one instance object`);
  }
  const result = instanceSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${where}: invalid task instance: ${issues.join('; ')}`);
  }
  const row = result.data;
  // Checked here, not after the tests ran: the harness's parser must exist before any episode starts.
  const logParser = row.log_parser === undefined ? parserForRepo(row.repo) : resolveLogParser(row.log_parser);
  if (logParser === null) {
    const names = HARNESS_PARSERS.map((p) => p.replace(/^parse_log_/, '')).join(', ');
    throw new Error(`${where}: instance ${row.instance_id}: field log_parser: "${row.log_parser}" is not one of SWE-bench's log parsers; use one of ${names} (or its parse_log_* name), or drop the field to use the repository's parser`);
  }
  const image = row.image ?? (imageFamilyOf(row, options) === 'swe-bench' ? sweBenchImage(row.instance_id) : sweGymImage(row.instance_id));
  const instance: TaskInstance = {
    ...row,
    image,
    workdir: row.workdir ?? DEFAULT_WORKDIR,
    test_cmd: row.test_cmd ?? DEFAULT_TEST_CMD,
    log_parser: logParser,
  };
  return instance;
}

/** Loads a JSONL task set; the set's name is the file's directory name (e.g. `swe-mini`). */
export function loadTaskSet(file: string, options: LoadOptions = {}): TaskSet {
  const text = readFileSync(file, 'utf8');
  const instances: TaskInstance[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    const instance = parseInstance(line, where, options);
    const earlier = seen.get(instance.instance_id);
    if (earlier !== undefined) throw new Error(`${where}: field instance_id: "${instance.instance_id}" repeats line ${earlier}`);
    seen.set(instance.instance_id, index + 1);
    instances.push(instance);
  });
  return { name: path.basename(path.dirname(path.resolve(file))), instances };
}

/** Loads a bundled suite directory (`<dir>/instances.jsonl`). */
export function loadSuite(suiteDir: string): TaskSet {
  return loadTaskSet(path.join(suiteDir, 'instances.jsonl'));
}

/** Instance ids listed in a split file (one id per line, `#` comments), checked against the task set. */
export function readSplit(file: string, taskSet: TaskSet): string[] {
  const known = new Set(taskSet.instances.map((i) => i.instance_id));
  const ids: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const id = line.replace(/#.*/, '').trim();
      if (id === '') return;
      if (!known.has(id)) throw new Error(`${file}:${index + 1}: unknown instance id "${id}" (not in task set ${taskSet.name})`);
      ids.push(id);
    });
  return ids;
}

/** Whether an image is in the local Docker: true / false, or null when Docker cannot be asked. */
export type ImageProbe = (image: string) => Promise<boolean | null>;

/** Probes the local Docker engine (no pull: sandboxes never pull either). */
export function dockerImageProbe(docker: Dockerode): ImageProbe {
  return async (image) => {
    try {
      await docker.getImage(image).inspect();
      return true;
    } catch (err) {
      return (err as { statusCode?: number }).statusCode === 404 ? false : null;
    }
  };
}

/**
 * Refuses, before any episode runs, instances whose image is not in the local Docker, naming each instance,
 * its image and the task file. Skipped (nothing refused) when Docker cannot be asked: the sandbox's own
 * error then says what is wrong.
 */
export async function checkImages(file: string, instances: TaskInstance[], probe: ImageProbe): Promise<void> {
  const known = new Map<string, boolean | null>();
  const missing: TaskInstance[] = [];
  for (const instance of instances) {
    if (!known.has(instance.image)) known.set(instance.image, await probe(instance.image));
    const present = known.get(instance.image);
    if (present === null) return;
    if (!present) missing.push(instance);
  }
  if (missing.length === 0) return;
  const listed = missing.slice(0, 20).map((i) => `${i.instance_id} (${i.image})`).join(', ');
  throw new Error(
    `${file}: ${missing.length} instance(s) need an image that is not in the local Docker: ${listed}${missing.length > 20 ? ', …' : ''}; ` +
      `pull or build them (\`docker pull <image>\`), or set the rows' image field to images you have`,
  );
}
