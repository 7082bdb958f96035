/**
 * The report's plots as Vega-Lite specs (pure: report data in, spec out), rendered to SVG headless in Node
 * by Vega's View — SVG needs no canvas, so nothing native is installed. A builder returns null when it has
 * nothing to draw (a run that has not got that far), and the page says so instead of showing empty axes.
 */
import type * as VegaLite from 'vega-lite/build/index';
import type { TopLevelSpec } from 'vega-lite/build/index';
import { HELDOUT } from '../core/records';
import type { ExperimentReport } from './data';
import type { SweepReport } from './sweep';

export interface Plot {
  /** The figure's element id in the page (`plot-…`). */
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

const WIDTH = 420;
const HEIGHT = 240;
const PERCENT = { format: '.0%' };
const config = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
};
const iterationAxis = { field: 'iteration', type: 'ordinal' as const, title: 'iteration', axis: { labelAngle: 0 } };

function base(data: object[]) {
  return { data: { values: data }, width: WIDTH, height: HEIGHT, background: 'white', config };
}

export function experimentPlots(report: ExperimentReport): (Plot | { id: string; title: string; empty: string })[] {
  return [successPlot(report), ...COST_AXES.map((axis) => experimentCostCurve(report, axis)), mixingPlot(report), agreementByTurnPlot(report), agreementByPrefixPlot(report), costPlot(report)];
}

/** The costs held-out success is drawn against (the paper's Figure 1 uses effective samples), each summed over iterations. */
const COST_AXES = [
  { key: 'effectiveSamples', id: 'samples', name: 'effective samples', unit: 'effective samples (trained state–label pairs)' },
  { key: 'teacherTokens', id: 'teacher-tokens', name: 'teacher tokens', unit: 'teacher tokens (prompt + completion)' },
  { key: 'sandboxSeconds', id: 'sandbox-seconds', name: 'sandbox seconds', unit: 'sandbox seconds' },
] as const;
type CostAxis = (typeof COST_AXES)[number];

interface CurveRow {
  series: string;
  iteration: number;
  x: number;
  rate: number;
  lo: number;
  hi: number;
}

/** Held-out success (with its 95% Wilson interval) against a cumulative cost: one line per series. */
function curveSpec(rows: CurveRow[], axis: CostAxis, colour: { title: string } | null): TopLevelSpec {
  const x = { field: 'x', type: 'quantitative' as const, title: `${axis.unit}, cumulative`, scale: { zero: true } };
  const color = colour
    ? { color: { field: 'series', type: 'nominal' as const, title: colour.title, legend: { orient: 'bottom' as const } } }
    : {};
  const fixed = colour ? {} : { color: '#f58518' };
  return {
    ...base(rows),
    layer: [
      {
        mark: { type: 'line', point: { filled: true, size: 50 }, ...fixed },
        encoding: { x, y: { field: 'rate', type: 'quantitative', title: 'held-out success', scale: { domain: [0, 1] }, axis: PERCENT }, ...color },
      },
      { mark: { type: 'errorbar', ticks: { size: 10 }, thickness: 1.5, ...fixed }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'held-out success' }, y2: { field: 'hi' }, ...color } },
    ],
  };
}

function experimentCostCurve(report: ExperimentReport, axis: CostAxis): Plot | { id: string; title: string; empty: string } {
  const id = `plot-success-${axis.id}`;
  const title = `Held-out success against ${axis.name}`;
  const initial = report.initial?.find((e) => e.name === HELDOUT);
  const rows: CurveRow[] = [
    ...(initial ? [{ series: report.experimentId, iteration: 0, x: 0, rate: initial.successRate, lo: initial.interval[0], hi: initial.interval[1] }] : []),
    ...report.iterations.flatMap((it) => {
      const x = it.cumulative[axis.key];
      return it.heldout && x !== null ? [{ series: report.experimentId, iteration: it.iteration, x, rate: it.heldout.successRate, lo: it.heldout.interval[0], hi: it.heldout.interval[1] }] : [];
    }),
  ];
  if (!rows.length) return { id, title, empty: `No iteration has both a held-out evaluation and its ${axis.name} yet.` };
  return {
    id,
    title,
    caption: `The student alone on the held-out tasks after each iteration, with its 95% Wilson interval, at the ${axis.unit} collected up to that iteration (the rollouts’; evaluation not counted)${initial ? '; the point at 0 is the starting student' : ''}.`,
    spec: curveSpec(rows, axis, null),
  };
}

