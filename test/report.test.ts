/// <reference lib="dom" />
/**
 * The experiment and sweep reports, on run directories written by the real activities (`aggregate` computes
 * the diagnostics from trajectory files, `recordMetrics` and `writeRunSummary` write the files the report
 * reads), then the page itself in headless Chromium: every plot drawn and not blank, nothing fetched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { createDatasetActivities } from '../activities/dataset';
import type { Action, TrajectoryRecord, TurnRecord } from '../core/types';
import { rolloutStats, success, type EpisodeSummary, type RunSummary, type TrainedCheckpoint, type RolloutStats } from '../core/records';
import { RunStore } from '../store/run-store';
import { loadExperimentReport, reportCommand, writeExperimentReport, writeSweepReport, type ExperimentReport } from '../report';
import type { SweepReport } from '../report/sweep';
import { TOOLS } from '../env/tools/definitions';

const data = createDatasetActivities({ taskIds: () => [] });
const bash = (command: string): Action => ({ content: '', toolCalls: [{ id: 'c', name: 'execute_bash', arguments: { command } }] });

/**
 * One episode in a small notation: turns separated by spaces, each `<T|S><a|d|n|e>[!]` — who executed it, whether
 * the student's proposal agreed with the teacher's label (`n`: no proposal; `e`: the teacher's reply was no valid
 * label, a teacher error, and the student's proposal differs), `!` when the command failed — then
 * `+` (resolved, finished) or `-` (not resolved, out of turns).
 */
function trajectory(experimentId: string, iteration: number, episodeId: string, spec: string): TrajectoryRecord {
  const tokens = spec.trim().split(/\s+/);
  const reward = tokens.pop() === '+' ? 1 : 0;
  const turns = tokens.map((code, t): TurnRecord => {
    const label = bash(`step ${t}`);
    const proposal = code[1] === 'a' ? label : bash(`other ${t}`);
    const executor = code[0] === 'T' ? 'teacher' : 'student';
    return {
      schema: 'agent-dagger/turn@1',
      experimentId,
      iteration,
      episodeId,
      taskId: `task-${episodeId}`,
      turn: t,
      executor,
      mixing: { kind: 'dagger', beta: 0.5 },
      label: {
        action: label,
        usage: { promptTokens: 100, completionTokens: 10 },
        latencyMs: 1000,
        model: 'teacher',
        contextExceeded: false,
        ...(code[1] === 'e' && { teacherError: 'no parsable tool call' }),
      },
      student: code[1] === 'n' ? null : { action: proposal, usage: { promptTokens: 80, completionTokens: 8 }, latencyMs: 500, model: 'student', contextExceeded: false },
      executed: executor === 'teacher' ? label : proposal,
      observation: { text: 'ok', fullChars: 2, truncated: false, exitCode: code.endsWith('!') ? 1 : 0, timedOut: false, durationMs: 500, error: false },
      fullObservationRef: null,
    };
  });
  const endReason = reward === 1 ? 'finish' : 'max_turns';
  return { schema: 'agent-dagger/trajectory@1', experimentId, iteration, episodeId, taskId: `task-${episodeId}`, prompt: [], tools: TOOLS, turns, endReason, reward, verification: null };
}

interface IterationSpec {
  /** β of a DAgger iteration, or null for AggreVaTe's k ~ U{0..2}. */
  beta: number | null;
  episodes: string[];
  /** [resolved, episodes] of the held-out evaluation, or null when it did not run. */
  heldout: [number, number] | null;
  train: boolean;
  ceiling?: [number, number];
  /** SFT: D_i keeps resolved trajectories only. */
  rejectionSampling?: boolean;
  /** [resolved, episodes] of the starting student (iteration 0), recorded with iteration 1. */
  initial?: [number, number];
}

