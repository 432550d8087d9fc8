#!/usr/bin/env bash
# The production shape, on one machine: the backend built as for production,
# two replicas on one PostgreSQL database server, and a round-robin proxy in
# front of them standing for the load balancer.
#
#   scripts/replicas.sh start   build, start, wait until ready, print the URLs
#   scripts/replicas.sh stop    stop what start started, drop its databases
#   scripts/replicas.sh status  what is running
#   scripts/replicas.sh test    start, run the replica tests, stop (always);
#                               REPLICAS_TESTS selects test files (a glob,
#                               default scripts/replicas/tests/*.test.mjs)
#   scripts/replicas.sh kill <n>           SIGKILL replica n (1-based), as a
#                                          crash would; waits until it is gone
#   scripts/replicas.sh start-replica <n>  start replica n again on the same
#                                          databases and wait until ready
#
# What "as for production" means here, as in Backstage's Dockerfile
# (https://backstage.io/docs/deployment/docker):
# - `yarn build:backend` (backstage-cli package build, role backend) leaves
#   packages/backend/dist/skeleton.tar.gz (the package.json files) and
#   bundle.tar.gz (the backend and every workspace package it needs, built,
#   with package.json pointing at dist/). Both are unpacked into a fresh
#   directory, .demo/replicas/app, and the backend runs from there with
#   `NODE_ENV=production node packages/backend --config app-config.yaml
#   --config app-config.production.yaml`, nothing of the source tree loaded.
# - Third-party packages: the Dockerfile runs `yarn workspaces focus --all
#   --production` in that directory, 2 to 4 minutes here. By default this
#   script hard-links the repository's node_modules instead (same lockfile,
#   seconds; workspace links then point at the built packages). Set
#   REPLICAS_INSTALL=production for the Dockerfile's install.
# - Configuration: app-config.yaml and app-config.production.yaml as they
#   are, plus a test-only file this script writes (.demo/replicas/config/
#   test-only.yaml: the proxy as base URL, this run's database prefix, a
#   static token for the tests) and one per replica (its port). Database
#   and SCIM secrets come from the environment, as in production.
#
# Settings (environment):
#   REPLICAS_PORTS       replica ports, default "7201 7202"
#   REPLICAS_PROXY_PORT  the proxy's port, default 7200
#   POSTGRES_HOST/PORT/USER/PASSWORD  default 127.0.0.1, 5432, postgres
#   REPLICAS_SKIP_BUILD=1  reuse packages/backend/dist from an earlier build
#   REPLICAS_BUNDLE_DIR  where the build's skeleton.tar.gz and bundle.tar.gz
#                        are read from, default packages/backend/dist; a build
#                        is copied there. A copy of its own keeps a benchmark's
#                        starts on one build while others rebuild (bench/capacity)
#   REPLICAS_INSTALL     link (default) or production, see above
#   REPLICAS_READY_TIMEOUT  seconds to wait for readiness, default 180
#   REPLICAS_TEST_TIMEOUT   seconds the tests may take, default 600
#   KEEP_DB=1            keep this run's databases at stop
#   REPLICAS_STATE_DIR   where the app, configs, logs and state go, default
#                        .demo/replicas (the tests read that one); another
#                        folder lets a second set run beside it (bench/load)
#   REPLICAS_EXTRA_CONFIG  one more config file for every replica, read
#                        after the others (copied to the state's config/)
#   REPLICAS_CATALOG_RETRY_SECONDS  how soon the catalog tries again an entity
#                        whose processing or stitching failed (a database
#                        restart cuts them short): catalog.processingInterval
#                        and catalog.stitchingStrategy.stitchTimeout. Unset,
#                        Backstage's defaults (100 to 150 s, 60 s); `test`
#                        sets 10, so that the fault tests wait seconds
set -euo pipefail
# Killed (by CI's timeout, say) or interrupted: exit, so that the EXIT trap
# stops what was started.
trap 'exit 130' INT
trap 'exit 143' TERM
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

STATE_DIR="${REPLICAS_STATE_DIR:-$ROOT/.demo/replicas}"
APP_DIR="$STATE_DIR/app"
CONFIG_DIR="$STATE_DIR/config"
LOG_DIR="$STATE_DIR/logs"
STATE_FILE="$STATE_DIR/state.env"