const HELDOUT_SERIES = 'held-out (student alone)';
const BASE_SERIES = ['rollout (under the mixture)', HELDOUT_SERIES, 'teacher alone (ceiling)'];
const BASE_COLOURS = ['#4c78a8', '#f58518', '#9a9a9a'];
const SUITE_COLOURS = ['#54a24b', '#e45756', '#b279a2', '#72b7b2', '#eeca3b'];

/** The series of an evaluation suite: the held-out one keeps its older name. */
function suiteSeries(name: string): string {
  return name === HELDOUT ? HELDOUT_SERIES : `${name} (student alone)`;
}

function successPlot(report: ExperimentReport): Plot | { id: string; title: string; empty: string } {
  const id = 'plot-success';
  const title = 'Success per iteration';
  const suiteRow = (iteration: number, e: { name: string; successRate: number; interval: [number, number] }) => ({
    iteration,
    series: suiteSeries(e.name),
    rate: e.successRate,
    lo: e.interval[0],
    hi: e.interval[1],
  });
  const rows = [
    // Iteration 0: the starting student, before any training.
    ...(report.initial ?? []).map((e) => suiteRow(0, e)),
    ...report.iterations.flatMap((it) => [
      { iteration: it.iteration, series: 'rollout (under the mixture)', rate: it.rollout.successRate, lo: null as number | null, hi: null as number | null },
      ...(it.heldout ? [{ iteration: it.iteration, series: HELDOUT_SERIES, rate: it.heldout.successRate, lo: it.heldout.interval[0], hi: it.heldout.interval[1] }] : []),
      ...it.suites.filter((e) => e.name !== HELDOUT).map((e) => suiteRow(it.iteration, e)),
    ]),
  ];
  if (!rows.length) return { id, title, empty: 'No iteration has finished yet.' };
  const ceiling = report.teacherCeiling;
  const xs = [...(report.initial ? [0] : []), ...report.iterations.map((it) => it.iteration)];
  if (ceiling) rows.push(...xs.map((iteration) => ({ iteration, series: 'teacher alone (ceiling)', rate: ceiling.successRate, lo: null, hi: null })));
  const extra = [...new Set(rows.map((r) => r.series))].filter((name) => !BASE_SERIES.includes(name));
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: [...BASE_SERIES, ...extra], range: [...BASE_COLOURS, ...extra.map((_, i) => SUITE_COLOURS[i % SUITE_COLOURS.length])] },
    legend: { orient: 'bottom' as const, columns: 2 },
  };
  return {
    id,
    title,
    caption: `Rollout success under the iteration’s mixture and success of the student alone on each evaluation suite after the train step, with its 95% Wilson interval${report.initial ? '; iteration 0 is the starting student, before any training' : ''}${ceiling ? '; the grey line is the teacher alone on the same held-out tasks' : ''}.`,
    spec: {
      ...base(rows),
      layer: [
        { mark: { type: 'line', point: { filled: true, size: 50 } }, encoding: { x: iterationAxis, y: { field: 'rate', type: 'quantitative', title: 'success rate', scale: { domain: [0, 1] }, axis: PERCENT }, color } },
        {
          transform: [{ filter: 'datum.lo !== null' }],
          mark: { type: 'errorbar', ticks: { size: 14 }, thickness: 1.5 },
          encoding: { x: iterationAxis, y: { field: 'lo', type: 'quantitative', title: 'success rate' }, y2: { field: 'hi' }, color },
        },
      ],
    },
  };
}

function mixingPlot(report: ExperimentReport): Plot | { id: string; title: string; empty: string } {
  const id = 'plot-beta';
  const title = 'Mixing per iteration';
  const rows = report.iterations.flatMap((it) => [
    ...(it.beta !== null ? [{ iteration: it.iteration, series: 'β (scheduled)', value: it.beta }] : []),
    { iteration: it.iteration, series: 'teacher share (executed)', value: it.rollout.teacherFraction },
  ]);
  if (!rows.length) return { id, title, empty: 'No iteration has finished yet.' };
  const prefix = report.iterations.some((it) => it.prefixBound !== null);
  return {
    id,
    title,
    caption: `${prefix ? 'AggreVaTe draws a teacher prefix length k ~ U{0..K} (K in the table); ' : 'β is the probability that the teacher acts at a turn; '}the teacher share is what the rollouts actually executed.`,
    spec: {
      ...base(rows),
      mark: { type: 'line', point: { filled: true, size: 50 } },
      encoding: {
        x: iterationAxis,
        y: { field: 'value', type: 'quantitative', title: 'fraction', scale: { domain: [0, 1] } },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      },
    },
  };
}