/** A run directory as the workflows leave it: trajectories, D_i, metrics per iteration, summary.json once done. */
async function writeRun(runDir: string, experimentId: string, iterations: IterationSpec[], options: { done: boolean; planned: number; budget?: number }) {
  const store = new RunStore(runDir);
  await store.putJson('config.json', {
    name: 'fixture',
    iterations: options.planned,
    algorithm: { kind: iterations[0].beta === null ? 'aggrevate' : 'dagger' },
    ...(options.budget && { budget: { effectiveSamples: options.budget } }),
  });
  const summaries: RunSummary['iterations'] = [];
  let studentModel = 'base-student';
  for (const [index, spec] of iterations.entries()) {
    const i = index + 1;
    const records = spec.episodes.map((e, k) => trajectory(experimentId, i, `${experimentId}.i${i}.e${k}`, e));
    for (const r of records) await store.putJson(store.trajectoryKey(r.episodeId), r);
    const dataset = await data.aggregate({ runDir, iteration: i, episodeIds: records.map((r) => r.episodeId), rejectionSampling: spec.rejectionSampling ?? false });
    const episodes: EpisodeSummary[] = records.map((r) => ({
      episodeId: r.episodeId,
      taskId: r.taskId,
      turns: r.turns.length,
      teacherTurns: r.turns.filter((t) => t.executor === 'teacher').length,
      endReason: r.endReason,
      reward: r.reward,
      verifyError: null,
      retries: 0,
    }));
    const rollout = rolloutStats(episodes);
    const train: TrainedCheckpoint | null = spec.train
      ? { modelDir: store.scratchPath(store.checkpointKey(i)), steps: 10, finalLoss: 1 / (i + 1), trainSeconds: 30 * i, tokens: 1000 * i, model: `${experimentId}-iter-${i}` }
      : null;
    if (train) studentModel = train.model;
    const evaluation: RolloutStats | null = spec.heldout ? { ...rolloutStats([]), episodes: spec.heldout[1], resolved: spec.heldout[0], ...success(spec.heldout[0], spec.heldout[1]), turns: 3 * spec.heldout[1] } : null;
    const teacherCeiling = spec.ceiling
      ? { ...rolloutStats([]), episodes: spec.ceiling[1], resolved: spec.ceiling[0], model: 'teacher', successRate: spec.ceiling[0] / spec.ceiling[1], interval: [0.5, 1] as [number, number] }
      : null;
    const mixing = spec.beta === null ? 'k~U{0..2}' : `beta=${spec.beta}`;
    const initial = spec.initial
      ? [{ ...rolloutStats([]), name: 'heldout', suite: 'tasks/toy', model: 'base-student', episodes: spec.initial[1], resolved: spec.initial[0], ...success(spec.initial[0], spec.initial[1]) }]
      : null;
    await data.recordMetrics({
      runDir,
      iteration: i,
      metrics: { mixing, rollout, dataset, train, evaluation, evaluationSuite: evaluation ? 'tasks/toy' : null, teacherCeiling, studentModel, episodes, initial },
    });
    summaries.push({
      iteration: i,
      mixing,
      episodes: rollout.episodes,
      resolved: rollout.resolved,
      successRate: rollout.resolved / rollout.episodes,
      teacherFraction: rollout.teacherTurns / rollout.turns,
      transitions: dataset.transitions,
      retries: 0,
      evalSuccessRate: evaluation ? evaluation.resolved / evaluation.episodes : null,
      evalInterval: evaluation ? evaluation.interval : null,
      agreement: null,
      trainLoss: train?.finalLoss ?? null,
      studentModel,
      teacherCeiling: null,
    });
  }
  if (options.done) await data.writeRunSummary({ runDir, experimentId, results: summaries });
}

/** `resolved` of `n` rollout episodes resolved, all teacher-executed and agreeing. */
const rollouts = (resolved: number, n = 4) => Array.from({ length: n }, (_, k) => (k < resolved ? 'Ta Ta +' : 'Ta Td -'));

