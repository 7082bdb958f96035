#!/usr/bin/env bash
# A real Temporal server on PostgreSQL, on this machine, for tests and trials (docs/cluster.md, "Temporal on
# PostgreSQL"). Unlike `temporal server start-dev` (one process, SQLite), this is Temporal's own server binary
# built from the Go module proxy, with its persistence and SQL visibility in PostgreSQL, migrated by Temporal's
# schema tool, and a namespace created and given the project's search attributes as an operator would.
#
#   scripts/temporal-cluster.sh build               build (or reuse) the server and schema tool; prints their folder
#   scripts/temporal-cluster.sh postgres            install PostgreSQL from apt when missing (scripts/bootstrap.sh)
#   scripts/temporal-cluster.sh start DIR [NS]      PostgreSQL + server with state in DIR, namespace NS (default
#                                                   dagger); writes DIR/cluster.env (TEMPORAL_ADDRESS, ...) and prints it
#   scripts/temporal-cluster.sh restart DIR         stops the Temporal server and starts it again (PostgreSQL stays up)
#   scripts/temporal-cluster.sh stop DIR            stops both, deletes DIR
#
# The build is cached under $AGENT_DAGGER_HOME/temporal-server-<version> (default ~/.cache/agent-dagger) and
# takes minutes on 2 cores the first time. PostgreSQL comes from Debian's packages (apt) when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HOME_DIR="${AGENT_DAGGER_HOME:-$HOME/.cache/agent-dagger}"
VERSION="${TEMPORAL_SERVER_VERSION:-v1.32.2}"
BUILD="$HOME_DIR/temporal-server-$VERSION"
# The server's go.mod asks for a newer Go than the machine's; the go command fetches this toolchain from the
# Go module proxy. A caller's own GOTOOLCHAIN wins.
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
TEMPORAL_CLI="$ROOT/.venv/bin/temporal"
WAIT_S="${AGENT_DAGGER_CLUSTER_WAIT_S:-120}"

die() { echo "temporal-cluster: $*" >&2; exit 1; }
say() { echo "temporal-cluster: $*" >&2; }

built() { [ -x "$BUILD/bin/temporal-server" ] && [ -x "$BUILD/bin/temporal-sql-tool" ] && [ -d "$BUILD/schema/postgresql/v12/visibility/versioned" ]; }