read -r -a PORTS <<<"${REPLICAS_PORTS:-7201 7202}"
# The periods of the scheduled work in the test-only config.
RECONCILE_SECONDS=10
INDEX_REFRESH_SECONDS=5
PROXY_PORT="${REPLICAS_PROXY_PORT:-7200}"
export POSTGRES_HOST="${POSTGRES_HOST:-127.0.0.1}"
export POSTGRES_PORT="${POSTGRES_PORT:-5432}"
export POSTGRES_USER="${POSTGRES_USER:-postgres}"
# The local server trusts loopback connections; the backend's config still
# names a password, so give it one.
export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-unused}"

log() { echo "replicas: $*"; }
fail() {
  echo "replicas: $*" >&2
  exit 1
}

# A killed replica stays a zombie until its parent (the shell that started
# it, which may still be running) reaps it; a zombie is not alive.
alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null &&
    [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]
}

port_busy() {
  node -e '
    const s = require("net").connect(+process.argv[1], "127.0.0.1");
    s.on("connect", () => process.exit(0));
    s.on("error", () => process.exit(1));
  ' "$1"
}

random_token() { node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))'; }

build() {
  local bundle_dir="${REPLICAS_BUNDLE_DIR:-packages/backend/dist}"
  if [[ "${REPLICAS_SKIP_BUILD:-}" == "1" && -f "$bundle_dir/bundle.tar.gz" ]]; then
    log "reusing $bundle_dir (REPLICAS_SKIP_BUILD=1)"
  else
    log "yarn build:backend"
    yarn build:backend >"$LOG_DIR/build.log" 2>&1 ||
      fail "the build failed; see $LOG_DIR/build.log"
    if [[ "$bundle_dir" != packages/backend/dist ]]; then
      mkdir -p "$bundle_dir"
      cp packages/backend/dist/skeleton.tar.gz packages/backend/dist/bundle.tar.gz "$bundle_dir/"
    fi
  fi
  rm -rf "$APP_DIR"
  mkdir -p "$APP_DIR"
  tar xzf "$bundle_dir/skeleton.tar.gz" -C "$APP_DIR"
  tar xzf "$bundle_dir/bundle.tar.gz" -C "$APP_DIR"
  if [[ "${REPLICAS_INSTALL:-link}" == "production" ]]; then
    log "yarn workspaces focus --all --production (as the Dockerfile does)"
    cp .yarnrc.yml "$APP_DIR/"
    (cd "$APP_DIR" && yarn workspaces focus --all --production) >"$LOG_DIR/install.log" 2>&1 ||
      fail "the production install failed; see $LOG_DIR/install.log"
  else
    # Hard links: a real tree, so that a package resolves its dependencies
    # inside the app directory; the workspace links in it are relative and
    # now point at the built packages of the bundle.
    cp -al node_modules "$APP_DIR/node_modules"
    rm -rf "$APP_DIR/node_modules/.cache"
    find "$APP_DIR/node_modules" -maxdepth 2 -xtype l -delete
  fi
}

