#!/usr/bin/env sh
# The "vscodeExecutablePath" given to @vscode/test-electron's runTests (see codeServerLauncher.ts).
here="$(cd "$(dirname "$0")/../.." && pwd)"
exec node "$here/out/test/tooling/codeServerLauncher.js" "$@"
