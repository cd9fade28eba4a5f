#!/usr/bin/env bash
# Installs what is missing, then serves the page at http://127.0.0.1:8080/ (trunk
# serve rebuilds on change; reload the tab: Trunk's live-reload script is inline and
# the page's CSP rightly refuses it). A release build for a static host:
# scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
exec trunk serve --offline --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
