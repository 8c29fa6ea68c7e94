#!/bin/bash
# Run wasi-testsuite (github:WebAssembly/wasi-testsuite, branch prod/testsuite-all: prebuilt tests + python
# runner; needs Python >= 3.12 and colorama) with an iwasm binary through our adapter (wasi-iwasm-adapter.py).
# Usage: run-wasi-testsuite.sh <wasi-testsuite checkout> <iwasm binary> <name> [python]
# Prints the summary and the failing non-threads tests; the runner's JSON goes to <checkout>/<name>.json.
# Not run by CI.
set -u
TS=$(readlink -f "$1"); BIN=$(readlink -f "$2"); NAME=$3; PY=${4:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$TS" || exit 2
IWASM=$BIN IWASM_NAME=$NAME "$PY" run-tests -r "$HERE/wasi-iwasm-adapter.py" --disable-colors \
  --json-output-location "$TS/$NAME.json" > "$TS/$NAME.txt" 2>&1
rc=$?
grep -A1 "Test results" "$TS/$NAME.txt"
echo "non-threads failures:"
grep "^  " "$TS/$NAME.txt" | grep -v "wasi-threads/" | sed "s|$BIN|iwasm|"
exit $rc
