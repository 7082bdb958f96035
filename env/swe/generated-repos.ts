/**
 * Bundled suites commit the repositories their builders generate (`tasks/<suite>/repos/<id>/`), so that a
 * run needs no build step; `build.ts --check` regenerates them into a scratch folder and compares, so a
 * committed tree that its builder would not produce fails CI.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { readRepoFiles } from './workspace';

/** What differs between the committed repositories under `committed` and freshly built ones under `built`. */
export function diffRepos(committed: string, built: string): string[] {
  const problems: string[] = [];
  const ids = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
  const want = ids(built);
  const have = new Set(ids(committed));
  for (const id of have) if (!want.includes(id)) problems.push(`${id}: committed but no longer built`);
  for (const id of want) {
    if (!have.has(id)) {
      problems.push(`${id}: built but not committed`);
      continue;
    }
    const a = new Map(readRepoFiles(path.join(committed, id)).map((f) => [f.path, f]));
    for (const f of readRepoFiles(path.join(built, id))) {
      const old = a.get(f.path);
      if (!old) problems.push(`${id}/${f.path}: missing`);
      else if (!old.content.equals(f.content) || old.mode !== f.mode) problems.push(`${id}/${f.path}: differs`);
      a.delete(f.path);
    }
    for (const extra of a.keys()) problems.push(`${id}/${extra}: not built`);
  }
  return problems;
}
