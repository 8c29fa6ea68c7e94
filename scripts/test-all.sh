#!/usr/bin/env bash
# Runs every test of cwamr: Rust unit and integration tests (including the WebAssembly spec
# suite), and the C header/ABI checks. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "formatting and lints"
cargo fmt --all -- --check
cargo clippy --release --all-targets -- -D warnings

step "cargo test --release (unit tests, spec suite, integration tests)"
cargo test --release --all-targets

step "spec suite on the portable loop dispatcher (what debug builds use)"
CWAMR_DISPATCH=loop CARGO_TARGET_DIR=target/loop-dispatch cargo test --release --test spec

step "C headers and ABI locks"
c-tests/abi/header_compile.sh

step "wasm-c-api: examples and C tests (ASan/LSan/UBSan) against target/release/libcwamr.so"
cargo build --release --lib
examples-c/wasm-c-api/run.sh
c-tests/wasm-c-api/run.sh

step "C API: cmake build of libcwamr + C tests + examples, ctest (incl. installed-prefix consumer)"
cmake -S . -B build -DCWAMR_CARGO_PROFILE=release >/dev/null
cmake --build build -j2
ctest --test-dir build --output-on-failure

step "C API tests and examples under AddressSanitizer"
cmake -S . -B build-asan -DCWAMR_CARGO_PROFILE=release -DCWAMR_ASAN=ON >/dev/null
cmake --build build-asan -j2
ctest --test-dir build-asan --output-on-failure

echo
echo "all tests passed"
