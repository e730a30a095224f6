#!/bin/sh
# LLM Control Panel: remove what install.sh registered (launchers, jar copy, browser manifests). Models, settings
# and logs in the data dir stay; delete that dir yourself to drop them too.
#   install/uninstall.sh [--dry-run]
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/install/common.sh"

require_java

# The repo's jar when built, else the installed copy (same default data dir as the host).
JAR="${LLMCP_JAR:-$ROOT/host/target/llmcp-host.jar}"
if [ ! -f "$JAR" ]; then
  if [ -n "${LLMCP_HOME:-}" ]; then DATA="$LLMCP_HOME"
  elif [ "$(uname -s)" = Darwin ]; then DATA="$HOME/Library/Application Support/llmcp"
  else DATA="${XDG_DATA_HOME:-$HOME/.local/share}/llmcp"; fi
  JAR="$DATA/bin/llmcp-host.jar"
  [ -f "$JAR" ] || die "nothing to run: neither the repo's jar nor $JAR exists (was llmcp installed?)"
fi

"$JAVA" -jar "$JAR" uninstall "$@"
echo "Remove the extension itself from the browser's extensions page (chrome://extensions, about:addons)."
