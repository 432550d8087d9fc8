#!/usr/bin/env bash
# What the test suite needs from the machine, besides Node and Yarn:
# - Debian's Chromium for the Playwright tests (Playwright cannot download
#   its own browser where only the npm registry and Debian are reachable);
# - the PostgreSQL server on 127.0.0.1:5432 for the store tests.
# Fails loudly rather than letting tests skip.
set -euo pipefail

as_root() {
  if [[ "$(id -u)" == "0" ]]; then "$@"; else sudo "$@"; fi
}

if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  echo "ensure-services: installing Debian's chromium"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! pg_ready; then
  if [[ -d /etc/postgresql ]]; then
    echo "ensure-services: starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
if ! pg_ready; then
  echo "ensure-services: PostgreSQL is not reachable on 127.0.0.1:5432; the store tests need it" >&2
  exit 1
fi
echo "ensure-services: chromium $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null | awk '{print $2}'), PostgreSQL ready"
