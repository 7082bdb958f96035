/**
 * The experiment configuration: one typed, validated schema with every default visible here.
 *
 * Validated before any work starts (CLI, or the activity that reads a config file); workflows receive the
 * parsed plain object and never import zod (heavy schemas in workflow code are loaded per cached workflow and cost memory).
 * Secrets are never part of a config: an endpoint names the environment variable that holds its key.
 */
import { z } from 'zod';
import { objectiveProblem, onPolicyProblems } from '../core/objective-rules';
import { HOST_LOSS_DEFAULTS } from '../core/host-loss';
import { effectiveSampleCountProblem } from '../core/records';

const probability = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();

const floor = probability.optional().describe('lower bound on β');
export const BetaScheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant'), value: probability, floor }).strict(),
  z
    .object({
      type: z.literal('linear'),
      start: probability,
      end: probability,
      iterations: positiveInt.describe('β reaches `end` at this iteration'),
      floor,
    })
    .strict(),
  z.object({ type: z.literal('exponential'), start: probability, gamma: z.number().positive().max(1), floor }).strict(),
  z.object({ type: z.literal('steps'), values: z.array(probability).min(1), floor }).strict(),
  z
    .object({
      type: z.literal('adaptive').describe('ours: β shrinks by `factor` after each iteration whose metric reached `threshold`'),
      start: probability,
      factor: z.number().gt(0).lt(1),
      threshold: probability,
      metric: z
        .enum(['agreement', 'success'])
        .describe("agreement: teacher–student agreement on visited states (needs student proposals or β < 1); success: held-out success, else rollout success"),
      floor,
    })
    .strict(),
]);

export const PrefixScheduleSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('uniform'),
      k0: z.number().int().min(0).describe('K_1: the largest student prefix at iteration 1'),
      growth: z.number().min(0).describe('K_i grows by this much per iteration'),
      kMax: z.number().int().min(0),
    })
    .strict(),
  z.object({ type: z.literal('steps'), values: z.array(z.number().int().min(0)).min(1) }).strict(),
]);

const common = {
  rejectionSampling: z
    .boolean()
    .default(false)
    .describe('keep only trajectories with reward 1 in the dataset (the SFT baseline)'),
  studentProposals: z
    .boolean()
    .default(false)
    .describe("also sample the student's own action where the teacher executes (agreement diagnostics)"),
  objective: z
    .enum(['imitation', 'opd', 'grpo'])
    .optional()
    .describe(
      "the paper's per-token weight w (default imitation: the teacher's label, w = 1); opd: the student's own tokens, w = log π* − log π_θ (needs a teacher that shares the student's tokenizer); grpo: the student's own samples, w = the group-normalised advantage. opd and grpo roll out the student alone (beta: constant 0) (docs/trainer.md, Objectives)",
    ),
  groupSize: z
    .number()
    .int()
    .min(2)
    .optional()
    .describe(
      'grpo: G, the rollouts of each task in an iteration (default 8); rollout.episodesPerIteration counts episodes, so an iteration draws episodesPerIteration / G tasks (it must divide)',
    ),
  klCoef: z
    .number()
    .min(0)
    .optional()
    .describe("grpo: β of the KL term to the reference policy, the student's initial model (default 0: none; > 0 also scores every sampled token under the reference)"),
  clipEpsilon: z.number().gt(0).lt(1).optional().describe("grpo: the surrogate's clip range ε (default 0.2)"),
};


export const AlgorithmSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('dagger').describe('per-turn mixture: z_t ~ Bernoulli(β_i)'),
      beta: BetaScheduleSchema.default({ type: 'linear', start: 1, end: 0, iterations: 3 }),
      ...common,
    })
    .strict(),
  z
    .object({
      kind: z.literal('aggrevate').describe('student prefix k ~ d_i, then the teacher'),
      prefix: PrefixScheduleSchema.default({ type: 'uniform', k0: 2, growth: 2, kMax: 20 }),
      ...common,
    })
    .strict(),
]);

const sampling = {
  temperature: z.number().min(0).max(2).default(0.7),
  topP: z.number().gt(0).max(1).default(0.9),
  maxTokens: positiveInt.default(2048).describe('completion tokens per action'),
  timeoutS: z.number().positive().default(300).describe('one request; Temporal retries after it'),
  toolFormat: z
    .enum(['native', 'text'])
    .default('native')
    .describe('native OpenAI tool calls, or the <function=…> text form for models without tool calling'),
};

