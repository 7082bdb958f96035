/**
 * Tasks in real (pre-built) images, as SWE-Gym and SWE-bench ship them: the repository is already in the image's
 * workdir. Such an image is made here from the bundled sandbox image: a swe-mini repository set up in a container's
 * own filesystem at /testbed, then `docker commit`ted. Episodes on it run with the workspace tmpfs configured
 * (`workspaceMb`), which must not hide that repository; the bundled oracle, served for an evaluation suite of such
 * tasks, must know them (the teacher ceiling).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { toOpenAIMessages } from '../activities/policy';
import { bundledPolicyTasks, startBundledPolicies } from '../cli/bundled-policies';
import { parseConfig } from '../config/load';
import { PROJECT_ROOT } from '../config/paths';
import { turnMessages, type Message } from '../core/types';
import { DockerSandboxes, type SandboxLimits } from '../env/sandbox/docker';
import { ensureSandboxImage } from '../env/sandbox/setup';
import { sandboxLimitsFor, SweEnvironment } from '../env/swe/environment';
import { isRealImage, loadSuite } from '../env/swe/instances';
import { setupWorkspace } from '../env/swe/workspace';
import { parseNativeAction } from '../env/tools/text-format';
import type { TaskInstance } from '../env/types';

const SWE_MINI = path.join(PROJECT_ROOT, 'tasks', 'swe-mini');
const TOY_SUITE = path.join(PROJECT_ROOT, 'tasks', 'toy', 'instances.jsonl');
const LABELS = { 'agent-dagger.test': `real-images-${process.pid}` };
const LIMITS: SandboxLimits = { memoryMb: 512, cpus: 1, pids: 256, commandTimeoutS: 60, lifetimeS: 600, workspaceMb: 64 };
const REAL_IMAGE = { repo: 'agent-dagger/test-real-image', tag: String(process.pid) };

const docker = new Dockerode();
const sandboxes = new DockerSandboxes();
const env = new SweEnvironment(sandboxes, SWE_MINI, LIMITS, { labels: LABELS });
const bundled = loadSuite(SWE_MINI).instances[0];
const { repo_dir: _repoDir, ...withoutRepoDir } = bundled;
/** The same task, its repository in the image: what a SWE-Gym / SWE-bench row becomes. */
const real: TaskInstance = { ...withoutRepoDir, image: `${REAL_IMAGE.repo}:${REAL_IMAGE.tag}` };

/** What is mounted at the task's workdir inside a sandbox ('' when it is part of the root filesystem). */
async function mountAt(id: string, dir: string): Promise<string> {
  const r = await sandboxes.exec(id, `awk -v d=${dir} '$2 == d {print $3}' /proc/mounts`, { user: 'root' });
  return r.output.trim();
}

before(async () => {
  ensureSandboxImage();
  const { workspaceMb: _tmpfs, ...unbounded } = LIMITS;
  const id = await sandboxes.create({ image: bundled.image, workdir: bundled.workdir, labels: LABELS, limits: unbounded });
  try {
    await setupWorkspace(sandboxes, id, bundled, { suiteDir: SWE_MINI });
    // Like SWE-bench / SWE-Gym images: root only, the repository owned by root.
    const rootOnly = await sandboxes.exec(id, `chown -R root:root ${bundled.workdir} && userdel agent`, { user: 'root' });
    assert.equal(rootOnly.exitCode, 0, rootOnly.output);
    await docker.getContainer(id).commit(REAL_IMAGE);
  } finally {
    await sandboxes.destroy(id);
  }
});

after(async () => {
  for (const id of await sandboxes.list(LABELS)) await sandboxes.destroy(id);
  await docker.getImage(real.image).remove({ force: true });
  await sandboxes.close();
});

