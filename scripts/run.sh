#!/usr/bin/env bash
# Runs the product: builds the .vsix, installs it into a private browser-based VS Code (code-server) on
# 127.0.0.1 with a demo workspace (sample server list + real sample trace files), and prints the URL.
# Stop with Ctrl+C. Port: ERS_PORT (default 8080). Demo folder: ERS_DEMO_DIR (default: in the tools folder).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
port="${ERS_PORT:-8080}"
tools="${ERS_TOOLS_DIR:-$HOME/.cache/exchange-remoting-setup}"
demo="${ERS_DEMO_DIR:-$tools/demo}"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/ensure-tools.sh
# The demo's VS Code uses the real pwsh 7.6.9 built by ensure-tools.sh (Linux has no other PowerShell here): on PATH,
# and named in the demo's user settings (code-server's extension host takes PATH from a login shell).
command -v pwsh >/dev/null || export PATH="$tools/pwsh:$PATH"
node scripts/build.mjs --production
npm run -s package

rm -rf "$demo/workspace" && mkdir -p "$demo/workspace/traces"
cp -r demo/. "$demo/workspace/"
traces="$root/test/fixtures/svclog"
find "$traces" -maxdepth 1 -type f \( -name '*.svclog' -o -name '*.e2e' -o -name '*.xml' \) -exec cp {} "$demo/workspace/traces/" \;

mkdir -p "$demo/user-data/User" "$demo/extensions"
[ -f "$demo/user-data/User/settings.json" ] || cat > "$demo/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "git.openRepositoryInParentFolders": "never",
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
if ! command -v pwsh >/dev/null || [ "$(command -v pwsh)" = "$tools/pwsh/pwsh" ]; then
  node -e '
    const fs = require("fs"); const [file, exe] = process.argv.slice(1);
    try { const s = JSON.parse(fs.readFileSync(file, "utf8")); s["exchangeRemoting.powershell.executable"] ??= exe; fs.writeFileSync(file, JSON.stringify(s, null, 2) + "\n"); }
    catch (e) { console.error(`run: could not name pwsh in ${file}: ${e.message}`); }' "$demo/user-data/User/settings.json" "$tools/pwsh/pwsh"
fi
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" > "$demo/config.yaml"
cs=("$tools/node24/bin/node" "$tools/cs/node_modules/code-server/out/node/entry.js" --config "$demo/config.yaml"
    --user-data-dir "$demo/user-data" --extensions-dir "$demo/extensions")
"${cs[@]}" --install-extension dist/exchange-remoting-setup.vsix --force >/dev/null

echo
echo "Exchange Remoting Setup is running in VS Code at: http://127.0.0.1:$port/?folder=$demo/workspace"
echo "(Ctrl+C to stop)"
exec "${cs[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$demo/workspace"