const port = z
  .number()
  .int()
  .min(0)
  .max(65535)
  .optional()
  .describe('local port (default: 8401 teacher, 8402 student; stable so a resumed experiment finds it; 0 = any)');

const sharesStudentTokenizer = z
  .boolean()
  .optional()
  .describe("teacher only: it tokenises exactly as the student does, so its log-probabilities score the student's own tokens (what objective opd needs)");

export const PolicySchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('endpoint'),
      baseUrl: z.url().describe('an OpenAI-compatible API base, e.g. http://host:8000/v1'),
      model: z.string().min(1),
      apiKeyEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .optional()
        .describe("name of the worker's environment variable holding the API key"),
      sharesStudentTokenizer,
      ...sampling,
    })
    .strict(),
  z
    .object({
      kind: z.literal('bundled').describe('a policy bundled with the project, served locally by the CLI'),
      name: z.enum(['oracle', 'noisy']),
      noise: probability.default(0.3).describe('noisy: probability of an off-track action per turn'),
      port,
      ...sampling,
    })
    .strict(),
  z
    .object({
      kind: z.literal('local').describe('a model directory served on this machine by the bundled server (agent_dagger_trainer serve)'),
      model: z.string().min(1).describe('the model directory (relative paths: from the config file)'),
      init: z
        .enum(['none', 'tiny'])
        .default('none')
        .describe("'tiny': create a tiny model from scratch in `model` when the directory does not exist"),
      tiny: z
        .object({
          template: z
            .enum(['chatml-json', 'chatml-brief', 'header-xml'])
            .default('chatml-json')
            .describe("the tiny model's chat template: chatml-json (tools as JSON schemas), chatml-brief (one line per tool), header-xml (text calls)"),
          copyWarmupSteps: z
            .number()
            .int()
            .min(0)
            .default(0)
            .describe('pre-train the new model on repeating random spans for this many steps, so it can copy from its context (≈ 22 steps/s on one CPU core; 0: none)'),
        })
        .strict()
        .default({ template: 'chatml-json', copyWarmupSteps: 0 })
        .describe('how init: tiny makes the model (ignored when the directory exists)'),
      sharesStudentTokenizer,
      port,
      ...sampling,
    })
    .strict(),
]);

const SplitSchema = z.union([
  z.literal('all'),
  z.object({ ids: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ file: z.string().min(1).describe('a text file with one instance id per line') }).strict(),
]);

export const TasksSchema = z
  .object({
    environment: z.literal('swe').default('swe'),
    suite: z.string().min(1).describe('instances JSONL (SWE-bench / SWE-Gym format)'),
    train: SplitSchema.default('all'),
    heldout: SplitSchema.optional(),
    prompt: z
      .enum(['openhands', 'compact'])
      .default('openhands')
      .describe('how the task and tools are described: openhands (full), or compact (short prompt, same tools) for tiny students'),
    rejectTampering: z
      .boolean()
      .default(false)
      .describe("count a patch that adds or changes test infrastructure (conftest.py, pytest settings, sitecustomize, .pth files) as unresolved; off matches SWE-bench's harness, which only grades the tests' output (flagged patches are reported either way)"),
  })
  .strict();

export const SandboxSchema = z
  .object({
    memoryMb: positiveInt.default(2048),
    cpus: z.number().positive().default(1),
    pids: positiveInt.default(256),
    commandTimeoutS: positiveInt.default(120),
    lifetimeS: positiveInt.default(4 * 3600),
    workspaceMb: positiveInt
      .default(1024)
      .describe('tmpfs size of the workdir of bundled tasks (read-only root; /tmp, /var/tmp and the home are tmpfs too, all within 3/4 of memoryMb); real-image tasks get none (docs/sandbox.md)'),
    // Optional, their defaults applied where they are used: experiment inputs recorded before them stay valid.
    snapshotMaxBytes: positiveInt
      .optional()
      .describe(`bound of the workspace snapshot taken after every step (the agent's changes as git patches, stored once per turn) so an episode can continue on another host; an episode whose workspace outgrows it ends as an error (default ${HOST_LOSS_DEFAULTS.snapshotMaxBytes}; docs/durability.md)`),
    hostLossTimeoutS: positiveInt
      .optional()
      .describe(`seconds a sandbox step may wait in its host's queue (Temporal's schedule-to-start timeout) before the host counts as lost and the episode moves to another host with its last workspace snapshot (default ${HOST_LOSS_DEFAULTS.hostLossTimeoutS})`),
  })
  .strict();

