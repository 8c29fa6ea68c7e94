#!/bin/bash
# Run WAMR's sample programs (already built, see README.md here) once per variant and compare each
# variant with the WAMR build: exit code and stdout, with the log prefix "[HH:MM:SS:mmm - TID]: "
# masked. Not run by CI (needs a WAMR checkout and the built samples).
#
# Usage: [CASESET=threads] run-samples.sh <out dir> [report.md]
#   <out dir>/<sample>/{wamr,cwamr,cinc}/<prog>  host programs (wamr = linked to WAMR's libiwasm.so,
#   cwamr = the same objects relinked to libcwamr.so, cinc = recompiled on cwamr's include/)
#   <out dir>/<sample>/...                        the sample's wasm apps, laid out as its run command expects
# Writes <out dir>/results/<case>.<variant>.{out,err,rc} and a markdown table to the report file
# (default <out dir>/results.md). Compares against expected/<case>.txt (WAMR's observed output) if present.
set -u
OUT=$(readlink -f "$1")
REPORT=${2:-$OUT/results.md}
HERE=$(cd "$(dirname "$0")" && pwd)
EXP=$HERE/expected
TMO=${TMO:-60}
R=$OUT/results
mkdir -p "$R"

# native-lib/heap-16k: the sample's own WAMR build has no libc-wasi, so iwasm's default app heap is 16 KB there;
# with libc-wasi on (this oracle) it is 0 and the guest's malloc fails: heap-16k runs it as the sample intends.
# case name | sample dir | program | arguments | working dir (relative to the sample dir; @v = variant dir)
CASES='
basic|basic|basic|-f wasm-apps/testapp.wasm|.
basic/free_buffer_early|basic|free_buffer_early|-f wasm-apps/testapp.wasm|.
native-lib|native-lib|iwasm|--native-lib=./libtest_add.so --native-lib=./libtest_sqrt.so --native-lib=./libtest_hello.so --native-lib=./libtest_hello2.so ../wasm-app/test.wasm|@v
native-lib/heap-16k|native-lib|iwasm|--heap-size=16384 --native-lib=./libtest_add.so --native-lib=./libtest_sqrt.so --native-lib=./libtest_hello.so --native-lib=./libtest_hello2.so ../wasm-app/test.wasm|@v
ref-types|ref-types|hello||.
wasm-c-api/callback|wasm-c-api|callback||.
wasm-c-api/callback_chain|wasm-c-api|callback_chain||.
wasm-c-api/empty_imports|wasm-c-api|empty_imports||.
wasm-c-api/global|wasm-c-api|global||.
wasm-c-api/hello|wasm-c-api|hello||.
wasm-c-api/hostref|wasm-c-api|hostref||.
wasm-c-api/memory|wasm-c-api|memory||.
wasm-c-api/reflect|wasm-c-api|reflect||.
wasm-c-api/table|wasm-c-api|table||.
wasm-c-api/trap|wasm-c-api|trap||.
inst-context|inst-context|inst-context|-f wasm-apps/testapp.wasm|.
import-func-callback|import-func-callback|import-func-callback||.
file|file|iwasm|-f wasm-app/file.wasm -d .|@tmp
shared-module|shared-module|shared-module|-f wasm-apps/testapp.wasm|.
custom-section|custom-section|custom_section|-f wasm-apps/custom_section.wasm|.
multi-module|multi-module|multi_module|mC.wasm|.
printversion|printversion|printversion||.
shared-heap/shared_heap_test|shared-heap|shared_heap_test||.
shared-heap/shared_heap_chain_test|shared-heap|shared_heap_chain_test||.
bh-atomic|bh-atomic|bh_atomic||.
mem-allocator|mem-allocator|mem_alloc_test||.
linux-perf|linux-perf|linux_perf_sample||.
linux-perf/fib1.wasm|native-lib|iwasm|../../linux-perf/fib1.wasm 30|@v
linux-perf/ackermann1.wasm|native-lib|iwasm|../../linux-perf/ackermann1.wasm|@v
native-stack-overflow/test1|native-stack-overflow|native-stack-overflow|wasm-apps/testapp.wasm test1|.
native-stack-overflow/test2|native-stack-overflow|native-stack-overflow|wasm-apps/testapp.wasm test2|.
'
# log prefix, and host heap/stack pointers (mem-allocator prints malloc results)
# the thread samples, against a threads-enabled WAMR (CASESET=threads; threads are not in cwamr yet);
# multi-thread gets --heap-size=16384 as native-lib/heap-16k does (its own build has no libc-wasi)
THREAD_CASES='
multi-thread|multi-thread|iwasm|--heap-size=16384 wasm-apps/test.wasm|.
multi-thread/main_thread_exception|multi-thread|iwasm|--heap-size=16384 wasm-apps/main_thread_exception.wasm|.
multi-thread/main_global_atomic|multi-thread|iwasm|--heap-size=16384 wasm-apps/main_global_atomic.wasm|.
spawn-thread|spawn-thread|spawn_thread||.
terminate|terminate|terminate|-f wasm-apps/testapp.wasm|.
'
[ "${CASESET:-}" = threads ] && CASES=$THREAD_CASES
mask() {
  sed -E -e 's/\[[0-9]{2}:[0-9]{2}:[0-9]{2}:[0-9]{3} - [0-9A-Fa-fx]+\]: /[TS - TID]: /g' \
    -e 's/0x(55|56|7f)[0-9a-f]{10}/0xHOSTPTR/g' "$1"
}

