#!/usr/bin/env bash
# The whole test suite, from a fresh clone to one closing "N passed, N failed" line.
# Installs what is missing (npm packages, Debian packages, Node 24 + code-server in a tools folder outside
# the repository), builds, type-checks, and runs every tier: unit, package, extension host (real VS Code),
# UI (real VS Code in Chromium), Pester (the scripts in the real pwsh). Exit code 0 only if every tier passed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
start=$(date +%s)
counts="$root/test-output/counts.jsonl"
mkdir -p "$root/test-output" && : > "$counts"
export ERS_TEST_COUNTS="$counts"
failed_tiers=()

step() { printf '\n==> %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }
die() { printf 'test: %s\n' "$*" >&2; printf '0 passed, 1 failed\n'; exit 1; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || die "Node.js is not installed (Node 20 or later is needed)"
[ "$node_major" -ge 20 ] || die "Node.js $node_major found; Node 20 or later is needed"

step "npm ci"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
fi

step "tools (Debian packages, Node 24, code-server, pwsh 7.6.9, Pester 5.7.1)"
bash scripts/ensure-tools.sh || die "could not install the test tools"
# The real pwsh is the PowerShell of every tier (the product finds it on PATH like a user's pwsh).
tools="${ERS_TOOLS_DIR:-$HOME/.cache/exchange-remoting-setup}"
export PATH="$tools/pwsh:$PATH"
export ERS_PESTER_MODULE="$tools/nuget/pester/5.7.1/tools/Pester.psd1"

step "build and type-check"
node scripts/build.mjs || die "build failed"
npx tsc -p tsconfig.json || die "type check failed (host and tests)"
npx tsc -p media/tsconfig.json || die "type check failed (webview)"

step "lint (layer boundaries, eslint.config.mjs)"
npx eslint . || die "lint failed: an import crosses a layer boundary or breaks a rule (see CONTRIBUTING.md, Layers)"

# Runs one tier; a tier that dies without reporting its totals counts as one failure.
tier() {
  local name="$1"; shift
  step "tier: $name"
  local before; before=$(grep -c "\"tier\":\"$name\"" "$counts" || true)
  if ! ERS_TEST_TIER="$name" "$@"; then failed_tiers+=("$name"); fi
  local after; after=$(grep -c "\"tier\":\"$name\"" "$counts" || true)
  if [ "$after" = "$before" ]; then
    echo "{\"tier\":\"$name\",\"passes\":0,\"failures\":1,\"pending\":0,\"note\":\"tier reported no totals\"}" >> "$counts"
  fi
}

reporter="$root/out/test/tooling/countingReporter.js"
tier unit npx mocha --reporter "$reporter"
# The catalog's scripts run in the real pwsh 7.6.9 with only the Windows-only commands mocked (Pester 5.7.1).
tier pester bash scripts/test-pester.sh

step "package the .vsix"
if node scripts/build.mjs --production && npm run -s package >/dev/null; then
  tier package npx mocha --no-config --timeout 60000 --reporter "$reporter" 'out/test/package/**/*.test.js'
else
  failed_tiers+=("package")
  echo '{"tier":"package","passes":0,"failures":1,"pending":0,"note":"vsce package failed"}' >> "$counts"
fi

tier webview npx mocha --no-config --timeout 120000 --reporter "$reporter" 'out/test/webview/**/*.test.js'
tier host node out/test/integration/runTest.js
tier ui npx mocha --no-config --timeout 300000 --reporter "$reporter" 'out/test/ui/**/*.test.js'

step "summary"
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
let p = 0, f = 0, s = 0;
for (const t of lines) { p += t.passes; f += t.failures; s += t.pending; console.log(`  ${t.tier.padEnd(8)} ${t.passes} passed, ${t.failures} failed${t.pending ? `, ${t.pending} skipped` : ""}${t.note ? ` (${t.note})` : ""}`); }
console.log(`\n${p} passed, ${f} failed${s ? `, ${s} skipped` : ""}`);
' "$counts"
echo "elapsed: $(( $(date +%s) - start ))s"
if ((${#failed_tiers[@]})); then
  echo "failed tiers: ${failed_tiers[*]}" >&2
  exit 1
fi
