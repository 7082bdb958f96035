/**
 * Tampering: a model patch that adds or changes test infrastructure can make the grader see passes that
 * never happened (a root conftest.py rewriting outcomes, a plugin, addopts that deselect tests, a .pth or
 * sitecustomize run at interpreter start). SWE-bench's harness has the same weakness and grades such a
 * patch like any other; the verifier flags it (and, when asked, treats it as unresolved).
 *
 * Pure: reads the patch only.
 */
import { parseDiff } from './patches';

export interface TamperingFinding {
  path: string;
  reason: string;
}

/** Files whose presence alone changes how pytest or the interpreter runs. */
const INFRA_FILES: readonly [RegExp, string][] = [
  [/(^|\/)conftest\.py$/, 'conftest.py: pytest loads it and its hooks can rewrite test outcomes'],
  [/(^|\/)(pytest\.ini|\.pytest\.ini|tox\.ini)$/, 'pytest configuration file'],
  [/(^|\/)(sitecustomize|usercustomize)\.py$/, 'runs at interpreter start-up'],
  [/\.pth$/, '.pth file: its import lines run at interpreter start-up'],
];

/** Files that hold pytest settings among other things: flagged only when the change touches them. */
const SHARED_CONFIG = /(^|\/)(setup\.cfg|pyproject\.toml|setup\.py)$/;
const PYTEST_SETTING = /pytest|addopts|testpaths|python_files|python_functions|python_classes|norecursedirs|conftest/;
/** A hunk inside pytest's own section (`[tool.pytest.ini_options]`, `[tool:pytest]`, `[pytest]`) changes its settings. */
const PYTEST_SECTION = /^.\[(tool\.pytest|tool:pytest|pytest)\b/;

/** Lines of any Python file that register or implement pytest plugin hooks. */
const PLUGIN_CODE = /^\s*(def\s+pytest_\w+\s*\(|pytest_plugins\s*=|@pytest\.hookimpl)/;

export function detectTampering(patch: string): TamperingFinding[] {
  const findings: TamperingFinding[] = [];
  for (const file of parseDiff(patch)) {
    const infra = INFRA_FILES.find(([pattern]) => pattern.test(file.path));
    if (infra) {
      findings.push({ path: file.path, reason: `${file.kind === 'add' ? 'adds' : file.kind === 'delete' ? 'deletes' : 'changes'} ${infra[1]}` });
      continue;
    }
    const changed = file.hunks.flatMap((h) => h.lines.filter((l) => l.startsWith('+') || l.startsWith('-')).map((l) => l.slice(1)));
    if (SHARED_CONFIG.test(file.path)) {
      const setting = changed.find((l) => PYTEST_SETTING.test(l)) ?? file.hunks.flatMap((h) => h.lines).find((l) => PYTEST_SECTION.test(l))?.slice(1);
      if (setting !== undefined) findings.push({ path: file.path, reason: `changes pytest settings: ${setting.trim().slice(0, 120)}` });
      continue;
    }
    if (file.path.endsWith('.py')) {
      const hook = changed.find((l) => PLUGIN_CODE.test(l));
      if (hook !== undefined) findings.push({ path: file.path, reason: `adds or changes pytest plugin code: ${hook.trim().slice(0, 120)}` });
    }
  }
  return findings;
}
