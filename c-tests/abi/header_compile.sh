#!/bin/sh
#
# Compile-check the public C headers and run the ABI lock tests.
#
#  1. Every header on its own, every header twice (include guards), and all
#     headers together in both orders (wasm_export.h first / wasm_c_api.h
#     first), as
#       C99   : -std=c99   -Wall -Wextra -Werror -pedantic   (gcc, clang)
#       C++17 : -std=c++17 -Wall -Wextra -Werror -pedantic   (g++, clang++)
#     Each check compiles a one-line translation unit that #includes the
#     header(s), which is how consumers see them.  WAMR's platform headers
#     (bh_platform.h and the headers it includes) are checked the same way
#     with -std=gnu99 / -std=gnu++17, since they need POSIX declarations.  (Compiling a header as the
#     main file would make clang report the header's unused `static inline`
#     helpers and `static const` constants, which never happens to real
#     includers.)
#
#  2. abi_lock.c and abi_lock_order.c, built and run as
#       C11   : -std=c11   -Wall -Wextra -Werror    (gcc, clang)
#       C++17 : -std=c++17 -Wall -Wextra -Werror    (g++, clang++)
#       C++20 : -std=c++20 -Wall -Wextra -Werror    (g++, clang++; also checks
#               the designated-initialiser value macros from C++)
#     C11 rather than C99 because the test itself uses _Static_assert and
#     _Alignof.  No -pedantic here: the test expands EXPORT_WASM_API*, whose
#     WAMR-defined expansion stores a function in NativeSymbol.func_ptr
#     (a void *) via `(void *)symbol`, a conversion ISO C only allows as an
#     extension.  The headers themselves are pedantic-clean (step 1).
#
# Only declarations are used: nothing links against the cwamr library.
# Exits non-zero if any step fails.

set -u

here=$(cd "$(dirname "$0")" && pwd)
inc=$(cd "$here/../../include" && pwd)

C_COMPILERS=${C_COMPILERS:-"gcc clang"}
CXX_COMPILERS=${CXX_COMPILERS:-"g++ clang++"}

C_FLAGS="-std=c99 -Wall -Wextra -Werror -pedantic"
CXX_FLAGS="-std=c++17 -Wall -Wextra -Werror -pedantic"
LOCK_C_FLAGS="-std=c11 -Wall -Wextra -Werror"
LOCK_CXX_STDS="c++17 c++20"
LOCK_CXX_FLAGS="-Wall -Wextra -Werror"

