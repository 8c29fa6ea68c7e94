#!/usr/bin/env bash
# Rebuilds the cWASI test programs: tests/wasi/src/*.c -> tests/wasi/bin/*.wasm
# (Debian clang 14 + wasi-libc: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p bin
for src in src/*.c; do
    name=$(basename "$src" .c)
    clang --target=wasm32-wasi -O2 -Wall -Wno-unused-result -Wl,--strip-all -o "bin/$name.wasm" "$src"
    echo "built bin/$name.wasm"
done