test('the workspace tmpfs is not mounted over the repository of a real image', async () => {
  assert.ok(isRealImage(real) && !isRealImage(bundled));
  // The premise: a tmpfs at the workdir hides what the image holds there.
  const hidden = await sandboxes.create({ image: real.image, workdir: real.workdir, labels: LABELS, limits: LIMITS });
  assert.equal((await sandboxes.exec(hidden, `ls -A ${real.workdir}`)).output, '');
  await sandboxes.destroy(hidden);

  assert.equal(sandboxLimitsFor(real, LIMITS).workspaceMb, undefined);
  assert.equal(sandboxLimitsFor(bundled, LIMITS), LIMITS);
  const handle = await env.start(real, `real-images-${process.pid}`);
  try {
    assert.equal(await mountAt(handle, real.workdir), '');
    const head = await sandboxes.exec(handle, 'git rev-parse HEAD && git status --porcelain && ls && id -un');
    assert.equal(head.exitCode, 0, head.output);
    assert.match(head.output, new RegExp(`^${real.base_commit}\n`));
    assert.match(head.output, /^root$/m); // an image without the agent user runs the agent as root
    assert.match(head.output, /^tests$/m);
  } finally {
    await env.destroy(handle);
  }
  // A bundled task still gets its bounded workspace.
  const bounded = await env.start(bundled, `bundled-${process.pid}`);
  try {
    assert.equal(await mountAt(bounded, bundled.workdir), 'tmpfs');
  } finally {
    await env.destroy(bounded);
  }
});

test('the bundled oracle knows the evaluation suite and resolves its real-image task end to end', { timeout: 300_000 }, async () => {
  const evalSuite = path.join(mkdtempSync(path.join(os.tmpdir(), 'real-suite-')), 'instances.jsonl');
  writeFileSync(evalSuite, JSON.stringify(real) + '\n');
  const raw = {
    name: 'real-images',
    algorithm: { kind: 'dagger' },
    teacher: { kind: 'bundled', name: 'oracle', temperature: 0 },
    student: { kind: 'bundled', name: 'noisy' },
    tasks: { suite: TOY_SUITE },
  };
  const ids = (config: Record<string, unknown>) => bundledPolicyTasks(parseConfig(config)).map((t) => t.instance_id);
  assert.equal(ids(raw).includes(real.instance_id), false, 'the toy suite does not hold the swe-mini task');
  assert.ok(ids({ ...raw, evaluation: { episodes: 1, suite: evalSuite } }).includes(real.instance_id));

  const policies = await startBundledPolicies(parseConfig({ ...raw, evaluation: { episodes: 1, suite: evalSuite, teacherCeiling: true } }), { anyPort: true });
  const handle = await env.start(real, `real-images-oracle-${process.pid}`);
  try {
    const teacher = policies.resolved.teacher;
    assert.equal(teacher.kind, 'endpoint');
    if (teacher.kind !== 'endpoint') return;
    const client = new OpenAI({ baseURL: teacher.baseUrl, apiKey: 'none', maxRetries: 0 });
    const messages: Message[] = env.prompt(real);
    const tools = env.tools();
    const names: string[] = [];
    for (let t = 0; t < 40 && names.at(-1) !== 'finish'; t++) {
      const response = await client.chat.completions.create({
        model: teacher.model,
        messages: toOpenAIMessages(messages, true, tools),
        tools: tools as ChatCompletionTool[],
        temperature: 0,
      });
      const message = response.choices[0].message;
      const action = parseNativeAction(message.content ?? '', message.tool_calls ?? []);
      const step = await env.step(handle, action, `turn-${t}`);
      messages.push(...turnMessages(action, step.observation));
      names.push(action.toolCalls[0]?.name ?? '(none)');
    }
    assert.equal(names.at(-1), 'finish');
    assert.ok(names.length > 2, `the oracle acted on the task: ${names.join(' ')}`);
    const verification = await env.verify(handle, real);
    assert.equal(verification.error, null);
    assert.equal(verification.apply_method, 'git apply');
    assert.ok(verification.resolved, verification.test_output);
    console.log(`real-image task ${real.instance_id} resolved by the served oracle in ${names.length} turns`);
  } finally {
    await env.destroy(handle);
    await policies.close();
  }
});
