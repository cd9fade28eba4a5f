#!/usr/bin/env bash
# Runs every test of OAuth Doctor, installing first whatever a fresh machine lacks.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi
cargo --version

step "format"
cargo fmt --check

step "lint (native)"
cargo clippy --all-targets --locked -- -D warnings

step "tests (native: engine, knowledge base, corpus, CLI, robustness)"
cargo test --locked -- --nocapture
