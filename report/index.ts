/**
 * The experiment and sweep reports: one self-contained index.html with plots and tables, plus the same
 * numbers as JSON and CSV. See docs/report.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { RunStore, writeFileAtomic } from '../store/run-store';
import { describeRunLocation } from '../store/location';
import { loadExperimentReport, type ExperimentReport, type IterationReport } from './data';
import { experimentHtml, sweepHtml, type Figure } from './html';
import { experimentPlots, renderSvg, sweepPlots, type Plot } from './plots';
import { buildSweep, type SweepReport } from './sweep';

export { loadExperimentReport, type ExperimentReport, type IterationReport } from './data';
export { buildSweep, rank, type SweepReport } from './sweep';

/** One experiment of a sweep; `method` groups several seeds of one method (the name when absent). */
export interface SweepRun {
  name: string;
  runDir: string;
  method?: string;
}

/** `sweep-manifest.json` in a sweep directory; a relative runDir is relative to the sweep directory. */
export interface SweepManifest {
  sweepId: string;
  experiments: { name: string; method?: string; runDir: string }[];
}

export interface WrittenReport {
  html: string;
  json: string;
  csv: string;
}

/**
 * Write `index.html`, `report.json` and `iterations.csv` of a run directory to outDir (default `<runDir>/report`).
 * A run in an S3 store is read from this host's scratch copy of what the report needs (config, metrics, summary),
 * and its report is written there and uploaded to the run's `report/`.
 */
export async function writeExperimentReport(runDir: string, outDir?: string): Promise<WrittenReport & { report: ExperimentReport }> {
  const store = runDir.startsWith('s3://') ? new RunStore(runDir) : null;
  const dir = store ? await scratchCopyForReport(store) : runDir;
  const report = loadExperimentReport(dir);
  if (store) report.runDir = describeRunLocation(runDir);
  const figures = await renderFigures(experimentPlots(report));
  const out = outDir ?? path.join(dir, 'report');
  const written = {
    html: writeAtomic(path.join(out, 'index.html'), experimentHtml(report, figures, new Date().toISOString())),
    json: writeAtomic(path.join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n'),
    csv: writeAtomic(path.join(out, 'iterations.csv'), stringify(report.iterations.map(iterationRow), { header: true })),
  };
  if (store && !outDir) for (const file of Object.values(written)) await store.putText(`report/${path.basename(file)}`, readFileSync(file, 'utf8'));
  return { ...written, report };
}

/** The files loadExperimentReport reads, fresh from the store (a running experiment rewrites them). */
async function scratchCopyForReport(store: RunStore): Promise<string> {
  const keys = ['config.json', 'summary.json', ...(await store.blobs.list('metrics')).map((f) => `metrics/${f}`)];
  for (const key of keys) {
    const text = await store.getText(key);
    if (text !== null) writeFileAtomic(store.scratchPath(key), text);
  }
  return store.scratchPath('');
}

/**
 * Write the sweep's `index.html`, `sweep.json`, `sweep.csv` (one row per experiment × iteration) and `sweep-methods.csv`
 * (each method's success-against-cost curve) to outDir
 * (default `<sweepDir>/report`), and each experiment's own report, which the ranking links to.
 */
export async function writeSweepReport(sweepDir: string, runs: SweepRun[], outDir = path.join(sweepDir, 'report')): Promise<WrittenReport & { methodsCsv: string; sweep: SweepReport }> {
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(r.name)) throw new Error(`the sweep names experiment ${r.name} twice; give each experiment its own name`);
    seen.add(r.name);
  }
  const manifest = readManifest(sweepDir);
  const links = new Map<string, string>();
  const experiments = [];
  for (const r of runs) {
    const runDir = r.runDir.startsWith('s3://') ? r.runDir : path.resolve(sweepDir, r.runDir);
    const own = await writeExperimentReport(runDir);
    links.set(r.name, path.relative(path.resolve(outDir), own.html));
    experiments.push({ name: r.name, method: r.method ?? r.name, runDir, report: own.report });
  }
  const sweep = buildSweep(manifest?.sweepId ?? path.basename(path.resolve(sweepDir)), experiments);
  const figures = await renderFigures(sweepPlots(sweep));
  const rows = sweep.experiments.flatMap((e) => e.report.iterations.map((it) => ({ experiment: e.name, method: e.method, ...iterationRow(it) })));
  const written = {
    html: writeAtomic(path.join(outDir, 'index.html'), sweepHtml(sweep, figures, links, new Date().toISOString())),
    json: writeAtomic(path.join(outDir, 'sweep.json'), JSON.stringify(sweep, null, 2) + '\n'),
    csv: writeAtomic(path.join(outDir, 'sweep.csv'), stringify(rows, { header: true })),
    methodsCsv: writeAtomic(path.join(outDir, 'sweep-methods.csv'), stringify(sweep.methods.flatMap(curveRows), { header: true })),
  };
  return { ...written, sweep };
}

