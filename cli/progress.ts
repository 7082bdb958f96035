/** How a running experiment looks in the terminal. */
import type { ExperimentReport, FullStatus } from './experiments';
import type { IterationSummary, SuiteSuccess } from '../core/records';

const pct = (x: number | null) => (x === null ? '  -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatStatus({ experiment: e, iteration: it }: FullStatus): string {
  const lines = [`${e.experimentId}: ${e.state}, iteration ${e.iteration}/${e.iterations} (${e.algorithm.kind})`, `  run directory: ${e.runDir}`];
  if (it && e.state !== 'done') {
    lines.push(`  iteration ${it.iteration}: ${it.phase}${it.paused ? ' (paused)' : ''}, rollouts ${it.episodesDone}/${it.episodesTotal}, resolved ${it.resolved}`);
    if (it.evaluating) lines.push(`  beside it: ${evaluatingText(it.evaluating)}`);
  }
  if (e.results.length) lines.push(formatResults(e.results));
  for (const n of e.notices ?? []) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** `agent-dagger status`: the server's verdict first (failed, terminated, stuck: with the message), then the experiment's own view. */
export function formatReport(report: ExperimentReport): string {
  const { status } = report;
  if (report.failure !== null || report.stuck !== null) {
    const verdict = report.failure !== null ? `${report.workflowStatus}: ${report.failure}` : `RUNNING but stuck: ${report.stuck}`;
    const lines = [`${report.experimentId}: ${verdict}`];
    if (status) {
      const e = status.experiment;
      lines.push(`  reached iteration ${e.iteration}/${e.iterations} (${e.algorithm.kind}); run directory: ${e.runDir}`);
      if (e.results.length) lines.push(formatResults(e.results));
    }
    return lines.join('\n');
  }
  if (!status) return `${report.experimentId}: ${report.workflowStatus}`;
  return formatStatus(status);
}

export function formatResults(results: IterationSummary[]): string {
  const header = '  iter  mixing            episodes  resolved  success  teacher-turns  labels  retries  eval-success (95% CI)   train-loss';
  const interval = (r: IterationSummary) =>
    r.evalInterval ? ` (${(r.evalInterval[0] * 100).toFixed(0)}–${(r.evalInterval[1] * 100).toFixed(0)}%)` : '';
  const rows = results.map(
    (r) =>
      `  ${String(r.iteration).padStart(4)}  ${r.mixing.padEnd(16)}  ${String(r.episodes).padStart(8)}  ${String(r.resolved).padStart(8)}  ${pct(r.successRate)}  ${pct(r.teacherFraction).padStart(13)}  ${String(r.transitions).padStart(6)}  ${String(r.retries).padStart(7)}  ${(pct(r.evalSuccessRate) + interval(r)).padEnd(21)}  ${r.trainLoss === null ? '         -' : r.trainLoss.toFixed(4).padStart(10)}`,
  );
  const suite = (s: SuiteSuccess) =>
    `${s.name} ${s.resolved}/${s.episodes} ${pct(s.successRate).trim()} (${(s.interval[0] * 100).toFixed(0)}–${(s.interval[1] * 100).toFixed(0)}%)`;
  const initial = results.find((r) => r.initial)?.initial;
  // The starting student, before any training: where every curve starts.
  if (initial?.length) rows.unshift(`     0  before training: the student alone, ${initial.map(suite).join('; ')}`);
  // Suites beyond the held-out one, per iteration.
  for (const r of results) {
    const more = (r.suites ?? []).filter((s) => s.name !== 'heldout');
    if (more.length) rows.push(`  iteration ${r.iteration}, other suites: ${more.map(suite).join('; ')}`);
  }
  const ceiling = results.find((r) => r.teacherCeiling)?.teacherCeiling;
  if (ceiling) {
    rows.push(
      `  teacher alone on the held-out tasks (ceiling): ${ceiling.resolved}/${ceiling.episodes} ${pct(ceiling.successRate).trim()} ` +
        `(${(ceiling.interval[0] * 100).toFixed(0)}–${(ceiling.interval[1] * 100).toFixed(0)}%), ${ceiling.model}`,
    );
  }
  return [header, ...rows].join('\n');
}

/** One line of live progress, printed when it changes: episodes done, success so far, time left in the rollouts. */
export function progressLine({ experiment: e, iteration: it }: FullStatus, now = Date.now()): string {
  let episodes = '';
  if (it) {
    const rollouts = `${it.episodesDone}/${it.episodesTotal} episodes, ${it.resolved} resolved${it.paused ? ' (paused)' : ''}`;
    episodes = it.phase === 'rollout' ? ` | rollout ${rollouts}` : ` | ${it.phase} (rollouts: ${rollouts})`;
    if (it.phase === 'rollout' && it.episodesDone > 0 && it.episodesDone < it.episodesTotal) {
      const perEpisode = (now - it.startedAt) / it.episodesDone;
      episodes += `, ~${formatDuration(perEpisode * (it.episodesTotal - it.episodesDone))} left`;
    }
    if (it.evaluating) episodes += ` | ${evaluatingText(it.evaluating)}`;
  }
  return `[${e.experimentId}] iteration ${e.iteration}/${e.iterations} ${e.state}${episodes}`;
}

/** The previous iteration's evaluation, running beside this iteration's rollouts. */
function evaluatingText(e: { iteration: number; episodesDone: number; episodesTotal: number }): string {
  return `evaluating iteration ${e.iteration}'s checkpoint ${e.episodesDone}/${e.episodesTotal} episodes`;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}