export const RolloutSchema = z
  .object({
    episodesPerIteration: positiveInt.default(8),
    maxTurns: positiveInt.default(30).describe('T_max'),
    maxConsecutiveFormatErrors: positiveInt.default(3),
    concurrency: positiveInt.default(4).describe('episodes running at once in an iteration'),
    maxObservationChars: positiveInt.default(10000).describe('observations longer than this are cut head + tail'),
    sandbox: SandboxSchema.default(SandboxSchema.parse({})),
  })
  .strict();

const trainStep = {
  continueFromPrevious: z.boolean().default(true).describe("start each step from the previous iteration's checkpoint"),
  demonstrations: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "D_0: TrajectoryRecord JSONL files (e.g. an earlier run's datasets/iter-1.jsonl) trained on in every step together with this run's D_1 … D_i (relative paths: from the config file)",
    ),
  options: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('passed through to the trainer config (bundled trainer: lr, epochs, batch_size, method, lora, … see docs/trainer.md; checked by the bundled trainer itself when the config loads)'),
  timeoutS: positiveInt.default(24 * 3600),
};

export const TrainerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none').describe('collect data only: the student does not learn') }).strict(),
  z
    .object({
      kind: z.literal('bundled').describe("the project's trainer (trainer/: torch, transformers, peft) in the project venv"),
      model: z.string().min(1).describe('the base model directory the first step starts from'),
      ...trainStep,
    })
    .strict(),
  z
    .object({
      kind: z.literal('command'),
      command: z
        .array(z.string())
        .min(1)
        .describe('argv of the trainer; {config} is replaced by the path of the train-step JSON config'),
      model: z.string().min(1).describe('the base model directory or name the first step starts from'),
      ...trainStep,
    })
    .strict(),
]);

export const DeploySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('load-adapter').describe("vLLM runtime loading: POST {student baseUrl}/load_lora_adapter"),
    })
    .strict(),
  z
    .object({
      kind: z.literal('command'),
      command: z.array(z.string()).min(1).describe('{checkpoint} and {name} are replaced'),
    })
    .strict(),
]);

export const EvaluationSchema = z
  .object({
    episodes: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('held-out episodes per iteration, student alone (0 = off); at most one per distinct task'),
    temperature: z.number().min(0).max(2).default(0).describe('0 = greedy'),
    suite: z
      .string()
      .min(1)
      .optional()
      .describe('instances JSONL to evaluate on instead of tasks.heldout (e.g. SWE-bench Verified; relative paths: from the config file)'),
    split: SplitSchema.optional().describe('the ids of `suite` to evaluate on (default: all of it)'),
    teacherCeiling: z
      .boolean()
      .default(false)
      .describe('once per experiment (iteration 1): evaluate the teacher alone (β = 1) on the same held-out tasks, the ceiling'),
    initial: z
      .boolean()
      .default(true)
      .describe('evaluate the starting student before any training (iteration 0), so every curve starts where the student started'),
    overlap: z
      .boolean()
      .optional()
      .describe("default true: run iteration i's evaluation beside iteration i+1's rollouts (same checkpoint, sharing rollout.concurrency); never when the next β adapts to held-out success, a budget is set, or no iteration follows"),
    suites: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes (it names episodes and report folders)')
              .describe('how reports name this suite, e.g. swe-bench-verified'),
            suite: z.string().min(1).describe('instances JSONL (relative paths: from the config file)'),
            split: SplitSchema.default('all').describe('the ids of `suite` to evaluate on'),
            episodes: positiveInt.optional().describe('tasks drawn from the split (default: `evaluation.episodes`); each task once'),
          })
          .strict(),
      )
      .default([])
      .refine((suites) => new Set(suites.map((s) => s.name)).size === suites.length, { message: 'suite names must be distinct' })
      .describe('more suites to evaluate the student alone on, every iteration, each reported with its own interval (e.g. SWE-Gym held-out and SWE-bench Verified)'),
  })
  .strict()
  .refine((e) => e.split === undefined || e.suite !== undefined, {
    message: '`split` selects ids of `evaluation.suite`; set `suite` too (without it, tasks.heldout is the held-out split)',
    path: ['split'],
  });

