# shellcheck shell=bash
# Helpers shared by scripts/run and scripts/test (sourced, not executed).

# The toolchain lives in /opt/swift on our machines; a non-login shell (CI) may not have it on PATH.
require_swift() {
    if ! command -v swift >/dev/null && [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="$PATH:/opt/swift/usr/bin"
    fi
    command -v swift >/dev/null ||
        { echo "error: the Swift toolchain was not found: install Swift 6.2 or newer from swift.org and put 'swift' on PATH." >&2; exit 1; }
}
