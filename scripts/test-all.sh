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
# Release, as users configure it (-O3 is where GCC's flow-based warnings appear).
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCWAMR_CARGO_PROFILE=release -DCWAMR_WERROR=ON >/dev/null
cmake --build build -j2
ctest --test-dir build --output-on-failure

# The other compiler and build type. The library is the same cargo build (target/cmake), so
# these only compile and run the C programs.
step "C API tests: clang Release build, ctest"
CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release \
  -DCWAMR_CARGO_PROFILE=release -DCWAMR_WERROR=ON >/dev/null
cmake --build build-clang -j2
ctest --test-dir build-clang --output-on-failure

step "C API tests: ${CC:-cc} Debug build, ctest"
cmake -S . -B build-debug -DCMAKE_BUILD_TYPE=Debug \
  -DCWAMR_CARGO_PROFILE=release -DCWAMR_WERROR=ON >/dev/null
cmake --build build-debug -j2
ctest --test-dir build-debug --output-on-failure

step "C API tests and examples under AddressSanitizer"
cmake -S . -B build-asan -DCWAMR_CARGO_PROFILE=release -DCWAMR_ASAN=ON -DCWAMR_WERROR=ON >/dev/null
cmake --build build-asan -j2
ctest --test-dir build-asan --output-on-failure

echo
echo "all tests passed"
