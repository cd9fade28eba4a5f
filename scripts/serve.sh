#!/usr/bin/env bash
# Installs what is missing, then serves the page at http://127.0.0.1:8080/ with
# live reload (trunk serve). A release build for any static host: scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
exec trunk serve --offline --address 127.0.0.1 --port "${PORT:-8080}"
