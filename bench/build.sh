#!/usr/bin/env bash
# Rebuild the benchmark modules (bench/wasm/*.wasm) and examples-c/wasm/fib.wasm.
# Freestanding: -nostdlib, our own memcpy/memset (src/rt.c), no WASI, so the
# modules have no imports and any runtime can call the exported function.
# Deterministic: same clang (Debian clang 14) -> byte-identical output.
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang}
CFLAGS=(--target=wasm32 -O2 -nostdlib -ffreestanding -Wall -Wextra -Werror)
LDFLAGS=(-Wl,--no-entry -Wl,--strip-all -Wl,-z,stack-size=1048576)

mkdir -p wasm
# rt.c is compiled with -fno-builtin so its loops are not turned into calls
# to the very functions it defines.
"$CC" "${CFLAGS[@]}" -fno-builtin -c src/rt.c -o wasm/rt.o
for name in fib sieve matmul sha256 quicksort nbody; do
    "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -Wl,--export=run \
        "src/$name.c" wasm/rt.o -o "wasm/$name.wasm"
done
rm -f wasm/rt.o

"$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -Wl,--export=fib \
    ../examples-c/wasm/fib.c -o ../examples-c/wasm/fib.wasm

python3 check_wasm.py run wasm/*.wasm
python3 check_wasm.py fib ../examples-c/wasm/fib.wasm
echo "built: $(ls wasm/*.wasm | tr '\n' ' ')../examples-c/wasm/fib.wasm"
