#!/usr/bin/env bash
# Builds and runs the wasm-c-api C tests under AddressSanitizer, LeakSanitizer and UBSan:
#   ownership   10 000 create/delete cycles of every kind of object (no leaks)
#   misuse      forged, wrong-type, deleted and other-store handles are refused and reported
#   threads     separate stores used from several threads, cross-store use refused
#   functional  linking instances, re-entrant callbacks, unlinked imports, engine, config
# then runs the example programs under the same sanitizers.
#
# Usage: c-tests/wasm-c-api/run.sh        (CWAMR_LIB_DIR defaults to target/release)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib_dir="${CWAMR_LIB_DIR:-$root/target/release}"
cc="${CC:-cc}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
san="-fsanitize=address,undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

if [[ ! -f "$lib_dir/libcwamr.so" ]]; then
    echo "missing $lib_dir/libcwamr.so (run: cargo build --release --lib)" >&2
    exit 1
fi

failed=0
for t in ownership misuse threads functional; do
    # shellcheck disable=SC2086
    "$cc" -std=c11 -Wall -Wextra -Werror -O1 -g $san -I"$root/include" "$here/$t.c" \
        -o "$out/$t" -L"$lib_dir" -lcwamr -Wl,-rpath,"$lib_dir" -lpthread
    if log="$(cd "$here" && "$out/$t" 2>&1)" && [[ "$(printf '%s\n' "$log" | tail -n 1)" == "Done." ]]; then
        echo "ok   $t: $(printf '%s\n' "$log" | grep -E 'checks passed|uses refused|finalizers ran' | tr '\n' ' ')"
    else
        echo "FAIL $t"
        printf '%s\n' "$log" | tail -n 30 | sed 's/^/     | /'
        failed=1
    fi
done

echo "examples under the sanitizers:"
CFLAGS="$san" OUT_DIR="$out/examples" CWAMR_LIB_DIR="$lib_dir" "$root/examples-c/wasm-c-api/run.sh" || failed=1
exit "$failed"