export const TemporalSchema = z
  .object({
    address: z.string().default('embedded').describe("'embedded' starts a local dev server; else host:port"),
    namespace: z.string().default('default'),
    tls: z
      .union([
        z.boolean(),
        z
          .object({
            serverCaCertPath: z.string().min(1).optional().describe("the server's CA (PEM); default: the system's trusted roots"),
            clientCertPath: z.string().min(1).optional().describe('client certificate for mTLS (PEM); needs clientKeyPath'),
            clientKeyPath: z.string().min(1).optional().describe("the client certificate's private key (PEM)"),
            serverName: z.string().min(1).optional().describe('TLS server name (SNI) when it differs from the address host'),
          })
          .strict(),
      ])
      .optional()
      .describe('TLS to the cluster: true, or files (relative to this config); off unless set or an API key is used'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable (the key itself never goes into a config)')
      .optional()
      .describe("environment variable holding the cluster's API key (e.g. Temporal Cloud), read by each worker and client; turns TLS on unless tls: false"),
  })
  .strict()
  .refine((t) => t.address !== 'embedded' || (t.tls === undefined && t.apiKeyEnv === undefined), {
    message: 'tls and apiKeyEnv are for a cluster at temporal.address (host:port); the embedded server uses neither',
  });

const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable (the credential itself never goes into a config)');

/** Where the run's records go: a directory every worker sees, or an S3-compatible bucket (store/location.ts). */
export const StoreSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('local') }).strict().describe('run directories under runRoot (this host, or a mount every host shares)'),
    z
      .object({
        kind: z.literal('s3'),
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name (lower-case letters, digits, '.', '-')"),
        prefix: z.string().regex(/^[^?#]*$/).optional().describe('key prefix of the runs; a run is <prefix>/<experimentId>/…'),
        endpoint: z.string().url().optional().describe('http(s) URL of an S3-compatible server; absent: AWS S3'),
        region: z.string().min(1).default('us-east-1'),
        forcePathStyle: z.boolean().default(false).describe('bucket in the path, not the host name (most S3-compatible servers)'),
        accessKeyEnv: envVarName.optional().describe('environment variable holding the access key id, read by each worker; absent: the SDK\'s default chain'),
        secretKeyEnv: envVarName.optional().describe('environment variable holding the secret key, read by each worker'),
      })
      .strict()
      .refine((s) => (s.accessKeyEnv === undefined) === (s.secretKeyEnv === undefined), {
        message: 'set both accessKeyEnv and secretKeyEnv, or neither (the SDK\'s default credential chain)',
      }),
  ])
  .describe("where records, datasets, checkpoints and reports go: 'local' (runRoot; also when absent) or an S3-compatible bucket every host reaches");

/** A budget in effective samples, the trained state–label pairs (core/records.ts, `effectiveSamples`). */
export const BudgetSchema = z
  .object({ effectiveSamples: positiveInt.describe('trained state–label pairs, summed over iterations') })
  .strict();

export const ExperimentConfigSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit'),
    seed: z.number().int().min(0).default(0),
    iterations: positiveInt.default(3),
    runRoot: z.string().default('runs').describe('run directories are created below this folder (store.kind local)'),
    // Optional rather than defaulted: configs recorded before it (running experiments' inputs) stay valid.
    store: StoreSchema.optional(),
    algorithm: AlgorithmSchema,
    student: PolicySchema,
    teacher: PolicySchema,
    tasks: TasksSchema,
    rollout: RolloutSchema.default(RolloutSchema.parse({})),
    trainer: TrainerSchema.default({ kind: 'none' }),
    deploy: DeploySchema.default({ kind: 'none' }),
    evaluation: EvaluationSchema.default(EvaluationSchema.parse({})),
    temporal: TemporalSchema.default(TemporalSchema.parse({})),
    budget: BudgetSchema.optional().describe('stop collecting once the cumulative count reaches this (`iterations` stays the cap)'),
  })
  .strict()
  // The same rules hold in the workflow (workflows/messages.ts), so both live in one zod-free module.
  .superRefine((config, ctx) => {
    const uncounted = config.budget && effectiveSampleCountProblem(config.algorithm.objective);
    if (uncounted) ctx.addIssue({ code: 'custom', path: ['budget', 'effectiveSamples'], message: uncounted });
    const problem = objectiveProblem(config.algorithm.objective ?? 'imitation', config.teacher);
    if (problem) ctx.addIssue({ code: 'custom', path: ['algorithm', 'objective'], message: problem });
    for (const [field, message] of onPolicyProblems(config)) ctx.addIssue({ code: 'custom', path: ['algorithm', field], message });
  });

export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type PolicyConfig = z.infer<typeof PolicySchema>;
export type EndpointPolicy = Extract<PolicyConfig, { kind: 'endpoint' }>;
export type AlgorithmConfig = z.infer<typeof AlgorithmSchema>;
export type SplitConfig = z.infer<typeof SplitSchema>;