let root: string;
let mainRun: string;
let liveRun: string;
let sweepDir: string;
let main: ExperimentReport;
let mainHtml: string;
let sweep: SweepReport;
let sweepHtml: string;
let browser: Browser | null = null;

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'agent-dagger-report-'));
  mainRun = path.join(root, 'runs', 'main');
  await writeRun(
    mainRun,
    'main',
    [
      { beta: 1, episodes: ['Ta Ta Ta +', 'Ta Td -'], heldout: [2, 8], train: true, ceiling: [7, 8] },
      { beta: 0.5, episodes: ['Ta Sd Ta +', 'Sa Ta Ta +', 'Td Sd -', 'Ta Ta +'], heldout: [4, 8], train: true },
      { beta: 0.25, episodes: ['Sd! Sa Ta +', 'Sa Sa -', 'Sa Ta Sa +', 'Tn Sa +'], heldout: [6, 8], train: false },
    ],
    { done: true, planned: 3, budget: 15 },
  );
  // Still going: iteration 2 has no evaluation yet, iteration 3 has not finished.
  liveRun = path.join(root, 'runs', 'live');
  await writeRun(
    liveRun,
    'live',
    [
      { beta: 0.5, episodes: rollouts(2), heldout: [3, 8], train: true },
      { beta: 0.5, episodes: rollouts(3), heldout: null, train: true },
    ],
    { done: false, planned: 4 },
  );
  sweepDir = path.join(root, 'sweep');
  const runs: [string, string, [number, number, number], number][] = [
    // name, method, held-out resolved of 8 per iteration, final rollout resolved of 4
    ['dagger-s0', 'dagger', [2, 4, 6], 2],
    ['dagger-s1', 'dagger', [3, 5, 6], 2],
    ['dagger-s2', 'dagger', [1, 1, 7], 1],
    ['sft-s0', 'sft', [4, 5, 6], 2],
    ['aggrevate-s0', 'aggrevate', [2, 4, 6], 3],
  ];
  for (const [name, method, heldout, finalRollout] of runs) {
    await writeRun(
      path.join(sweepDir, 'runs', name),
      name,
      heldout.map((h, k) => ({
        beta: method === 'aggrevate' ? null : 0.5,
        episodes: rollouts(k === 2 ? finalRollout : 2),
        heldout: [h, 8],
        train: true,
        rejectionSampling: method === 'sft',
        // The dagger runs evaluated their starting student too: 1, 0 and 0 of 8.
        ...(method === 'dagger' && k === 0 && { initial: [Number(name.endsWith('s0')), 8] as [number, number] }),
      })),
      { done: true, planned: 3 },
    );
  }
  const experiments = [...runs.map(([name, method]) => ({ name, method, runDir: path.join('runs', name) })), { name: 'live', method: 'dagger-live', runDir: liveRun }];
  writeFileSync(path.join(sweepDir, 'sweep-manifest.json'), JSON.stringify({ sweepId: 'fixture-sweep', experiments }));

  const written = await writeExperimentReport(mainRun);
  main = JSON.parse(readFileSync(written.json, 'utf8'));
  mainHtml = written.html;
  const sweepWritten = await writeSweepReport(sweepDir, experiments);
  sweepHtml = sweepWritten.html;
  sweep = JSON.parse(readFileSync(sweepWritten.json, 'utf8'));
});