write_configs() {
  local run_id="$1" token="$2"
  mkdir -p "$CONFIG_DIR"
  rm -f "$CONFIG_DIR/extra.yaml"
  if [[ -n "${REPLICAS_EXTRA_CONFIG:-}" ]]; then
    cp "$REPLICAS_EXTRA_CONFIG" "$CONFIG_DIR/extra.yaml"
  fi
  cat >"$CONFIG_DIR/test-only.yaml" <<EOF
# TEST ONLY. Written by scripts/replicas.sh for one production-shaped run;
# never deploy it. It adds to app-config.yaml and app-config.production.yaml
# only what this run and its tests need.
app:
  baseUrl: http://127.0.0.1:$PROXY_PORT
backend:
  # Users and IdPs reach the backend through the load balancer.
  baseUrl: http://127.0.0.1:$PROXY_PORT
  database:
    # This run's own databases (one per plugin), dropped at stop.
    prefix: ${run_id}_
  auth:
    externalAccess:
      # The replica tests read the catalog with this token, and only that.
      - type: static
        options:
          token: $token
          subject: replica-tests
        accessRestrictions:
          - plugin: catalog
            permissionAttribute:
              action: [read]
  auditor:
    # The Identity index refresh audits each run at severity low, which is
    # written at debug by default; at info, each replica's log shows the
    # runs it made, and the tests count them per replica.
    severityLogLevelMappings:
      low: info
# Scheduled work on short periods and timeouts, so that the tests see
# several runs in a short window, and a lock held by a killed replica
# expires soon (the scheduler frees a lock at its timeout; production keeps
# the defaults: reconciliation every 30 minutes with a 10-minute timeout,
# index refresh timeout 2 minutes).
scim:
  reconciliation:
    schedule:
      frequency: { seconds: $RECONCILE_SECONDS }
      timeout: { seconds: 15 }
      initialDelay: { seconds: 5 }
identity:
  refresh:
    interval: { seconds: $INDEX_REFRESH_SECONDS }
    timeout: { seconds: 15 }
# The demo sign-in, allowed outside development for two users the tests
# provision through SCIM (scripts/replicas/tests/membershipAcrossReplicas),
# so that they call the permission backend and the Identity API with users'
# own tokens. A production backend signs users in with a real provider.
demoSignIn:
  dangerouslyAllowOutsideDevelopment: true
  users:
    - userEntityRef: user:default/replica-test-admin
      title: Replica test admin
    - userEntityRef: user:default/replica-test-member
      title: Replica test member
EOF
  if [[ -n "${REPLICAS_CATALOG_RETRY_SECONDS:-}" ]]; then
    cat >>"$CONFIG_DIR/test-only.yaml" <<EOF
# The catalog tries again an entity whose processing or stitching failed
# (PostgreSQL restarted under it) after its processing interval, 100 to 150 s
# by default, and its stitch timeout, 60 s; shortened so that the fault tests
# see it within seconds (scripts/replicas/tests/postgresRestart.test.mjs).
catalog:
  processingInterval: { seconds: $REPLICAS_CATALOG_RETRY_SECONDS }
  stitchingStrategy:
    stitchTimeout: { seconds: $REPLICAS_CATALOG_RETRY_SECONDS }
EOF
  fi
  local i
  for i in "${!PORTS[@]}"; do
    cat >"$CONFIG_DIR/replica-$((i + 1)).yaml" <<EOF
# TEST ONLY. Written by scripts/replicas.sh: replica $((i + 1))'s port.
backend:
  listen:
    port: ${PORTS[$i]}
EOF
  done
}

# Starts replica n in the background and prints its pid. A first start
# truncates its log; a restart (second argument "append") appends to it, so
# that the tests and the log check still see what happened before.
start_replica() {
  local n="$1" mode="${2:-truncate}"
  if [[ "$mode" == "append" ]]; then
    echo "replicas: replica $n restarted at $(date -u +%FT%TZ)" >>"$LOG_DIR/replica-$n.log"
  else
    : >"$LOG_DIR/replica-$n.log"
  fi
  local extra=()
  [[ -f "$CONFIG_DIR/extra.yaml" ]] && extra=(--config "$CONFIG_DIR/extra.yaml")
  (
    cd "$APP_DIR"
    # Restarted from a test: not a node --test child itself.
    unset NODE_TEST_CONTEXT
    NODE_ENV=production exec node packages/backend \
      --config "$ROOT/app-config.yaml" \
      --config "$ROOT/app-config.production.yaml" \
      --config "$CONFIG_DIR/test-only.yaml" \
      --config "$CONFIG_DIR/replica-$n.yaml" \
      "${extra[@]}"
  ) >>"$LOG_DIR/replica-$n.log" 2>&1 &
  echo $!
}

