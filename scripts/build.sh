#!/usr/bin/env bash
# Installs what is missing, then builds the page for release into dist/: static
# files that run from any static file server, under any path.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
trunk build --release --offline