after(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

const close = (actual: number | null | undefined, expected: number, digits = 4) => {
  assert.ok(typeof actual === 'number', `expected a number near ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} is not ${expected}`);
};

test('the experiment report: success, β, agreement by turn and by prefix control, cost, behaviour, train', () => {
  assert.equal(main.status, 'done');
  assert.equal(main.experimentId, 'main');
  assert.deepEqual(main.iterations.map((it) => it.beta), [1, 0.5, 0.25]);
  assert.deepEqual(main.iterations.map((it) => it.rollout.successRate), [0.5, 0.75, 0.75]);

  const [i1, i2, i3] = main.iterations;
  // Held-out 4/8: Wilson 95% interval [0.2152, 0.7848]; the checkpoint is the one trained this iteration.
  assert.equal(i2.heldout?.successRate, 0.5);
  close(i2.heldout?.interval[0], 0.2152);
  close(i2.heldout?.interval[1], 0.7848);
  assert.equal(i2.heldout?.checkpoint, path.join(mainRun, 'checkpoints', 'iter-2'));
  assert.equal(i2.heldout?.model, 'main-iter-2');
  // Iteration 3 trained nothing: it evaluated iteration 2's checkpoint.
  assert.equal(i3.train, null);
  assert.equal(i3.heldout?.checkpoint, path.join(mainRun, 'checkpoints', 'iter-2'));
  assert.equal(main.teacherCeiling?.successRate, 7 / 8);

  // Iteration 1 (β = 1): every state teacher-induced; 4 of 5 agree.
  assert.deepEqual(i1.agreement?.overall, { n: 5, agree: 4, rate: 0.8 });
  assert.deepEqual(i1.agreement?.byPrefix.student, { n: 0, agree: 0, rate: null });
  // Iteration 2, counted by hand from the episodes above.
  assert.deepEqual(i2.agreement?.overall, { n: 10, agree: 7, rate: 0.7 });
  assert.deepEqual(i2.agreement?.byPrefix.teacher, { n: 7, agree: 4, rate: 4 / 7 });
  assert.deepEqual(i2.agreement?.byPrefix.student, { n: 3, agree: 3, rate: 1 });
  assert.deepEqual(
    i2.agreement?.byTurn.map((r) => [r.turn, r.agree, r.n]),
    [
      [0, 3, 4],
      [1, 2, 4],
      [2, 2, 2],
    ],
  );
  assert.equal(i2.rollout.teacherFraction, 7 / 10);

  // Cost: every turn has a teacher label (110 tokens); a proposal costs 88; each action ran 0.5 s.
  assert.equal(i2.cost?.teacherCalls, 10);
  assert.equal(i2.cost?.teacherTokens, 1100);
  assert.equal(i2.cost?.studentTokens, 880);
  assert.equal(i2.cost?.sandboxSeconds, 5);
  assert.equal(i2.cost?.trainerSeconds, 60);
  assert.equal(i3.cost?.studentCalls, 9);
  assert.equal(i3.cost?.trainerSeconds, null);

  // Behaviour: one failed command in a resolved episode is a recovery.
  assert.equal(i3.behaviour?.recoveredEpisodes, 1);
  assert.deepEqual(i3.behaviour?.endReasons, { finish: 3, max_turns: 1 });
  assert.deepEqual(i3.behaviour?.turnsPerEpisode, { mean: 2.5, min: 2, max: 3 });
  assert.equal(i2.train?.finalLoss, 1 / 3);
});

test('iterations.csv has one row per iteration with the same numbers', () => {
  const [header, ...rows] = readFileSync(path.join(mainRun, 'report', 'iterations.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.equal(rows.length, 3);
  const row = (i: number) => Object.fromEntries(header.map((h, k) => [h, rows[i][k]]));
  assert.equal(row(1).mixing, 'beta=0.5');
  assert.equal(Number(row(1).heldoutSuccess), 0.5);
  close(Number(row(1).heldoutLow), 0.2152);
  assert.equal(Number(row(1).agreementStudentPrefix), 1);
  assert.equal(Number(row(1).teacherTokens), 1100);
  assert.equal(row(0).agreementStudentPrefix, ''); // no student-induced state in iteration 1
  assert.equal(row(2).trainerSeconds, '');
});

test('effective samples and the cumulative costs per iteration, the budget met, in the JSON, the metrics and the CSV', () => {
  // Every turn of every episode carries a valid label: D_i's labelled turns are 5, 10 and 10; each label 110 tokens, each action 0.5 s.
  assert.deepEqual(main.iterations.map((it) => it.effectiveSamples), [5, 10, 10]);
  assert.deepEqual(
    main.iterations.map((it) => it.cumulative),
    [
      { effectiveSamples: 5, teacherTokens: 550, sandboxSeconds: 2.5 },
      { effectiveSamples: 15, teacherTokens: 1650, sandboxSeconds: 7.5 },
      { effectiveSamples: 25, teacherTokens: 2750, sandboxSeconds: 12.5 },
    ],
  );
  const metrics = JSON.parse(readFileSync(path.join(mainRun, 'metrics', 'iter-2.json'), 'utf8'));
  assert.equal(metrics.schema, 'agent-dagger/iteration-metrics@2');
  assert.deepEqual(metrics.effectiveSamples, { count: 10, cumulative: 15 });
  // A budget of 15 is reached exactly by iteration 2.
  assert.deepEqual(main.budget, { effectiveSamples: 15, cumulative: 25, metAtIteration: 2 });
  assert.equal(loadExperimentReport(liveRun).budget, null);

  const [header, ...rows] = readFileSync(path.join(mainRun, 'report', 'iterations.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const row = (i: number) => Object.fromEntries(header.map((h, k) => [h, rows[i][k]]));
  assert.deepEqual(
    [0, 1, 2].map((i) => [row(i).effectiveSamples, row(i).cumulativeEffectiveSamples, row(i).cumulativeTeacherTokens, row(i).cumulativeSandboxSeconds]),
    [
      ['5', '5', '550', '2.5'],
      ['10', '15', '1650', '7.5'],
      ['10', '25', '2750', '12.5'],
    ],
  );
  assert.match(readFileSync(mainHtml, 'utf8'), /Budget: 15 effective samples, met at iteration 2; 25 collected\./);
});

test('effective samples of SFT: the labelled turns of resolved episodes, teacher errors left out', async () => {
  const dir = path.join(root, 'runs', 'sft-errors');
  const episodes = ['Ta Te Ta +', 'Ta Ta Ta -', 'Te Sa +'];
  await writeRun(dir, 'sft-errors', [{ beta: 1, episodes, heldout: null, train: false, rejectionSampling: true }], { done: false, planned: 1 });
  // Resolved: 3 turns less one teacher error, and 2 turns less one; the unresolved episode is rejected.
  assert.equal(loadExperimentReport(dir).iterations[0].effectiveSamples, 3);
  assert.equal(loadExperimentReport(dir).iterations[0].cost?.teacherErrors, 2);
});

test('older metrics (@1, no count): an imitation run’s count is its transitions', async () => {
  const dir = path.join(root, 'runs', 'older');
  await writeRun(dir, 'older', [{ beta: 1, episodes: ['Ta Ta +'], heldout: [1, 2], train: false }, { beta: 1, episodes: ['Ta Ta Ta +'], heldout: [1, 2], train: false }], { done: false, planned: 2 });
  for (const i of [1, 2]) {
    const file = path.join(dir, 'metrics', `iter-${i}.json`);
    const { effectiveSamples: _count, ...m } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...m, schema: 'agent-dagger/iteration-metrics@1', dataset: { ...m.dataset, effectiveSamples: undefined } }));
  }
  assert.deepEqual(loadExperimentReport(dir).iterations.map((it) => [it.effectiveSamples, it.cumulative.effectiveSamples]), [[2, 2], [3, 5]]);
});

test('the sweep’s success-against-cost curves: per method, means over seeds with the pooled Wilson interval', () => {
  const dagger = sweep.methods.find((m) => m.method === 'dagger')!;
  const sft = sweep.methods.find((m) => m.method === 'sft')!;
  // Each dagger iteration keeps all 4 episodes × 2 labelled turns; SFT keeps only the resolved ones (2 of 4).
  assert.deepEqual(dagger.curve.map((p) => [p.iteration, p.runs, p.effectiveSamples, p.teacherTokens, p.sandboxSeconds]), [
    [0, 3, 0, 0, 0],
    [1, 3, 8, 880, 4],
    [2, 3, 16, 1760, 8],
    [3, 3, 24, 2640, 12],
  ]);
  assert.deepEqual(sft.curve.map((p) => p.effectiveSamples), [4, 8, 12]);
  // Iteration 0: the starting students, 1 + 0 + 0 of 24; iteration 1: 2 + 3 + 1 of 24, with their Wilson interval.
  assert.deepEqual(dagger.curve[0].heldout, { episodes: 24, resolved: 1, ...success(1, 24) });
  assert.deepEqual(dagger.curve[1].heldout, { episodes: 24, resolved: 6, ...success(6, 24) });
  const live = sweep.methods.find((m) => m.method === 'dagger-live')!;
  assert.deepEqual(live.curve.map((p) => p.iteration), [1]); // its iteration 2 has no evaluation
  assert.equal(sweep.ranking.find((r) => r.name === 'sft-s0')!.effectiveSamples, 12);

  const [header, ...rows] = readFileSync(path.join(sweepDir, 'report', 'sweep-methods.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const row = Object.fromEntries(header.map((h, k) => [h, rows.find((r) => r[0] === 'dagger' && r[1] === '1')![k]]));
  assert.deepEqual([row.runs, row.effectiveSamples, row.teacherTokens, row.sandboxSeconds, row.heldoutResolved, row.heldoutEpisodes], ['3', '8', '880', '4', '6', '24']);
  close(Number(row.heldoutLow), success(6, 24).interval[0]);
  assert.equal(rows.length, 4 + 3 + 3 + 1); // dagger 0–3, sft 1–3, aggrevate 1–3, live 1
  assert.match(readFileSync(path.join(sweepDir, 'report', 'sweep.csv'), 'utf8').split('\n')[0], /cumulativeEffectiveSamples,cumulativeTeacherTokens,cumulativeSandboxSeconds/);
});

test('a run still going: the iterations recorded so far, no held-out numbers where the evaluation did not run', () => {
  const live = loadExperimentReport(liveRun);
  assert.equal(live.status, 'running');
  assert.equal(live.plannedIterations, 4);
  assert.deepEqual(live.iterations.map((it) => it.iteration), [1, 2]);
  assert.equal(live.iterations[0].heldout?.successRate, 3 / 8);
  assert.equal(live.iterations[1].heldout, null);
  assert.equal(live.iterations[1].rollout.successRate, 0.75);
});

test('the sweep ranks by final held-out success, then mean held-out, then rollout success; and averages methods over seeds', () => {
  assert.deepEqual(
    sweep.ranking.map((r) => [r.rank, r.name]),
    [
      [1, 'dagger-s2'], // 7/8 at the end beats everything, though its mean is lowest
      [2, 'sft-s0'], // 6/8, mean 15/24
      [3, 'dagger-s1'], // 6/8, mean 14/24
      [4, 'aggrevate-s0'], // 6/8, mean 12/24, final rollout 3/4
      [5, 'dagger-s0'], // 6/8, mean 12/24, final rollout 2/4
      [6, 'live'], // held-out 3/8 (its last evaluated iteration)
    ],
  );
  const top = sweep.ranking[0];
  assert.equal(top.finalHeldout, 7 / 8);
  assert.equal(top.finalIteration, 3);
  close(top.finalInterval?.[0], 0.5291);
  const liveRow = sweep.ranking[5];
  assert.equal(liveRow.finalIteration, 1);

  const dagger = sweep.methods.find((m) => m.method === 'dagger')!;
  assert.equal(dagger.runs, 3);
  close(dagger.finalHeldoutMean, (6 + 6 + 7) / 24);
  assert.equal(dagger.finalHeldoutMin, 6 / 8);
  const first = dagger.byIteration[0];
  close(first.heldoutMean, (2 + 3 + 1) / 24);
  assert.equal(first.heldoutMax, 3 / 8);

  const csv = readFileSync(path.join(sweepDir, 'report', 'sweep.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 1 + 5 * 3 + 2); // header, 5 experiments × 3 iterations, the live one's 2
  assert.ok(csv[0].startsWith('experiment,method,iteration,'));
  // Each experiment got its own report, which the ranking links to.
  assert.ok(existsSync(path.join(sweepDir, 'runs', 'sft-s0', 'report', 'index.html')));
  assert.match(readFileSync(sweepHtml, 'utf8'), /<a href="\.\.\/runs\/sft-s0\/report\/index\.html">sft-s0<\/a>/);
});

test('reportCommand: a run directory or a sweep directory, and a clear error for anything else', async () => {
  assert.equal(await reportCommand(liveRun), path.join(liveRun, 'report', 'index.html'));
  assert.equal(await reportCommand(sweepDir), path.join(sweepDir, 'report', 'index.html'));
  assert.equal(JSON.parse(readFileSync(path.join(sweepDir, 'report', 'sweep.json'), 'utf8')).sweepId, 'fixture-sweep');
  await assert.rejects(reportCommand(root), /neither a run directory .* nor a sweep directory/);
});

test('the HTML is one self-contained file with the plots inline and the numbers in tables', () => {
  const html = readFileSync(mainHtml, 'utf8');
  for (const id of ['plot-success', 'plot-success-samples', 'plot-success-teacher-tokens', 'plot-success-sandbox-seconds', 'plot-beta', 'plot-agreement-turn', 'plot-agreement-prefix', 'plot-cost']) {
    assert.match(html, new RegExp(`<figure class="plot" id="${id}">[\\s\\S]*?<svg[\\s\\S]*?</svg>`), id);
  }
  assert.doesNotMatch(html, /<script|<link|@import|url\(|src=/i);
  assert.match(html, /\[21\.5%, 78\.5%\]/); // the held-out interval of iteration 2
  assert.match(html, /<td>70\.0% \(7\/10\)<\/td>/); // iteration 2's agreement
  const sweepPage = readFileSync(sweepHtml, 'utf8');
  for (const id of ['plot-sweep-samples', 'plot-sweep-teacher-tokens', 'plot-sweep-sandbox-seconds']) {
    assert.match(sweepPage, new RegExp(`<figure class="plot" id="${id}">[\\s\\S]*?<svg[\\s\\S]*?</svg>`), id);
  }
});

test('headless Chromium: every plot has a size, drawn marks and a non-blank picture; nothing is fetched', async (t) => {
  const executablePath = execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'ensure-chromium.sh')], { encoding: 'utf8' }).trim();
  browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  // The blank-plot detector itself: an SVG with only its white background is one colour.
  await page.setContent('<svg width="200" height="100"><rect width="200" height="100" fill="white"/></svg>');
  assert.equal(await countColours((await (await page.$('svg'))!.screenshot({ encoding: 'base64' })) as string), 1);

  for (const file of [mainHtml, sweepHtml]) {
    await t.test(path.relative(root, file), async () => {
      const fetched: string[] = [];
      await page.setRequestInterception(true);
      const onRequest = (request: import('puppeteer-core').HTTPRequest) => {
        if (request.url() !== `file://${file}`) fetched.push(request.url());
        void request.continue();
      };
      page.on('request', onRequest);
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      page.off('request', onRequest);
      await page.setRequestInterception(false);
      assert.deepEqual(fetched, []);

      const figures = await page.$$('figure.plot');
      assert.ok(figures.length >= 3, `${figures.length} plots`);
      for (const figure of figures) {
        const id = await figure.evaluate((f) => f.id);
        const box = await figure.boundingBox();
        assert.ok(box && box.width > 100 && box.height > 100, `${id}: box ${JSON.stringify(box)}`);
        const marks = await figure.evaluate((f) => {
          const svg = f.querySelector('svg');
          if (!svg) return -1;
          // Vega draws each data mark inside a group classed by its type (mark-line, mark-symbol, mark-rect, …);
          // groups (frames, facet cells), axes and legends are not data.
          const data = 'g[class^="mark-"]:not(.mark-group):not(.role-axis *):not(.role-legend *)';
          return Array.from(svg.querySelectorAll(`${data} > path, ${data} > line`))
            .filter((m) => (m as SVGGraphicsElement).getBBox().width + (m as SVGGraphicsElement).getBBox().height > 0).length;
        });
        assert.ok(marks > 0, `${id}: ${marks} drawn marks`);
        // The plot itself, not the figure's title and caption: a blank or background-only SVG has one colour.
        const svg = await figure.$('svg');
        const png = (await svg!.screenshot({ encoding: 'base64' })) as string;
        const colours = await countColours(png);
        assert.ok(colours > 2, `${id}: the plot's screenshot has ${colours} colour(s)`);
      }
      if (file === mainHtml && process.env.UPDATE_REPORT_EXAMPLE) {
        const shot = path.join(__dirname, '..', 'docs', 'report-example.png');
        const plots = await page.$('.plots');
        await plots!.screenshot({ path: shot as `${string}.png` });
      }
    });
  }

  /** Distinct colours in a PNG, decoded by the browser itself (no image library needed). */
  async function countColours(png: string): Promise<number> {
    const scratch = await browser!.newPage();
    try {
      return await scratch.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < px.length && seen.size < 1000; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        return seen.size;
      }, png);
    } finally {
      await scratch.close();
    }
  }
});
