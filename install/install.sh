#!/bin/sh
# LLM Control Panel: set up the native host for this user on Linux or macOS, in one command.
#   install/install.sh [--browser chrome,firefox|all] [--extension-id ID]... [--dry-run]
# Builds the jar when it is missing, runs 'llmcp install' (which copies it to the data dir, writes the launcher and
# registers the host with every detected browser), then explains how to load the extension.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/install/common.sh"
JAR="${LLMCP_JAR:-$ROOT/host/target/llmcp-host.jar}"

require_java

if [ ! -f "$JAR" ]; then
  command -v mvn >/dev/null 2>&1 || die "the jar $JAR is not built and Maven is missing: install Maven 3.8+ (apt install maven / brew install maven) and run this again"
  echo "Building $JAR (first run only; takes a minute)..."
  (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed; see the Maven output above"
fi

"$JAVA" -jar "$JAR" install "$@"

for arg in "$@"; do
  # Keep --json output parseable: the advice below is for people.
  [ "$arg" = --json ] && exit 0
done

cat <<MSG

Next, load the extension (once per browser):
  Chrome, Chromium, Edge, Brave, Vivaldi:
    open chrome://extensions (edge://extensions, brave://extensions, vivaldi://extensions)
    -> turn on Developer mode -> Load unpacked -> choose $ROOT/extension
  Firefox:
    open about:debugging -> This Firefox -> Load Temporary Add-on... -> choose $ROOT/extension/manifest.json
Check everything with: "$JAVA" -jar "$JAR" doctor
Remove it again with:  $ROOT/install/uninstall.sh
MSG