# Waits for the readiness of the replicas at the given indexes.
wait_ready() {
  local deadline=$((SECONDS + ${REPLICAS_READY_TIMEOUT:-180}))
  local i n pid url
  for i in "$@"; do
    n=$((i + 1))
    url="http://127.0.0.1:${PORTS[$i]}/.backstage/health/v1/readiness"
    pid="${REPLICA_PIDS[$i]}"
    until curl -sf -o /dev/null "$url"; do
      # A backend whose startup failed logs it and keeps running.
      if ! alive "$pid" || grep -q 'Unhandled rejection\|Backend failed to start' "$LOG_DIR/replica-$n.log"; then
        tail -n 40 "$LOG_DIR/replica-$n.log" >&2 || true
        fail "replica $n failed to start; see $LOG_DIR/replica-$n.log"
      fi
      if ((SECONDS > deadline)); then
        tail -n 40 "$LOG_DIR/replica-$n.log" >&2 || true
        fail "replica $n not ready after ${REPLICAS_READY_TIMEOUT:-180}s"
      fi
      sleep 1
    done
    log "replica $n ready: http://127.0.0.1:${PORTS[$i]} (pid $pid)"
  done
}

wait_proxy() {
  local deadline=$((SECONDS + 30))
  until curl -sf -o /dev/null "http://127.0.0.1:$PROXY_PORT/.backstage/health/v1/readiness"; do
    ((SECONDS > deadline)) && fail "the proxy does not answer on port $PROXY_PORT; see $LOG_DIR/proxy.log"
    sleep 0.5
  done
}

save_state() {
  local urls=() port
  for port in "${PORTS[@]}"; do urls+=("http://127.0.0.1:$port"); done
  cat >"$STATE_FILE" <<EOF
# Written by scripts/replicas.sh start; read by stop and by the tests.
RUN_ID=$RUN_ID
DB_PREFIX=${RUN_ID}_
REPLICA_PIDS="${REPLICA_PIDS[*]}"
REPLICA_PORTS="${PORTS[*]}"
PROXY_PID=${PROXY_PID:-}
REPLICA_URLS="${urls[*]}"
PROXY_URL=http://127.0.0.1:$PROXY_PORT
STATIC_TOKEN=$STATIC_TOKEN
SCIM_ENTRA_TOKEN=$SCIM_ENTRA_TOKEN
SCIM_OKTA_TOKEN=$SCIM_OKTA_TOKEN
RECONCILE_SECONDS=$RECONCILE_SECONDS
INDEX_REFRESH_SECONDS=$INDEX_REFRESH_SECONDS
CATALOG_RETRY_SECONDS=${REPLICAS_CATALOG_RETRY_SECONDS:-}
EOF
  chmod 600 "$STATE_FILE"
}

cmd_start() {
  if [[ -f "$STATE_FILE" ]]; then
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    for pid in ${REPLICA_PIDS:-} ${PROXY_PID:-}; do
      alive "$pid" && fail "already running (pid $pid); run scripts/replicas.sh stop first"
    done
    cmd_stop
  fi
  for port in "${PORTS[@]}" "$PROXY_PORT"; do
    port_busy "$port" && fail "port $port is in use; choose others with REPLICAS_PORTS / REPLICAS_PROXY_PORT"
  done
  [[ -d node_modules ]] || fail "no node_modules: run yarn install first"
  pg_isready -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -q 2>/dev/null ||
    fail "PostgreSQL is not reachable on $POSTGRES_HOST:$POSTGRES_PORT (scripts/ensure-services.sh starts the local one)"

  mkdir -p "$LOG_DIR"
  # Log lines the tests found to be the expected outcome of a fault they
  # caused (scripts/replicas/tests/harness.mjs, tolerateLogLines).
  rm -f "$LOG_DIR/tolerated.log"
  local started=$SECONDS
  build
  log "built and unpacked in $((SECONDS - started))s: $APP_DIR"

  RUN_ID="replicas_$(date +%s)_$$"
  STATIC_TOKEN="$(random_token)"
  write_configs "$RUN_ID" "$STATIC_TOKEN"
  # The IdPs' bearer tokens, read by app-config.yaml as in production.
  export SCIM_ENTRA_TOKEN="${SCIM_ENTRA_TOKEN:-$(random_token)}"
  export SCIM_OKTA_TOKEN="${SCIM_OKTA_TOKEN:-$(random_token)}"

  # Whatever fails from here on stops what was started.
  trap cmd_stop EXIT
  # The first replica starts alone: on a fresh database it runs every
  # plugin's migrations, and a second replica starting at the same moment
  # would find knex's migration lock taken and fail (MigrationLocked; a known
  # Backstage limitation, backstage/charts#300). Deploy the same way.
  REPLICA_PIDS=("$(start_replica 1)")
  save_state
  wait_ready 0
  local i
  for i in "${!PORTS[@]}"; do
    ((i == 0)) || REPLICA_PIDS+=("$(start_replica $((i + 1)))")
  done
  local targets=()
  for port in "${PORTS[@]}"; do targets+=(--target "http://127.0.0.1:$port"); done
  node scripts/replicas/proxy.mjs --port "$PROXY_PORT" "${targets[@]}" >"$LOG_DIR/proxy.log" 2>&1 &
  PROXY_PID=$!
  save_state
  local others=("${!PORTS[@]}")
  wait_ready "${others[@]:1}"
  wait_proxy
  [[ "${STOP_AT_EXIT:-}" == "1" ]] || trap - EXIT

  log "ready in $((SECONDS - started))s"
  cat <<EOF

  load balancer  http://127.0.0.1:$PROXY_PORT   (round robin; x-served-by names the replica)
$(for i in "${!PORTS[@]}"; do echo "  replica $((i + 1))      http://127.0.0.1:${PORTS[$i]}   log $LOG_DIR/replica-$((i + 1)).log"; done)
  databases      ${RUN_ID}_* on $POSTGRES_HOST:$POSTGRES_PORT
  SCIM           http://127.0.0.1:$PROXY_PORT/api/scim/v2 (tokens in $STATE_FILE)

  Stop with: scripts/replicas.sh stop

EOF
}

