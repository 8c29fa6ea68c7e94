#!/usr/bin/env bash
# Benchmark cwamr (target/release/iwasm) vs wasmi and wasm3 (pywasm3).
# Usage: bench/run.sh [--reps N] [--only NAME[,NAME]] [--runtimes a,b]
#                     [--n NAME=N] [--iwasm PATH] [--install]
# --install installs missing comparison runtimes first (wasmi_cli via cargo,
# pywasm3 via pip). See bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
args=()
for a in "$@"; do
    if [[ "$a" == "--install" ]]; then
        if ! command -v wasmi >/dev/null && ! command -v wasmi_cli >/dev/null \
            && [[ ! -x "$HOME/.cargo/bin/wasmi" ]]; then
            cargo install wasmi_cli --version 2.0.0 --locked
        fi
        python3 -c 'import wasm3' 2>/dev/null || python3 -m pip install pywasm3==0.5.0
    else
        args+=("$a")
    fi
done
exec python3 "$here/run.py" "${args[@]+"${args[@]}"}"
