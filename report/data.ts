/**
 * What a report shows, read from a run directory: `metrics/iter-<i>.json` (written by `recordMetrics` at the
 * end of each iteration), `summary.json` (written when the experiment ends) and `config.json`. A report can
 * be made at any time: a run still going has fewer metrics files and no summary yet, and an iteration
 * without a held-out evaluation has no held-out numbers.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostics, Rate } from '../core/diagnostics';
import { budgetProgress, cumulativeSums, type BudgetProgress } from '../core/budget';
import {
  effectiveSamplesOf,
  HELDOUT,
  recordedEffectiveSamples,
  success,
  type CeilingSuccess,
  type IterationMetrics,
  type IterationSummary,
  type Objective,
  type RunSummary,
  type SuiteEvaluation,
} from '../core/records';

/** The student alone on one evaluation suite. */
export interface SuiteReport {
  name: string;
  suite: string;
  model: string;
  episodes: number;
  resolved: number;
  successRate: number;
  /** 95% Wilson interval. */
  interval: [number, number];
}

function suiteReport(e: SuiteEvaluation): SuiteReport {
  return { name: e.name, suite: e.suite, model: e.model, episodes: e.episodes, resolved: e.resolved, successRate: e.successRate, interval: e.interval };
}

export interface RateReport extends Rate {
  /** agree / n, or null when n = 0. */
  rate: number | null;
}

export interface IterationReport {
  iteration: number;
  /** `metrics` when the iteration's metrics file was read; `summary` when only summary.json had it. */
  source: 'metrics' | 'summary';
  /** As the workflow describes it: `beta=0.5` (DAgger) or `k~U{0..3}` (AggreVaTe). */
  mixing: string;
  /** β_i of a DAgger iteration, else null. */
  beta: number | null;
  /** The upper end of AggreVaTe's prefix length k ~ U{0..K}, else null. */
  prefixBound: number | null;
  rollout: {
    episodes: number;
    resolved: number;
    successRate: number;
    errors: number | null;
    turns: number | null;
    /** The fraction of executed turns that were the teacher's (the realised mixture). */
    teacherFraction: number;
    retries: number | null;
    endReasons: Record<string, number> | null;
    /** Rollout patches the verifier flagged for changing test infrastructure (null in older metrics). */
    tampered: number | null;
  };
  /** The student alone on the held-out split after this iteration's train step; null without evaluation. */
  heldout: {
    /** Null when only summary.json had the iteration (it keeps the rate, not the counts). */
    episodes: number | null;
    resolved: number | null;
    successRate: number;
    /** 95% Wilson interval. */
    interval: [number, number];
    /** The model name the evaluation sampled. */
    model: string;
    /** The checkpoint directory behind that model, or null for the base model. */
    checkpoint: string | null;
    /** The task suite evaluated on, when the metrics say. */
    suite: string | null;
  } | null;
  /** Every evaluated suite (`heldout` first), each with its own interval; empty when only summary.json had the iteration. */
  suites: SuiteReport[];
  dataset: { trajectories: number; kept: number; transitions: number } | null;
  /** Trained state–label pairs of this iteration (core/records.ts, `effectiveSamples`); null when its objective had no count. */
  effectiveSamples: number | null;
  /**
   * Summed over iterations 1 … i: what the curves against cost use. Teacher tokens and sandbox seconds are the
   * rollouts' (`cost`); null from the first iteration that lacks the number on.
   */
  cumulative: { effectiveSamples: number | null; teacherTokens: number | null; sandboxSeconds: number | null };
  agreement: {
    overall: RateReport;
    byPrefix: { teacher: RateReport; student: RateReport };
    byTurn: (RateReport & { turn: number })[];
  } | null;
  cost: {
    teacherCalls: number;
    teacherTokens: number;
    teacherPromptTokens: number;
    teacherCompletionTokens: number;
    studentCalls: number;
    studentTokens: number;
    studentPromptTokens: number;
    studentCompletionTokens: number;
    policySeconds: number;
    sandboxSeconds: number;
    /** Null when this iteration had no train step. */
    trainerSeconds: number | null;
    trainerTokens: number | null;
    /** Requests actually sent to the endpoints, every attempt and retry counted (null in older metrics). */
    paidRequests: number | null;
    /** Requests paid again because an earlier one's answer was lost (a worker died mid-call, a timeout). */
    paidDuplicates: number | null;
    /** Teacher replies that were no valid label, left out of D_i. */
    teacherErrors: number | null;
  } | null;
  behaviour: {
    episodes: number;
    turns: number;
    turnsPerEpisode: { mean: number; min: number; max: number } | null;
    actions: Record<string, number>;
    errorObservations: number;
    recoveredEpisodes: number;
    endReasons: Record<string, number>;
  } | null;
  train: { steps: number; finalLoss: number | null; trainSeconds: number; tokens: number; checkpoint: string; model: string } | null;
}