stop_pid() {
  local pid="$1"
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    alive "$pid" || return 0
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
  if [[ ! -f "$STATE_FILE" ]]; then
    log "nothing to stop"
    return 0
  fi
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  local pid
  for pid in ${REPLICA_PIDS:-} ${PROXY_PID:-}; do
    stop_pid "$pid" &
  done
  wait
  log "stopped replicas (${REPLICA_PIDS:-}) and proxy (${PROXY_PID:-})"
  if [[ "${KEEP_DB:-}" == "1" ]]; then
    log "kept databases ${DB_PREFIX}* (KEEP_DB=1)"
  elif [[ -n "${DB_PREFIX:-}" ]]; then
    node scripts/replicas/databases.mjs drop "$DB_PREFIX" | sed 's/^/replicas: /'
  fi
  rm -f "$STATE_FILE"
}

cmd_status() {
  if [[ ! -f "$STATE_FILE" ]]; then
    log "not running"
    return 0
  fi
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  local pid
  for pid in ${REPLICA_PIDS:-}; do
    alive "$pid" && log "replica pid $pid running" || log "replica pid $pid gone"
  done
  alive "${PROXY_PID:-}" && log "proxy pid $PROXY_PID running on $PROXY_URL" || log "proxy gone"
}

cmd_test() {
  STOP_AT_EXIT=1
  export REPLICAS_CATALOG_RETRY_SECONDS="${REPLICAS_CATALOG_RETRY_SECONDS:-10}"
  trap cmd_stop EXIT
  cmd_start
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  export REPLICA_URLS PROXY_URL STATIC_TOKEN SCIM_ENTRA_TOKEN SCIM_OKTA_TOKEN
  log "running the replica tests (at most ${REPLICAS_TEST_TIMEOUT:-600}s)"
  local started=$SECONDS rc=0
  # The tests' report is kept (tests.log) so that, on a failure, its failing
  # tests come again last, below the replicas' log lines.
  timeout --kill-after=10 "${REPLICAS_TEST_TIMEOUT:-600}" \
    node --test --test-reporter=spec --test-concurrency=1 \
    "${REPLICAS_TESTS:-scripts/replicas/tests/*.test.mjs}" 2>&1 |
    tee "$LOG_DIR/tests.log" || rc=$?
  log "tests finished in $((SECONDS - started))s (exit $rc)"
  # What the tests cannot see from outside: a 5xx answered to anyone (the
  # readiness probe's 503 while starting is expected) or an error logged.
  # Tolerated: the catalog's "Failed to stitch" when an entity is deleted
  # while its final form is being written (the tests create and delete users
  # within a second); the catalog drops that stitch, and the tests check
  # what the catalog serves. Upstream: backstage/backstage#28057.
  # Also tolerated: the lines a test checked and found to be the expected
  # outcome of a fault it caused (the 503s and the database errors logged
  # while PostgreSQL restarted), listed in tolerated.log.
  local problems stitch tolerated=0
  problems="$(grep -h '"status":5[0-9][0-9]\|"level":"error"' "$LOG_DIR"/replica-*.log |
    grep -v '"url":"/.backstage/health/v1/readiness"' || true)"
  if [[ -s "$LOG_DIR/tolerated.log" && -n "$problems" ]]; then
    tolerated="$(grep -cxFf "$LOG_DIR/tolerated.log" <<<"$problems" || true)"
    problems="$(grep -vxFf "$LOG_DIR/tolerated.log" <<<"$problems" || true)"
  fi
  stitch="$(grep -c '"message":"Failed to stitch' <<<"$problems" || true)"
  problems="$(grep -v '"message":"Failed to stitch' <<<"$problems" || true)"
  if [[ -n "$problems" ]]; then
    echo "replicas: the replicas answered 5xx or logged errors:" >&2
    echo "$problems" | cut -c1-600 | head -n 20 >&2
    rc=1
  else
    log "replica logs: no 5xx answered, no error logged (tolerated: $stitch catalog 'Failed to stitch', $tolerated lines of faults the tests caused)"
  fi
  if ((rc != 0)); then
    for log_file in "$LOG_DIR"/replica-*.log; do
      echo "--- last lines of $log_file" >&2
      tail -n 30 "$log_file" | cut -c1-400 >&2 || true
    done
    echo "--- the failing tests, as the test run reported them" >&2
    sed -n '/failing tests:/,$p' "$LOG_DIR/tests.log" | head -n 80 >&2 || true
  fi
  return "$rc"
}

