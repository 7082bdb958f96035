/**
 * What the experiment workflow accepts, checked by the workflow itself: the Temporal CLI, the Web UI and other
 * SDKs reach it without going through the agent-dagger CLI's zod schema. Pure and small (no zod: it is heavy per
 * cached workflow): the rules come from `config.schema.json`, the JSON Schema of the *validated* config that
 * `npm run schema` exports from config/schema.ts, and test/messages.test.ts proves that this module accepts exactly
 * what zod accepts and returns unchanged (a complete, already validated value; defaults are the CLI's business).
 */
import configSchemaJson from './config.schema.json';
import type { AlgorithmConfig } from '../config/schema';
import { objectiveProblem, onPolicyProblems, type AlgorithmRules, type TeacherRules, type TrainerRules } from '../core/objective-rules';

/** The subset of JSON Schema that zod's export of config/schema.ts uses (the test fails on any other keyword). */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  format?: 'uri';
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

export const SUPPORTED_KEYWORDS: readonly string[] = [
  'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'minItems', 'minLength', 'pattern',
  'format', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'oneOf', 'anyOf',
];

export const CONFIG_SCHEMA = configSchemaJson as unknown as JsonSchema;
const ALGORITHM_SCHEMA = CONFIG_SCHEMA.properties!.algorithm;

/** Problems of `value` against `schema`, each "path: reason" (empty: valid). */
export function checkSchema(schema: JsonSchema, value: unknown, where: string): string[] {
  const at = where || '(top level)';
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return checkBranches(branches, value, where);
  if ('const' in schema && value !== schema.const) return [`${at}: Invalid input: expected ${JSON.stringify(schema.const)}`];
  if (schema.enum && !schema.enum.includes(value as never)) return [`${at}: Invalid option: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join('|')}`];
  switch (schema.type) {
    case undefined:
      return [];
    case 'object':
      return checkObject(schema, value, where);
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: Invalid input: expected array, received ${kindOf(value)}`];
      if (schema.minItems !== undefined && value.length < schema.minItems) return [`${at}: Too small: expected array to have >=${schema.minItems} items`];
      return value.flatMap((item, i) => (schema.items ? checkSchema(schema.items, item, `${where}.${i}`) : []));
    }
    case 'string': {
      if (typeof value !== 'string') return [`${at}: Invalid input: expected string, received ${kindOf(value)}`];
      if (schema.minLength !== undefined && value.length < schema.minLength) return [`${at}: Too small: expected string to have >=${schema.minLength} characters`];
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return [`${at}: Invalid string: must match pattern /${schema.pattern}/`];
      if (schema.format === 'uri' && !isUrl(value)) return [`${at}: Invalid URL`];
      return [];
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${at}: Invalid input: expected number, received ${kindOf(value)}`];
      if (schema.type === 'integer' && !Number.isInteger(value)) return [`${at}: Invalid input: expected int, received number`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${at}: Too small: expected number to be >=${schema.minimum}`];
      if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return [`${at}: Too small: expected number to be >${schema.exclusiveMinimum}`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${at}: Too big: expected number to be <=${schema.maximum}`];
      if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return [`${at}: Too big: expected number to be <${schema.exclusiveMaximum}`];
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: Invalid input: expected boolean, received ${kindOf(value)}`];
  }
}

function checkObject(schema: JsonSchema, value: unknown, where: string): string[] {
  if (!isRecord(value)) return [`${where || '(top level)'}: Invalid input: expected object, received ${kindOf(value)}`];
  const problems: string[] = [];
  const join = (key: string) => (where ? `${where}.${key}` : key);
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) problems.push(`${join(key)}: missing (required)`);
  }
  const unknown: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue; // absent on the wire (JSON drops it)
    const property = schema.properties?.[key];
    if (property) problems.push(...checkSchema(property, v, join(key)));
    else if (schema.additionalProperties === false) unknown.push(key);
    else if (schema.additionalProperties) problems.push(...checkSchema(schema.additionalProperties, v, join(key)));
    if (schema.propertyNames) problems.push(...checkSchema(schema.propertyNames, key, join(key)));
  }
  if (unknown.length) problems.push(`${where || '(top level)'}: unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}`);
  return problems;
}

/** A union: by its discriminator (a property that is a const in every branch) when it has one, else the first branch that fits. */
function checkBranches(branches: JsonSchema[], value: unknown, where: string): string[] {
  const at = where || '(top level)';
  const discriminator = Object.keys(branches[0].properties ?? {}).find((key) => branches.every((b) => b.properties?.[key] && 'const' in b.properties[key]));
  if (discriminator) {
    if (!isRecord(value)) return [`${at}: Invalid input: expected object, received ${kindOf(value)}`];
    const branch = branches.find((b) => b.properties![discriminator].const === value[discriminator]);
    if (branch) return checkSchema(branch, value, where);
    const options = branches.map((b) => JSON.stringify(b.properties![discriminator].const)).join('|');
    return [`${where ? `${where}.` : ''}${discriminator}: Invalid input: expected one of ${options}`];
  }
  const attempts = branches.map((b) => checkSchema(b, value, where));
  if (attempts.some((p) => p.length === 0)) return [];
  return [`${at}: Invalid input: matches none of the allowed forms (${attempts.map((p) => p[0].replace(/^[^:]*: /, '')).join('; ')})`];
}

/** What zod's `z.url()` accepts and returns unchanged: a string `new URL` parses, without surrounding blanks. */
function isUrl(value: string): boolean {
  if (value.trim() !== value) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The validated config's rules: its JSON Schema plus the refinements JSON Schema cannot say (config/schema.ts:
 * EvaluationSchema's, and the objective's rules of core/objective-rules.ts).
 */
export function checkConfig(value: unknown, where = 'config'): string[] {
  const problems = checkSchema(CONFIG_SCHEMA, value, where);
  const evaluation = isRecord(value) && isRecord(value.evaluation) ? value.evaluation : null;
  if (evaluation && evaluation.split !== undefined && evaluation.suite === undefined) {
    problems.push(`${where}.evaluation.split: \`split\` selects ids of \`evaluation.suite\`; set \`suite\` too (without it, tasks.heldout is the held-out split)`);
  }
  // The objective's rules read fields whose shapes the schema guarantees: only a config that passed it is checked.
  if (problems.length === 0 && isRecord(value)) {
    const config = value as { algorithm: AlgorithmRules; teacher: TeacherRules; rollout: { episodesPerIteration: number }; trainer: TrainerRules };
    const problem = objectiveProblem(config.algorithm.objective ?? 'imitation', config.teacher);
    if (problem) problems.push(`${where}.algorithm.objective: ${problem}`);
    for (const [field, message] of onPolicyProblems(config)) problems.push(`${where}.algorithm.${field}: ${message}`);
  }
  return problems;
}

