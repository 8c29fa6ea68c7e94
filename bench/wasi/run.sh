#!/usr/bin/env bash
# cWASI I/O benchmark: tests/wasi/src/bench.c does 100 000 small write()s to a file in the
# preopen, 100 000 small read()s of it, and 100 000 small writes to stdout (sent to /dev/null).
# Runs it under cwamr's iwasm and, when available, under wasmtime (set WASMTIME=/path, or have
# `wasmtime` on PATH), plus the same C program built natively as a floor. Prints the median
# wall time of REPS runs (default 7) for each.
#
#   bench/wasi/run.sh            # uses target/release/iwasm (builds it if missing)
#   REPS=11 WASMTIME=~/bin/wasmtime bench/wasi/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REPS=${REPS:-7}
WASM=$ROOT/tests/wasi/bin/bench.wasm
IWASM=$ROOT/target/release/iwasm
[ -x "$IWASM" ] || cargo build --release --bin iwasm
WASMTIME=${WASMTIME:-$(command -v wasmtime || true)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cwamr-wasi-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

NATIVE=""
if command -v gcc >/dev/null; then
    gcc -O2 -o "$WORK/bench-native" "$ROOT/tests/wasi/src/bench.c" && NATIVE="$WORK/bench-native"
fi

# median_ms CMD...: run CMD REPS times in $WORK/run (stdout discarded), print the median ms.
median_ms() {
    local times=()
    for _ in $(seq "$REPS"); do
        rm -rf "$WORK/run" && mkdir "$WORK/run"
        local t0 t1
        t0=$(date +%s%N)
        (cd "$WORK/run" && "$@" >/dev/null 2>"$WORK/stderr")
        t1=$(date +%s%N)
        times+=($(( (t1 - t0) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

echo "workload: 100000 x 16-byte write() to a file, 100000 x 16-byte read(), 100000 x 16-byte write() to stdout; median of $REPS runs"
printf '%-34s %10s\n' "runtime" "ms"
printf '%-34s %10s\n' "cwamr iwasm (interpreter)" "$(median_ms "$IWASM" --dir=. "$WASM")"
grep -q checksum= "$WORK/stderr" && CHECK=$(cat "$WORK/stderr")
if [ -n "$WASMTIME" ] && [ -x "$WASMTIME" ]; then
    printf '%-34s %10s\n' "wasmtime $("$WASMTIME" --version | awk '{print $2}') (JIT, no cache)" \
        "$(median_ms "$WASMTIME" run --dir=. "$WASM")"
    [ "$(cat "$WORK/stderr")" = "$CHECK" ] || echo "warning: wasmtime checksum differs: $(cat "$WORK/stderr")"
else
    echo "wasmtime: not found (set WASMTIME=/path/to/wasmtime)"
fi
if [ -n "$NATIVE" ]; then
    printf '%-34s %10s\n' "native (gcc -O2, same C)" "$(median_ms "$NATIVE")"
fi
echo "guest $CHECK"
