#!/usr/bin/env bash
# Rebuilds the committed .wasm files of the C tests and examples from their .wat sources
# (uses the `wat` crate through `cargo run --example wat2wasm`).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=()
for wat in c-tests/api/wasm/*.wat examples-c/*/*.wat; do
  [ -e "$wat" ] || continue
  case "$wat" in examples-c/wasm-c-api/*) continue ;; esac  # built by its own script
  pairs+=("$wat" "${wat%.wat}.wasm")
done
cargo run --quiet --example wat2wasm -- "${pairs[@]}"
echo "rebuilt $(( ${#pairs[@]} / 2 )) wasm files"