export interface ExperimentReport {
  schema: 'agent-dagger/report@1';
  experimentId: string;
  runDir: string;
  /** `done` once summary.json exists, else `running` (or stopped before writing it). */
  status: 'done' | 'running';
  /** From config.json, when present. */
  algorithm: string | null;
  /** `algorithm.objective` from config.json (imitation when absent). */
  objective: Objective;
  /** With `budget` in config.json: where it stands, and the iteration that met it. */
  budget: BudgetProgress | null;
  plannedIterations: number | null;
  /** The teacher alone on the held-out tasks, when an iteration measured it. */
  teacherCeiling: CeilingSuccess | null;
  /** The starting student on the same suites before any training (iteration 0), when it was evaluated. */
  initial: SuiteReport[] | null;
  iterations: IterationReport[];
}

export function loadExperimentReport(runDir: string): ExperimentReport {
  const summary = readOptionalJson<RunSummary>(path.join(runDir, 'summary.json'));
  const config = readOptionalJson<{ iterations?: number; algorithm?: { kind?: string; objective?: Objective }; budget?: { effectiveSamples: number } }>(
    path.join(runDir, 'config.json'),
  );
  const objective = config?.algorithm?.objective ?? 'imitation';
  const metrics = readMetrics(runDir);
  if (!summary && !metrics.length && !config) {
    throw new Error(`${runDir} is not a run directory: it has no summary.json, metrics/iter-*.json or config.json`);
  }
  const fromSummary = new Map((summary?.iterations ?? []).map((s) => [s.iteration, s]));
  const numbers = [...new Set([...metrics.map((m) => m.iteration), ...fromSummary.keys()])].sort((a, b) => a - b);
  const byNumber = new Map(metrics.map((m) => [m.iteration, m]));
  const iterations: IterationReport[] = [];
  let checkpoint: string | null = null;
  for (const i of numbers) {
    const m = byNumber.get(i);
    const row: IterationReport = m ? fromMetrics(m, checkpoint) : fromSummaryOnly(fromSummary.get(i)!, checkpoint, objective);
    checkpoint = row.train?.checkpoint ?? checkpoint;
    iterations.push(row);
  }
  const sums = {
    effectiveSamples: cumulativeSums(iterations.map((it) => it.effectiveSamples)),
    teacherTokens: cumulativeSums(iterations.map((it) => it.cost?.teacherTokens ?? null)),
    sandboxSeconds: cumulativeSums(iterations.map((it) => it.cost?.sandboxSeconds ?? null)),
  };
  iterations.forEach((it, k) => (it.cumulative = { effectiveSamples: sums.effectiveSamples[k], teacherTokens: sums.teacherTokens[k], sandboxSeconds: sums.sandboxSeconds[k] }));
  return {
    schema: 'agent-dagger/report@1',
    experimentId: summary?.experimentId ?? path.basename(path.resolve(runDir)),
    runDir: path.resolve(runDir),
    status: summary ? 'done' : 'running',
    algorithm: config?.algorithm?.kind ?? null,
    objective,
    budget: config?.budget ? budgetProgress(config.budget.effectiveSamples, iterations) : null,
    plannedIterations: config?.iterations ?? null,
    teacherCeiling: metrics.find((m) => m.teacherCeiling)?.teacherCeiling ?? summary?.iterations.find((s) => s.teacherCeiling)?.teacherCeiling ?? null,
    initial: metrics.find((m) => m.initial)?.initial?.map(suiteReport) ?? null,
    iterations,
  };
}

function readMetrics(runDir: string): IterationMetrics[] {
  const dir = path.join(runDir, 'metrics');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^iter-\d+\.json$/.test(f))
    .map((f) => readOptionalJson<IterationMetrics>(path.join(dir, f)))
    .filter((m): m is IterationMetrics => m !== null)
    .sort((a, b) => a.iteration - b.iteration);
}

