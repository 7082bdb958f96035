/**
 * The report page: one self-contained HTML file (inline CSS and SVG; no script, font or request leaves it).
 * Pure: report data and rendered SVGs in, a string out.
 */
import type { ExperimentReport, IterationReport, RateReport } from './data';
import type { SweepReport } from './sweep';

export type Figure = { id: string; title: string; caption: string; svg: string } | { id: string; title: string; empty: string };

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.meta { color: #555; margin: 0 0 16px; font-size: 13px; }
.plots { display: flex; flex-wrap: wrap; gap: 16px; }
figure.plot { margin: 0; padding: 8px; border: 1px solid #e3e3e3; border-radius: 4px; background: #fff; }
figure.plot figcaption { font-size: 12px; color: #555; max-width: 460px; margin-top: 4px; }
figure.plot h3 { font-size: 14px; margin: 0 0 6px; }
figure.plot svg { display: block; }
p.empty { color: #777; font-style: italic; font-size: 13px; }
table { border-collapse: collapse; font-size: 12px; margin: 4px 0 12px; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; white-space: nowrap; }
th { background: #f5f5f5; }
td.text, th.text { text-align: left; white-space: normal; }
footer { margin-top: 32px; font-size: 11px; color: #888; }
`;

export function experimentHtml(report: ExperimentReport, figures: Figure[], generatedAt: string): string {
  const its = report.iterations;
  const status =
    report.status === 'done'
      ? `finished: ${its.length} iteration${its.length === 1 ? '' : 's'}`
      : `running: ${its.length}${report.plannedIterations ? ` of ${report.plannedIterations}` : ''} iteration${its.length === 1 ? '' : 's'} recorded so far`;
  const body = [
    `<h1>Experiment ${esc(report.experimentId)}</h1>`,
    `<p class="meta">${esc(status)}${report.algorithm ? ` · algorithm ${esc(report.algorithm)}` : ''} · run directory <code>${esc(report.runDir)}</code></p>`,
    `<h2>Plots</h2>`,
    `<div class="plots">${figures.map(figureHtml).join('\n')}</div>`,
    `<h2>Success</h2>`,
    ceilingLine(report),
    table(
      ['iteration', 'mixing', 'rollout success', 'teacher share', 'held-out success', '95% interval', 'evaluated model', 'checkpoint', 'transitions', 'train loss'],
      its.map((it) => [
        it.iteration,
        it.mixing,
        it.rollout.episodes ? `${pct(it.rollout.successRate)} (${it.rollout.resolved}/${it.rollout.episodes})` : '–',
        pct(it.rollout.teacherFraction),
        it.heldout ? `${pct(it.heldout.successRate)}${it.heldout.episodes !== null ? ` (${it.heldout.resolved}/${it.heldout.episodes})` : ''}` : 'not evaluated',
        it.heldout ? interval(it.heldout.interval) : '–',
        it.heldout?.model ?? '–',
        it.heldout ? (it.heldout.checkpoint ?? 'base model') : '–',
        it.dataset?.transitions ?? '–',
        num(it.train?.finalLoss ?? null, 4),
      ]),
      [6, 7],
    ),
    ...suitesSection(report),
    `<h2>Success against cost</h2>`,
    budgetLine(report),
    table(
      ['iteration', 'effective samples', 'cumulative effective samples', 'cumulative teacher tokens', 'cumulative sandbox s', 'held-out success', '95% interval'],
      its.map((it) => [
        it.iteration,
        it.effectiveSamples ?? '–',
        it.cumulative.effectiveSamples ?? '–',
        it.cumulative.teacherTokens ?? '–',
        num(it.cumulative.sandboxSeconds, 1),
        it.heldout ? pct(it.heldout.successRate) : 'not evaluated',
        it.heldout ? interval(it.heldout.interval) : '–',
      ]),
    ),
    `<h2>Agreement</h2>`,
    table(
      ['iteration', 'all states', 'teacher-induced', 'student-induced'],
      its.map((it) => [it.iteration, rateCell(it.agreement?.overall), rateCell(it.agreement?.byPrefix.teacher), rateCell(it.agreement?.byPrefix.student)]),
    ),
    agreementByTurnTable(its),
    `<h2>Cost</h2>`,
    table(
      ['iteration', 'teacher calls', 'teacher tokens', 'student calls', 'student tokens', 'requests paid', 'paid twice', 'teacher errors', 'policy s', 'sandbox s', 'trainer s', 'trainer tokens'],
      its.map((it) => {
        const c = it.cost;
        return c
          ? [it.iteration, c.teacherCalls, c.teacherTokens, c.studentCalls, c.studentTokens, c.paidRequests ?? '–', c.paidDuplicates ?? '–', c.teacherErrors ?? '–', num(c.policySeconds, 1), num(c.sandboxSeconds, 1), num(c.trainerSeconds, 1), c.trainerTokens ?? '–']
          : [it.iteration, '–', '–', '–', '–', '–', '–', '–', '–', '–', '–', '–'];
      }),
    ),
    `<h2>Behaviour</h2>`,
    table(
      ['iteration', 'episodes', 'turns per episode', 'error observations', 'recovered episodes', 'tampering flagged', 'end reasons', 'actions'],
      its.map((it) => {
        const b = it.behaviour;
        const flagged = it.rollout.tampered ?? '–';
        if (!b) return [it.iteration, it.rollout.episodes, '–', '–', '–', flagged, counts(it.rollout.endReasons ?? {}), '–'];
        const tpe = b.turnsPerEpisode;
        return [it.iteration, b.episodes, tpe ? `${num(tpe.mean, 1)} (${tpe.min}–${tpe.max})` : '–', b.errorObservations, b.recoveredEpisodes, flagged, counts(b.endReasons), counts(b.actions)];
      }),
      [6, 7],
    ),
    `<footer>Generated ${esc(generatedAt)} by agent-dagger <code>report</code>. The same numbers: report.json and iterations.csv next to this file.</footer>`,
  ];
  return page(`Experiment ${report.experimentId}`, body.join('\n'));
}

export function sweepHtml(sweep: SweepReport, figures: Figure[], links: Map<string, string>, generatedAt: string): string {
  const budgeted = sweep.ranking.some((r) => r.budgetMetAt !== undefined);
  const body = [
    `<h1>Sweep ${esc(sweep.sweepId)}</h1>`,
    `<p class="meta">${sweep.experiments.length} experiments, ${sweep.methods.length} method${sweep.methods.length === 1 ? '' : 's'}</p>`,
    `<h2>Plots</h2>`,
    `<div class="plots">${figures.map(figureHtml).join('\n')}</div>`,
    `<h2>Ranking</h2>`,
    `<p class="meta">By final held-out success, then mean held-out success over iterations, then final rollout success.</p>`,
    table(
      ['rank', 'experiment', 'method', 'iterations', 'final held-out', '95% interval', 'at iteration', 'mean held-out', 'final rollout', 'teacher ceiling', 'effective samples', ...(budgeted ? ['budget met at'] : [])],
      sweep.ranking.map((r) => {
        const link = links.get(r.name);
        return [
          r.rank,
          { html: link ? `<a href="${esc(link)}">${esc(r.name)}</a>` : esc(r.name) },
          r.method,
          r.status === 'done' ? r.iterations : `${r.iterations} (running)`,
          pct(r.finalHeldout),
          r.finalInterval ? interval(r.finalInterval) : '–',
          r.finalIteration ?? '–',
          pct(r.meanHeldout),
          pct(r.finalRollout),
          pct(r.teacherCeiling),
          r.effectiveSamples ?? '–',
          ...(budgeted ? [r.budgetMetAt === undefined ? 'no budget' : (r.budgetMetAt ?? 'not met')] : []),
        ];
      }),
      [1, 2],
    ),
    `<h2>Methods (mean over runs)</h2>`,
    table(
      ['method', 'runs', 'final held-out mean', 'min', 'max', 'mean held-out', 'final rollout mean', 'experiments'],
      sweep.methods.map((m) => [m.method, m.runs, pct(m.finalHeldoutMean), pct(m.finalHeldoutMin), pct(m.finalHeldoutMax), pct(m.meanHeldoutMean), pct(m.finalRolloutMean), m.names.join(', ')]),
      [0, 7],
    ),
    `<h2>Success against cost (per method, over seeds)</h2>`,
    `<p class="meta">Held-out success pooled over the runs' evaluation episodes with its 95% Wilson interval, at the mean cumulative cost of those runs; iteration 0 is the starting student.</p>`,
    table(
      ['method', 'iteration', 'runs', 'effective samples', 'teacher tokens', 'sandbox s', 'held-out success', '95% interval'],
      sweep.methods.flatMap((m) =>
        m.curve.map((p) => [m.method, p.iteration, p.runs, num(p.effectiveSamples, 1), num(p.teacherTokens, 0), num(p.sandboxSeconds, 1), `${pct(p.heldout.successRate)} (${p.heldout.resolved}/${p.heldout.episodes})`, interval(p.heldout.interval)]),
      ),
      [0],
    ),
    `<footer>Generated ${esc(generatedAt)} by agent-dagger <code>report</code>. The same numbers: sweep.json and sweep.csv next to this file.</footer>`,
  ];
  return page(`Sweep ${sweep.sweepId}`, body.join('\n'));
}

/** Every evaluation suite per iteration, with iteration 0 (the starting student) when it was evaluated. */
function suitesSection(report: ExperimentReport): string[] {
  const rows = [
    ...(report.initial ?? []).map((e) => ({ iteration: 0, e })),
    ...report.iterations.flatMap((it) => it.suites.map((e) => ({ iteration: it.iteration, e }))),
  ];
  if (!rows.length) return [];
  return [
    `<h2>Evaluation suites</h2>`,
    `<p class="meta">The student alone, greedy, on each suite after the iteration's train step; iteration 0 is the starting student, before any training.</p>`,
    table(
      ['iteration', 'suite', 'success', '95% interval', 'model', 'instances file'],
      rows.map(({ iteration, e }) => [iteration, e.name, `${pct(e.successRate)} (${e.resolved}/${e.episodes})`, interval(e.interval), e.model, e.suite]),
      [1, 4, 5],
    ),
  ];
}

/** The budget in effective samples, when the experiment has one: the iteration that met it, or how far it got. */
function budgetLine(report: ExperimentReport): string {
  const b = report.budget;
  if (!b) return '';
  const collected = b.cumulative === null ? 'an unknown number (an iteration has no count)' : String(b.cumulative);
  const where = b.metAtIteration !== null ? `met at iteration ${b.metAtIteration}` : 'not met';
  return `<p class="meta">Budget: ${b.effectiveSamples} effective samples, ${where}; ${esc(collected)} collected.</p>`;
}

function ceilingLine(report: ExperimentReport): string {
  const c = report.teacherCeiling;
  const suites = [...new Set(report.iterations.flatMap((it) => (it.heldout?.suite ? [it.heldout.suite] : [])))];
  const parts = [
    ...(suites.length ? [`Held-out tasks from ${suites.map((s) => `<code>${esc(s)}</code>`).join(', ')}.`] : []),
    ...(c ? [`Teacher alone (${esc(c.model)}) on the same held-out tasks: ${pct(c.successRate)} (${c.resolved}/${c.episodes}), 95% interval ${interval(c.interval)}.`] : []),
  ];
  return parts.length ? `<p class="meta">${parts.join(' ')}</p>` : '';
}

function agreementByTurnTable(its: IterationReport[]): string {
  const turns = [...new Set(its.flatMap((it) => it.agreement?.byTurn.map((r) => r.turn) ?? []))].sort((a, b) => a - b);
  if (!turns.length) return '';
  return (
    `<p class="meta">By turn index t: agreement (states with both actions).</p>` +
    table(
      ['iteration', ...turns.map((t) => `t=${t}`)],
      its.map((it) => [it.iteration, ...turns.map((t) => rateCell(it.agreement?.byTurn.find((r) => r.turn === t)))]),
    )
  );
}

function figureHtml(f: Figure): string {
  const inner = 'svg' in f ? `${f.svg}\n<figcaption>${esc(f.caption)}</figcaption>` : `<p class="empty">${esc(f.empty)}</p>`;
  return `<figure class="plot${'svg' in f ? '' : ' empty'}" id="${esc(f.id)}">\n<h3>${esc(f.title)}</h3>\n${inner}\n</figure>`;
}

type Cell = string | number | { html: string };

/** `textColumns`: columns aligned left (names, paths, lists). Strings are escaped; `{ html }` is not. */
function table(headers: string[], rows: Cell[][], textColumns: number[] = []): string {
  const cls = (i: number) => (textColumns.includes(i) ? ' class="text"' : '');
  const cell = (c: Cell) => (typeof c === 'object' ? c.html : esc(String(c)));
  const head = `<tr>${headers.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${cell(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function rateCell(r: RateReport | undefined | null): string {
  return r && r.rate !== null ? `${pct(r.rate)} (${r.agree}/${r.n})` : '–';
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort(([, a], [, b]) => b - a);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : '–';
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(1)}%`;
}

function interval([lo, hi]: [number, number]): string {
  return `[${pct(lo)}, ${pct(hi)}]`;
}

function num(x: number | null, digits: number): string {
  return x === null ? '–' : x.toFixed(digits);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
