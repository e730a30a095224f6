#!/usr/bin/env bash
# Runs every test of the project: the host's unit and property tests, the integration tests against the
# real jar, the extension's unit tests and the end-to-end test in a real Chromium. Installs what it needs
# first (npm packages, Debian's chromium), so it works on a fresh machine. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- prerequisites -----------------------------------------------------------------------------------
command -v java >/dev/null || { echo "Java 17+ is required (apt-get install openjdk-17-jdk)"; exit 1; }
command -v mvn >/dev/null || { need_root apt-get update -qq; need_root apt-get install -y -qq maven; }
if [ -f extension/package.json ]; then
  command -v node >/dev/null || { need_root apt-get update -qq; need_root apt-get install -y -qq nodejs npm; }
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  [ -x /usr/bin/firefox-esr ] || missing="$missing firefox-esr"
  if [ -n "$missing" ]; then
    echo "== installing Debian browsers for the browser tests:$missing"
    need_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq $missing >/dev/null
  fi
  (cd extension && npm ci --no-audit --no-fund --loglevel=error)
fi

status=0
logs=$(mktemp -d)
# --- host: unit + property tests (surefire), then the shaded jar, then the jar's ITs (failsafe) ------
echo "== host: mvn verify"
mvn -B -ntp verify 2>&1 | tee "$logs/maven.txt" || status=1

# --- host: the HTTP API (llmcp serve) driven by the official openai and ollama npm clients -------------
# Uses the jar that mvn verify just built; its '# pass N' lines are counted with the extension's below.
if [ -f host/src/test/api-clients/package.json ]; then
  echo "== host: HTTP API with the openai and ollama npm clients"
  (cd host/src/test/api-clients && npm ci --no-audit --no-fund --loglevel=error && npm test) 2>&1 \
    | tee "$logs/extension-api-clients.txt" || status=1
fi

# --- conformance: the host's greedy tokens against transformers.js on every test model --------------
if [ -f conformance/package.json ]; then
  echo "== conformance: transformers.js vs the host (npm run conformance)"
  (cd conformance && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error \
     && LLMCP_JAR="$root/host/target/llmcp-host.jar" npm run conformance) 2>&1 | tee "$logs/extension-conformance.txt" || status=1
fi

# --- extension: unit tests, then end to end in Chromium against the real host ------------------------
if [ -f extension/package.json ]; then
  echo "== extension: node --test"
  (cd extension && npm test) 2>&1 | tee "$logs/extension-unit.txt" || status=1
  if [ -d extension/e2e ]; then
    echo "== extension: end to end in chromium"
    (cd extension && npm run e2e) 2>&1 | tee "$logs/extension-e2e.txt" || status=1
  fi
fi

# --- one closing line for everything -----------------------------------------------------------------
python3 - "$logs" <<'PY' || true
import glob, re, sys
passed = failed = skipped = 0
# Maven prints one summary per plugin run (surefire, failsafe): "Tests run: N, Failures: F, Errors: E, Skipped: S"
maven = open(sys.argv[1] + "/maven.txt", encoding="utf-8", errors="replace").read()
for n, f, e, s in re.findall(r"^\[\w+\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)$", maven, re.M):
    passed += int(n) - int(f) - int(e) - int(s); failed += int(f) + int(e); skipped += int(s)
for path in glob.glob(sys.argv[1] + "/extension-*.txt"):
    text = open(path, encoding="utf-8", errors="replace").read()
    passed += sum(int(x) for x in re.findall(r"^# pass (\d+)", text, re.M))
    failed += sum(int(x) for x in re.findall(r"^# fail (\d+)", text, re.M))
    skipped += sum(int(x) for x in re.findall(r"^# skipped (\d+)", text, re.M))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$logs"
exit $status
