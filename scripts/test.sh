#!/usr/bin/env bash
# Runs every test, unit and integration, on a fresh Debian machine with a JDK 17+ and Maven 3.8+:
# installs what the tests need (scripts/setup-debian.sh), then `./mvnw verify` (Maven pinned by the wrapper).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-debian.sh"
cd "$here"
exec ./mvnw -B -ntp verify "$@"
