#!/bin/bash
# Drive WAMR's spec harness (tests/wamr-test-suites/spec-test-script/all.py + runtest.py of a WAMR checkout)
# with a given iwasm, over the spec core tests WAMR's CI uses (github:WebAssembly/spec at f3a0e06235d2 with
# WAMR's ignore_cases.patch applied; all.py keeps 85 of the 90 .wast files). Not run by CI.
# Usage: run-spec-harness.sh <wamr checkout> <spec checkout (patched)> <wabt bin dir> <iwasm> <work dir>
# all.py finds iwasm at ../../../product-mini/platforms/linux/build/iwasm and wat2wasm at
# ./wabt/out/gcc/Release/wat2wasm relative to its working directory: this lays that out under <work dir>.
# wabt newer than 1.0.37 dropped --enable-{multi-memory,memory64,exceptions,tail-call,extended-const}
# (now on by default); a wrapper drops those flags.
set -u
W=$(readlink -f "$1"); SPEC=$(readlink -f "$2"); WABT=$(readlink -f "$3"); BIN=$(readlink -f "$4"); WD=$5
PY=${PY:-python3}
mkdir -p "$WD/product-mini/platforms/linux/build" "$WD/t/w/s/wabt/out/gcc/Release" "$WD/log"
WD=$(readlink -f "$WD"); S=$WD/t/w/s
cp "$BIN" "$WD/product-mini/platforms/linux/build/iwasm"
ln -sfn "$SPEC" "$S/spec"
for f in all.py runtest.py; do ln -sf "$W/tests/wamr-test-suites/spec-test-script/$f" "$S/$f"; done
cat > "$S/wabt/out/gcc/Release/wat2wasm" <<EOW
#!/bin/bash
args=()
for a in "\$@"; do
  case \$a in --enable-multi-memory|--enable-memory64|--enable-exceptions|--enable-tail-call|--enable-extended-const) ;; *) args+=("\$a") ;; esac
done
exec "$WABT/wat2wasm" "\${args[@]}"
EOW
chmod +x "$S/wabt/out/gcc/Release/wat2wasm"
cd "$S" && $PY all.py -m X86_64 --parl --log "$WD/log" > "$WD/report.txt" 2>&1
grep "IN ALL" "$WD/report.txt"
grep -o "run [a-z0-9_.-]* failed" "$WD/report.txt" | sort | sed 's/^run /failed: /; s/ failed$//'
