/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * lib_export.h: the table format used to hand host ("native") functions to
 * the runtime.  wasm_export.h includes this header, so embedders rarely
 * include it directly.  Layout and macro shapes are ABI-compatible with
 * WAMR 2.4.3's header of the same name.
 */

#ifndef _LIB_EXPORT_H_
#define _LIB_EXPORT_H_

#include <stdint.h>
#include <stddef.h> /* NULL, used by the EXPORT_WASM_API* initialisers */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One host function made visible to WebAssembly.
 *
 *   symbol      name the guest imports (the import's field name)
 *   func_ptr    the C function; its first parameter is always the
 *               calling wasm_exec_env_t
 *   signature   "(params)results" using i I f F r * ~ $ (see
 *               wasm_runtime_register_natives); NULL means "all params
 *               are i32, passed through untranslated"
 *   attachment  opaque pointer returned by
 *               wasm_runtime_get_function_attachment() while the function
 *               runs
 *
 * x86-64: 32 bytes, four pointer-sized fields in this order.
 */
typedef struct NativeSymbol {
    const char *symbol;
    void *func_ptr;
    const char *signature;
    void *attachment;
} NativeSymbol;

/*
 * Initialisers for NativeSymbol array entries.  The plain forms take the
 * C function with the same name as the symbol; the "2" forms take
 * `<symbol>_wrapper` instead, for hosts that keep a thin wrapper next to
 * the real implementation.
 */

/* { name, fn, no signature, no attachment } */
#define EXPORT_WASM_API(symbol) \
    { #symbol, (void *)symbol, NULL, NULL }
#define EXPORT_WASM_API2(symbol) \
    { #symbol, (void *)symbol##_wrapper, NULL, NULL }

/* { name, fn, signature, no attachment } */
#define EXPORT_WASM_API_WITH_SIG(symbol, signature) \
    { #symbol, (void *)symbol, signature, NULL }
#define EXPORT_WASM_API_WITH_SIG2(symbol, signature) \
    { #symbol, (void *)symbol##_wrapper, signature, NULL }

/* { name, fn, signature, attachment } */
#define EXPORT_WASM_API_WITH_ATT(symbol, signature, attachment) \
    { #symbol, (void *)symbol, signature, attachment }
#define EXPORT_WASM_API_WITH_ATT2(symbol, signature, attachment) \
    { #symbol, (void *)symbol##_wrapper, signature, attachment }

/*
 * Hook for a "base library" of natives.  It is *provided by the embedder*
 * (or an app framework), not by the runtime library: it stores a pointer
 * to a NativeSymbol array in *p_base_lib_apis and returns its length.
 * Declared here only so that such providers get a checked prototype.
 */
uint32_t
get_base_lib_export_apis(NativeSymbol **p_base_lib_apis);

#ifdef __cplusplus
}
#endif

#endif /* _LIB_EXPORT_H_ */
