#!/usr/bin/env bash
# Proves that our plugin packages install into a stock Backstage app exactly
# as their READMEs say, the way a user outside this repository gets them:
#
#   1. builds and packs every published package of plugins/ (backstage-cli
#      package build, yarn pack) and checks each tarball holds dist/, its
#      config schema and its migrations;
#   2. creates a fresh app with `npx @backstage/create-app` (the newest 0.x on
#      the registry) in a folder outside the repository;
#   3. runs the steps of each plugin README's Install section in it, read from
#      the READMEs (scripts/stock-app/readmeInstall.ts): the `yarn --cwd
#      packages/backend|app add` lines, the `backend.add(import(...))` lines
#      (and the allow-all policy they replace), the app-config YAML blocks; the
#      frontend plugin is discovered (app.packages: all, the README's step for
#      the new frontend system);
#   4. starts the app (backend and frontend) beside the repository's own, and
#      checks it in Chromium (scripts/stock-app/check.ts): a guest gets 403
#      deleting a catalog entity, the SCIM endpoint answers the IdP's token,
#      and once the IdP puts the guest in the README's admin group, the
#      Identity page renders for them.
#
# A step that fails here fails for a user following the README: fix the
# package or the README, not this script.
#
# Usage (after scripts/bootstrap.sh and yarn install in this repository):
#   ./scripts/stock-app.sh
# Environment:
#   STOCK_APP_DIR             work folder; default /tmp/stock-app-<time>,
#                             where only logs/ and screenshots/ are kept
#                             after a successful run
#   STOCK_BACKEND_PORT        default 7107
#   STOCK_APP_PORT            default 3100
#   STOCK_CREATE_APP_VERSION  default: the newest 0.x of @backstage/create-app
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
source scripts/env.sh

STARTED=$(date +%s)
DEFAULT_DIR=0
if [[ -z "${STOCK_APP_DIR:-}" ]]; then
  STOCK_APP_DIR="/tmp/stock-app-$(date +%Y%m%d-%H%M%S)"
  DEFAULT_DIR=1
fi
BACKEND_PORT="${STOCK_BACKEND_PORT:-7107}"
APP_PORT="${STOCK_APP_PORT:-3100}"
APP="$STOCK_APP_DIR/app"
TARBALLS="$STOCK_APP_DIR/tarballs"
LOGS="$STOCK_APP_DIR/logs"
mkdir -p "$TARBALLS" "$LOGS"

# The helpers are TypeScript, run with the repository's transform.
ts() { node --require @backstage/cli/config/nodeTransform.cjs "$@"; }

SUMMARY=()
PHASE=""
PHASE_STARTED=0
RESULT="FAILED"
START_PGID=""

phase() {
  end_phase
  PHASE="$1"
  PHASE_STARTED=$(date +%s)
  echo
  echo "== $PHASE"
}

end_phase() {
  if [[ -n "$PHASE" ]]; then
    SUMMARY+=("$(printf '%-52s %4ss' "$PHASE" $(($(date +%s) - PHASE_STARTED)))")
    PHASE=""
  fi
}

# Runs a command with its output in a log, which is shown when it fails.
logged() {
  local log="$LOGS/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "stock-app: failed: $*" >&2
    tail -n 40 "$log" >&2
    echo "stock-app: full log: $log" >&2
    return 1
  fi
}

