# Shared by install.sh and uninstall.sh (POSIX sh). Not meant to be run on its own.

die() {
  printf 'llmcp: %s\n' "$*" >&2
  exit 1
}

# The Java to use: $JAVA_HOME's when set, else the first 'java' on PATH. Prints nothing when there is none.
find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
    return 0
  fi
  command -v java 2>/dev/null || true
}

# The feature version of a Java: 17 for "17.0.15", 21 for "21", 8 for "1.8.0_392".
java_major() {
  ver=$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
  major=${ver%%.*}
  if [ "$major" = 1 ]; then major=$(printf '%s' "$ver" | cut -d. -f2); fi
  printf '%s\n' "$major" | sed 's/[^0-9].*//'
}

java_install_hint() {
  case "$(uname -s)" in
    Darwin) echo "  macOS:  brew install openjdk@17   (then: export JAVA_HOME=\$(/usr/libexec/java_home -v 17))" ;;
    *) echo "  Debian/Ubuntu: sudo apt install openjdk-17-jdk    Fedora: sudo dnf install java-17-openjdk-devel"
       echo "  or any JDK 17+ from https://adoptium.net, then set JAVA_HOME to it" ;;
  esac
}

# Sets JAVA to a Java 17+ or exits with instructions.
require_java() {
  JAVA=$(find_java)
  if [ -z "$JAVA" ]; then
    echo "llmcp needs Java 17 or newer, and none was found (no JAVA_HOME, no 'java' on PATH). Install one:" >&2
    java_install_hint >&2
    exit 1
  fi
  major=$(java_major "$JAVA")
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    echo "llmcp needs Java 17 or newer; $JAVA is version ${major:-unknown}. Install a newer one:" >&2
    java_install_hint >&2
    exit 1
  fi
}
