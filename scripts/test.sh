#!/usr/bin/env bash
# The test suite: the TypeScript tests (node's test runner, against a real Temporal server and Docker),
# then the trainer's tests (pytest). Both runners print their own totals.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
# The cluster test runs on its own after the others: it needs Temporal's server built from source (cached).
main=()
for f in test/*.test.ts; do [ "$f" = test/cluster-postgres.test.ts ] || main+=("$f"); done
node --import tsx --test --test-force-exit --test-concurrency=1 --test-reporter=spec "${main[@]}" || status=$?
# The real Temporal server on PostgreSQL (scripts/temporal-cluster.sh): the first run builds it, which takes
# minutes; a failed build fails the suite here, with the go output above.
if bash scripts/temporal-cluster.sh build >/dev/null; then
  node --import tsx --test --test-force-exit --test-reporter=spec test/cluster-postgres.test.ts || status=$?
else
  echo "test.sh: building the Temporal server failed (above), so test/cluster-postgres.test.ts did not run" >&2
  status=1
fi
if [ -d trainer/tests ]; then
  PYTHONPATH=trainer .venv/bin/python -m pytest trainer/tests -q || status=$?
fi
exit $status