run_one() { # run_one <case> <sample> <prog> <args> <wd> <variant>
  local c=$1 smp=$2 prog=$3 args=$4 wd=$5 v=$6 f bin dir
  f=$R/$(echo "$c" | tr / _).$v
  bin=$OUT/$smp/$v/$prog
  rm -f "$f.out" "$f.err" "$f.rc"
  if [ ! -x "$bin" ]; then echo "nobuild" > "$f.rc"; : > "$f.out"; : > "$f.err"; return; fi
  case $wd in
    @v) dir=$OUT/$smp/$v ;;
    @tmp) dir=$(mktemp -d); cp -r "$OUT/$smp"/wasm-app "$dir"/ ;;
    *) dir=$OUT/$smp/$wd ;;
  esac
  # shellcheck disable=SC2086
  (cd "$dir" && timeout -k 5 "$TMO" "$bin" $args > "$f.out.raw" 2> "$f.err" < /dev/null)
  echo $? > "$f.rc"
  mask "$f.out.raw" > "$f.out"; rm -f "$f.out.raw"
  [ "$wd" = @tmp ] && rm -rf "$dir"
}

reason() { # first differing line, shortened
  diff "$1" "$2" | grep '^[<>]' | head -2 | tr '\n' ' ' | cut -c1-160 | sed 's/|/\\|/g'
}

{
  echo "| case | WAMR exit | cwamr (relinked) exit | same output | same but log lines | cwamr-include build exit | same output | difference (relinked vs WAMR) |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$REPORT"
same=0 samenl=0 total=0
while IFS='|' read -r c smp prog args wd; do
  [ -z "$c" ] && continue
  for v in wamr cwamr cinc; do run_one "$c" "$smp" "$prog" "$args" "$wd" $v; done
  b=$R/$(echo "$c" | tr / _)
  wrc=$(cat $b.wamr.rc); crc=$(cat $b.cwamr.rc); irc=$(cat $b.cinc.rc)
  if [ -f "$EXP/$(echo "$c" | tr / _).txt" ]; then
    # expected file: first line "exit N", then WAMR's masked stdout
    { echo "exit $wrc"; cat $b.wamr.out; } | cmp -s - "$EXP/$(echo "$c" | tr / _).txt" || echo "NOTE: WAMR output of $c differs from expected/" >&2
  fi
  cmpv() { # cmpv <variant rc> <variant> -> yes/no/-
    if [ "$1" = nobuild ]; then echo "-"; elif [ "$1" = "$wrc" ] && cmp -s $b.wamr.out $b.$2.out; then echo yes; else echo no; fi
  }
  cs=$(cmpv "$crc" cwamr); is=$(cmpv "$irc" cinc)
  # same once WAMR's log lines (prefixed) and blank lines are dropped on both sides
  nolog() { grep -v -e '^\[TS - TID\]: ' -e '^$' "$1"; }
  if [ "$cs" = no ] && [ "$crc" = "$wrc" ] && cmp -s <(nolog $b.wamr.out) <(nolog $b.cwamr.out); then ls=yes
  elif [ "$cs" = yes ]; then ls=yes; elif [ "$cs" = - ]; then ls=-; else ls=no; fi
  why=""
  if [ "$crc" = nobuild ]; then why="does not relink (see build status)"
  elif [ "$cs" = no ]; then
    if [ "$ls" = yes ]; then why="log lines only: $(reason $b.wamr.out $b.cwamr.out)"
    else why="rc $wrc vs $crc; $(reason <(nolog $b.wamr.out) <(nolog $b.cwamr.out))"; fi
    [ -s $b.cwamr.err ] && why="$why; stderr: $(head -c 120 $b.cwamr.err | tr '\n' ' ' | sed 's/|/\\|/g')"
  fi
  total=$((total + 1)); [ "$cs" = yes ] && same=$((same + 1)); [ "$ls" = yes ] && samenl=$((samenl + 1))
  echo "| $c | $wrc | $crc | $cs | $ls | $irc | $is | $why |" >> "$REPORT"
done <<< "$CASES"
echo "" >> "$REPORT"
echo "relinked against cwamr, same exit code and output as WAMR: $same of $total ($samenl of $total ignoring WAMR's log lines)" >> "$REPORT"
cat "$REPORT"
