#!/usr/bin/env bash
# SeaweedFS's `weed` (Apache-2.0), the S3-compatible server the run-store tests start: built once from the Go
# module proxy into $AGENT_DAGGER_HOME/bin (about 7 minutes on 2 cores the first time; then instant). Prints its path.
# The module has replace directives, so `go install module@version` refuses it: build inside the downloaded module.
set -euo pipefail
VERSION=v0.0.0-20261109003541-7506e5f91cd6 # a pseudo-version the proxy serves (the module lists no tags)
home=${AGENT_DAGGER_HOME:-$HOME/.cache/agent-dagger}
bin="$home/bin/weed-$VERSION"
if [ ! -x "$bin" ]; then
  echo "[ensure-weed] building SeaweedFS weed $VERSION (once; several minutes)" >&2
  dir=$(go mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "[ensure-weed] go mod download gave no module directory for github.com/seaweedfs/seaweedfs@$VERSION" >&2; exit 1; }
  mkdir -p "$home/bin"
  (cd "$dir" && go build -o "$bin.tmp" ./weed)
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