work=$(mktemp -d "${TMPDIR:-/tmp}/cwamr-abi.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

pass=0
fail=0

ok() {
    pass=$((pass + 1))
    echo "ok    $*"
}

ko() {
    fail=$((fail + 1))
    echo "FAIL  $*"
}

for tool in $C_COMPILERS $CXX_COMPILERS; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        ko "compiler not found: $tool"
    fi
done

# write_tu NAME HEADER... : a translation unit including the headers in order
write_tu() {
    name=$1
    shift
    : >"$work/$name.c"
    for h in "$@"; do
        printf '#include "%s"\n' "$h" >>"$work/$name.c"
    done
    # keep the TU non-empty in the ISO C sense regardless of the headers
    printf 'typedef int cwamr_header_check_%s;\n' "$name" >>"$work/$name.c"
}

write_tu export wasm_export.h
write_tu lib lib_export.h
write_tu capi wasm_c_api.h
write_tu cwamr cwamr.h
write_tu export_twice wasm_export.h wasm_export.h
write_tu lib_twice lib_export.h lib_export.h
write_tu capi_twice wasm_c_api.h wasm_c_api.h
write_tu cwamr_twice cwamr.h cwamr.h
write_tu all_export_first wasm_export.h wasm_c_api.h lib_export.h cwamr.h
write_tu all_capi_first wasm_c_api.h wasm_export.h cwamr.h lib_export.h
write_tu capi_then_lib wasm_c_api.h lib_export.h
write_tu capi_then_cwamr wasm_c_api.h cwamr.h
write_tu mem_alloc mem_alloc.h
write_tu mem_alloc_twice mem_alloc.h mem_alloc.h
write_tu export_then_mem_alloc wasm_export.h mem_alloc.h

tus="export lib capi cwamr export_twice lib_twice capi_twice cwamr_twice
     all_export_first all_capi_first capi_then_lib capi_then_cwamr
     mem_alloc mem_alloc_twice export_then_mem_alloc"

# WAMR's platform and utility headers: each on its own, twice, and with the API headers.
# They bring in POSIX headers (pthread_rwlock_t, sem_t, ...), which strict ISO modes hide,
# so they are checked as WAMR builds them: -std=gnu99 (C) and -std=gnu++17 (C++).
platform_headers="bh_platform.h platform_common.h platform_internal.h platform_api_vmcore.h
                  platform_api_extension.h bh_assert.h bh_common.h bh_hashmap.h bh_list.h
                  bh_log.h bh_queue.h bh_vector.h runtime_timer.h"
ptus=""
for h in $platform_headers; do
    n=p_$(basename "$h" .h)
    write_tu "$n" "$h"
    write_tu "${n}_twice" "$h" "$h"
    ptus="$ptus $n ${n}_twice"
done
write_tu p_with_api bh_platform.h wasm_export.h lib_export.h wasm_c_api.h cwamr.h
write_tu p_api_first wasm_export.h wasm_c_api.h bh_platform.h
ptus="$ptus p_with_api p_api_first"
P_C_FLAGS="-std=gnu99 -Wall -Wextra -Werror -pedantic"
P_CXX_FLAGS="-std=gnu++17 -Wall -Wextra -Werror -pedantic"

# ---- 1. header compile checks -------------------------------------------
for tu in $tus; do
    for cc in $C_COMPILERS; do
        command -v "$cc" >/dev/null 2>&1 || continue
        # shellcheck disable=SC2086
        if "$cc" $C_FLAGS -I"$inc" -fsyntax-only -x c "$work/$tu.c" \
            >"$work/log" 2>&1; then
            ok "$cc C99: $tu"
        else
            ko "$cc C99: $tu"
            cat "$work/log"
        fi
    done
    for cxx in $CXX_COMPILERS; do
        command -v "$cxx" >/dev/null 2>&1 || continue
        # shellcheck disable=SC2086
        if "$cxx" $CXX_FLAGS -I"$inc" -fsyntax-only -x c++ "$work/$tu.c" \
            >"$work/log" 2>&1; then
            ok "$cxx C++17: $tu"
        else
            ko "$cxx C++17: $tu"
            cat "$work/log"
        fi
    done
done

for tu in $ptus; do
    for cc in $C_COMPILERS; do
        command -v "$cc" >/dev/null 2>&1 || continue
        # shellcheck disable=SC2086
        if "$cc" $P_C_FLAGS -I"$inc" -fsyntax-only -x c "$work/$tu.c" \
            >"$work/log" 2>&1; then
            ok "$cc gnu99: $tu"
        else
            ko "$cc gnu99: $tu"
            cat "$work/log"
        fi
    done
    for cxx in $CXX_COMPILERS; do
        command -v "$cxx" >/dev/null 2>&1 || continue
        # shellcheck disable=SC2086
        if "$cxx" $P_CXX_FLAGS -I"$inc" -fsyntax-only -x c++ "$work/$tu.c" \
            >"$work/log" 2>&1; then
            ok "$cxx gnu++17: $tu"
        else
            ko "$cxx gnu++17: $tu"
            cat "$work/log"
        fi
    done
done

# ---- 2. ABI lock programs ----------------------------------------------
# run_lock LABEL EXPECTED_NAME BINARY
run_lock() {
    label=$1
    name=$2
    bin=$3
    out=$("$bin" 2>&1)
    status=$?
    if [ $status -eq 0 ] \
        && printf '%s\n' "$out" | grep -Eq "^$name: [0-9]+ passed, 0 failed\$"; then
        ok "$label: $out"
    else
        ko "$label (exit $status)"
        printf '%s\n' "$out"
    fi
}

for prog in abi_lock abi_lock_order; do
    src="$here/$prog.c"
    for cc in $C_COMPILERS; do
        command -v "$cc" >/dev/null 2>&1 || continue
        bin="$work/$prog-$cc"
        # shellcheck disable=SC2086
        if "$cc" $LOCK_C_FLAGS -I"$inc" -I"$here" -x c "$src" -o "$bin" \
            >"$work/log" 2>&1; then
            run_lock "$cc C11 $prog" "$prog" "$bin"
        else
            ko "$cc C11 build $prog"
            cat "$work/log"
        fi
    done
    for cxx in $CXX_COMPILERS; do
        command -v "$cxx" >/dev/null 2>&1 || continue
        for std in $LOCK_CXX_STDS; do
            bin="$work/$prog-$cxx-$std"
            # shellcheck disable=SC2086
            if "$cxx" -std=$std $LOCK_CXX_FLAGS -I"$inc" -I"$here" -x c++ \
                "$src" -o "$bin" >"$work/log" 2>&1; then
                run_lock "$cxx $std $prog" "$prog" "$bin"
            else
                ko "$cxx $std build $prog"
                cat "$work/log"
            fi
        done
    done
done

echo "header_compile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
