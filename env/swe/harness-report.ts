/**
 * The SWE-bench harness's reports for a group of episodes (an iteration's rollouts, an evaluation):
 * - `report.json`: the run report of `swebench.harness.reporting.make_run_report` (schema_version 2: counts,
 *   id lists, infra_failure / ambiguous_failure ids and failure_reasons), plus `tampering_instances` /
 *   `tampering_ids` (patches that change test infrastructure; the harness has no such keys);
 * - `<instance_id>/report.json`: the per-instance report the harness writes for each instance it ran to the
 *   end (`{instance_id: {patch_is_None, patch_exists, patch_successfully_applied, resolved, infra_failure,
 *   tests_status: {FAIL_TO_PASS, PASS_TO_PASS, FAIL_TO_FAIL, PASS_TO_FAIL}}}`), plus `tampering`;
 * - `predictions.jsonl`: every episode's prediction, in the harness's predictions format.
 *
 * Counting follows the harness: it keys predictions by instance id, so an instance verified more than once
 * counts once, by its LAST prediction (as its loader keeps the last line of a repeated id); an empty patch
 * is `empty_patch` (never run); an instance without a per-instance report (patch not applied, tests timed
 * out, a task error) is an `error`; the rest are completed, resolved or unresolved.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { VerificationResult } from '../types';
import { RunStore } from '../../store/run-store';
import type { SweVerification } from './verifier';

/** A stored verification: verification.json holds SweVerification without the test output. */
export type StoredVerification = VerificationResult & Partial<Omit<SweVerification, keyof VerificationResult | 'test_output'>>;

export interface RunReport {
  total_instances: number;
  submitted_instances: number;
  completed_instances: number;
  resolved_instances: number;
  unresolved_instances: number;
  infra_failure_instances: number;
  ambiguous_failure_instances: number;
  empty_patch_instances: number;
  error_instances: number;
  completed_ids: string[];
  incomplete_ids: string[];
  empty_patch_ids: string[];
  submitted_ids: string[];
  resolved_ids: string[];
  unresolved_ids: string[];
  infra_failure_ids: string[];
  ambiguous_failure_ids: string[];
  failure_reasons: Record<string, string>;
  error_ids: string[];
  schema_version: 2;
  tampering_instances: number;
  tampering_ids: string[];
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

/** The run report and the per-instance reports of a group of verifications (pure). */
export function harnessReports(results: StoredVerification[]): { report: RunReport; instances: Record<string, Record<string, unknown>> } {
  const last = new Map<string, StoredVerification>();
  for (const r of results) last.set(r.instance_id, r);
  const completed = new Set<string>();
  const resolved = new Set<string>();
  const unresolved = new Set<string>();
  const empty = new Set<string>();
  const errors = new Set<string>();
  const tampered = new Set<string>();
  const instances: Record<string, Record<string, unknown>> = {};
  for (const [id, r] of last) {
    if ((r.tampering ?? []).length > 0) tampered.add(id);
    if (r.model_patch === '') {
      empty.add(id);
      continue;
    }
    if (!r.harness_report) {
      errors.add(id);
      continue;
    }
    completed.add(id);
    (r.resolved ? resolved : unresolved).add(id);
    instances[id] = { [id]: { ...r.harness_report, resolved: r.resolved, tampering: r.tampering ?? [] } };
  }
  // The harness's advisory classification of what failed; those ids stay where they are.
  const reasons: Record<string, string> = {};
  const infra = new Set<string>();
  const ambiguous = new Set<string>();
  for (const id of [...unresolved, ...errors]) {
    const r = last.get(id);
    if (!r?.failure_reason) continue;
    reasons[id] = r.failure_reason;
    (r.failure_tier === 'environment' ? infra : ambiguous).add(id);
  }
  const ids = [...last.keys()];
  const report: RunReport = {
    total_instances: ids.length,
    submitted_instances: ids.length,
    completed_instances: completed.size,
    resolved_instances: resolved.size,
    unresolved_instances: unresolved.size,
    infra_failure_instances: infra.size,
    ambiguous_failure_instances: ambiguous.size,
    empty_patch_instances: empty.size,
    error_instances: errors.size,
    completed_ids: sorted(completed),
    incomplete_ids: [],
    empty_patch_ids: sorted(empty),
    submitted_ids: sorted(ids),
    resolved_ids: sorted(resolved),
    unresolved_ids: sorted(unresolved),
    infra_failure_ids: sorted(infra),
    ambiguous_failure_ids: sorted(ambiguous),
    failure_reasons: Object.fromEntries(Object.entries(reasons).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    error_ids: sorted(errors),
    schema_version: 2,
    tampering_instances: tampered.size,
    tampering_ids: sorted(tampered),
  };
  return { report, instances };
}

/** Writes SWE-bench predictions: one `{instance_id, model_name_or_path, model_patch}` per line. */
/** predictions.jsonl: every episode's prediction, in the harness's predictions format. */
export function predictionsJsonl(results: Pick<VerificationResult, 'instance_id' | 'model_patch'>[], modelName: string): string {
  const lines = results.map((r) => JSON.stringify({ instance_id: r.instance_id, model_name_or_path: modelName, model_patch: r.model_patch }));
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/** The files of a harness report, by path relative to its directory: report.json, `<instance_id>/report.json`, predictions.jsonl. */
export function harnessFiles(results: StoredVerification[], modelName: string): { report: RunReport; files: Map<string, string> } {
  const { report, instances } = harnessReports(results);
  const files = new Map<string, string>([['report.json', JSON.stringify(report, null, 4) + '\n']]);
  for (const [id, instanceReport] of Object.entries(instances)) {
    // An id is a directory name in the harness's log tree too; encoding keeps a stray "/" or ".." inside dir.
    const instanceDir = encodeURIComponent(id).replace(/^\.{1,2}$/, (dots) => dots.replaceAll('.', '%2E'));
    files.set(`${instanceDir}/report.json`, JSON.stringify(instanceReport, null, 4) + '\n');
  }
  files.set('predictions.jsonl', predictionsJsonl(results, modelName));
  return { report, files };
}

/** Writes report.json, each completed instance's `<instance_id>/report.json` and predictions.jsonl into dir. */
export function writeHarnessFiles(results: StoredVerification[], modelName: string, dir: string): RunReport {
  const { report, files } = harnessFiles(results, modelName);
  for (const [rel, content] of files) {
    const file = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return report;
}

/** The harness's reports for a group of a run's episodes, under `reports/<name>/` (returned relative to the run). */
export async function writeHarnessReport(input: { runDir: string; name: string; episodeIds: string[]; modelName: string }): Promise<string> {
  const store = new RunStore(input.runDir);
  const results = (await Promise.all(input.episodeIds.map((id) => store.readVerification(id)))).filter((r) => r !== null);
  const dir = `reports/${input.name}`;
  for (const [rel, content] of harnessFiles(results, input.modelName).files) await store.putText(`${dir}/${rel}`, content);
  return dir;
}