/** `lastCheckpoint`: the checkpoint trained by an earlier iteration, which an iteration without a train step still evaluates. */
function fromMetrics(m: IterationMetrics, lastCheckpoint: string | null): IterationReport {
  const { rollout, evaluation, train } = m;
  const diag = m.dataset?.diagnostics;
  const turns = m.episodes?.map((e) => e.turns) ?? [];
  return {
    iteration: m.iteration,
    source: 'metrics',
    ...parseMixing(m.mixing),
    rollout: {
      episodes: rollout.episodes,
      resolved: rollout.resolved,
      successRate: rollout.episodes ? rollout.resolved / rollout.episodes : 0,
      errors: rollout.errors,
      turns: rollout.turns,
      teacherFraction: rollout.turns ? rollout.teacherTurns / rollout.turns : 0,
      retries: rollout.retries,
      endReasons: rollout.endReasons,
      tampered: rollout.tampered ?? null,
    },
    heldout:
      evaluation && evaluation.episodes
        ? {
            episodes: evaluation.episodes,
            resolved: evaluation.resolved,
            // Metrics written before the records carried their interval have the counts only.
            ...(evaluation.interval ? { successRate: evaluation.successRate, interval: evaluation.interval } : success(evaluation.resolved, evaluation.episodes)),
            model: m.studentModel,
            checkpoint: train?.modelDir ?? lastCheckpoint,
            suite: m.evaluationSuite ?? null,
          }
        : null,
    suites: m.evaluations
      ? m.evaluations.map(suiteReport)
      : evaluation && evaluation.episodes
        ? [{ name: HELDOUT, suite: m.evaluationSuite ?? '', model: m.studentModel, episodes: evaluation.episodes, resolved: evaluation.resolved, ...success(evaluation.resolved, evaluation.episodes) }]
        : [],
    dataset: m.dataset ? { trajectories: m.dataset.trajectories, kept: m.dataset.kept, transitions: m.dataset.transitions } : null,
    effectiveSamples: m.dataset ? recordedEffectiveSamples(m) : null,
    cumulative: UNSUMMED,
    agreement: diag
      ? {
          overall: rate(diag.agreement.overall),
          byPrefix: { teacher: rate(diag.agreement.byPrefix.teacher), student: rate(diag.agreement.byPrefix.student) },
          byTurn: diag.agreement.byTurn.map((r) => ({ turn: r.turn, ...rate(r) })),
        }
      : null,
    cost: diag ? cost(diag.cost, train, m.dataset) : null,
    behaviour: diag
      ? {
          ...diag.behaviour,
          turnsPerEpisode: turns.length ? { mean: turns.reduce((a, b) => a + b, 0) / turns.length, min: Math.min(...turns), max: Math.max(...turns) } : null,
        }
      : null,
    train: train
      ? { steps: train.steps, finalLoss: train.finalLoss, trainSeconds: train.trainSeconds, tokens: train.tokens, checkpoint: train.modelDir, model: train.model }
      : null,
  };
}

/** Filled in once every iteration is read (`loadExperimentReport`). */
const UNSUMMED = { effectiveSamples: null, teacherTokens: null, sandboxSeconds: null };

/** An iteration that summary.json lists but whose metrics file is missing: the summary's numbers only. */
function fromSummaryOnly(s: IterationSummary, lastCheckpoint: string | null, objective: Objective): IterationReport {
  return {
    iteration: s.iteration,
    source: 'summary',
    ...parseMixing(s.mixing),
    rollout: {
      episodes: s.episodes,
      resolved: s.resolved,
      successRate: s.successRate,
      errors: null,
      turns: null,
      teacherFraction: s.teacherFraction,
      retries: s.retries,
      endReasons: null,
      tampered: null,
    },
    heldout:
      s.evalSuccessRate !== null && s.evalInterval
        ? { episodes: null, resolved: null, successRate: s.evalSuccessRate, interval: s.evalInterval, model: s.studentModel, checkpoint: lastCheckpoint, suite: null }
        : null,
    suites: [],
    dataset: null,
    effectiveSamples: effectiveSamplesOf(s, objective),
    cumulative: UNSUMMED,
    agreement: null,
    cost: null,
    behaviour: null,
    train: null,
  };
}

function cost(c: Diagnostics['cost'], train: IterationMetrics['train'], dataset: IterationMetrics['dataset']): NonNullable<IterationReport['cost']> {
  const calls = dataset.calls ? Object.values(dataset.calls) : null;
  return {
    teacherCalls: c.teacherCalls,
    teacherTokens: c.teacherPromptTokens + c.teacherCompletionTokens,
    teacherPromptTokens: c.teacherPromptTokens,
    teacherCompletionTokens: c.teacherCompletionTokens,
    studentCalls: c.studentCalls,
    studentTokens: c.studentPromptTokens + c.studentCompletionTokens,
    studentPromptTokens: c.studentPromptTokens,
    studentCompletionTokens: c.studentCompletionTokens,
    policySeconds: c.policySeconds,
    sandboxSeconds: c.sandboxSeconds,
    trainerSeconds: train ? train.trainSeconds : null,
    trainerTokens: train ? train.tokens : null,
    paidRequests: calls ? calls.reduce((n, e) => n + e.calls, 0) : null,
    paidDuplicates: dataset.paidDuplicates ?? null,
    teacherErrors: dataset.teacherErrors ?? null,
  };
}

function rate(r: Rate): RateReport {
  return { n: r.n, agree: r.agree, rate: r.n ? r.agree / r.n : null };
}

/** `beta=0.5` → β; `k~U{0..3}` → the prefix bound (the two forms `describeMixing` writes). */
export function parseMixing(mixing: string): { mixing: string; beta: number | null; prefixBound: number | null } {
  const beta = /^beta=([0-9.eE+-]+)$/.exec(mixing);
  const prefix = /^k~U\{0\.\.(\d+)\}$/.exec(mixing);
  return { mixing, beta: beta ? Number(beta[1]) : null, prefixBound: prefix ? Number(prefix[1]) : null };
}

function readOptionalJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix or remove it and make the report again`);
  }
}
