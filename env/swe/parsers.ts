/**
 * Which of SWE-bench's log parsers grades a task, by name (the parsing itself is the harness's own code:
 * env/swe/harness_grade.py runs the `swebench` package).
 *
 * Pure. The names below are pinned from the package (`swebench.harness.log_parsers.PARSER_REGISTRY` and
 * `MAP_REPO_TO_PARSER_PY`, swebench 5.0.2); test/swe-harness.test.ts checks them against the installed
 * package, so a task set is checked when it loads, before any test runs.
 */

/** Every key of the harness's PARSER_REGISTRY. */
export const HARNESS_PARSERS: readonly string[] = [
  'parse_log_ant', 'parse_log_astroid', 'parse_log_astropy', 'parse_log_bpmn_js', 'parse_log_calypso', 'parse_log_carbon',
  'parse_log_cargo', 'parse_log_chart_js', 'parse_log_cucumber', 'parse_log_django', 'parse_log_doctest', 'parse_log_eslint',
  'parse_log_flask', 'parse_log_googletest', 'parse_log_gotest', 'parse_log_gradle_custom', 'parse_log_grommet',
  'parse_log_highlightjs', 'parse_log_immutable_js', 'parse_log_jekyll', 'parse_log_jest', 'parse_log_jest_json', 'parse_log_jq',
  'parse_log_karma', 'parse_log_lighthouse', 'parse_log_marked', 'parse_log_marshmallow', 'parse_log_matplotlib', 'parse_log_maven',
  'parse_log_micropython_test', 'parse_log_minitest', 'parse_log_next', 'parse_log_openlayers', 'parse_log_p5js', 'parse_log_phpunit',
  'parse_log_prismjs', 'parse_log_pvlib', 'parse_log_pydicom', 'parse_log_pylint', 'parse_log_pytest', 'parse_log_pytest_options',
  'parse_log_pytest_v2', 'parse_log_pyvista', 'parse_log_quarto_cli', 'parse_log_react_pdf', 'parse_log_redis', 'parse_log_requests',
  'parse_log_rspec_transformed_json', 'parse_log_ruby_unit', 'parse_log_scikit', 'parse_log_seaborn', 'parse_log_sphinx',
  'parse_log_sqlfluff', 'parse_log_sympy', 'parse_log_tap', 'parse_log_vitest', 'parse_log_xarray',
];

/** The harness's parser of each Python repository (SWE-bench, Verified, SWE-Gym): MAP_REPO_TO_PARSER_PY. */
export const REPO_PARSERS: Readonly<Record<string, string>> = {
  'astropy/astropy': 'parse_log_astropy',
  'django/django': 'parse_log_django',
  'marshmallow-code/marshmallow': 'parse_log_marshmallow',
  'matplotlib/matplotlib': 'parse_log_matplotlib',
  'mwaskom/seaborn': 'parse_log_seaborn',
  'pallets/flask': 'parse_log_flask',
  'psf/requests': 'parse_log_requests',
  'pvlib/pvlib-python': 'parse_log_pvlib',
  'pydata/xarray': 'parse_log_xarray',
  'pydicom/pydicom': 'parse_log_pydicom',
  'pylint-dev/astroid': 'parse_log_astroid',
  'pylint-dev/pylint': 'parse_log_pylint',
  'pytest-dev/pytest': 'parse_log_pytest',
  'pyvista/pyvista': 'parse_log_pyvista',
  'scikit-learn/scikit-learn': 'parse_log_scikit',
  'sphinx-doc/sphinx': 'parse_log_sphinx',
  'sqlfluff/sqlfluff': 'parse_log_sqlfluff',
  'sympy/sympy': 'parse_log_sympy',
};

/** The parser of a repository the harness does not map (SWE-Gym's other repositories, bundled suites). */
export const DEFAULT_PARSER = 'parse_log_pytest';

/**
 * A task's `log_parser` → a PARSER_REGISTRY key: the key itself, or its short name (`pytest`, `django`,
 * `pytest_v2`, ...). Null when the harness has no such parser.
 */
export function resolveLogParser(name: string): string | null {
  const key = name.startsWith('parse_log_') ? name : `parse_log_${name}`;
  return HARNESS_PARSERS.includes(key) ? key : null;
}

/** The parser for a task without a `log_parser` field: its repository's in the harness, else pytest's. */
export function parserForRepo(repo: string): string {
  return REPO_PARSERS[repo] ?? DEFAULT_PARSER;
}

const STATUSES = ['FAILED', 'PASSED', 'SKIPPED', 'ERROR', 'XFAIL'];
/** What Python's str.split() splits on (JavaScript's \s differs: it has U+FEFF and lacks U+001C–U+001F, U+0085). */
const PY_WHITESPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/**
 * A line-for-line port of the harness's `parse_log_pytest` (kept for tasks/swe-mini/build.ts, which derives
 * FAIL_TO_PASS / PASS_TO_PASS on the host and must key ids exactly as the harness will; the verifier runs the
 * package itself). Its quirks are the harness's: a result line is split on whitespace (`test_x[a b]` is keyed
 * `test_x[a`), only lines that START with a status count (`-v` progress lines and XPASS do not), a later line
 * for the same id wins, `SKIPPED [N] file:line` summaries are skipped. test/swe-harness.test.ts checks it
 * against the package on every log of the corpus.
 */
export function parsePytestLog(log: string): { statusMap: Record<string, string> } {
  const statusMap: Record<string, string> = {};
  for (let line of log.split('\n')) {
    if (!STATUSES.some((s) => line.startsWith(s))) continue;
    if (line.startsWith('FAILED')) line = line.replaceAll(' - ', ' ');
    // Python's str.split(): runs of whitespace, none at the ends.
    const parts = line.split(PY_WHITESPACE).filter((p) => p !== '');
    if (parts.length <= 1) continue;
    if (parts[0] === 'SKIPPED' && /^\[\p{Nd}+\]$/u.test(parts[1])) continue;
    statusMap[parts[1]] = parts[0];
  }
  return { statusMap };
}