function agreementByTurnPlot(report: ExperimentReport): Plot | { id: string; title: string; empty: string } {
  const id = 'plot-agreement-turn';
  const title = 'Teacher–student agreement by turn';
  const rows = report.iterations.flatMap((it) =>
    (it.agreement?.byTurn ?? []).filter((r) => r.rate !== null).map((r) => ({ iteration: `iteration ${it.iteration}`, order: it.iteration, turn: r.turn, rate: r.rate, n: r.n })),
  );
  if (!rows.length) return { id, title, empty: 'No visited state had both the teacher’s label and the student’s proposal.' };
  return {
    id,
    title,
    caption: 'The share of visited states at turn t where the student’s own proposal equals the teacher’s label (same tool, same arguments); one line per iteration.',
    spec: {
      ...base(rows),
      mark: { type: 'line', point: { filled: true, size: 40 } },
      encoding: {
        x: { field: 'turn', type: 'quantitative', title: 'turn index t', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'rate', type: 'quantitative', title: 'agreement', scale: { domain: [0, 1] }, axis: PERCENT },
        color: { field: 'iteration', type: 'ordinal', title: null, sort: { field: 'order' }, scale: { scheme: 'viridis' }, legend: { orient: 'bottom' } },
      },
    },
  };
}

function agreementByPrefixPlot(report: ExperimentReport): Plot | { id: string; title: string; empty: string } {
  const id = 'plot-agreement-prefix';
  const title = 'Agreement by who controlled the prefix';
  const rows = report.iterations.flatMap((it) => {
    if (!it.agreement) return [];
    const cells = [
      { prefix: 'teacher-induced states', r: it.agreement.byPrefix.teacher },
      { prefix: 'student-induced states', r: it.agreement.byPrefix.student },
      { prefix: 'all states', r: it.agreement.overall },
    ];
    return cells.filter((c) => c.r.rate !== null).map((c) => ({ iteration: it.iteration, prefix: c.prefix, rate: c.r.rate, n: c.r.n }));
  });
  if (!rows.length) return { id, title, empty: 'No visited state had both the teacher’s label and the student’s proposal.' };
  const order = ['teacher-induced states', 'student-induced states', 'all states'];
  return {
    id,
    title,
    caption: 'Teacher-induced: every earlier turn was the teacher’s. Student-induced: the student acted earlier in the episode — the states DAgger exists to label.',
    spec: {
      ...base(rows),
      mark: { type: 'bar' },
      encoding: {
        x: iterationAxis,
        xOffset: { field: 'prefix', type: 'nominal', sort: order },
        y: { field: 'rate', type: 'quantitative', title: 'agreement', scale: { domain: [0, 1] }, axis: PERCENT },
        color: { field: 'prefix', type: 'nominal', title: null, sort: order, legend: { orient: 'bottom' } },
      },
    },
  };
}

