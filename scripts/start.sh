#!/usr/bin/env bash
# README command 1: fetch the toolchain, install, and start the portal with
# the demo organisation on an embedded database (SQLite in memory).
# Frontend: http://localhost:3000  Backend: http://localhost:7007
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/bootstrap.sh
source scripts/env.sh
yarn install --immutable
exec yarn start
