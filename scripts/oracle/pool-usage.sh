#!/bin/bash
# Pool figures for WAMR vs cwamr: for each .wasm, the pool bytes in use (total - free, as
# wasm_runtime_get_mem_alloc_info reports them) after full_init / load / instantiate (stack 16 KB, app heap
# 16 KB), the high mark, and the smallest pool (to 64 bytes) in which load + instantiate succeed.
# Usage: pool-usage.sh <pool_usage built on WAMR> <pool_usage built on cwamr> <file.wasm>...
# (pool_usage.c here; compile it once against each library.) Not run by CI.
set -u
A=$1; B=$2; shift 2
fig() { # fig <bin> <file> -> "init load inst high" from a 4 MB pool
  "$1" 4194304 "$2" 2>/dev/null | grep '^pool ' | grep -o 'used [0-9]* high [0-9]*\|failed: .*' | tr '\n' ' ' |
    sed -E 's/used ([0-9]+) high ([0-9]+)/\1/g; s/ +$//'
}
minpool() { # binary search for the smallest pool that loads + instantiates
  local bin=$1 f=$2 lo=64 hi=4194304 mid
  "$bin" $hi "$f" > /dev/null 2>&1 || { echo "fails at 4 MB"; return; }
  while [ $((hi - lo)) -gt 64 ]; do
    mid=$(((lo + hi) / 2))
    if timeout 10 "$bin" $mid "$f" > /dev/null 2>&1; then hi=$mid; else lo=$mid; fi
  done
  echo $hi
}
echo "| module | WAMR init/load/instantiate used | WAMR min pool | cwamr init/load/instantiate used | cwamr min pool |"
echo "|---|---|---|---|---|"
for f in "$@"; do
  echo "| $(basename "$(dirname "$f")")/$(basename "$f") | $(fig "$A" "$f") | $(minpool "$A" "$f") | $(fig "$B" "$f") | $(minpool "$B" "$f") |"
done