cleanup() {
  local status=$?
  # An interrupted yarn pack leaves the package.json that prepack rewrote.
  for backup in "$REPO"/plugins/*/package.json-prepack; do
    if [[ -f "$backup" ]]; then
      (cd "$(dirname "$backup")" && yarn backstage-cli package postpack) || true
    fi
  done
  # The whole process group of yarn start, even when yarn itself is gone.
  if [[ -n "$START_PGID" ]] && kill -0 -- "-$START_PGID" 2>/dev/null; then
    kill -- "-$START_PGID" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 -- "-$START_PGID" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 -- "-$START_PGID" 2>/dev/null || true
  fi
  if [[ -n "$PHASE" && $status -ne 0 ]]; then
    SUMMARY+=("$(printf '%-52s %4ss  FAILED' "$PHASE" $(($(date +%s) - PHASE_STARTED)))")
    PHASE=""
  fi
  end_phase
  echo
  echo "== stock app summary ($STOCK_APP_DIR)"
  for line in "${SUMMARY[@]}"; do
    echo "  $line"
  done
  if [[ -f "$LOGS/checks.log" ]]; then
    sed 's/^/  /' "$LOGS/checks.log"
  fi
  echo "  total $(($(date +%s) - STARTED))s: $RESULT"
  if [[ $status -eq 0 && $DEFAULT_DIR -eq 1 ]]; then
    # The app is about 2 GB; its logs and screenshots are small.
    rm -rf "$APP" "$TARBALLS"
  fi
  echo "  logs: $LOGS"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in "$BACKEND_PORT" "$APP_PORT"; do
  if curl -s -o /dev/null "http://localhost:$port/"; then
    echo "stock-app: port $port is in use; set STOCK_BACKEND_PORT / STOCK_APP_PORT" >&2
    exit 1
  fi
done

# ---------------------------------------------------------------------------
phase "build and pack the plugin packages"
# backstage-cli package build rolls the declarations of the root tsc run into
# dist/index.d.ts.
logged tsc yarn tsc
while IFS=$'\t' read -r dir name version; do
  base="$(basename "$dir")"
  logged "build-$base" bash -c "cd '$dir' && yarn backstage-cli package build"
  logged "pack-$base" bash -c "cd '$dir' && yarn pack --out '$TARBALLS/$base.tgz'"
  ts scripts/stock-app/install.ts check-tarball "$TARBALLS/$base.tgz" "$dir"
done < <(ts scripts/stock-app/install.ts packages "$REPO")

# ---------------------------------------------------------------------------
phase "create a stock app"
CREATE_APP_VERSION="${STOCK_CREATE_APP_VERSION:-$(npm view @backstage/create-app versions --json |
  node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")).filter(v => /^0\.\d+\.\d+$/.test(v));
    v.sort((a, b) => { const [x, y] = [a, b].map(s => s.split(".").map(Number)); return x[1] - y[1] || x[2] - y[2]; });
    console.log(v[v.length - 1]);')}"
echo "npx @backstage/create-app@$CREATE_APP_VERSION --skip-install --path app"
(cd "$STOCK_APP_DIR" && BACKSTAGE_APP_NAME=stock-app logged create-app \
  npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path app)
echo "Backstage $(node -p "require('$APP/backstage.json').version"), yarn $(cd "$APP" && yarn --version)"

# The ONE step that is not the READMEs': pins of the registry this project's
# machines reach, a partial mirror (/work/shared/TOOLCHAIN.md, "The registry is
# a partial mirror"; the same pins as this repository's root resolutions):
# - @swc/core, unrs-resolver, rollup: their newest versions' platform packages
#   are missing, and Yarn stops with YN0082;
# - @yarnpkg/core 4.9.2 has a patch: dependency that resolves nowhere else;
# - @backstage/plugin-signals-backend: the mirror has no create-app for
#   Backstage 1.56, but it has 1.56's signals-backend 0.3.21, which calls
#   httpRouter.addWebSocketHandler (backend-defaults 0.19); the 1.55 template
#   allows only backend-defaults ^0.18, and the stock backend stops at startup
#   without our packages too. 0.3.19 is the 1.55 line's (this repo's yarn.lock).
# - @playwright/test, playwright, playwright-core: the template's range takes
#   the newest release, and a release younger than the registry's minimal age
#   is quarantined (YN0016: playwright-core 1.65.2 on 2026-12-04); the versions
#   this repository installed have passed that age.
# Our own packages are not on any registry: root resolutions point each of
# them at its tarball, which is how one installs unpublished tarballs (the
# README's `yarn add <name>` gets the tarball's range, see below), and so
# resolve their dependencies on one another.
PINS=()
for name in @yarnpkg/core @swc/core unrs-resolver rollup; do
  PINS+=("$name=$(node -p "require('$REPO/package.json').resolutions['$name']")")
done
for name in @playwright/test playwright playwright-core; do
  PINS+=("$name=$(node -p "require('$REPO/node_modules/$name/package.json').version")")
done
if grep -q '"@backstage/backend-defaults": "^0.18' "$APP/packages/backend/package.json"; then
  PINS+=("@backstage/plugin-signals-backend=0.3.19")
fi
echo "root resolutions of the app:"
ts scripts/stock-app/install.ts resolutions "$APP" "$TARBALLS" "${PINS[@]}"

# ---------------------------------------------------------------------------
phase "yarn install (create-app's next step)"
# The fresh app has no lockfile to keep; under CI=true Yarn would refuse to
# write one.
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
(cd "$APP" && logged yarn-install yarn install)

# ---------------------------------------------------------------------------
phase "the READMEs' install steps"
# Our packages are not published, so `yarn add <name>` would ask the registry
# for a version and get a 404: each gets its tarball's range (what yarn add
# writes once it is published), which the root resolutions point at the file.
n=0
while IFS=$'\t' read -r cwd line args; do
  n=$((n + 1))
  echo "README: $line"
  # shellcheck disable=SC2086 # one word per package
  (cd "$APP" && logged "yarn-add-$n" yarn --cwd "$cwd" add $args)
done < <(ts scripts/stock-app/install.ts yarn-adds "$REPO" "$TARBALLS")
ts scripts/stock-app/install.ts apply "$REPO" "$APP"

# Test-only configuration, in a file of its own next to the README's.
SCIM_TOKEN="$(node -p 'require("crypto").randomBytes(16).toString("hex")')"
TEST_USER="user:default/stock-tester"
cat >"$APP/app-config.stock-test.yaml" <<EOF
# TEST ONLY, written by the repository's scripts/stock-app.sh: not an install
# step of any README. It moves the app beside the repository's own portal
# (ports), names the user the guest signs in as (the check provisions that
# user over SCIM), and gives the SCIM IdP "entra" (the directory the policy
# README's config trusts) a token for the check.
app:
  baseUrl: http://localhost:$APP_PORT
backend:
  baseUrl: http://localhost:$BACKEND_PORT
  listen:
    port: $BACKEND_PORT
  cors:
    origin: http://localhost:$APP_PORT
auth:
  providers:
    guest:
      userEntityRef: $TEST_USER
scim:
  identityProviders:
    - name: entra
      token: $SCIM_TOKEN
EOF
echo "app-config.stock-test.yaml: ports $BACKEND_PORT/$APP_PORT, guest $TEST_USER, SCIM IdP entra (test only)"

# ---------------------------------------------------------------------------
phase "the app's type check and config check"
# The backend imports our packages: their types must resolve. The README's
# config blocks and the test config must match our config schemas.
(cd "$APP" && logged app-tsc yarn tsc)
(cd "$APP" && logged app-config-check yarn backstage-cli config:check --strict \
  --config "$APP/app-config.yaml" --config "$APP/app-config.stock-test.yaml")
echo "yarn tsc, backstage-cli config:check --strict: ok"

# ---------------------------------------------------------------------------
phase "start the app (yarn start)"
(cd "$APP" && exec setsid yarn start \
  --config "$APP/app-config.yaml" --config "$APP/app-config.stock-test.yaml") \
  >"$LOGS/start.log" 2>&1 &
START_PGID=$!
ready() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" == "200" ]]; }
deadline=$(($(date +%s) + 300))
until ready "http://localhost:$BACKEND_PORT/.backstage/health/v1/readiness" &&
  ready "http://localhost:$APP_PORT/"; do
  if ! kill -0 "$START_PGID" 2>/dev/null || (($(date +%s) > deadline)); then
    echo "stock-app: the app did not start; the end of $LOGS/start.log:" >&2
    tail -n 40 "$LOGS/start.log" >&2
    exit 1
  fi
  sleep 2
done
echo "backend http://localhost:$BACKEND_PORT, frontend http://localhost:$APP_PORT"

# ---------------------------------------------------------------------------
phase "checks (API and Chromium)"
STOCK_BACKEND_URL="http://localhost:$BACKEND_PORT" \
  STOCK_APP_URL="http://localhost:$APP_PORT" \
  STOCK_SCIM_TOKEN="$SCIM_TOKEN" \
  STOCK_TEST_USER="$TEST_USER" \
  STOCK_ADMIN_GROUP="$(node -e '
    const yaml = require(require.resolve("yaml", { paths: [require.resolve("@backstage/cli/package.json")] }));
    const c = yaml.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(c.identityPolicy.adminGroups[0]);' "$APP/app-config.yaml")" \
  STOCK_SCREENSHOTS="$STOCK_APP_DIR/screenshots" \
  ts scripts/stock-app/check.ts | tee "$LOGS/checks.log"

RESULT="OK"
