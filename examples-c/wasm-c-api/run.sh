#!/usr/bin/env bash
# Builds the wasm-c-api example programs with cc against include/ and libcwamr.so and runs
# each one; every program checks its own results and must end by printing "Done.".
#
# Usage: examples-c/wasm-c-api/run.sh [example ...]
#   CWAMR_LIB_DIR  directory of libcwamr.so (default: target/release; build it first with
#                  `cargo build --release --lib`)
#   CC, CFLAGS     compiler and extra flags (e.g. CFLAGS=-fsanitize=address)
#   OUT_DIR        where binaries go (default: a temporary directory)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib_dir="${CWAMR_LIB_DIR:-$root/target/release}"
cc="${CC:-cc}"
out="${OUT_DIR:-$(mktemp -d)}"
mkdir -p "$out"

if [[ ! -f "$lib_dir/libcwamr.so" ]]; then
    echo "missing $lib_dir/libcwamr.so (run: cargo build --release --lib)" >&2
    exit 1
fi

examples=("$@")
if [[ ${#examples[@]} -eq 0 ]]; then
    examples=(hello callback global memory table trap reflect start multi hostref finalize threads serialize)
fi

failed=0
for ex in "${examples[@]}"; do
    # shellcheck disable=SC2086
    "$cc" -std=c11 -Wall -Wextra -Werror -O1 -g ${CFLAGS:-} -I"$root/include" \
        "$here/$ex.c" -o "$out/$ex" -L"$lib_dir" -lcwamr -Wl,-rpath,"$lib_dir" -lpthread
    if log="$(cd "$here" && "$out/$ex" 2>&1)" && [[ "$(printf '%s\n' "$log" | tail -n 1)" == "Done." ]]; then
        echo "ok   $ex"
    else
        echo "FAIL $ex"
        printf '%s\n' "$log" | tail -n 20 | sed 's/^/     | /'
        failed=1
    fi
done
exit "$failed"
