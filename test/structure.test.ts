/**
 * The house's structure, from the code's own imports: no import loops, the report reads records through
 * core/ and store/ only, workflow code takes activities as types only, and the episode loop has one copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

const SKIP = new Set(['node_modules', '.git', 'runs', 'trainer', '.venv', 'repos', 'fixtures']);

function sources(dir = PROJECT_ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (SKIP.has(name) || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

interface Edge {
  to: string;
  typeOnly: boolean;
}

/** Relative imports of every source file, resolved to files. */
function importGraph(): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    const edges: Edge[] = [];
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
      const base = path.resolve(path.dirname(file), m[3]);
      const to = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => {
        try {
          return statSync(f).isFile();
        } catch {
          return false;
        }
      });
      if (to) edges.push({ to, typeOnly: Boolean(m[2]) });
    }
    graph.set(file, edges);
  }
  return graph;
}

const rel = (f: string) => path.relative(PROJECT_ROOT, f);
const graph = importGraph();

test('there are no import loops', () => {
  const state = new Map<string, 'open' | 'done'>();
  const loops: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      loops.push([...trail.slice(trail.indexOf(file)), file].map(rel).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const e of graph.get(file) ?? []) visit(e.to, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(loops, []);
  assert.ok(graph.size > 50, `only ${graph.size} sources found`);
});

test('the report reads records through core/ and store/ only', () => {
  const bad = [...graph]
    .filter(([file]) => rel(file).startsWith('report/'))
    .flatMap(([file, edges]) => edges.filter((e) => !/^(core|store|report)\//.test(rel(e.to))).map((e) => `${rel(file)} → ${rel(e.to)}`));
  assert.deepEqual(bad, []);
});

test('workflow code imports activities as types only', () => {
  const bad = [...graph]
    .filter(([file]) => rel(file).startsWith('workflows/'))
    .flatMap(([file, edges]) => edges.filter((e) => rel(e.to).startsWith('activities/') && !e.typeOnly).map((e) => `${rel(file)} → ${rel(e.to)}`));
  assert.deepEqual(bad, []);
});

test('the episode loop has one copy: everything that runs episodes calls core/episode-loop.ts', () => {
  const loops = sources().filter((f) => /for \(let t = 0; t < [\w.]*maxTurns/i.test(readFileSync(f, 'utf8')));
  assert.deepEqual(loops.map(rel), ['core/episode-loop.ts']);
  const callers = sources().filter((f) => /runEpisodeLoop\(/.test(readFileSync(f, 'utf8')) && !rel(f).startsWith('test/'));
  assert.deepEqual(callers.map(rel).sort(), ['core/episode-loop.ts', 'studies/toy/episodes.ts', 'workflows/episode.ts']);
});
