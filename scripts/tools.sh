#!/usr/bin/env bash
# Installs what building and testing the page needs, when it is missing, and puts it
# on PATH. Source it (`. scripts/tools.sh`); every step is skipped when already done.
# Works offline once installed; needs only crates.io, npm and Debian's packages.
set -euo pipefail
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$_root/Cargo.lock")
export PATH="$_root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  # trunk 0.22 needs a newer rustc than this toolchain.
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  # Without --locked: its own lockfile wants a webpki-roots the registry lacks.
  # Trunk refuses any version but the one in Cargo.lock.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ ! -x "$_root/node_modules/.bin/wasm-opt" ] || [ ! -d "$_root/node_modules/playwright-core" ] || [ ! -d "$_root/node_modules/axe-core" ]; then
  # binaryen@132: Debian's wasm-opt (108) breaks reference types.
  (cd "$_root" && npm ci --no-audit --no-fund)
fi
if [ ! -x /usr/bin/chromium ]; then
  # Debian's Chromium: test tools' own browser downloads do not work here.
  sudo_=""
  [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update
  $sudo_ apt-get install -y chromium chromium-driver
fi
