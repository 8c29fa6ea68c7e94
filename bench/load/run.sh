#!/usr/bin/env bash
# Load + instantiate benchmark on a large module (about 1 MB of code, 3000 functions).
# The module is generated (gen_large.py) and compiled here, not committed. Each runtime is
# timed as a whole process calling the trivial export `run(0)`, so what is measured is
# start-up: read, decode, validate, instantiate (translation is lazy in cwamr).
# Usage: bench/load/run.sh [--reps N] [--funcs N]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=15
FUNCS=3000
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --funcs) FUNCS=$2; shift 2 ;;
    *) echo "usage: $0 [--reps N] [--funcs N]"; exit 2 ;;
  esac
done
OUT=bench/results
mkdir -p "$OUT"
python3 bench/load/gen_large.py "$FUNCS" > "$OUT/large.c"
clang --target=wasm32 -O2 -nostdlib -ffreestanding -Wl,--no-entry -Wl,--strip-all \
  -Wl,--export-all "$OUT/large.c" -o "$OUT/large.wasm"
[ -x target/release/iwasm ] || cargo build --release --bin iwasm
python3 - "$OUT/large.wasm" "$REPS" <<'PY'
import os, shutil, statistics, subprocess, sys, time
wasm, reps = sys.argv[1], int(sys.argv[2])
runners = {"cwamr": ["target/release/iwasm", "-f", "run", wasm, "0"]}
w = shutil.which("wasmi") or shutil.which("wasmi_cli")
if w:
    runners["wasmi"] = [w, "--invoke", "run", wasm, "0"]
try:
    import wasm3  # noqa: F401
    runners["wasm3"] = [sys.executable, "bench/wasm3_run.py", wasm, "0"]
    runners["python-startup"] = [sys.executable, "-c", "import wasm3"]
except ImportError:
    pass
times = {k: [] for k in runners}
for _ in range(reps):
    for k, cmd in runners.items():
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[k].append(time.perf_counter() - t)
print(f"module: {wasm} ({os.path.getsize(wasm)} bytes)")
for k, v in times.items():
    print(f"{k:16s} median {statistics.median(v)*1000:8.2f} ms  (min {min(v)*1000:.2f})")
PY