function costPlot(report: ExperimentReport): Plot | { id: string; title: string; empty: string } {
  const id = 'plot-cost';
  const title = 'Cost per iteration';
  const rows = report.iterations.flatMap((it) => {
    const c = it.cost;
    if (!c) return [];
    return [
      { iteration: it.iteration, unit: 'tokens', measure: 'teacher tokens', value: c.teacherTokens },
      { iteration: it.iteration, unit: 'tokens', measure: 'student tokens', value: c.studentTokens },
      { iteration: it.iteration, unit: 'seconds', measure: 'sandbox s', value: c.sandboxSeconds },
      ...(c.trainerSeconds !== null ? [{ iteration: it.iteration, unit: 'seconds', measure: 'trainer s', value: c.trainerSeconds }] : []),
    ];
  });
  if (!rows.length) return { id, title, empty: 'No iteration has recorded its cost yet.' };
  const order = ['teacher tokens', 'student tokens', 'sandbox s', 'trainer s'];
  return {
    id,
    title,
    caption: 'Model tokens (prompt + completion) of the rollouts’ teacher and student calls, and seconds spent executing actions in sandboxes and in the train step.',
    spec: {
      data: { values: rows },
      background: 'white',
      config,
      facet: { column: { field: 'unit', type: 'nominal', title: null, sort: ['tokens', 'seconds'] } },
      spec: {
        width: WIDTH / 2 - 10,
        height: HEIGHT,
        mark: { type: 'bar' },
        encoding: {
          x: iterationAxis,
          xOffset: { field: 'measure', type: 'nominal', sort: order },
          y: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'measure', type: 'nominal', title: null, sort: order, legend: { orient: 'bottom' } },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

export function sweepPlots(sweep: SweepReport): (Plot | { id: string; title: string; empty: string })[] {
  const plots = [
    sweepLines('plot-sweep-heldout', 'Held-out success per iteration', sweep, 'heldout', 'Held-out success of each experiment’s student alone; one line per experiment, the point’s shape marks its method.'),
    sweepLines('plot-sweep-rollout', 'Rollout success per iteration', sweep, 'rollout', 'Rollout success under each experiment’s mixture.'),
  ];
  if (sweep.methods.some((m) => m.runs > 1)) plots.push(methodPlot(sweep));
  return [...plots, ...COST_AXES.map((axis) => sweepCostCurve(sweep, axis))];
}

function sweepCostCurve(sweep: SweepReport, axis: CostAxis): Plot | { id: string; title: string; empty: string } {
  const id = `plot-sweep-${axis.id}`;
  const title = `Held-out success against ${axis.name}, per method`;
  const rows: CurveRow[] = sweep.methods.flatMap((m) =>
    m.curve.flatMap((p) => {
      const x = p[axis.key];
      return x === null ? [] : [{ series: m.method, iteration: p.iteration, x, rate: p.heldout.successRate, lo: p.heldout.interval[0], hi: p.heldout.interval[1] }];
    }),
  );
  if (!rows.length) return { id, title, empty: `No experiment has both a held-out evaluation and its ${axis.name} yet.` };
  return {
    id,
    title,
    caption: `Per method and iteration: held-out success over its runs’ evaluation episodes (the mean over seeds), with its 95% Wilson interval, at the mean ${axis.unit} its runs had collected by then.`,
    spec: curveSpec(rows, axis, { title: 'method' }),
  };
}

function sweepLines(id: string, title: string, sweep: SweepReport, which: 'heldout' | 'rollout', caption: string): Plot | { id: string; title: string; empty: string } {
  const rows = sweep.experiments.flatMap((e) =>
    e.report.iterations.flatMap((it) => {
      const rate = which === 'heldout' ? it.heldout?.successRate : it.rollout.successRate;
      return rate === undefined ? [] : [{ experiment: e.name, method: e.method, iteration: it.iteration, rate }];
    }),
  );
  if (!rows.length) return { id, title, empty: which === 'heldout' ? 'No experiment has a held-out evaluation yet.' : 'No iteration has finished yet.' };
  return {
    id,
    title,
    caption,
    spec: {
      ...base(rows),
      mark: { type: 'line', point: { filled: true, size: 60 } },
      encoding: {
        x: iterationAxis,
        y: { field: 'rate', type: 'quantitative', title: 'success rate', scale: { domain: [0, 1] }, axis: PERCENT },
        color: { field: 'experiment', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2 } },
        shape: { field: 'method', type: 'nominal', title: 'method', legend: { orient: 'bottom' } },
      },
    },
  };
}

function methodPlot(sweep: SweepReport): Plot | { id: string; title: string; empty: string } {
  const id = 'plot-sweep-methods';
  const title = 'Held-out success per method (mean over seeds)';
  const rows = sweep.methods.flatMap((m) =>
    m.byIteration.filter((r) => r.heldoutMean !== null).map((r) => ({ method: m.method, iteration: r.iteration, mean: r.heldoutMean, min: r.heldoutMin, max: r.heldoutMax })),
  );
  if (!rows.length) return { id, title, empty: 'No experiment has a held-out evaluation yet.' };
  const color = { field: 'method', type: 'nominal' as const, title: 'method', legend: { orient: 'bottom' as const } };
  return {
    id,
    title,
    caption: 'The mean held-out success of each method’s runs (seeds) per iteration; the band spans the lowest and highest run.',
    spec: {
      ...base(rows),
      layer: [
        { mark: { type: 'line', point: { filled: true, size: 50 } }, encoding: { x: iterationAxis, y: { field: 'mean', type: 'quantitative', title: 'success rate', scale: { domain: [0, 1] }, axis: PERCENT }, color } },
        { mark: { type: 'area', opacity: 0.2 }, encoding: { x: iterationAxis, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, color } },
      ],
    },
  };
}

/** One spec to an SVG string. Vega and Vega-Lite are ES modules with top-level await: imported, not required. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = await import('vega');
  // vega-lite declares its types only under `exports`, which this project's `moduleResolution: node` does not read.
  const vl: typeof VegaLite = await import('vega-lite' as string);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
