#!/usr/bin/env bash
# The Pester tier alone (scripts/test.sh runs it as tier "pester"): the catalog's scripts run in the real
# pwsh 7.6.9 with only the Windows-only commands mocked. Needs the build (out/) and scripts/ensure-tools.sh.
# Pass test files to run only those: bash scripts/test-pester.sh test/pester/CbtHardening.Tests.ps1
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools="${ERS_TOOLS_DIR:-$HOME/.cache/exchange-remoting-setup}"
export PATH="$tools/pwsh:$PATH"
export ERS_PESTER_MODULE="${ERS_PESTER_MODULE:-$tools/nuget/pester/5.7.1/tools/Pester.psd1}"
command -v pwsh >/dev/null || { echo "pwsh is missing: run scripts/ensure-tools.sh" >&2; exit 1; }
[ -f out/test/pester/bridge.js ] || { echo "out/ is missing: run node scripts/build.mjs" >&2; exit 1; }
# A private HOME for the tier: the trusted test CA of the TLS cases goes into .NET's CurrentUser\Root store under
# it (never into the user's own), and pwsh's caches stay out of the user's folders. Removed when the tier ends.
ERS_PESTER_HOME="$(mktemp -d "${TMPDIR:-/tmp}/ers-pester-home.XXXXXX")"
trap 'rm -rf "$ERS_PESTER_HOME"' EXIT
export ERS_PESTER_HOME HOME="$ERS_PESTER_HOME"
paths=()
for p in "$@"; do paths+=("$(realpath "$p")"); done
if ((${#paths[@]})); then
  TERM=dumb pwsh -NoLogo -NoProfile -NonInteractive -File test/pester/run.ps1 -Path "$(IFS=,; echo "${paths[*]}")"
else
  TERM=dumb pwsh -NoLogo -NoProfile -NonInteractive -File test/pester/run.ps1
fi
