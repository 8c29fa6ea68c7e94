#!/bin/sh
# Installs the build tree into a fresh prefix, then builds and runs consumers that only see
# that prefix: a find_package(cwamr) CMake project (shared, static and the WAMR `iwasm`
# alias), a pkg-config build, and plain `-liwasm` / `-lcwamr` links.
# Usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/cwamr-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
prefix=$work/prefix
pass=0
fail=0
check() {
    name=$1
    shift
    if "$@" >"$work/out.txt" 2>&1 && grep -q "mul(6, 7) = 42" "$work/out.txt"; then
        pass=$((pass + 1))
        echo "ok    $name"
    else
        fail=$((fail + 1))
        echo "FAIL  $name"
        cat "$work/out.txt"
    fi
}

cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/lib/cmake/cwamr/cwamrConfig.cmake"
test -f "$prefix/lib/cmake/cwamr/cwamrConfigVersion.cmake"
test -L "$prefix/lib/libiwasm.so"
soname=$(readelf -d "$prefix/lib/libcwamr.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
echo "SONAME: $soname"
[ "$soname" = "libcwamr.so.0" ]

cmake -S "$src/c-tests/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/build" >/dev/null
check "find_package: cwamr::cwamr" "$work/build/consumer_shared"
check "find_package: cwamr::cwamr_static" "$work/build/consumer_static"
check "find_package: iwasm alias" "$work/build/consumer_iwasm_alias"
readelf -d "$work/build/consumer_shared" | grep -q 'NEEDED.*libcwamr.so.0'

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -o "$work/pc" "$src/c-tests/consumer/main.c" $(pkg-config --cflags --libs cwamr) \
   -Wl,-rpath,"$prefix/lib"
check "pkg-config --cflags --libs cwamr" "$work/pc"
cc -o "$work/iw" "$src/c-tests/consumer/main.c" -I"$prefix/include" -L"$prefix/lib" -liwasm \
   -Wl,-rpath,"$prefix/lib"
check "-liwasm" "$work/iw"
cc -o "$work/st" "$src/c-tests/consumer/main.c" -I"$prefix/include" "$prefix/lib/libvmlib.a" \
   $(pkg-config --static --libs-only-l cwamr | sed 's/-lcwamr//')
check "libvmlib.a (static)" "$work/st"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
