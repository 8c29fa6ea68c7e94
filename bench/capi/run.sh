#!/usr/bin/env bash
# Empty host->wasm call cost through the WAMR C API (see call_bench.c).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --lib >/dev/null 2>&1 || cargo build --release --lib
mkdir -p bench/results
cc -O2 -Iinclude bench/capi/call_bench.c -o bench/results/call_bench \
  -Ltarget/release -lcwamr -Wl,-rpath,"$PWD/target/release"
bench/results/call_bench "${1:-2000000}"
