/*
 * The variadic functions of the WAMR ABI (and os_vprintf, which takes a va_list), written in C
 * because stable Rust cannot define C-variadic functions.  All are compiled with hidden
 * visibility under internal names; the exported symbols wasm_runtime_call_wasm_v, bh_log,
 * os_printf and os_vprintf are tiny Rust trampolines
 * (src/capi/wamr/variadic.rs) that jump here with every argument register untouched.
 *
 * wasm_runtime_call_wasm_v only collects its variadic arguments into a wasm_val_t array, by
 * the function's parameter kinds, and calls wasm_runtime_call_wasm_a, which does all
 * validation (handles, counts, kinds) inside the runtime's panic guard.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wasm_export.h"

#define HIDDEN __attribute__((visibility("hidden")))

HIDDEN bool
cwamr_call_wasm_v_impl(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                       uint32_t num_results, wasm_val_t results[],
                       uint32_t num_args, ...);

/* The implementation must have exactly the header's prototype. */
_Static_assert(__builtin_types_compatible_p(__typeof__(&wasm_runtime_call_wasm_v),
                                            __typeof__(&cwamr_call_wasm_v_impl)),
               "cwamr_call_wasm_v_impl must match wasm_runtime_call_wasm_v");

HIDDEN bool
cwamr_call_wasm_v_impl(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                       uint32_t num_results, wasm_val_t results[],
                       uint32_t num_args, ...)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(exec_env);
    uint32_t n, i;
    wasm_valkind_t small_kinds[16], *kinds = small_kinds;
    wasm_val_t small_args[16], *args = small_args;
    va_list ap;
    bool ok;

    if (!inst)
        return false;
    n = wasm_func_get_param_count(function, inst);
    if (n != num_args || num_args > 65536)
        /* let the _a variant report the mismatch (or the bad handle) */
        return wasm_runtime_call_wasm_a(exec_env, function, num_results, results,
                                        num_args, NULL);
    if (n > 16) {
        kinds = malloc(n * sizeof(*kinds));
        args = malloc(n * sizeof(*args));
        if (!kinds || !args) {
            free(kinds);
            free(args);
            wasm_runtime_set_exception(inst, "allocate memory failed");
            return false;
        }
    }
    wasm_func_get_param_types(function, inst, kinds);
    va_start(ap, num_args);
    for (i = 0; i < n; i++) {
        args[i].kind = kinds[i];
        args[i].of.i64 = 0;
        switch (kinds[i]) {
            case WASM_I32:
                args[i].of.i32 = va_arg(ap, int32_t);
                break;
            case WASM_I64:
                args[i].of.i64 = va_arg(ap, int64_t);
                break;
            case WASM_F32: /* float is promoted to double through "..." */
                args[i].of.f32 = (float)va_arg(ap, double);
                break;
            case WASM_F64:
                args[i].of.f64 = va_arg(ap, double);
                break;
            case WASM_EXTERNREF:
                args[i].of.foreign = va_arg(ap, uintptr_t);
                break;
            default: /* WASM_FUNCREF: a wasm_function_inst_t */
                args[i].of.ref = (struct wasm_ref_t *)va_arg(ap, void *);
                break;
        }
    }
    va_end(ap);
    ok = wasm_runtime_call_wasm_a(exec_env, function, num_results, results, n, args);
    if (kinds != small_kinds) {
        free(kinds);
        free(args);
    }
    return ok;
}

/* ---- bh_log, os_printf, os_vprintf ------------------------------------------------------
 *
 * The log itself (verbosity, line prefix, destination) lives in Rust (src/os/log.rs); bh_log
 * only turns its format and arguments into one message and hands it over.  os_printf and
 * os_vprintf are WAMR's: vprintf to C stdout, the stream all of the runtime's console
 * output goes through (src/os/console.rs). */

/* Rust side (src/capi/platform/log.rs). */
uint32_t cwamr_internal_log_level(void);
void cwamr_internal_log_write(uint32_t level, const char *file, int line, const char *msg,
                              size_t len);

HIDDEN void
cwamr_bh_log_impl(int log_level, const char *file, int line, const char *fmt, ...)
{
    char small[512], *msg = small;
    va_list ap;
    int n;

    if ((uint32_t)log_level > cwamr_internal_log_level() || !fmt)
        return;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(small)) {
        msg = malloc((size_t)n + 1);
        if (!msg) {
            /* out of memory: the truncated message is better than none */
            msg = small;
            n = (int)sizeof(small) - 1;
        }
        else {
            va_start(ap, fmt);
            n = vsnprintf(msg, (size_t)n + 1, fmt, ap);
            va_end(ap);
            if (n < 0) {
                free(msg);
                return;
            }
        }
    }
    cwamr_internal_log_write((uint32_t)log_level, file, line, msg, (size_t)n);
    if (msg != small)
        free(msg);
}

HIDDEN int
cwamr_os_vprintf_impl(const char *format, va_list ap)
{
    if (!format)
        return 0;
    return vprintf(format, ap);
}

HIDDEN int
cwamr_os_printf_impl(const char *format, ...)
{
    va_list ap;
    int ret;

    if (!format)
        return 0;
    va_start(ap, format);
    ret = vprintf(format, ap);
    va_end(ap);
    return ret;
}
