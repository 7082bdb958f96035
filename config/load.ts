/**
 * Reading an experiment config: YAML (or JSON) → validated ExperimentConfig, or an error that names the
 * file, the exact path in it and the reason. Relative paths in the file are taken from the file's folder.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ExperimentConfigSchema, type ExperimentConfig, type SplitConfig } from './schema';
import { checkTrainerOptions } from './trainer-options';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid experiment config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate a plain object; `source` names where it came from in error messages. */
export function parseConfig(raw: unknown, source = '<config>'): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, result.error.issues.map(describeIssue));
  return result.data;
}

/** A YAML (or JSON) file as plain data; an unreadable or malformed file is a ConfigError naming it. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(file, doc.errors.map((e) => e.message.replace(/\s+/g, ' ')));
  return doc.toJS() as Record<string, unknown>;
}

/** Load, validate and resolve a config file; the bundled trainer checks its own options. */
export function loadConfig(file: string, overrides: Record<string, unknown> = {}): ExperimentConfig {
  const raw = { ...readConfigFile(file), ...overrides };
  const config = resolvePaths(parseConfig(raw, file), path.dirname(path.resolve(file)));
  if (config.trainer.kind === 'bundled') {
    const problem = checkTrainerOptions(config.trainer.options);
    if (problem) throw new ConfigError(file, [problem]);
  }
  return config;
}

/** Make the config's file paths absolute, relative to `baseDir`. */
export function resolvePaths(config: ExperimentConfig, baseDir: string): ExperimentConfig {
  const abs = (p: string) => path.resolve(baseDir, p);
  const split = (s: SplitConfig | undefined) => (s && s !== 'all' && 'file' in s ? { file: abs(s.file) } : s);
  return {
    ...config,
    runRoot: abs(config.runRoot),
    tasks: { ...config.tasks, suite: abs(config.tasks.suite), train: split(config.tasks.train)!, heldout: split(config.tasks.heldout) },
    evaluation: {
      ...config.evaluation,
      ...(config.evaluation.suite !== undefined && { suite: abs(config.evaluation.suite) }),
      ...(config.evaluation.split !== undefined && { split: split(config.evaluation.split) }),
      suites: config.evaluation.suites.map((s) => ({ ...s, suite: abs(s.suite), split: split(s.split)! })),
    },
    student: config.student.kind === 'local' ? { ...config.student, model: abs(config.student.model) } : config.student,
    teacher: config.teacher.kind === 'local' ? { ...config.teacher, model: abs(config.teacher.model) } : config.teacher,
    temporal: resolveTlsPaths(config.temporal, abs),
    // A trainer's model may be a hub name; only what looks like a path is resolved.
    trainer:
      config.trainer.kind === 'none'
        ? config.trainer
        : {
            ...config.trainer,
            ...((config.trainer.kind === 'bundled' || config.trainer.model.startsWith('.')) && { model: abs(config.trainer.model) }),
            demonstrations: config.trainer.demonstrations.map(abs),
          },
  };
}

/** The TLS files of `temporal.tls`, made absolute like the config's other paths. */
function resolveTlsPaths(temporal: ExperimentConfig['temporal'], abs: (p: string) => string): ExperimentConfig['temporal'] {
  const tls = temporal.tls;
  if (tls === undefined || typeof tls === 'boolean') return temporal;
  const files = (['serverCaCertPath', 'clientCertPath', 'clientKeyPath'] as const).flatMap((k) => (tls[k] === undefined ? [] : [[k, abs(tls[k])]]));
  return { ...temporal, tls: { ...tls, ...Object.fromEntries(files) } };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${issue.message}`;
}