build() {
  if built; then echo "$BUILD"; return; fi
  command -v go >/dev/null 2>&1 || die "go is not installed; install Go (1.21 or newer, which fetches the toolchain the server needs) and rerun"
  mkdir -p "$HOME_DIR"
  local tmp start
  tmp="$(mktemp -d "$HOME_DIR/.temporal-server-$VERSION.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT   # an interrupted or failed build leaves nothing behind
  trap 'exit 1' INT TERM
  start=$(date +%s)
  say "building go.temporal.io/server@$VERSION (server and temporal-sql-tool; minutes on 2 cores) into $BUILD"
  if ! GOBIN="$tmp/bin" nice -n 10 go install "go.temporal.io/server/cmd/server@$VERSION" "go.temporal.io/server/cmd/tools/sql@$VERSION"; then
    die "the build of go.temporal.io/server@$VERSION failed (see the go output above); check that the Go module proxy answers (go env GOPROXY) and that GOTOOLCHAIN=$GOTOOLCHAIN can be downloaded"
  fi
  mv "$tmp/bin/server" "$tmp/bin/temporal-server"
  mv "$tmp/bin/sql" "$tmp/bin/temporal-sql-tool"
  # The schema tool migrates from the module's versioned SQL files: keep them next to the binaries.
  local src
  src="$(go mod download -json "go.temporal.io/server@$VERSION" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
  mkdir -p "$tmp/schema"
  cp -r "$src/schema/postgresql" "$tmp/schema/"
  chmod -R u+w "$tmp" && chmod 755 "$tmp"
  # Atomic: a half-built folder is never taken for a build; a concurrent builder that finished first wins.
  mv -T "$tmp" "$BUILD" 2>/dev/null || rm -rf "$tmp"
  trap - EXIT INT TERM
  say "built in $(( $(date +%s) - start ))s"
  echo "$BUILD"
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_postgres() {
  if pg_bin >/dev/null; then return; fi
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and this is not root; install Debian's postgresql (apt-get install postgresql) and rerun"
  say "installing PostgreSQL from apt"
  # No cluster of the package's own: this script makes its own in a temporary folder.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/agent-dagger.conf
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
  pg_bin >/dev/null || die "apt installed postgresql but no initdb is under /usr/lib/postgresql/*/bin"
}

# `count` distinct free TCP ports on 127.0.0.1, below 32768: the PostgreSQL schema stores a service's membership
# port as SMALLINT (cluster_membership.rpc_port), so the server dies at start on a higher one. Below the kernel's
# ephemeral range, too, so no outgoing connection takes one meanwhile. Free = nothing listens there.
free_ports() {
  python3 -c 'import random, socket, sys; print(" ".join(map(str, [p for p in random.sample(range(20000, 32768), 200) if socket.socket().connect_ex(("127.0.0.1", p)) != 0][:int(sys.argv[1])])))' "$1"
}

start() {
  local dir="${1:?usage: temporal-cluster.sh start DIR [NAMESPACE]}" namespace="${2:-dagger}"
  [ -x "$TEMPORAL_CLI" ] || die "$TEMPORAL_CLI is missing; run scripts/bootstrap.sh first"
  [ ! -e "$dir/cluster.env" ] || die "$dir already holds a cluster; stop it first (temporal-cluster.sh stop $dir)"
  build >/dev/null
  ensure_postgres
  local pgbin
  pgbin="$(pg_bin)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  # A start that fails half-way stops what it started and keeps the logs.
  trap 'halt "'"$dir"'"; echo "temporal-cluster: stopped what had started; logs in '"$dir"'; remove it with: temporal-cluster.sh stop '"$dir"'" >&2' EXIT
  local pg_port fe_port fe_http history matching worker fe_m history_m matching_m worker_m
  read -r pg_port fe_port fe_http history matching worker fe_m history_m matching_m worker_m <<<"$(free_ports 10)"
  local password
  password="$(python3 -c 'import secrets; print(secrets.token_hex(12))')"

  # PostgreSQL refuses to run as root: as root, its data belongs to the package's `postgres` user.
  local pgdata="$dir/pgdata"
  as_pg() { "$@"; }
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "the postgres user is missing (Debian's postgresql package creates it); reinstall postgresql"
    as_pg() { runuser -u postgres -- "$@"; }
    chmod 755 "$dir"
    mkdir -p "$pgdata"
    touch "$dir/postgres.log"
    chown postgres "$pgdata" "$dir/postgres.log"
    runuser -u postgres -- test -w "$pgdata" ||
      die "the postgres user cannot write $pgdata: a folder above it is closed to other users; use a DIR that others can traverse"
  fi
  : > "$dir/pgpass"
  chmod 600 "$dir/pgpass"
  printf '%s\n' "$password" > "$dir/pgpass"
  [ "$(id -u)" != 0 ] || chown postgres "$dir/pgpass"
  as_pg "$pgbin/initdb" -D "$pgdata" -U temporal --pwfile="$dir/pgpass" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
    { tail -n 5 "$dir/initdb.log" >&2; die "initdb failed; see $dir/initdb.log"; }
  rm -f "$dir/pgpass"
  as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $pgdata -c listen_addresses=127.0.0.1" start >/dev/null ||
    { tail -n 5 "$dir/postgres.log" >&2; die "PostgreSQL did not start; see $dir/postgres.log"; }
  cat > "$dir/cluster.env" <<EOF
TEMPORAL_ADDRESS=127.0.0.1:$fe_port
TEMPORAL_NAMESPACE=$namespace
AGENT_DAGGER_PG_PORT=$pg_port
AGENT_DAGGER_PG_BIN=$pgbin
AGENT_DAGGER_TEMPORAL_BUILD=$BUILD
EOF

  # Temporal's databases, created and migrated to the newest schema by its own tool (as its Makefile does).
  local sql=("$BUILD/bin/temporal-sql-tool" --plugin postgres12 --endpoint 127.0.0.1 --port "$pg_port" --user temporal --password "$password")
  "${sql[@]}" --database temporal create-database >"$dir/schema.log" 2>&1 &&
    "${sql[@]}" --database temporal setup-schema -v 0.0 >>"$dir/schema.log" 2>&1 &&
    "${sql[@]}" --database temporal update-schema -d "$BUILD/schema/postgresql/v12/temporal/versioned" >>"$dir/schema.log" 2>&1 &&
    "${sql[@]}" --database temporal_visibility create-database >>"$dir/schema.log" 2>&1 &&
    "${sql[@]}" --database temporal_visibility setup-schema -v 0.0 >>"$dir/schema.log" 2>&1 &&
    "${sql[@]}" --database temporal_visibility update-schema -d "$BUILD/schema/postgresql/v12/visibility/versioned" >>"$dir/schema.log" 2>&1 ||
    { tail -n 5 "$dir/schema.log" >&2; die "creating or migrating Temporal's databases failed; see $dir/schema.log"; }

  write_config "$dir" "$password" "$pg_port" "$fe_port" "$fe_http" "$history" "$matching" "$worker" "$fe_m" "$history_m" "$matching_m" "$worker_m"
  local address="127.0.0.1:$fe_port" deadline=$(( $(date +%s) + WAIT_S ))
  start_server "$dir" "$address"
  # The system namespace and its workers come up after the frontend answers; creating a namespace before that
  # can fail with Unavailable, so retry until it is there.
  until "$TEMPORAL_CLI" operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; do
    "$TEMPORAL_CLI" operator namespace create --address "$address" --namespace "$namespace" --retention 720h >>"$dir/namespace.log" 2>&1 || true
    [ "$(date +%s)" -lt "$deadline" ] || die "namespace $namespace could not be created on $address; see $dir/namespace.log and $dir/temporal.log"
    sleep 1
  done
  "$ROOT/bin/agent-dagger" register-search-attributes --address "$address" --namespace "$namespace" >&2 ||
    die "registering the search attributes on namespace $namespace failed (above)"
  trap - EXIT
  cat "$dir/cluster.env"
}

# Starts the server on DIR's config and waits until its frontend answers on ADDRESS.
start_server() {
  local dir="$1" address="$2" deadline=$(( $(date +%s) + WAIT_S ))
  nohup "$BUILD/bin/temporal-server" --config-file "$dir/temporal.yaml" --allow-no-auth start >>"$dir/temporal.log" 2>&1 </dev/null &
  echo $! > "$dir/temporal.pid"
  until "$TEMPORAL_CLI" operator cluster health --address "$address" >/dev/null 2>&1; do
    kill -0 "$(cat "$dir/temporal.pid")" 2>/dev/null || { tail -n 3 "$dir/temporal.log" >&2; die "the Temporal server exited at start; see $dir/temporal.log"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "the Temporal server did not answer on $address within ${WAIT_S}s; see $dir/temporal.log"
    sleep 1
  done
}

stop_server() {
  local dir="$1" pid
  [ -f "$dir/temporal.pid" ] || return 0
  pid="$(cat "$dir/temporal.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null && sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/temporal.pid"
}

# Stops the Temporal server and starts it again on the same config: everything it knew is in PostgreSQL.
restart() {
  local dir="${1:?usage: temporal-cluster.sh restart DIR}"
  [ -f "$dir/cluster.env" ] || die "$dir holds no cluster (start one with temporal-cluster.sh start $dir)"
  stop_server "$dir"
  start_server "$dir" "$(sed -n 's/^TEMPORAL_ADDRESS=//p' "$dir/cluster.env")"
}

# The server's static config: persistence and SQL visibility on PostgreSQL, every service on its own free port
# on 127.0.0.1, no metrics or pprof listeners (fixed ports that would clash between clusters).
write_config() {
  local dir="$1" password="$2" pg_port="$3" fe_port="$4" fe_http="$5" history="$6" matching="$7" worker="$8"
  local fe_m="$9" history_m="${10}" matching_m="${11}" worker_m="${12}"
  cat > "$dir/temporal.yaml" <<EOF
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
      sql:
        pluginName: postgres12
        databaseName: temporal
        connectAddr: "127.0.0.1:$pg_port"
        connectProtocol: tcp
        user: temporal
        password: "$password"
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: 1h
    postgres-visibility:
      sql:
        pluginName: postgres12
        databaseName: temporal_visibility
        connectAddr: "127.0.0.1:$pg_port"
        connectProtocol: tcp
        user: temporal
        password: "$password"
        maxConns: 5
        maxIdleConns: 5
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  pprof:
    port: 0
services:
  frontend:
    rpc: { grpcPort: $fe_port, membershipPort: $fe_m, httpPort: $fe_http, bindOnLocalHost: true }
  history:
    rpc: { grpcPort: $history, membershipPort: $history_m, bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: $matching, membershipPort: $matching_m, bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: $worker, membershipPort: $worker_m, bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$fe_port"
dcRedirectionPolicy:
  policy: noop
EOF
}

# Stops DIR's Temporal server and PostgreSQL, keeping the folder.
halt() {
  local dir="$1"
  stop_server "$dir"
  if [ -f "$dir/pgdata/postmaster.pid" ]; then
    local pgbin
    pgbin="$(sed -n 's/^AGENT_DAGGER_PG_BIN=//p' "$dir/cluster.env" 2>/dev/null || true)"
    [ -n "$pgbin" ] || pgbin="$(pg_bin)"
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null || true
    else "$pgbin/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null || true; fi
  fi
}

stop() {
  local dir="${1:?usage: temporal-cluster.sh stop DIR}"
  [ -d "$dir" ] || return 0
  halt "$dir"
  rm -rf "$dir"
}

case "${1:-}" in
  build) build ;;
  postgres) ensure_postgres ;;
  start) shift; start "$@" ;;
  restart) shift; restart "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: temporal-cluster.sh build | postgres | start DIR [NAMESPACE] | restart DIR | stop DIR" ;;
esac
