# Sourced by the scripts in this folder: puts the bootstrapped Node 22 and
# Yarn 4 first on PATH, and points node-gyp at Node 22's own headers.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.tools/node/bin:$ROOT/.tools/bin:$PATH"
export npm_config_nodedir="$ROOT/.tools/node"
export YARN_ENABLE_TELEMETRY=0
