#!/usr/bin/env bash
# The test suite: the TypeScript tests (node's test runner, against a real Temporal server and Docker),
# then the trainer's tests (pytest). Both runners print their own totals.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
node --import tsx --test --test-force-exit --test-concurrency=1 --test-reporter=spec test/*.test.ts || status=$?
if [ -d trainer/tests ]; then
  PYTHONPATH=trainer .venv/bin/python -m pytest trainer/tests -q || status=$?
fi
exit $status
