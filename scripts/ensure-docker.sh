#!/usr/bin/env bash
# Makes sure a Docker daemon answers on this machine (idempotent; fast when one already does).
# Installs Debian's docker.io when dockerd is missing and starts dockerd in the background: these machines
# have no init system to do it. Run as root.
set -euo pipefail

home="${AGENT_DAGGER_HOME:-$HOME/.cache/agent-dagger}"
log="$home/dockerd.log"
wait_s="${AGENT_DAGGER_DOCKERD_WAIT_S:-60}"

if docker info >/dev/null 2>&1; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-docker: dockerd is not installed and this is not root; install Debian's docker.io (apt-get install docker.io) and rerun" >&2
    exit 1
  fi
  echo "ensure-docker: installing docker.io from apt" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io
fi

mkdir -p "$home"
# A daemon may be starting already (another caller raced us): only start one when none runs.
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: $log)" >&2
  nohup dockerd >>"$log" 2>&1 </dev/null &
  disown || true
fi

for _ in $(seq 1 "$wait_s"); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "ensure-docker: dockerd did not answer within ${wait_s}s; see the last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