/** A complete algorithm block (every field, defaults included), as `setSchedule` takes it. */
export function checkAlgorithm(value: unknown, where = 'algorithm'): string[] {
  return checkSchema(ALGORITHM_SCHEMA, value, where);
}

/** The `setSchedule` update: a valid, complete algorithm block of the kind the experiment runs. */
export function checkScheduleUpdate(value: unknown, current: AlgorithmConfig): string[] {
  const kind = isRecord(value) ? value.kind : undefined;
  if (kind !== undefined && kind !== current.kind) {
    return [`algorithm.kind: the experiment runs the ${current.kind} algorithm; a ${JSON.stringify(kind)} schedule cannot replace it`];
  }
  const objective = current.objective ?? 'imitation';
  if (objective !== 'imitation') {
    return [`algorithm: objective "${objective}" has no schedule to update: its student acts alone (β = 0) in every iteration`];
  }
  if (isRecord(value) && (value.objective ?? 'imitation') !== objective) {
    return [`algorithm.objective: the experiment trains with objective "${objective}"; a schedule update cannot change it`];
  }
  const problems = checkAlgorithm(value);
  // An imitation block holds no grpo settings (the next iteration's config must pass checkConfig).
  if (problems.length > 0) return problems;
  return onPolicyProblems({ algorithm: value as AlgorithmRules, rollout: { episodesPerIteration: 1 }, trainer: { kind: 'none' } }).map(([field, message]) => `algorithm.${field}: ${message}`);
}

/**
 * The experiment workflow's start input. Beyond the config's own rules: both policies are endpoints (the
 * agent-dagger CLI serves bundled and local ones and passes their URLs), the experiment id is the workflow id
 * (children, search attributes and the run directory are named by it), the run directory is absolute (workers
 * may run elsewhere), and `state` comes only from the workflow's own continue-as-new.
 */