/**
 * `agent-dagger report <dir>`: a sweep directory (has sweep-manifest.json) or a run directory (has
 * summary.json, metrics/ or config.json), or a run's s3:// location (its report is also uploaded). Returns the path
 * of the written index.html.
 */
export async function reportCommand(target: string): Promise<string> {
  if (target.startsWith('s3://')) return (await writeExperimentReport(target)).html;
  const manifest = readManifest(target);
  if (manifest) return (await writeSweepReport(target, manifest.experiments)).html;
  if (['summary.json', 'metrics', 'config.json'].some((f) => existsSync(path.join(target, f)))) return (await writeExperimentReport(target)).html;
  throw new Error(`${target} is neither a run directory (summary.json, metrics/ or config.json) nor a sweep directory (sweep-manifest.json)`);
}

function readManifest(sweepDir: string): SweepManifest | null {
  const file = path.join(sweepDir, 'sweep-manifest.json');
  if (!existsSync(file)) return null;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as SweepManifest;
  if (!Array.isArray(manifest.experiments) || manifest.experiments.some((e) => typeof e?.name !== 'string' || typeof e?.runDir !== 'string')) {
    throw new Error(`${file}: expected {sweepId, experiments: [{name, method, runDir}]}`);
  }
  return manifest;
}

async function renderFigures(plots: (Plot | { id: string; title: string; empty: string })[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const p of plots) figures.push('spec' in p ? { id: p.id, title: p.title, caption: p.caption, svg: await renderSvg(p.spec) } : p);
  return figures;
}

/** `sweep-methods.csv`: a method's success-against-cost curve, one row per iteration. */
function curveRows(m: SweepReport['methods'][number]): Record<string, string | number | null>[] {
  return m.curve.map((p) => ({
    method: m.method,
    iteration: p.iteration,
    runs: p.runs,
    effectiveSamples: p.effectiveSamples,
    teacherTokens: p.teacherTokens,
    sandboxSeconds: p.sandboxSeconds,
    heldoutEpisodes: p.heldout.episodes,
    heldoutResolved: p.heldout.resolved,
    heldoutSuccess: p.heldout.successRate,
    heldoutLow: p.heldout.interval[0],
    heldoutHigh: p.heldout.interval[1],
  }));
}

/** One CSV row: the iteration's numbers, flat (empty cells where a number is missing). */
function iterationRow(it: IterationReport): Record<string, string | number | null> {
  return {
    iteration: it.iteration,
    source: it.source,
    mixing: it.mixing,
    beta: it.beta,
    prefixBound: it.prefixBound,
    rolloutEpisodes: it.rollout.episodes,
    rolloutResolved: it.rollout.resolved,
    rolloutSuccess: it.rollout.successRate,
    teacherFraction: it.rollout.teacherFraction,
    heldoutEpisodes: it.heldout?.episodes ?? null,
    heldoutResolved: it.heldout?.resolved ?? null,
    heldoutSuccess: it.heldout?.successRate ?? null,
    heldoutLow: it.heldout?.interval[0] ?? null,
    heldoutHigh: it.heldout?.interval[1] ?? null,
    evaluatedModel: it.heldout?.model ?? null,
    checkpoint: it.heldout?.checkpoint ?? null,
    transitions: it.dataset?.transitions ?? null,
    effectiveSamples: it.effectiveSamples,
    cumulativeEffectiveSamples: it.cumulative.effectiveSamples,
    cumulativeTeacherTokens: it.cumulative.teacherTokens,
    cumulativeSandboxSeconds: it.cumulative.sandboxSeconds,
    trainLoss: it.train?.finalLoss ?? null,
    agreement: it.agreement?.overall.rate ?? null,
    agreementStates: it.agreement?.overall.n ?? null,
    agreementTeacherPrefix: it.agreement?.byPrefix.teacher.rate ?? null,
    agreementStudentPrefix: it.agreement?.byPrefix.student.rate ?? null,
    teacherCalls: it.cost?.teacherCalls ?? null,
    tampered: it.rollout.tampered,
    paidRequests: it.cost?.paidRequests ?? null,
    paidDuplicates: it.cost?.paidDuplicates ?? null,
    teacherErrors: it.cost?.teacherErrors ?? null,
    teacherTokens: it.cost?.teacherTokens ?? null,
    studentCalls: it.cost?.studentCalls ?? null,
    studentTokens: it.cost?.studentTokens ?? null,
    policySeconds: it.cost?.policySeconds ?? null,
    sandboxSeconds: it.cost?.sandboxSeconds ?? null,
    trainerSeconds: it.cost?.trainerSeconds ?? null,
    turns: it.behaviour?.turns ?? it.rollout.turns,
    turnsPerEpisode: it.behaviour?.turnsPerEpisode?.mean ?? null,
    errorObservations: it.behaviour?.errorObservations ?? null,
    recoveredEpisodes: it.behaviour?.recoveredEpisodes ?? null,
  };
}

function writeAtomic(file: string, content: string): string {
  writeFileAtomic(file, content);
  return file;
}
