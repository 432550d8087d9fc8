#!/usr/bin/env bash
# README command 2: fetch the toolchain and the services the tests need, then
# run every check: type check, lint, formatting, unit and integration tests
# (SQLite and PostgreSQL), and the Playwright tests in Chromium; in CI, also
# the replica tests (scripts/replicas.sh) and the install into a stock app
# (scripts/stock-app.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/bootstrap.sh
source scripts/env.sh
./scripts/ensure-services.sh
yarn install --immutable

# Store tests run on SQLite and on this PostgreSQL server (15 on Debian 12).
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
# There is no Docker engine here: databases without a connection string are
# not attempted (and the ones we need have one, above).
export BACKSTAGE_TEST_DISABLE_DOCKER=1

yarn test:all

# In CI, the production shape too: the backend built for production, two
# replicas on this PostgreSQL behind a round-robin proxy, and the replica
# tests over them (scripts/replicas.sh; about 2 minutes, bounded). Locally:
# scripts/replicas.sh test.
if [[ "${CI:-}" == "true" ]]; then
  timeout --kill-after=30 "${REPLICAS_CI_TIMEOUT:-1200}" ./scripts/replicas.sh test
fi

# In CI, the packages as a user gets them: packed, installed into a fresh
# `npx @backstage/create-app` app by their READMEs' install steps, started on
# ports 7107/3100 and checked in Chromium (scripts/stock-app.sh; about 10
# minutes, bounded).
if [[ "${CI:-}" == "true" ]]; then
  timeout --kill-after=30 "${STOCK_APP_CI_TIMEOUT:-1500}" ./scripts/stock-app.sh
fi
