#!/usr/bin/env bash
# Makes sure a headless Chromium is installed (idempotent; fast when one already is) and prints its path on
# stdout. The report's screenshot test drives it with puppeteer-core, which downloads no browser of its own.
# Installs Debian's chromium when no Chromium binary is found. Run as root.
set -euo pipefail

find_chromium() {
  local name
  for name in "${AGENT_DAGGER_CHROMIUM:-}" chromium chromium-browser google-chrome-stable google-chrome; do
    [ -n "$name" ] && command -v "$name" 2>/dev/null && return 0
  done
  return 1
}

if path=$(find_chromium); then
  echo "$path"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "ensure-chromium: no Chromium found and this is not root; install Debian's chromium (apt-get install chromium) and rerun" >&2
  exit 1
fi
echo "ensure-chromium: installing chromium from apt" >&2
# Wait for another apt run (ensure-docker, a colleague) rather than failing on its lock.
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"; }
apt_get install -y -q --no-install-recommends chromium >&2 || { apt_get update -q >&2 && apt_get install -y -q --no-install-recommends chromium >&2; }

if path=$(find_chromium); then
  echo "$path"
  exit 0
fi
echo "ensure-chromium: chromium was installed but no binary is on PATH" >&2
exit 1
