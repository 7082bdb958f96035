"""Grade test logs with SWE-bench's own harness code (the `swebench` package in the project venv).

The verifier (env/swe/harness.ts) runs this with the venv's python and hands it, on stdin, one JSON object
`{"cases": [case, ...]}`; each case holds what the harness's TestSpec and prediction hold (instance_id, repo,
version, log_parser as a PARSER_REGISTRY key, optional eval_type, FAIL_TO_PASS, PASS_TO_PASS, model_patch)
plus `log`: the test output in the harness's test_output.txt form (start/end markers, the exit-code line).
It answers `{"swebench": version, "results": [...]}` on stdout, one result per case:

- `report`: what `grading.get_eval_report` returns for the instance (the per-instance report.json entry);
- `status_map`, `log_found`: what `grading.get_logs_eval` returns;
- `not_found_reason`: why the harness could not judge the log (None when it could), told apart with the
  harness's own constants and functions so the caller can separate a broken environment from a forged log;
- `failure_reason`, `failure_tier`: `infra_failure.classify_text` of the log (advisory, as in the harness).

`--describe` prints the package constants the TypeScript side pins (parser names, repo → parser, apply
commands, fail-only repos), so a test can check that the pins equal the installed package.
"""

import importlib
import importlib.util
import json
import os
import sys
import tempfile
import types
from importlib.metadata import version

# swebench/harness/__init__.py imports the Docker, datasets and Modal runners, which grading does not use (5 s
# of imports per call). Registering `swebench.harness` as a bare package over the same directory runs the
# same grading and parser modules without them; --describe, which reads run_evaluation, imports it whole.
_swebench = importlib.util.find_spec("swebench")
if _swebench is not None and sys.argv[1:] != ["--describe"]:
    _harness = types.ModuleType("swebench.harness")
    _harness.__path__ = [os.path.join(_swebench.submodule_search_locations[0], "harness")]
    sys.modules["swebench.harness"] = _harness

from swebench.harness.constants import (
    APPLY_PATCH_FAIL,
    END_TEST_OUTPUT,
    FAIL_ONLY_REPOS,
    RESET_FAILED,
    START_TEST_OUTPUT,
    TESTS_ERROR,
    TESTS_TIMEOUT,
    TEST_EXIT_CODE,
    EvalType,
)
from swebench.harness.grading import SUITE_RAN, get_eval_report, get_logs_eval, parse_test_exit_code
from swebench.harness.infra_failure import classify_text
from swebench.harness.log_parsers import PARSER_REGISTRY
from swebench.types import TestSpec


def eval_type_of(case):
    if case.get("eval_type"):
        return EvalType(case["eval_type"]).value
    return (EvalType.FAIL_ONLY if case["repo"] in FAIL_ONLY_REPOS else EvalType.PASS_AND_FAIL).value


def not_found_reason(spec, log):
    """Which of get_logs_eval's refusals applies (same order and tests as the harness)."""
    if any(code in log for code in (APPLY_PATCH_FAIL, RESET_FAILED, TESTS_ERROR, TESTS_TIMEOUT)):
        return "bad_code"
    if not (START_TEST_OUTPUT in log and END_TEST_OUTPUT in log):
        return "no_markers"
    parser = PARSER_REGISTRY[spec.log_parser]
    status_map = parser(log.split(START_TEST_OUTPUT)[1].split(END_TEST_OUTPUT)[0], spec) or parser(log, spec)
    if not status_map and not SUITE_RAN.search(log):
        return "no_results"
    if parse_test_exit_code(log) not in (None, 0) and status_map:
        return "exit_code_gate"
    return "unknown"


def grade(case):
    if case["log_parser"] not in PARSER_REGISTRY:
        raise ValueError(f"{case['instance_id']}: log_parser {case['log_parser']!r} is not in swebench's PARSER_REGISTRY")
    spec = TestSpec(
        instance_id=case["instance_id"],
        image="",
        eval_script_list=[],
        repo=case["repo"],
        version=case.get("version") or "",
        FAIL_TO_PASS=list(case["FAIL_TO_PASS"]),
        PASS_TO_PASS=list(case["PASS_TO_PASS"]),
        log_parser=case["log_parser"],
        eval_type=eval_type_of(case),
    )
    prediction = {"instance_id": spec.instance_id, "model_patch": case["model_patch"], "model_name_or_path": "agent-dagger"}
    # The harness grades a file (test_output.txt); write the log exactly as given.
    fd, log_file = tempfile.mkstemp(suffix=".txt", prefix="test_output-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(case["log"])
        report = get_eval_report(spec, prediction, log_file, include_tests_status=True)[spec.instance_id]
        status_map, found = get_logs_eval(spec, log_file)
    finally:
        os.unlink(log_file)
    classification = classify_text(case["log"])
    return {
        "report": report,
        "status_map": status_map,
        "log_found": found,
        "not_found_reason": None if found else not_found_reason(spec, case["log"]),
        "failure_reason": classification[0] if classification else None,
        "failure_tier": classification[1] if classification else None,
    }


def describe():
    repo_parsers = {}
    maps = {}
    python_repos = sorted(importlib.import_module("swebench.harness.log_parsers.python").MAP_REPO_TO_PARSER_PY)
    for lang in ("python", "javascript", "c", "go", "java", "php", "ruby", "rust"):
        module = importlib.import_module(f"swebench.harness.log_parsers.{lang}")
        for attr, value in vars(module).items():
            if attr.startswith("MAP_REPO_TO_PARSER") and isinstance(value, dict):
                maps.update(value)
    for repo, fn in maps.items():
        repo_parsers[repo] = sorted(key for key, registered in PARSER_REGISTRY.items() if registered is fn)
    from swebench.harness.run_evaluation import GIT_APPLY_CMDS

    return {
        "swebench": version("swebench"),
        "parsers": sorted(PARSER_REGISTRY),
        "repo_parsers": repo_parsers,
        "python_repos": python_repos,
        "apply_commands": list(GIT_APPLY_CMDS),
        "fail_only_repos": sorted(FAIL_ONLY_REPOS),
        "markers": {"start": START_TEST_OUTPUT, "end": END_TEST_OUTPUT, "exit_code": TEST_EXIT_CODE, "timeout": "Timeout error: {timeout} seconds exceeded."},
    }


def main():
    if sys.argv[1:] == ["--describe"]:
        json.dump(describe(), sys.stdout)
        return
    request = json.load(sys.stdin)
    json.dump({"swebench": version("swebench"), "results": [grade(case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