export function checkExperimentInput(value: unknown, context: { workflowId: string; continued: boolean }): string[] {
  if (!isRecord(value)) return [`(input): Invalid input: expected an object {experimentId, runDir, config}, received ${kindOf(value)}`];
  const problems: string[] = [];
  const unknown = Object.keys(value).filter((k) => value[k] !== undefined && !['experimentId', 'runDir', 'config', 'state'].includes(k));
  if (unknown.length) problems.push(`(input): unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')} (expected experimentId, runDir, config)`);
  if (value.experimentId !== context.workflowId) {
    problems.push(`experimentId: must equal the workflow id ${JSON.stringify(context.workflowId)}, got ${JSON.stringify(value.experimentId)}`);
  }
  // An S3 location (store/location.ts) is checked in full by the workers that open it.
  if (typeof value.runDir !== 'string' || !(value.runDir.startsWith('/') || /^s3:\/\/[^/?#]+/.test(value.runDir))) {
    problems.push(`runDir: expected an absolute path or an s3://<bucket>/… location (the workers write the run there), got ${JSON.stringify(value.runDir)}`);
  }
  if (value.config === undefined) problems.push('config: missing (required): the validated experiment config, policies as endpoints');
  else {
    problems.push(...checkConfig(value.config));
    const config = value.config;
    for (const role of ['teacher', 'student'] as const) {
      const policy = isRecord(config) && isRecord(config[role]) ? config[role] : null;
      if (policy && policy.kind !== 'endpoint') {
        problems.push(`config.${role}.kind: a started workflow needs an endpoint, got ${JSON.stringify(policy.kind)} (\`agent-dagger run\` serves bundled and local policies and passes their URLs)`);
      }
    }
  }
  if (value.state !== undefined && !context.continued) problems.push('state: only the workflow itself carries state across continue-as-new; start without it');
  return problems;
}

/**
 * The sweep workflow's start input: the sweep id is the workflow id, directories are absolute, `parallel` a positive
 * integer, and every member a valid experiment start (its config with endpoint policies, named by its own id).
 */
export function checkSweepInput(value: unknown, context: { workflowId: string }): string[] {
  if (!isRecord(value)) return [`(input): Invalid input: expected an object {sweepId, sweepDir, parallel, members}, received ${kindOf(value)}`];
  const problems: string[] = [];
  const unknown = Object.keys(value).filter((k) => value[k] !== undefined && !['sweepId', 'sweepDir', 'parallel', 'members'].includes(k));
  if (unknown.length) problems.push(`(input): unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')} (expected sweepId, sweepDir, parallel, members)`);
  if (value.sweepId !== context.workflowId) problems.push(`sweepId: must equal the workflow id ${JSON.stringify(context.workflowId)}, got ${JSON.stringify(value.sweepId)}`);
  if (typeof value.sweepDir !== 'string' || !value.sweepDir.startsWith('/')) problems.push(`sweepDir: expected an absolute path, got ${JSON.stringify(value.sweepDir)}`);
  if (typeof value.parallel !== 'number' || !Number.isInteger(value.parallel) || value.parallel < 1) {
    problems.push(`parallel: expected a positive integer, got ${JSON.stringify(value.parallel)}`);
  }
  if (!Array.isArray(value.members) || value.members.length === 0) return [...problems, `members: expected a non-empty array, got ${JSON.stringify(value.members)?.slice(0, 80)}`];
  value.members.forEach((member: unknown, i) => {
    const where = `members.${i}`;
    if (!isRecord(member)) return problems.push(`${where}: Invalid input: expected object, received ${kindOf(member)}`);
    const { method, seed, ...start } = member;
    if (typeof method !== 'string' || method === '') problems.push(`${where}.method: expected a non-empty string, got ${JSON.stringify(method)}`);
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) problems.push(`${where}.seed: expected a non-negative integer, got ${JSON.stringify(seed)}`);
    const id = typeof start.experimentId === 'string' ? start.experimentId : '';
    problems.push(...checkExperimentInput(start, { workflowId: id, continued: false }).map((p) => `${where}.${p}`));
  });
  return problems;
}

/** Signals that take no argument: pause, resume, stopAfterIteration (an empty input may arrive as one null). */
export function checkNoArguments(signal: string, args: unknown[]): string | null {
  if (args.every((a) => a === null || a === undefined)) return null;
  return `signal ${signal} takes no input, got ${JSON.stringify(args).slice(0, 200)}: ignored`;
}

/** One line for a rejected message: what, and how to send a valid one. */
export function describeProblems(what: string, problems: string[]): string {
  return `${what}: ${problems.join('; ')}`;
}
