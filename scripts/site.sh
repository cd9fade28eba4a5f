#!/usr/bin/env bash
# Trunk's post-build hook: writes the knowledge base as static HTML pages (one per
# entry, vendor and cause tag, an index and 404.html) beside the page's build.
# OAUTH_DOCTOR_BASE is the path the site is served under (for 404.html only; every
# other link is relative), e.g. /tools/oauth-doctor/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked --quiet --bin oauth-doctor -- \
  site "${TRUNK_STAGING_DIR:-dist}" --base "${OAUTH_DOCTOR_BASE:-/}"