# Reads the state of a running setup for kill and start-replica, and checks
# that n names one of its replicas.
load_running_state() {
  local n="$1"
  [[ -f "$STATE_FILE" ]] || fail "not running: start the replicas first"
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  read -r -a PORTS <<<"$REPLICA_PORTS"
  read -r -a REPLICA_PIDS <<<"$REPLICA_PIDS"
  PROXY_PORT="${PROXY_URL##*:}"
  [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= ${#PORTS[@]})) ||
    fail "no replica '$n': replicas are numbered 1 to ${#PORTS[@]}"
}

# SIGKILL, as the kernel's OOM killer or a lost machine would: no shutdown
# hook runs, scheduler locks and database sessions are left as they are.
cmd_kill() {
  local n="$1"
  load_running_state "$n"
  local pid="${REPLICA_PIDS[$((n - 1))]}"
  if ! alive "$pid"; then
    log "replica $n (pid $pid) is not running"
    return 0
  fi
  kill -KILL "$pid"
  while alive "$pid"; do
    sleep 0.1
  done
  log "replica $n killed (SIGKILL, pid $pid)"
}

# The replica again, with the same configuration and databases, as an
# orchestrator restarts a crashed container. The state file gets its new
# pid, so that stop stops it.
cmd_start_replica() {
  local n="$1"
  load_running_state "$n"
  local i=$((n - 1))
  alive "${REPLICA_PIDS[$i]}" && fail "replica $n is running (pid ${REPLICA_PIDS[$i]})"
  port_busy "${PORTS[$i]}" && fail "port ${PORTS[$i]} is in use"
  export SCIM_ENTRA_TOKEN SCIM_OKTA_TOKEN
  REPLICA_PIDS[i]="$(start_replica "$n" append)"
  save_state
  wait_ready "$i"
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  test) cmd_test ;;
  kill) cmd_kill "${2:-}" ;;
  start-replica) cmd_start_replica "${2:-}" ;;
  *)
    echo "usage: $0 start|stop|status|test|kill <n>|start-replica <n>" >&2
    exit 2
    ;;
esac
