#!/bin/bash
# Run the upstream wasm-c-api examples (github:WebAssembly/wasm-c-api example/*.c, built as described in
# README.md here) against WAMR and against cwamr, compare exit code + stdout (log prefix masked).
# Usage: run-c-api-examples.sh <out dir with wamr/<ex>, cwamr/<ex> and the examples' .wasm files> [report.md]
# Not run by CI.
set -u
OUT=$(readlink -f "$1"); REPORT=${2:-$OUT/results.md}; TMO=${TMO:-60}
HERE=$(cd "$(dirname "$0")" && pwd); EXP=$HERE/expected-c-api
R=$OUT/results; mkdir -p "$R"
mask() { sed -E -e 's/\[[0-9]{2}:[0-9]{2}:[0-9]{2}:[0-9]{3} - [0-9A-Fa-fx]+\]: /[TS - TID]: /g' "$1"; }
echo "| example | WAMR exit | cwamr exit | same output | difference |" > "$REPORT"
echo "|---|---|---|---|---|" >> "$REPORT"
same=0 total=0
for ex in callback finalize global hello hostref memory multi reflect serialize start table threads trap; do
  for v in wamr cwamr; do
    f=$R/$ex.$v
    if [ -x "$OUT/$v/$ex" ]; then
      (cd "$OUT" && timeout -k 5 "$TMO" "./$v/$ex" > "$f.raw" 2> "$f.err" < /dev/null); echo $? > "$f.rc"
      # threads: the threads' lines interleave differently from run to run; compare them sorted
      if [ $ex = threads ]; then mask "$f.raw" | sort > "$f.out"; else mask "$f.raw" > "$f.out"; fi
      rm -f "$f.raw"
    else echo nobuild > "$f.rc"; : > "$f.out"; : > "$f.err"; fi
  done
  b=$R/$ex; wrc=$(cat $b.wamr.rc); crc=$(cat $b.cwamr.rc); why=""
  if [ -f "$EXP/$ex.txt" ] && [ "$wrc" != nobuild ]; then
    { echo "exit $wrc"; cat $b.wamr.out; } | cmp -s - "$EXP/$ex.txt" || echo "NOTE: WAMR output of $ex differs from expected-c-api/" >&2
  fi
  if [ "$crc" = nobuild ]; then s="-"; why="cwamr build failed"
  elif [ "$wrc" = nobuild ]; then s="-"; why="WAMR build failed"
  elif [ "$crc" = "$wrc" ] && cmp -s $b.wamr.out $b.cwamr.out; then s=yes
  else s=no; why="rc $wrc vs $crc; $(diff $b.wamr.out $b.cwamr.out | grep '^[<>]' | head -2 | tr '\n' ' ' | cut -c1-150 | sed 's/|/\\|/g')"
    [ -s $b.cwamr.err ] && why="$why; stderr: $(head -c 100 $b.cwamr.err | tr '\n' ' ' | sed 's/|/\\|/g')"
  fi
  total=$((total + 1)); [ "$s" = yes ] && same=$((same + 1))
  echo "| $ex | $wrc | $crc | $s | $why |" >> "$REPORT"
done
echo "" >> "$REPORT"; echo "same exit code and output as WAMR: $same of $total" >> "$REPORT"
cat "$REPORT"
