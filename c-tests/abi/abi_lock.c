/*
 * cwamr ABI lock test.
 *
 * Pins the C ABI of include/{wasm_export.h,lib_export.h,wasm_c_api.h,cwamr.h}
 * to WAMR 2.4.3 on x86-64 Linux (LP64, SysV):
 *   - size, alignment and every field offset of every public struct/union,
 *     written as literal numbers taken from the WAMR 2.4.3 reference layouts;
 *   - sizes of scalar typedefs, enums and handles, and typedef identities;
 *   - every enumerator value and the key macro values;
 *   - the exact type of every declared API function (all 461 of them) and
 *     of the callback typedefs.
 * Nearly everything is a compile-time assertion: if this file compiles, the
 * ABI matches.  main() additionally exercises, at run time, the header-only
 * pieces (initialiser macros, inline helpers) that cannot be checked at
 * compile time.  No runtime library function is called or referenced, so
 * the program links without the cwamr library.
 *
 * Output: "<name>: N passed, F failed", where N is the number of static
 * assertions (ABI_LOCK_STATIC_COUNT; all of them hold, or the file would not
 * have compiled) and F the number of failed run-time checks.  Exit status is
 * non-zero iff F > 0.
 *
 * Builds as C11 and as C++17 (see header_compile.sh).  abi_lock_order.c
 * reuses this file with the headers included in the opposite order.
 */

#ifndef ABI_LOCK_HEADERS_INCLUDED
#include "wasm_export.h"
#include "lib_export.h"
#include "wasm_c_api.h"
#include "cwamr.h"
#define ABI_LOCK_NAME "abi_lock"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if !defined(__x86_64__) || !defined(__LP64__)
#error "the literal layouts in this test are those of x86-64 (LP64)"
#endif

/* ---- assertion helpers --------------------------------------------------
 * Every LOCK() bumps __COUNTER__, so the number of static assertions can be
 * cross-checked against the hand count ABI_LOCK_STATIC_COUNT at the end. */

#ifdef __cplusplus
#include <type_traits>
#define ABI_STATIC_ASSERT(c, m) static_assert(c, m)
#define SAME_TYPE(a, b) (std::is_same<a, b>::value)
#define TYPEOF(x) decltype(x)
#define ALIGNOF(t) alignof(t)
#else
#define ABI_STATIC_ASSERT(c, m) _Static_assert(c, m)
#define SAME_TYPE(a, b) __builtin_types_compatible_p(a, b)
#define TYPEOF(x) __typeof__(x)
#define ALIGNOF(t) _Alignof(t)
#endif

enum { ABI_LOCK_COUNTER_BASE = __COUNTER__ };

#define LOCK(cond) ABI_STATIC_ASSERT((cond) && (__COUNTER__ >= 0), #cond)
#define LOCK_SIZE(T, n) LOCK(sizeof(T) == (n))
#define LOCK_ALIGN(T, n) LOCK(ALIGNOF(T) == (n))
#define LOCK_OFF(T, m, n) LOCK(offsetof(T, m) == (n))
#define LOCK_FIELD_SIZE(T, m, n) LOCK(sizeof(((T *)0)->m) == (n))
#define LOCK_VALUE(e, v) LOCK((e) == (v))
#define LOCK_TYPE(a, b) LOCK(SAME_TYPE(a, b))
#define LOCK_FN(f, ptr_type) LOCK(SAME_TYPE(TYPEOF(&f), ptr_type))

/* ---- guard macros the two big headers coordinate through -------------- */

#if !defined(WASM_MODULE_T_DEFINED) || !defined(WASM_MEMORY_T_DEFINED)    \
    || !defined(MEM_ALLOC_OPTION_DEFINED) || !defined(LOAD_ARGS_OPTION_DEFINED) \
    || !defined(INSTANTIATION_ARGS_OPTION_DEFINED)                         \
    || !defined(WASM_VALKIND_T_DEFINED) || !defined(WASM_VAL_T_DEFINED)
#error "a *_DEFINED coexistence guard is missing"
#endif
#if !defined(WASM_RUNTIME_API_EXTERN) || !defined(WASM_API_EXTERN)
#error "export decoration macros missing"
#endif
#if !defined(WASM_DECLARE_OWN) || !defined(WASM_DECLARE_VEC)              \
    || !defined(WASM_DECLARE_TYPE) || !defined(WASM_DECLARE_REF_BASE)      \
    || !defined(WASM_DECLARE_REF) || !defined(WASM_DECLARE_SHARABLE_REF)
#error "wasm_c_api.h declaration macros missing"
#endif
#if defined(own)
#error "wasm_c_api.h must not leak the `own` annotation macro"
#endif

/* ========================================================================
 * 1. Target model
 * ======================================================================== */

LOCK_SIZE(void *, 8);
LOCK_SIZE(size_t, 8);
LOCK_SIZE(uintptr_t, 8);
LOCK_SIZE(bool, 1);
LOCK_SIZE(int, 4);

/* ========================================================================
 * 2. Scalar typedefs, enums, handles (sizes) and typedef identities
 * ======================================================================== */

/* one-byte kinds */
LOCK_SIZE(wasm_valkind_t, 1);
LOCK_SIZE(wasm_mutability_t, 1);
LOCK_SIZE(wasm_externkind_t, 1);
LOCK_SIZE(byte_t, 1);
LOCK_SIZE(wasm_byte_t, 1);
LOCK_TYPE(wasm_valkind_t, uint8_t);
LOCK_TYPE(wasm_mutability_t, uint8_t);
LOCK_TYPE(wasm_externkind_t, uint8_t);
LOCK_TYPE(byte_t, char);
LOCK_TYPE(wasm_byte_t, char);
LOCK_TYPE(float32_t, float);
LOCK_TYPE(float64_t, double);
LOCK_TYPE(wasm_table_size_t, uint32_t);
LOCK_TYPE(wasm_memory_pages_t, uint32_t);
LOCK_TYPE(wasm_thread_t, uintptr_t);

/* enums are int-sized */
LOCK_SIZE(package_type_t, 4);
LOCK_SIZE(mem_alloc_type_t, 4);
LOCK_SIZE(mem_alloc_usage_t, 4);
LOCK_SIZE(RunningMode, 4);
LOCK_SIZE(log_level_t, 4);
LOCK_SIZE(wasm_import_export_kind_t, 4);
LOCK_SIZE(enlarge_memory_error_reason_t, 4);

/* handles are pointers to the WAMR-named incomplete types */
LOCK_TYPE(wasm_module_t, struct WASMModuleCommon *);
LOCK_TYPE(wasm_module_inst_t, struct WASMModuleInstanceCommon *);
LOCK_TYPE(wasm_function_inst_t, void *);
LOCK_TYPE(wasm_memory_inst_t, struct WASMMemoryInstance *);
LOCK_TYPE(wasm_exec_env_t, struct WASMExecEnv *);
LOCK_TYPE(wasm_shared_heap_t, struct WASMSharedHeap *);
LOCK_TYPE(wasm_func_type_t, struct WASMFuncType *);
LOCK_TYPE(wasm_table_type_t, struct WASMTableType *);
LOCK_TYPE(wasm_global_type_t, struct WASMGlobalType *);
LOCK_TYPE(wasm_memory_type_t, struct WASMMemory *);
LOCK_TYPE(WASMMemoryType, struct WASMMemory);
LOCK_TYPE(wasm_section_list_t, struct wasm_section_t *);
LOCK_TYPE(aot_section_list_t, struct wasm_section_t *);
LOCK_TYPE(aot_section_t, wasm_section_t);
LOCK_TYPE(WASMCApiFrame, wasm_frame_t);
LOCK_TYPE(wasm_name_t, wasm_byte_vec_t);
LOCK_TYPE(wasm_message_t, wasm_byte_vec_t);

/* callback typedefs */
LOCK_TYPE(module_reader,
          bool (*)(package_type_t module_type, const char *module_name,
                   uint8_t **p_buffer, uint32_t *p_size));
LOCK_TYPE(module_destroyer, void (*)(uint8_t *buffer, uint32_t size));
LOCK_TYPE(wasm_thread_callback_t, void *(*)(wasm_exec_env_t, void *));
LOCK_TYPE(enlarge_memory_error_callback_t,
          void (*)(uint32_t inc_page_count, uint64_t current_memory_size,
                   uint32_t memory_index,
                   enlarge_memory_error_reason_t failure_reason,
                   wasm_module_inst_t instance, wasm_exec_env_t exec_env,
                   void *user_data));
LOCK_TYPE(wasm_func_callback_t,
          wasm_trap_t *(*)(const wasm_val_vec_t *args,
                           wasm_val_vec_t *results));
LOCK_TYPE(wasm_func_callback_with_env_t,
          wasm_trap_t *(*)(void *env, const wasm_val_vec_t *args,
                           wasm_val_vec_t *results));

/* ========================================================================
 * 3. Struct and union layouts (WAMR 2.4.3, x86-64)
 * ======================================================================== */

/* NativeSymbol (lib_export.h) */
LOCK_SIZE(NativeSymbol, 32);
LOCK_ALIGN(NativeSymbol, 8);
LOCK_OFF(NativeSymbol, symbol, 0);
LOCK_OFF(NativeSymbol, func_ptr, 8);
LOCK_OFF(NativeSymbol, signature, 16);
LOCK_OFF(NativeSymbol, attachment, 24);

/* wasm_import_t */
LOCK_SIZE(wasm_import_t, 32);
LOCK_ALIGN(wasm_import_t, 8);
LOCK_OFF(wasm_import_t, module_name, 0);
LOCK_OFF(wasm_import_t, name, 8);
LOCK_OFF(wasm_import_t, kind, 16);
LOCK_OFF(wasm_import_t, linked, 20);
LOCK_OFF(wasm_import_t, u, 24);
LOCK_OFF(wasm_import_t, u.func_type, 24);
LOCK_OFF(wasm_import_t, u.table_type, 24);
LOCK_OFF(wasm_import_t, u.global_type, 24);
LOCK_OFF(wasm_import_t, u.memory_type, 24);

/* wasm_export_t */
LOCK_SIZE(wasm_export_t, 24);
LOCK_ALIGN(wasm_export_t, 8);
LOCK_OFF(wasm_export_t, name, 0);
LOCK_OFF(wasm_export_t, kind, 8);
LOCK_OFF(wasm_export_t, u, 16);
LOCK_OFF(wasm_export_t, u.func_type, 16);
LOCK_OFF(wasm_export_t, u.table_type, 16);
LOCK_OFF(wasm_export_t, u.global_type, 16);
LOCK_OFF(wasm_export_t, u.memory_type, 16);

/* WASMCApiFrame == struct wasm_frame_t */
LOCK_SIZE(WASMCApiFrame, 56);
LOCK_ALIGN(WASMCApiFrame, 8);
LOCK_OFF(WASMCApiFrame, instance, 0);
LOCK_OFF(WASMCApiFrame, module_offset, 8);
LOCK_OFF(WASMCApiFrame, func_index, 12);
LOCK_OFF(WASMCApiFrame, func_offset, 16);
LOCK_OFF(WASMCApiFrame, func_name_wp, 24);
LOCK_OFF(WASMCApiFrame, sp, 32);
LOCK_OFF(WASMCApiFrame, frame_ref, 40);
LOCK_OFF(WASMCApiFrame, lp, 48);

/* wasm_section_t (= aot_section_t) */
LOCK_SIZE(wasm_section_t, 32);
LOCK_ALIGN(wasm_section_t, 8);
LOCK_OFF(wasm_section_t, next, 0);
LOCK_OFF(wasm_section_t, section_type, 8);
LOCK_OFF(wasm_section_t, section_body, 16);
LOCK_OFF(wasm_section_t, section_body_size, 24);

/* union MemAllocOption */
LOCK_SIZE(MemAllocOption, 32);
LOCK_ALIGN(MemAllocOption, 8);
LOCK_OFF(MemAllocOption, pool, 0);
LOCK_OFF(MemAllocOption, pool.heap_buf, 0);
LOCK_OFF(MemAllocOption, pool.heap_size, 8);
LOCK_OFF(MemAllocOption, allocator, 0);
LOCK_OFF(MemAllocOption, allocator.malloc_func, 0);
LOCK_OFF(MemAllocOption, allocator.realloc_func, 8);
LOCK_OFF(MemAllocOption, allocator.free_func, 16);
LOCK_OFF(MemAllocOption, allocator.user_data, 24);

/* mem_alloc_info_t */
LOCK_SIZE(mem_alloc_info_t, 12);
LOCK_ALIGN(mem_alloc_info_t, 4);
LOCK_OFF(mem_alloc_info_t, total_size, 0);
LOCK_OFF(mem_alloc_info_t, total_free_size, 4);
LOCK_OFF(mem_alloc_info_t, highmark_size, 8);

/* RuntimeInitArgs */
LOCK_SIZE(RuntimeInitArgs, 232);
LOCK_ALIGN(RuntimeInitArgs, 8);
LOCK_OFF(RuntimeInitArgs, mem_alloc_type, 0);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option, 8);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option.pool.heap_buf, 8);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option.pool.heap_size, 16);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option.allocator.malloc_func, 8);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option.allocator.realloc_func, 16);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option.allocator.free_func, 24);
LOCK_OFF(RuntimeInitArgs, mem_alloc_option.allocator.user_data, 32);
LOCK_OFF(RuntimeInitArgs, native_module_name, 40);
LOCK_OFF(RuntimeInitArgs, native_symbols, 48);
LOCK_OFF(RuntimeInitArgs, n_native_symbols, 56);
LOCK_OFF(RuntimeInitArgs, max_thread_num, 60);
LOCK_OFF(RuntimeInitArgs, ip_addr, 64);
LOCK_FIELD_SIZE(RuntimeInitArgs, ip_addr, 128);
LOCK_OFF(RuntimeInitArgs, unused, 192);
LOCK_OFF(RuntimeInitArgs, instance_port, 196);
LOCK_OFF(RuntimeInitArgs, fast_jit_code_cache_size, 200);
LOCK_OFF(RuntimeInitArgs, gc_heap_size, 204);
LOCK_OFF(RuntimeInitArgs, running_mode, 208);
LOCK_OFF(RuntimeInitArgs, llvm_jit_opt_level, 212);
LOCK_OFF(RuntimeInitArgs, llvm_jit_size_level, 216);
LOCK_OFF(RuntimeInitArgs, segue_flags, 220);
LOCK_OFF(RuntimeInitArgs, enable_linux_perf, 224);

/* LoadArgs */
LOCK_SIZE(LoadArgs, 16);
LOCK_ALIGN(LoadArgs, 8);
LOCK_OFF(LoadArgs, name, 0);
LOCK_OFF(LoadArgs, clone_wasm_binary, 8);
LOCK_OFF(LoadArgs, wasm_binary_freeable, 9);
LOCK_OFF(LoadArgs, no_resolve, 10);

/* InstantiationArgs */
LOCK_SIZE(InstantiationArgs, 12);
LOCK_ALIGN(InstantiationArgs, 4);
LOCK_OFF(InstantiationArgs, default_stack_size, 0);
LOCK_OFF(InstantiationArgs, host_managed_heap_size, 4);
LOCK_OFF(InstantiationArgs, max_memory_pages, 8);

/* wasm_val_t (shared by both APIs) */
LOCK_SIZE(wasm_val_t, 16);
LOCK_ALIGN(wasm_val_t, 8);
LOCK_OFF(wasm_val_t, kind, 0);
LOCK_OFF(wasm_val_t, _paddings, 1);
LOCK_FIELD_SIZE(wasm_val_t, _paddings, 7);
LOCK_OFF(wasm_val_t, of, 8);
LOCK_OFF(wasm_val_t, of.i32, 8);
LOCK_OFF(wasm_val_t, of.i64, 8);
LOCK_OFF(wasm_val_t, of.f32, 8);
LOCK_OFF(wasm_val_t, of.f64, 8);
LOCK_OFF(wasm_val_t, of.foreign, 8);
LOCK_OFF(wasm_val_t, of.ref, 8);

/* wasm_global_inst_t */
LOCK_SIZE(wasm_global_inst_t, 16);
LOCK_ALIGN(wasm_global_inst_t, 8);
LOCK_OFF(wasm_global_inst_t, kind, 0);
LOCK_OFF(wasm_global_inst_t, is_mutable, 1);
LOCK_OFF(wasm_global_inst_t, global_data, 8);

/* wasm_table_inst_t */
LOCK_SIZE(wasm_table_inst_t, 24);
LOCK_ALIGN(wasm_table_inst_t, 8);
LOCK_OFF(wasm_table_inst_t, elem_kind, 0);
LOCK_OFF(wasm_table_inst_t, cur_size, 4);
LOCK_OFF(wasm_table_inst_t, max_size, 8);
LOCK_OFF(wasm_table_inst_t, elems, 16);

/* SharedHeapInitArgs */
LOCK_SIZE(SharedHeapInitArgs, 16);
LOCK_ALIGN(SharedHeapInitArgs, 8);
LOCK_OFF(SharedHeapInitArgs, size, 0);
LOCK_OFF(SharedHeapInitArgs, pre_allocated_addr, 8);

/* wasm_config_t (C API; 48 bytes per the reference, offsets implied by its
   field order) */
LOCK_SIZE(wasm_config_t, 48);
LOCK_ALIGN(wasm_config_t, 8);
LOCK_OFF(wasm_config_t, mem_alloc_type, 0);
LOCK_OFF(wasm_config_t, mem_alloc_option, 8);
LOCK_OFF(wasm_config_t, segue_flags, 40);
LOCK_OFF(wasm_config_t, enable_linux_perf, 44);

/* wasm_limits_t (standard wasm.h: two uint32) */
LOCK_SIZE(wasm_limits_t, 8);
LOCK_OFF(wasm_limits_t, min, 0);
LOCK_OFF(wasm_limits_t, max, 4);

/* WAMR's 40-byte vectors: size, data, num_elems, size_of_elem, lock */
#define LOCK_VEC(V)                \
    LOCK_SIZE(V, 40);              \
    LOCK_OFF(V, size, 0);          \
    LOCK_OFF(V, data, 8);          \
    LOCK_OFF(V, num_elems, 16);    \
    LOCK_OFF(V, size_of_elem, 24); \
    LOCK_OFF(V, lock, 32)

LOCK_VEC(wasm_byte_vec_t);
LOCK_VEC(wasm_valtype_vec_t);
LOCK_VEC(wasm_functype_vec_t);
LOCK_VEC(wasm_globaltype_vec_t);
LOCK_VEC(wasm_tabletype_vec_t);
LOCK_VEC(wasm_memorytype_vec_t);
LOCK_VEC(wasm_externtype_vec_t);
LOCK_VEC(wasm_importtype_vec_t);
LOCK_VEC(wasm_exporttype_vec_t);
LOCK_VEC(wasm_val_vec_t);
LOCK_VEC(wasm_frame_vec_t);
LOCK_VEC(wasm_extern_vec_t);

/* element types of the vectors */
LOCK_TYPE(TYPEOF(((wasm_byte_vec_t *)0)->data), wasm_byte_t *);
LOCK_TYPE(TYPEOF(((wasm_val_vec_t *)0)->data), wasm_val_t *);
LOCK_TYPE(TYPEOF(((wasm_valtype_vec_t *)0)->data), wasm_valtype_t **);
LOCK_TYPE(TYPEOF(((wasm_frame_vec_t *)0)->data), wasm_frame_t **);
LOCK_TYPE(TYPEOF(((wasm_extern_vec_t *)0)->data), wasm_extern_t **);
LOCK_TYPE(TYPEOF(((wasm_importtype_vec_t *)0)->data), wasm_importtype_t **);
LOCK_TYPE(TYPEOF(((wasm_exporttype_vec_t *)0)->data), wasm_exporttype_t **);

/* ========================================================================
 * 4. Enumerator values
 * ======================================================================== */

LOCK_VALUE(Wasm_Module_Bytecode, 0);
LOCK_VALUE(Wasm_Module_AoT, 1);
LOCK_VALUE(Package_Type_Unknown, 65535);

LOCK_VALUE(Alloc_With_Pool, 0);
LOCK_VALUE(Alloc_With_Allocator, 1);
LOCK_VALUE(Alloc_With_System_Allocator, 2);

LOCK_VALUE(Alloc_For_Runtime, 0);
LOCK_VALUE(Alloc_For_LinearMemory, 1);

LOCK_VALUE(Mode_Interp, 1);
LOCK_VALUE(Mode_Fast_JIT, 2);
LOCK_VALUE(Mode_LLVM_JIT, 3);
LOCK_VALUE(Mode_Multi_Tier_JIT, 4);

LOCK_VALUE(WASM_I32, 0);
LOCK_VALUE(WASM_I64, 1);
LOCK_VALUE(WASM_F32, 2);
LOCK_VALUE(WASM_F64, 3);
LOCK_VALUE(WASM_V128, 4);
LOCK_VALUE(WASM_EXTERNREF, 128);
LOCK_VALUE(WASM_FUNCREF, 129);

LOCK_VALUE(WASM_LOG_LEVEL_FATAL, 0);
LOCK_VALUE(WASM_LOG_LEVEL_ERROR, 1);
LOCK_VALUE(WASM_LOG_LEVEL_WARNING, 2);
LOCK_VALUE(WASM_LOG_LEVEL_DEBUG, 3);
LOCK_VALUE(WASM_LOG_LEVEL_VERBOSE, 4);

LOCK_VALUE(INTERNAL_ERROR, 0);
LOCK_VALUE(MAX_SIZE_REACHED, 1);

LOCK_VALUE(WASM_IMPORT_EXPORT_KIND_FUNC, 0);
LOCK_VALUE(WASM_IMPORT_EXPORT_KIND_TABLE, 1);
LOCK_VALUE(WASM_IMPORT_EXPORT_KIND_MEMORY, 2);
LOCK_VALUE(WASM_IMPORT_EXPORT_KIND_GLOBAL, 3);

LOCK_VALUE(WASM_CONST, 0);
LOCK_VALUE(WASM_VAR, 1);

LOCK_VALUE(WASM_EXTERN_FUNC, 0);
LOCK_VALUE(WASM_EXTERN_GLOBAL, 1);
LOCK_VALUE(WASM_EXTERN_TABLE, 2);
LOCK_VALUE(WASM_EXTERN_MEMORY, 3);

/* ========================================================================
 * 5. Macro values
 * ======================================================================== */

LOCK_VALUE(KILOBYTE(1), 1024);
LOCK_VALUE(KILOBYTE(64), 65536);
LOCK_VALUE(CWAMR_VERSION_MAJOR, 0);
LOCK_VALUE(CWAMR_VERSION_MINOR, 1);
LOCK_VALUE(CWAMR_VERSION_PATCH, 0);

/* The initialiser macros yield exactly one struct element each (their
   field values are checked at run time in main). */
static int32_t
abi_native(wasm_exec_env_t exec_env, int32_t x)
{
    (void)exec_env;
    return x;
}

static int32_t
abi_native_wrapper(wasm_exec_env_t exec_env, int32_t x)
{
    (void)exec_env;
    return x + 1;
}

static char abi_attachment;

static NativeSymbol abi_natives[] = {
    EXPORT_WASM_API(abi_native),
    EXPORT_WASM_API2(abi_native),
    EXPORT_WASM_API_WITH_SIG(abi_native, "(i)i"),
    EXPORT_WASM_API_WITH_SIG2(abi_native, "(i)i"),
    EXPORT_WASM_API_WITH_ATT(abi_native, "(i)i", &abi_attachment),
    EXPORT_WASM_API_WITH_ATT2(abi_native, "(i)i", &abi_attachment),
};
LOCK_SIZE(abi_natives, 6 * 32);

static wasm_byte_t abi_bytes[5] = { 'h', 'e', 'l', 'l', 'o' };
static wasm_byte_vec_t abi_empty_vec = WASM_EMPTY_VEC;
static wasm_byte_vec_t abi_array_vec = WASM_ARRAY_VEC(abi_bytes);
LOCK_SIZE(abi_empty_vec, 40);

/* ========================================================================
 * 6. Function types: every declaration of the three headers
 * ======================================================================== */

/* ---- wasm_export.h: all 175 functions, grouped as in the reference ---- */

/* Runtime init/destroy, logging, version, runtime-heap allocator */
LOCK_FN(wasm_runtime_init,
        bool (*)(void));
LOCK_FN(wasm_runtime_full_init,
        bool (*)(RuntimeInitArgs *init_args));
LOCK_FN(wasm_runtime_destroy,
        void (*)(void));
LOCK_FN(wasm_runtime_set_log_level,
        void (*)(log_level_t level));
LOCK_FN(wasm_runtime_get_version,
        void (*)(uint32_t *major, uint32_t *minor, uint32_t *patch));
LOCK_FN(wasm_runtime_malloc,
        void * (*)(unsigned int size));
LOCK_FN(wasm_runtime_aligned_alloc,
        void * (*)(unsigned int size, unsigned int alignment));
LOCK_FN(wasm_runtime_realloc,
        void * (*)(void *ptr, unsigned int size));
LOCK_FN(wasm_runtime_free,
        void (*)(void *ptr));
LOCK_FN(wasm_runtime_get_mem_alloc_info,
        bool (*)(mem_alloc_info_t *mem_alloc_info));

/* Running mode */
LOCK_FN(wasm_runtime_is_running_mode_supported,
        bool (*)(RunningMode running_mode));
LOCK_FN(wasm_runtime_set_default_running_mode,
        bool (*)(RunningMode running_mode));
LOCK_FN(wasm_runtime_set_running_mode,
        bool (*)(wasm_module_inst_t module_inst, RunningMode running_mode));
LOCK_FN(wasm_runtime_get_running_mode,
        RunningMode (*)(wasm_module_inst_t module_inst));

/* Module load/unload, package detection, module naming */
LOCK_FN(get_package_type,
        package_type_t (*)(const uint8_t *buf, uint32_t size));
LOCK_FN(wasm_runtime_get_file_package_type,
        package_type_t (*)(const uint8_t *buf, uint32_t size));
LOCK_FN(wasm_runtime_get_module_package_type,
        package_type_t (*)(const wasm_module_t module));
LOCK_FN(wasm_runtime_get_file_package_version,
        uint32_t (*)(const uint8_t *buf, uint32_t size));
LOCK_FN(wasm_runtime_get_module_package_version,
        uint32_t (*)(const wasm_module_t module));
LOCK_FN(wasm_runtime_get_current_package_version,
        uint32_t (*)(package_type_t package_type));
LOCK_FN(wasm_runtime_is_xip_file,
        bool (*)(const uint8_t *buf, uint32_t size));
LOCK_FN(wasm_runtime_load,
        wasm_module_t (*)(uint8_t *buf, uint32_t size, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_load_ex,
        wasm_module_t (*)(uint8_t *buf, uint32_t size, const LoadArgs *args, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_resolve_symbols,
        bool (*)(wasm_module_t module));
LOCK_FN(wasm_runtime_load_from_sections,
        wasm_module_t (*)(wasm_section_list_t section_list, bool is_aot, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_unload,
        void (*)(wasm_module_t module));
LOCK_FN(wasm_runtime_get_module_hash,
        char * (*)(wasm_module_t module));
LOCK_FN(wasm_runtime_set_module_name,
        bool (*)(wasm_module_t module, const char *name, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_get_module_name,
        const char * (*)(wasm_module_t module));
LOCK_FN(wasm_runtime_is_underlying_binary_freeable,
        bool (*)(const wasm_module_t module));

/* Multi-module registry (module reader / registered modules) */
LOCK_FN(wasm_runtime_set_module_reader,
        void (*)(const module_reader reader, const module_destroyer destroyer));
LOCK_FN(wasm_runtime_register_module,
        bool (*)(const char *module_name, wasm_module_t module, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_find_module_registered,
        wasm_module_t (*)(const char *module_name));

/* WASI configuration and WASI-mode queries */
LOCK_FN(wasm_runtime_set_wasi_args_ex,
        void (*)(wasm_module_t module, const char *dir_list[], uint32_t dir_count, const char *map_dir_list[], uint32_t map_dir_count, const char *env[], uint32_t env_count, char *argv[], int argc, int64_t stdinfd, int64_t stdoutfd, int64_t stderrfd));
LOCK_FN(wasm_runtime_set_wasi_args,
        void (*)(wasm_module_t module, const char *dir_list[], uint32_t dir_count, const char *map_dir_list[], uint32_t map_dir_count, const char *env[], uint32_t env_count, char *argv[], int argc));
LOCK_FN(wasm_runtime_set_wasi_addr_pool,
        void (*)(wasm_module_t module, const char *addr_pool[], uint32_t addr_pool_size));
LOCK_FN(wasm_runtime_set_wasi_ns_lookup_pool,
        void (*)(wasm_module_t module, const char *ns_lookup_pool[], uint32_t ns_lookup_pool_size));
LOCK_FN(wasm_runtime_is_wasi_mode,
        bool (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_lookup_wasi_start_function,
        wasm_function_inst_t (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_get_wasi_exit_code,
        uint32_t (*)(wasm_module_inst_t module_inst));

/* Instantiate / deinstantiate (incl. InstantiationArgs2 builder) */
LOCK_FN(wasm_runtime_instantiate,
        wasm_module_inst_t (*)(const wasm_module_t module, uint32_t default_stack_size, uint32_t host_managed_heap_size, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_instantiate_ex,
        wasm_module_inst_t (*)(const wasm_module_t module, const InstantiationArgs *args, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_instantiation_args_create,
        bool (*)(struct InstantiationArgs2 **p));
LOCK_FN(wasm_runtime_instantiation_args_destroy,
        void (*)(struct InstantiationArgs2 *p));
LOCK_FN(wasm_runtime_instantiation_args_set_default_stack_size,
        void (*)( struct InstantiationArgs2 *p, uint32_t v));
LOCK_FN(wasm_runtime_instantiation_args_set_host_managed_heap_size,
        void (*)( struct InstantiationArgs2 *p, uint32_t v));
LOCK_FN(wasm_runtime_instantiation_args_set_max_memory_pages,
        void (*)( struct InstantiationArgs2 *p, uint32_t v));
LOCK_FN(wasm_runtime_instantiation_args_set_custom_data,
        void (*)(struct InstantiationArgs2 *p, void *custom_data));
LOCK_FN(wasm_runtime_instantiation_args_set_wasi_arg,
        void (*)(struct InstantiationArgs2 *p, char *argv[], int argc));
LOCK_FN(wasm_runtime_instantiation_args_set_wasi_env,
        void (*)(struct InstantiationArgs2 *p, const char *env[], uint32_t env_count));
LOCK_FN(wasm_runtime_instantiation_args_set_wasi_dir,
        void (*)(struct InstantiationArgs2 *p, const char *dir_list[], uint32_t dir_count, const char *map_dir_list[], uint32_t map_dir_count));
LOCK_FN(wasm_runtime_instantiation_args_set_wasi_stdio,
        void (*)(struct InstantiationArgs2 *p, int64_t stdinfd, int64_t stdoutfd, int64_t stderrfd));
LOCK_FN(wasm_runtime_instantiation_args_set_wasi_addr_pool,
        void (*)(struct InstantiationArgs2 *p, const char *addr_pool[], uint32_t addr_pool_size));
LOCK_FN(wasm_runtime_instantiation_args_set_wasi_ns_lookup_pool,
        void (*)( struct InstantiationArgs2 *p, const char *ns_lookup_pool[], uint32_t ns_lookup_pool_size));
LOCK_FN(wasm_runtime_instantiate_ex2,
        wasm_module_inst_t (*)(const wasm_module_t module, const struct InstantiationArgs2 *args, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_deinstantiate,
        void (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_get_module,
        wasm_module_t (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_set_custom_data,
        void (*)(wasm_module_inst_t module_inst, void *custom_data));
LOCK_FN(wasm_runtime_get_custom_data,
        void * (*)(wasm_module_inst_t module_inst));

/* Module introspection: imports/exports and their types */
LOCK_FN(wasm_runtime_get_import_count,
        int32_t (*)(const wasm_module_t module));
LOCK_FN(wasm_runtime_get_import_type,
        void (*)(const wasm_module_t module, int32_t import_index, wasm_import_t *import_type));
LOCK_FN(wasm_runtime_get_export_count,
        int32_t (*)(const wasm_module_t module));
LOCK_FN(wasm_runtime_get_export_type,
        void (*)(const wasm_module_t module, int32_t export_index, wasm_export_t *export_type));
LOCK_FN(wasm_func_type_get_param_count,
        uint32_t (*)(const wasm_func_type_t func_type));
LOCK_FN(wasm_func_type_get_param_valkind,
        wasm_valkind_t (*)(const wasm_func_type_t func_type, uint32_t param_index));
LOCK_FN(wasm_func_type_get_result_count,
        uint32_t (*)(const wasm_func_type_t func_type));
LOCK_FN(wasm_func_type_get_result_valkind,
        wasm_valkind_t (*)(const wasm_func_type_t func_type, uint32_t result_index));
LOCK_FN(wasm_global_type_get_valkind,
        wasm_valkind_t (*)(const wasm_global_type_t global_type));
LOCK_FN(wasm_global_type_get_mutable,
        bool (*)(const wasm_global_type_t global_type));
LOCK_FN(wasm_memory_type_get_shared,
        bool (*)(const wasm_memory_type_t memory_type));
LOCK_FN(wasm_memory_type_get_init_page_count,
        uint32_t (*)(const wasm_memory_type_t memory_type));
LOCK_FN(wasm_memory_type_get_max_page_count,
        uint32_t (*)(const wasm_memory_type_t memory_type));
LOCK_FN(wasm_table_type_get_elem_kind,
        wasm_valkind_t (*)(const wasm_table_type_t table_type));
LOCK_FN(wasm_table_type_get_shared,
        bool (*)(const wasm_table_type_t table_type));
LOCK_FN(wasm_table_type_get_init_size,
        uint32_t (*)(const wasm_table_type_t table_type));
LOCK_FN(wasm_table_type_get_max_size,
        uint32_t (*)(const wasm_table_type_t table_type));
LOCK_FN(wasm_runtime_is_import_func_linked,
        bool (*)(const char *module_name, const char *func_name));
LOCK_FN(wasm_runtime_is_import_global_linked,
        bool (*)(const char *module_name, const char *global_name));

/* Function lookup / call (and exported global/table instances) */
LOCK_FN(wasm_runtime_lookup_function,
        wasm_function_inst_t (*)(const wasm_module_inst_t module_inst, const char *name));
LOCK_FN(wasm_func_get_param_count,
        uint32_t (*)(const wasm_function_inst_t func_inst, const wasm_module_inst_t module_inst));
LOCK_FN(wasm_func_get_result_count,
        uint32_t (*)(const wasm_function_inst_t func_inst, const wasm_module_inst_t module_inst));
LOCK_FN(wasm_func_get_param_types,
        void (*)(const wasm_function_inst_t func_inst, const wasm_module_inst_t module_inst, wasm_valkind_t *param_types));
LOCK_FN(wasm_func_get_result_types,
        void (*)(const wasm_function_inst_t func_inst, const wasm_module_inst_t module_inst, wasm_valkind_t *result_types));
LOCK_FN(wasm_runtime_call_wasm,
        bool (*)(wasm_exec_env_t exec_env, wasm_function_inst_t function, uint32_t argc, uint32_t argv[]));
LOCK_FN(wasm_runtime_call_wasm_a,
        bool (*)(wasm_exec_env_t exec_env, wasm_function_inst_t function, uint32_t num_results, wasm_val_t results[], uint32_t num_args, wasm_val_t *args));
LOCK_FN(wasm_runtime_call_wasm_v,
        bool (*)(wasm_exec_env_t exec_env, wasm_function_inst_t function, uint32_t num_results, wasm_val_t results[], uint32_t num_args, ...));
LOCK_FN(wasm_runtime_call_indirect,
        bool (*)(wasm_exec_env_t exec_env, uint32_t element_index, uint32_t argc, uint32_t argv[]));
LOCK_FN(wasm_application_execute_main,
        bool (*)(wasm_module_inst_t module_inst, int32_t argc, char *argv[]));
LOCK_FN(wasm_application_execute_func,
        bool (*)(wasm_module_inst_t module_inst, const char *name, int32_t argc, char *argv[]));
LOCK_FN(wasm_runtime_get_export_global_inst,
        bool (*)(const wasm_module_inst_t module_inst, const char *name, wasm_global_inst_t *global_inst));
LOCK_FN(wasm_runtime_get_export_table_inst,
        bool (*)(const wasm_module_inst_t module_inst, const char *name, wasm_table_inst_t *table_inst));
LOCK_FN(wasm_table_get_func_inst,
        wasm_function_inst_t (*)(const wasm_module_inst_t module_inst, const wasm_table_inst_t *table_inst, uint32_t idx));

/* Exceptions / termination */
LOCK_FN(wasm_runtime_get_exception,
        const char * (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_set_exception,
        void (*)(wasm_module_inst_t module_inst, const char *exception));
LOCK_FN(wasm_runtime_clear_exception,
        void (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_terminate,
        void (*)(wasm_module_inst_t module_inst));

/* Exec env (stack, user data, thread env, blocking ops, native stack) */
LOCK_FN(wasm_runtime_create_exec_env,
        wasm_exec_env_t (*)(wasm_module_inst_t module_inst, uint32_t stack_size));
LOCK_FN(wasm_runtime_destroy_exec_env,
        void (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_get_exec_env_singleton,
        wasm_exec_env_t (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_get_module_inst,
        wasm_module_inst_t (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_set_module_inst,
        void (*)(wasm_exec_env_t exec_env, const wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_set_user_data,
        void (*)(wasm_exec_env_t exec_env, void *user_data));
LOCK_FN(wasm_runtime_get_user_data,
        void * (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_set_native_stack_boundary,
        void (*)(wasm_exec_env_t exec_env, uint8_t *native_stack_boundary));
LOCK_FN(wasm_runtime_set_instruction_count_limit,
        void (*)(wasm_exec_env_t exec_env, int instruction_count));
LOCK_FN(wasm_runtime_detect_native_stack_overflow,
        bool (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_detect_native_stack_overflow_size,
        bool (*)(wasm_exec_env_t exec_env, uint32_t required_size));
LOCK_FN(wasm_runtime_init_thread_env,
        bool (*)(void));
LOCK_FN(wasm_runtime_destroy_thread_env,
        void (*)(void));
LOCK_FN(wasm_runtime_thread_env_inited,
        bool (*)(void));
LOCK_FN(wasm_runtime_begin_blocking_op,
        bool (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_end_blocking_op,
        void (*)(wasm_exec_env_t exec_env));

/* Linear memory instances and address translation / bounds checks */
LOCK_FN(wasm_runtime_lookup_memory,
        wasm_memory_inst_t (*)(const wasm_module_inst_t module_inst, const char *name));
LOCK_FN(wasm_runtime_get_default_memory,
        wasm_memory_inst_t (*)(const wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_get_memory,
        wasm_memory_inst_t (*)(const wasm_module_inst_t module_inst, uint32_t index));
LOCK_FN(wasm_memory_get_cur_page_count,
        uint64_t (*)(const wasm_memory_inst_t memory_inst));
LOCK_FN(wasm_memory_get_max_page_count,
        uint64_t (*)(const wasm_memory_inst_t memory_inst));
LOCK_FN(wasm_memory_get_bytes_per_page,
        uint64_t (*)(const wasm_memory_inst_t memory_inst));
LOCK_FN(wasm_memory_get_shared,
        bool (*)(const wasm_memory_inst_t memory_inst));
LOCK_FN(wasm_memory_get_base_address,
        void * (*)(const wasm_memory_inst_t memory_inst));
LOCK_FN(wasm_memory_enlarge,
        bool (*)(wasm_memory_inst_t memory_inst, uint64_t inc_page_count));
LOCK_FN(wasm_runtime_enlarge_memory,
        bool (*)(wasm_module_inst_t module_inst, uint64_t inc_page_count));
LOCK_FN(wasm_runtime_set_enlarge_mem_error_callback,
        void (*)( const enlarge_memory_error_callback_t callback, void *user_data));
LOCK_FN(wasm_runtime_validate_app_addr,
        bool (*)(wasm_module_inst_t module_inst, uint64_t app_offset, uint64_t size));
LOCK_FN(wasm_runtime_validate_app_str_addr,
        bool (*)(wasm_module_inst_t module_inst, uint64_t app_str_offset));
LOCK_FN(wasm_runtime_validate_native_addr,
        bool (*)(wasm_module_inst_t module_inst, void *native_ptr, uint64_t size));
LOCK_FN(wasm_runtime_addr_app_to_native,
        void * (*)(wasm_module_inst_t module_inst, uint64_t app_offset));
LOCK_FN(wasm_runtime_addr_native_to_app,
        uint64_t (*)(wasm_module_inst_t module_inst, void *native_ptr));
LOCK_FN(wasm_runtime_get_app_addr_range,
        bool (*)(wasm_module_inst_t module_inst, uint64_t app_offset, uint64_t *p_app_start_offset, uint64_t *p_app_end_offset));
LOCK_FN(wasm_runtime_get_native_addr_range,
        bool (*)(wasm_module_inst_t module_inst, uint8_t *native_ptr, uint8_t **p_native_start_addr, uint8_t **p_native_end_addr));
LOCK_FN(wasm_runtime_set_bounds_checks,
        void (*)(wasm_module_inst_t module_inst, bool enable));
LOCK_FN(wasm_runtime_is_bounds_checks_enabled,
        bool (*)(wasm_module_inst_t module_inst));

/* Module (app-heap) malloc/free */
LOCK_FN(wasm_runtime_module_malloc,
        uint64_t (*)(wasm_module_inst_t module_inst, uint64_t size, void **p_native_addr));
LOCK_FN(wasm_runtime_module_free,
        void (*)(wasm_module_inst_t module_inst, uint64_t ptr));
LOCK_FN(wasm_runtime_module_dup_data,
        uint64_t (*)(wasm_module_inst_t module_inst, const char *src, uint64_t size));

/* Native (host) function registration */
LOCK_FN(wasm_runtime_register_natives,
        bool (*)(const char *module_name, NativeSymbol *native_symbols, uint32_t n_native_symbols));
LOCK_FN(wasm_runtime_register_natives_raw,
        bool (*)(const char *module_name, NativeSymbol *native_symbols, uint32_t n_native_symbols));
LOCK_FN(wasm_runtime_unregister_natives,
        bool (*)(const char *module_name, NativeSymbol *native_symbols));
LOCK_FN(wasm_runtime_get_function_attachment,
        void * (*)(wasm_exec_env_t exec_env));

/* Externref (WASM_ENABLE_REF_TYPES, non-GC builds) */
LOCK_FN(wasm_externref_obj2ref,
        bool (*)(wasm_module_inst_t module_inst, void *extern_obj, uint32_t *p_externref_idx));
LOCK_FN(wasm_externref_objdel,
        bool (*)(wasm_module_inst_t module_inst, void *extern_obj));
LOCK_FN(wasm_externref_set_cleanup,
        bool (*)(wasm_module_inst_t module_inst, void *extern_obj, void (*extern_obj_cleanup)(void *)));
LOCK_FN(wasm_externref_ref2obj,
        bool (*)(uint32_t externref_idx, void **p_extern_obj));
LOCK_FN(wasm_externref_retain,
        bool (*)(uint32_t externref_idx));

/* Threads (thread manager) */
LOCK_FN(wasm_runtime_set_max_thread_num,
        void (*)(uint32_t num));
LOCK_FN(wasm_runtime_spawn_exec_env,
        wasm_exec_env_t (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_destroy_spawned_exec_env,
        void (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_spawn_thread,
        int32_t (*)(wasm_exec_env_t exec_env, wasm_thread_t *tid, wasm_thread_callback_t callback, void *arg));
LOCK_FN(wasm_runtime_join_thread,
        int32_t (*)(wasm_thread_t tid, void **retval));

/* Custom sections */
LOCK_FN(wasm_runtime_get_custom_section,
        const uint8_t * (*)(const wasm_module_t module_comm, const char *name, uint32_t *len));

/* Debugging, call stacks, profiling, PGO */
LOCK_FN(wasm_copy_callstack,
        uint32_t (*)(const wasm_exec_env_t exec_env, WASMCApiFrame *buffer, const uint32_t length, const uint32_t skip_n, char *error_buf, uint32_t error_buf_size));
LOCK_FN(wasm_runtime_start_debug_instance_with_port,
        uint32_t (*)(wasm_exec_env_t exec_env, int32_t port));
LOCK_FN(wasm_runtime_start_debug_instance,
        uint32_t (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_dump_call_stack,
        void (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_get_call_stack_buf_size,
        uint32_t (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_dump_call_stack_to_buf,
        uint32_t (*)(wasm_exec_env_t exec_env, char *buf, uint32_t len));
LOCK_FN(wasm_runtime_dump_mem_consumption,
        void (*)(wasm_exec_env_t exec_env));
LOCK_FN(wasm_runtime_dump_perf_profiling,
        void (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_sum_wasm_exec_time,
        double (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_get_wasm_func_exec_time,
        double (*)(wasm_module_inst_t inst, const char *func_name));
LOCK_FN(wasm_runtime_get_pgo_prof_data_size,
        uint32_t (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_dump_pgo_prof_data_to_buf,
        uint32_t (*)(wasm_module_inst_t module_inst, char *buf, uint32_t len));

/* Module-instance context keys (misc) */
LOCK_FN(wasm_runtime_create_context_key,
        void * (*)(void (*dtor)(wasm_module_inst_t inst, void *ctx)));
LOCK_FN(wasm_runtime_destroy_context_key,
        void (*)(void *key));
LOCK_FN(wasm_runtime_set_context,
        void (*)(wasm_module_inst_t inst, void *key, void *ctx));
LOCK_FN(wasm_runtime_set_context_spread,
        void (*)(wasm_module_inst_t inst, void *key, void *ctx));
LOCK_FN(wasm_runtime_get_context,
        void * (*)(wasm_module_inst_t inst, void *key));

/* Shared heap (misc, WASM_ENABLE_SHARED_HEAP) */
LOCK_FN(wasm_runtime_create_shared_heap,
        wasm_shared_heap_t (*)(SharedHeapInitArgs *init_args));
LOCK_FN(wasm_runtime_chain_shared_heaps,
        wasm_shared_heap_t (*)(wasm_shared_heap_t head, wasm_shared_heap_t body));
LOCK_FN(wasm_runtime_unchain_shared_heaps,
        wasm_shared_heap_t (*)(wasm_shared_heap_t head, bool entire_chain));
LOCK_FN(wasm_runtime_reset_shared_heap_chain,
        bool (*)(wasm_shared_heap_t shared_heap));
LOCK_FN(wasm_runtime_attach_shared_heap,
        bool (*)(wasm_module_inst_t module_inst, wasm_shared_heap_t shared_heap));
LOCK_FN(wasm_runtime_detach_shared_heap,
        void (*)(wasm_module_inst_t module_inst));
LOCK_FN(wasm_runtime_shared_heap_malloc,
        uint64_t (*)(wasm_module_inst_t module_inst, uint64_t size, void **p_native_addr));
LOCK_FN(wasm_runtime_shared_heap_free,
        void (*)(wasm_module_inst_t module_inst, uint64_t ptr));

/* ---- lib_export.h ---- */
LOCK_FN(get_base_lib_export_apis,
        uint32_t (*)(NativeSymbol **p_base_lib_apis));

/* ---- wasm_c_api.h: all 285 functions, in header order (166 of them are
   generated by the WASM_DECLARE_* macros) ---- */
LOCK_FN(wasm_byte_vec_new_empty,
        void (*)(wasm_byte_vec_t *out));
LOCK_FN(wasm_byte_vec_new_uninitialized,
        void (*)(wasm_byte_vec_t *out, size_t));
LOCK_FN(wasm_byte_vec_new,
        void (*)(wasm_byte_vec_t *out, size_t, const wasm_byte_t *));
LOCK_FN(wasm_byte_vec_copy,
        void (*)(wasm_byte_vec_t *out, const wasm_byte_vec_t *));
LOCK_FN(wasm_byte_vec_delete,
        void (*)(wasm_byte_vec_t *));
LOCK_FN(wasm_config_delete,
        void (*)(wasm_config_t *));
LOCK_FN(wasm_config_new,
        wasm_config_t * (*)(void));
LOCK_FN(wasm_config_set_mem_alloc_opt,
        wasm_config_t * (*)(wasm_config_t *, mem_alloc_type_t, MemAllocOption *));
LOCK_FN(wasm_config_set_linux_perf_opt,
        wasm_config_t * (*)(wasm_config_t *, bool));
LOCK_FN(wasm_config_set_segue_flags,
        wasm_config_t * (*)(wasm_config_t *config, uint32_t segue_flags));
LOCK_FN(wasm_engine_delete,
        void (*)(wasm_engine_t *));
LOCK_FN(wasm_engine_new,
        wasm_engine_t * (*)(void));
LOCK_FN(wasm_engine_new_with_config,
        wasm_engine_t * (*)(wasm_config_t *));
LOCK_FN(wasm_engine_new_with_args,
        wasm_engine_t * (*)(mem_alloc_type_t type, const MemAllocOption *opts));
LOCK_FN(wasm_store_delete,
        void (*)(wasm_store_t *));
LOCK_FN(wasm_store_new,
        wasm_store_t * (*)(wasm_engine_t *));
LOCK_FN(wasm_valtype_delete,
        void (*)(wasm_valtype_t *));
LOCK_FN(wasm_valtype_vec_new_empty,
        void (*)(wasm_valtype_vec_t *out));
LOCK_FN(wasm_valtype_vec_new_uninitialized,
        void (*)(wasm_valtype_vec_t *out, size_t));
LOCK_FN(wasm_valtype_vec_new,
        void (*)(wasm_valtype_vec_t *out, size_t, wasm_valtype_t *const *));
LOCK_FN(wasm_valtype_vec_copy,
        void (*)(wasm_valtype_vec_t *out, const wasm_valtype_vec_t *));
LOCK_FN(wasm_valtype_vec_delete,
        void (*)(wasm_valtype_vec_t *));
LOCK_FN(wasm_valtype_copy,
        wasm_valtype_t * (*)(const wasm_valtype_t *));
LOCK_FN(wasm_valtype_new,
        wasm_valtype_t * (*)(wasm_valkind_t));
LOCK_FN(wasm_valtype_kind,
        wasm_valkind_t (*)(const wasm_valtype_t *));
LOCK_FN(wasm_functype_delete,
        void (*)(wasm_functype_t *));
LOCK_FN(wasm_functype_vec_new_empty,
        void (*)(wasm_functype_vec_t *out));
LOCK_FN(wasm_functype_vec_new_uninitialized,
        void (*)(wasm_functype_vec_t *out, size_t));
LOCK_FN(wasm_functype_vec_new,
        void (*)(wasm_functype_vec_t *out, size_t, wasm_functype_t *const *));
LOCK_FN(wasm_functype_vec_copy,
        void (*)(wasm_functype_vec_t *out, const wasm_functype_vec_t *));
LOCK_FN(wasm_functype_vec_delete,
        void (*)(wasm_functype_vec_t *));
LOCK_FN(wasm_functype_copy,
        wasm_functype_t * (*)(const wasm_functype_t *));
LOCK_FN(wasm_functype_new,
        wasm_functype_t * (*)(wasm_valtype_vec_t *params, wasm_valtype_vec_t *results));
LOCK_FN(wasm_functype_params,
        const wasm_valtype_vec_t * (*)(const wasm_functype_t *));
LOCK_FN(wasm_functype_results,
        const wasm_valtype_vec_t * (*)(const wasm_functype_t *));
LOCK_FN(wasm_globaltype_delete,
        void (*)(wasm_globaltype_t *));
LOCK_FN(wasm_globaltype_vec_new_empty,
        void (*)(wasm_globaltype_vec_t *out));
LOCK_FN(wasm_globaltype_vec_new_uninitialized,
        void (*)(wasm_globaltype_vec_t *out, size_t));
LOCK_FN(wasm_globaltype_vec_new,
        void (*)(wasm_globaltype_vec_t *out, size_t, wasm_globaltype_t *const *));
LOCK_FN(wasm_globaltype_vec_copy,
        void (*)(wasm_globaltype_vec_t *out, const wasm_globaltype_vec_t *));
LOCK_FN(wasm_globaltype_vec_delete,
        void (*)(wasm_globaltype_vec_t *));
LOCK_FN(wasm_globaltype_copy,
        wasm_globaltype_t * (*)(const wasm_globaltype_t *));
LOCK_FN(wasm_globaltype_new,
        wasm_globaltype_t * (*)(wasm_valtype_t *, wasm_mutability_t));
LOCK_FN(wasm_globaltype_content,
        const wasm_valtype_t * (*)(const wasm_globaltype_t *));
LOCK_FN(wasm_globaltype_mutability,
        wasm_mutability_t (*)(const wasm_globaltype_t *));
LOCK_FN(wasm_tabletype_delete,
        void (*)(wasm_tabletype_t *));
LOCK_FN(wasm_tabletype_vec_new_empty,
        void (*)(wasm_tabletype_vec_t *out));
LOCK_FN(wasm_tabletype_vec_new_uninitialized,
        void (*)(wasm_tabletype_vec_t *out, size_t));
LOCK_FN(wasm_tabletype_vec_new,
        void (*)(wasm_tabletype_vec_t *out, size_t, wasm_tabletype_t *const *));
LOCK_FN(wasm_tabletype_vec_copy,
        void (*)(wasm_tabletype_vec_t *out, const wasm_tabletype_vec_t *));
LOCK_FN(wasm_tabletype_vec_delete,
        void (*)(wasm_tabletype_vec_t *));
LOCK_FN(wasm_tabletype_copy,
        wasm_tabletype_t * (*)(const wasm_tabletype_t *));
LOCK_FN(wasm_tabletype_new,
        wasm_tabletype_t * (*)(wasm_valtype_t *, const wasm_limits_t *));
LOCK_FN(wasm_tabletype_element,
        const wasm_valtype_t * (*)(const wasm_tabletype_t *));
LOCK_FN(wasm_tabletype_limits,
        const wasm_limits_t * (*)(const wasm_tabletype_t *));
LOCK_FN(wasm_memorytype_delete,
        void (*)(wasm_memorytype_t *));
LOCK_FN(wasm_memorytype_vec_new_empty,
        void (*)(wasm_memorytype_vec_t *out));
LOCK_FN(wasm_memorytype_vec_new_uninitialized,
        void (*)(wasm_memorytype_vec_t *out, size_t));
LOCK_FN(wasm_memorytype_vec_new,
        void (*)(wasm_memorytype_vec_t *out, size_t, wasm_memorytype_t *const *));
LOCK_FN(wasm_memorytype_vec_copy,
        void (*)(wasm_memorytype_vec_t *out, const wasm_memorytype_vec_t *));
LOCK_FN(wasm_memorytype_vec_delete,
        void (*)(wasm_memorytype_vec_t *));
LOCK_FN(wasm_memorytype_copy,
        wasm_memorytype_t * (*)(const wasm_memorytype_t *));
LOCK_FN(wasm_memorytype_new,
        wasm_memorytype_t * (*)(const wasm_limits_t *));
LOCK_FN(wasm_memorytype_limits,
        const wasm_limits_t * (*)(const wasm_memorytype_t *));
LOCK_FN(wasm_externtype_delete,
        void (*)(wasm_externtype_t *));
LOCK_FN(wasm_externtype_vec_new_empty,
        void (*)(wasm_externtype_vec_t *out));
LOCK_FN(wasm_externtype_vec_new_uninitialized,
        void (*)(wasm_externtype_vec_t *out, size_t));
LOCK_FN(wasm_externtype_vec_new,
        void (*)(wasm_externtype_vec_t *out, size_t, wasm_externtype_t *const *));
LOCK_FN(wasm_externtype_vec_copy,
        void (*)(wasm_externtype_vec_t *out, const wasm_externtype_vec_t *));
LOCK_FN(wasm_externtype_vec_delete,
        void (*)(wasm_externtype_vec_t *));
LOCK_FN(wasm_externtype_copy,
        wasm_externtype_t * (*)(const wasm_externtype_t *));
LOCK_FN(wasm_externtype_kind,
        wasm_externkind_t (*)(const wasm_externtype_t *));
LOCK_FN(wasm_functype_as_externtype,
        wasm_externtype_t * (*)(wasm_functype_t *));
LOCK_FN(wasm_globaltype_as_externtype,
        wasm_externtype_t * (*)(wasm_globaltype_t *));
LOCK_FN(wasm_tabletype_as_externtype,
        wasm_externtype_t * (*)(wasm_tabletype_t *));
LOCK_FN(wasm_memorytype_as_externtype,
        wasm_externtype_t * (*)(wasm_memorytype_t *));
LOCK_FN(wasm_externtype_as_functype,
        wasm_functype_t * (*)(wasm_externtype_t *));
LOCK_FN(wasm_externtype_as_globaltype,
        wasm_globaltype_t * (*)(wasm_externtype_t *));
LOCK_FN(wasm_externtype_as_tabletype,
        wasm_tabletype_t * (*)(wasm_externtype_t *));
LOCK_FN(wasm_externtype_as_memorytype,
        wasm_memorytype_t * (*)(wasm_externtype_t *));
LOCK_FN(wasm_functype_as_externtype_const,
        const wasm_externtype_t * (*)(const wasm_functype_t *));
LOCK_FN(wasm_globaltype_as_externtype_const,
        const wasm_externtype_t * (*)(const wasm_globaltype_t *));
LOCK_FN(wasm_tabletype_as_externtype_const,
        const wasm_externtype_t * (*)(const wasm_tabletype_t *));
LOCK_FN(wasm_memorytype_as_externtype_const,
        const wasm_externtype_t * (*)(const wasm_memorytype_t *));
LOCK_FN(wasm_externtype_as_functype_const,
        const wasm_functype_t * (*)(const wasm_externtype_t *));
LOCK_FN(wasm_externtype_as_globaltype_const,
        const wasm_globaltype_t * (*)(const wasm_externtype_t *));
LOCK_FN(wasm_externtype_as_tabletype_const,
        const wasm_tabletype_t * (*)(const wasm_externtype_t *));
LOCK_FN(wasm_externtype_as_memorytype_const,
        const wasm_memorytype_t * (*)(const wasm_externtype_t *));
LOCK_FN(wasm_importtype_delete,
        void (*)(wasm_importtype_t *));
LOCK_FN(wasm_importtype_vec_new_empty,
        void (*)(wasm_importtype_vec_t *out));
LOCK_FN(wasm_importtype_vec_new_uninitialized,
        void (*)(wasm_importtype_vec_t *out, size_t));
LOCK_FN(wasm_importtype_vec_new,
        void (*)(wasm_importtype_vec_t *out, size_t, wasm_importtype_t *const *));
LOCK_FN(wasm_importtype_vec_copy,
        void (*)(wasm_importtype_vec_t *out, const wasm_importtype_vec_t *));
LOCK_FN(wasm_importtype_vec_delete,
        void (*)(wasm_importtype_vec_t *));
LOCK_FN(wasm_importtype_copy,
        wasm_importtype_t * (*)(const wasm_importtype_t *));
LOCK_FN(wasm_importtype_new,
        wasm_importtype_t * (*)(wasm_name_t *module, wasm_name_t *name, wasm_externtype_t *));
LOCK_FN(wasm_importtype_module,
        const wasm_name_t * (*)(const wasm_importtype_t *));
LOCK_FN(wasm_importtype_name,
        const wasm_name_t * (*)(const wasm_importtype_t *));
LOCK_FN(wasm_importtype_type,
        const wasm_externtype_t * (*)(const wasm_importtype_t *));
LOCK_FN(wasm_importtype_is_linked,
        bool (*)(const wasm_importtype_t *));
LOCK_FN(wasm_exporttype_delete,
        void (*)(wasm_exporttype_t *));
LOCK_FN(wasm_exporttype_vec_new_empty,
        void (*)(wasm_exporttype_vec_t *out));
LOCK_FN(wasm_exporttype_vec_new_uninitialized,
        void (*)(wasm_exporttype_vec_t *out, size_t));
LOCK_FN(wasm_exporttype_vec_new,
        void (*)(wasm_exporttype_vec_t *out, size_t, wasm_exporttype_t *const *));
LOCK_FN(wasm_exporttype_vec_copy,
        void (*)(wasm_exporttype_vec_t *out, const wasm_exporttype_vec_t *));
LOCK_FN(wasm_exporttype_vec_delete,
        void (*)(wasm_exporttype_vec_t *));
LOCK_FN(wasm_exporttype_copy,
        wasm_exporttype_t * (*)(const wasm_exporttype_t *));
LOCK_FN(wasm_exporttype_new,
        wasm_exporttype_t * (*)(wasm_name_t *, wasm_externtype_t *));
LOCK_FN(wasm_exporttype_name,
        const wasm_name_t * (*)(const wasm_exporttype_t *));
LOCK_FN(wasm_exporttype_type,
        const wasm_externtype_t * (*)(const wasm_exporttype_t *));
LOCK_FN(wasm_val_delete,
        void (*)(wasm_val_t *v));
LOCK_FN(wasm_val_copy,
        void (*)(wasm_val_t *out, const wasm_val_t *));
LOCK_FN(wasm_val_vec_new_empty,
        void (*)(wasm_val_vec_t *out));
LOCK_FN(wasm_val_vec_new_uninitialized,
        void (*)(wasm_val_vec_t *out, size_t));
LOCK_FN(wasm_val_vec_new,
        void (*)(wasm_val_vec_t *out, size_t, const wasm_val_t *));
LOCK_FN(wasm_val_vec_copy,
        void (*)(wasm_val_vec_t *out, const wasm_val_vec_t *));
LOCK_FN(wasm_val_vec_delete,
        void (*)(wasm_val_vec_t *));
LOCK_FN(wasm_ref_delete,
        void (*)(wasm_ref_t *));
LOCK_FN(wasm_ref_copy,
        wasm_ref_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_ref_same,
        bool (*)(const wasm_ref_t *, const wasm_ref_t *));
LOCK_FN(wasm_ref_get_host_info,
        void * (*)(const wasm_ref_t *));
LOCK_FN(wasm_ref_set_host_info,
        void (*)(wasm_ref_t *, void *));
LOCK_FN(wasm_ref_set_host_info_with_finalizer,
        void (*)(wasm_ref_t *, void *, void (*)(void *)));
LOCK_FN(wasm_frame_delete,
        void (*)(wasm_frame_t *));
LOCK_FN(wasm_frame_vec_new_empty,
        void (*)(wasm_frame_vec_t *out));
LOCK_FN(wasm_frame_vec_new_uninitialized,
        void (*)(wasm_frame_vec_t *out, size_t));
LOCK_FN(wasm_frame_vec_new,
        void (*)(wasm_frame_vec_t *out, size_t, wasm_frame_t *const *));
LOCK_FN(wasm_frame_vec_copy,
        void (*)(wasm_frame_vec_t *out, const wasm_frame_vec_t *));
LOCK_FN(wasm_frame_vec_delete,
        void (*)(wasm_frame_vec_t *));
LOCK_FN(wasm_frame_copy,
        wasm_frame_t * (*)(const wasm_frame_t *));
LOCK_FN(wasm_frame_instance,
        struct wasm_instance_t * (*)(const wasm_frame_t *));
LOCK_FN(wasm_frame_func_index,
        uint32_t (*)(const wasm_frame_t *));
LOCK_FN(wasm_frame_func_offset,
        size_t (*)(const wasm_frame_t *));
LOCK_FN(wasm_frame_module_offset,
        size_t (*)(const wasm_frame_t *));
LOCK_FN(wasm_trap_delete,
        void (*)(wasm_trap_t *));
LOCK_FN(wasm_trap_copy,
        wasm_trap_t * (*)(const wasm_trap_t *));
LOCK_FN(wasm_trap_same,
        bool (*)(const wasm_trap_t *, const wasm_trap_t *));
LOCK_FN(wasm_trap_get_host_info,
        void * (*)(const wasm_trap_t *));
LOCK_FN(wasm_trap_set_host_info,
        void (*)(wasm_trap_t *, void *));
LOCK_FN(wasm_trap_set_host_info_with_finalizer,
        void (*)(wasm_trap_t *, void *, void (*)(void *)));
LOCK_FN(wasm_trap_as_ref,
        wasm_ref_t * (*)(wasm_trap_t *));
LOCK_FN(wasm_ref_as_trap,
        wasm_trap_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_trap_as_ref_const,
        const wasm_ref_t * (*)(const wasm_trap_t *));
LOCK_FN(wasm_ref_as_trap_const,
        const wasm_trap_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_trap_new,
        wasm_trap_t * (*)(wasm_store_t *store, const wasm_message_t *));
LOCK_FN(wasm_trap_message,
        void (*)(const wasm_trap_t *, wasm_message_t *out));
LOCK_FN(wasm_trap_origin,
        wasm_frame_t * (*)(const wasm_trap_t *));
LOCK_FN(wasm_trap_trace,
        void (*)(const wasm_trap_t *, wasm_frame_vec_t *out));
LOCK_FN(wasm_foreign_delete,
        void (*)(wasm_foreign_t *));
LOCK_FN(wasm_foreign_copy,
        wasm_foreign_t * (*)(const wasm_foreign_t *));
LOCK_FN(wasm_foreign_same,
        bool (*)(const wasm_foreign_t *, const wasm_foreign_t *));
LOCK_FN(wasm_foreign_get_host_info,
        void * (*)(const wasm_foreign_t *));
LOCK_FN(wasm_foreign_set_host_info,
        void (*)(wasm_foreign_t *, void *));
LOCK_FN(wasm_foreign_set_host_info_with_finalizer,
        void (*)(wasm_foreign_t *, void *, void (*)(void *)));
LOCK_FN(wasm_foreign_as_ref,
        wasm_ref_t * (*)(wasm_foreign_t *));
LOCK_FN(wasm_ref_as_foreign,
        wasm_foreign_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_foreign_as_ref_const,
        const wasm_ref_t * (*)(const wasm_foreign_t *));
LOCK_FN(wasm_ref_as_foreign_const,
        const wasm_foreign_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_foreign_new,
        wasm_foreign_t * (*)(wasm_store_t *));
LOCK_FN(wasm_module_new,
        wasm_module_t * (*)(wasm_store_t *, const wasm_byte_vec_t *binary));
LOCK_FN(wasm_module_new_ex,
        wasm_module_t * (*)(wasm_store_t *, wasm_byte_vec_t *binary, LoadArgs *args));
LOCK_FN(wasm_module_delete,
        void (*)(wasm_module_t *));
LOCK_FN(wasm_module_validate,
        bool (*)(wasm_store_t *, const wasm_byte_vec_t *binary));
LOCK_FN(wasm_module_imports,
        void (*)(const wasm_module_t *, wasm_importtype_vec_t *out));
LOCK_FN(wasm_module_exports,
        void (*)(const wasm_module_t *, wasm_exporttype_vec_t *out));
LOCK_FN(wasm_module_serialize,
        void (*)(wasm_module_t *, wasm_byte_vec_t *out));
LOCK_FN(wasm_module_deserialize,
        wasm_module_t * (*)(wasm_store_t *, const wasm_byte_vec_t *));
LOCK_FN(wasm_module_share,
        wasm_shared_module_t * (*)(wasm_module_t *));
LOCK_FN(wasm_module_obtain,
        wasm_module_t * (*)(wasm_store_t *, wasm_shared_module_t *));
LOCK_FN(wasm_shared_module_delete,
        void (*)(wasm_shared_module_t *));
LOCK_FN(wasm_module_set_name,
        bool (*)(wasm_module_t *, const char *name));
LOCK_FN(wasm_module_get_name,
        const char * (*)(wasm_module_t *));
LOCK_FN(wasm_module_is_underlying_binary_freeable,
        bool (*)(const wasm_module_t *module));
LOCK_FN(wasm_func_delete,
        void (*)(wasm_func_t *));
LOCK_FN(wasm_func_copy,
        wasm_func_t * (*)(const wasm_func_t *));
LOCK_FN(wasm_func_same,
        bool (*)(const wasm_func_t *, const wasm_func_t *));
LOCK_FN(wasm_func_get_host_info,
        void * (*)(const wasm_func_t *));
LOCK_FN(wasm_func_set_host_info,
        void (*)(wasm_func_t *, void *));
LOCK_FN(wasm_func_set_host_info_with_finalizer,
        void (*)(wasm_func_t *, void *, void (*)(void *)));
LOCK_FN(wasm_func_as_ref,
        wasm_ref_t * (*)(wasm_func_t *));
LOCK_FN(wasm_ref_as_func,
        wasm_func_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_func_as_ref_const,
        const wasm_ref_t * (*)(const wasm_func_t *));
LOCK_FN(wasm_ref_as_func_const,
        const wasm_func_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_func_new,
        wasm_func_t * (*)(wasm_store_t *, const wasm_functype_t *, wasm_func_callback_t));
LOCK_FN(wasm_func_new_with_env,
        wasm_func_t * (*)(wasm_store_t *, const wasm_functype_t *type, wasm_func_callback_with_env_t, void *env, void (*finalizer)(void *)));
LOCK_FN(wasm_func_type,
        wasm_functype_t * (*)(const wasm_func_t *));
LOCK_FN(wasm_func_param_arity,
        size_t (*)(const wasm_func_t *));
LOCK_FN(wasm_func_result_arity,
        size_t (*)(const wasm_func_t *));
LOCK_FN(wasm_func_call,
        wasm_trap_t * (*)(const wasm_func_t *, const wasm_val_vec_t *args, wasm_val_vec_t *results));
LOCK_FN(wasm_global_delete,
        void (*)(wasm_global_t *));
LOCK_FN(wasm_global_copy,
        wasm_global_t * (*)(const wasm_global_t *));
LOCK_FN(wasm_global_same,
        bool (*)(const wasm_global_t *, const wasm_global_t *));
LOCK_FN(wasm_global_get_host_info,
        void * (*)(const wasm_global_t *));
LOCK_FN(wasm_global_set_host_info,
        void (*)(wasm_global_t *, void *));
LOCK_FN(wasm_global_set_host_info_with_finalizer,
        void (*)(wasm_global_t *, void *, void (*)(void *)));
LOCK_FN(wasm_global_as_ref,
        wasm_ref_t * (*)(wasm_global_t *));
LOCK_FN(wasm_ref_as_global,
        wasm_global_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_global_as_ref_const,
        const wasm_ref_t * (*)(const wasm_global_t *));
LOCK_FN(wasm_ref_as_global_const,
        const wasm_global_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_global_new,
        wasm_global_t * (*)(wasm_store_t *, const wasm_globaltype_t *, const wasm_val_t *));
LOCK_FN(wasm_global_type,
        wasm_globaltype_t * (*)(const wasm_global_t *));
LOCK_FN(wasm_global_get,
        void (*)(const wasm_global_t *, wasm_val_t *out));
LOCK_FN(wasm_global_set,
        void (*)(wasm_global_t *, const wasm_val_t *));
LOCK_FN(wasm_table_delete,
        void (*)(wasm_table_t *));
LOCK_FN(wasm_table_copy,
        wasm_table_t * (*)(const wasm_table_t *));
LOCK_FN(wasm_table_same,
        bool (*)(const wasm_table_t *, const wasm_table_t *));
LOCK_FN(wasm_table_get_host_info,
        void * (*)(const wasm_table_t *));
LOCK_FN(wasm_table_set_host_info,
        void (*)(wasm_table_t *, void *));
LOCK_FN(wasm_table_set_host_info_with_finalizer,
        void (*)(wasm_table_t *, void *, void (*)(void *)));
LOCK_FN(wasm_table_as_ref,
        wasm_ref_t * (*)(wasm_table_t *));
LOCK_FN(wasm_ref_as_table,
        wasm_table_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_table_as_ref_const,
        const wasm_ref_t * (*)(const wasm_table_t *));
LOCK_FN(wasm_ref_as_table_const,
        const wasm_table_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_table_new,
        wasm_table_t * (*)(wasm_store_t *, const wasm_tabletype_t *, wasm_ref_t *init));
LOCK_FN(wasm_table_type,
        wasm_tabletype_t * (*)(const wasm_table_t *));
LOCK_FN(wasm_table_get,
        wasm_ref_t * (*)(const wasm_table_t *, wasm_table_size_t index));
LOCK_FN(wasm_table_set,
        bool (*)(wasm_table_t *, wasm_table_size_t index, wasm_ref_t *));
LOCK_FN(wasm_table_size,
        wasm_table_size_t (*)(const wasm_table_t *));
LOCK_FN(wasm_table_grow,
        bool (*)(wasm_table_t *, wasm_table_size_t delta, wasm_ref_t *init));
LOCK_FN(wasm_memory_delete,
        void (*)(wasm_memory_t *));
LOCK_FN(wasm_memory_copy,
        wasm_memory_t * (*)(const wasm_memory_t *));
LOCK_FN(wasm_memory_same,
        bool (*)(const wasm_memory_t *, const wasm_memory_t *));
LOCK_FN(wasm_memory_get_host_info,
        void * (*)(const wasm_memory_t *));
LOCK_FN(wasm_memory_set_host_info,
        void (*)(wasm_memory_t *, void *));
LOCK_FN(wasm_memory_set_host_info_with_finalizer,
        void (*)(wasm_memory_t *, void *, void (*)(void *)));
LOCK_FN(wasm_memory_as_ref,
        wasm_ref_t * (*)(wasm_memory_t *));
LOCK_FN(wasm_ref_as_memory,
        wasm_memory_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_memory_as_ref_const,
        const wasm_ref_t * (*)(const wasm_memory_t *));
LOCK_FN(wasm_ref_as_memory_const,
        const wasm_memory_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_memory_new,
        wasm_memory_t * (*)(wasm_store_t *, const wasm_memorytype_t *));
LOCK_FN(wasm_memory_type,
        wasm_memorytype_t * (*)(const wasm_memory_t *));
LOCK_FN(wasm_memory_data,
        byte_t * (*)(wasm_memory_t *));
LOCK_FN(wasm_memory_data_size,
        size_t (*)(const wasm_memory_t *));
LOCK_FN(wasm_memory_size,
        wasm_memory_pages_t (*)(const wasm_memory_t *));
LOCK_FN(wasm_memory_grow,
        bool (*)(wasm_memory_t *, wasm_memory_pages_t delta));
LOCK_FN(wasm_extern_delete,
        void (*)(wasm_extern_t *));
LOCK_FN(wasm_extern_copy,
        wasm_extern_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_extern_same,
        bool (*)(const wasm_extern_t *, const wasm_extern_t *));
LOCK_FN(wasm_extern_get_host_info,
        void * (*)(const wasm_extern_t *));
LOCK_FN(wasm_extern_set_host_info,
        void (*)(wasm_extern_t *, void *));
LOCK_FN(wasm_extern_set_host_info_with_finalizer,
        void (*)(wasm_extern_t *, void *, void (*)(void *)));
LOCK_FN(wasm_extern_as_ref,
        wasm_ref_t * (*)(wasm_extern_t *));
LOCK_FN(wasm_ref_as_extern,
        wasm_extern_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_extern_as_ref_const,
        const wasm_ref_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_ref_as_extern_const,
        const wasm_extern_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_extern_vec_new_empty,
        void (*)(wasm_extern_vec_t *out));
LOCK_FN(wasm_extern_vec_new_uninitialized,
        void (*)(wasm_extern_vec_t *out, size_t));
LOCK_FN(wasm_extern_vec_new,
        void (*)(wasm_extern_vec_t *out, size_t, wasm_extern_t *const *));
LOCK_FN(wasm_extern_vec_copy,
        void (*)(wasm_extern_vec_t *out, const wasm_extern_vec_t *));
LOCK_FN(wasm_extern_vec_delete,
        void (*)(wasm_extern_vec_t *));
LOCK_FN(wasm_extern_kind,
        wasm_externkind_t (*)(const wasm_extern_t *));
LOCK_FN(wasm_extern_type,
        wasm_externtype_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_func_as_extern,
        wasm_extern_t * (*)(wasm_func_t *));
LOCK_FN(wasm_global_as_extern,
        wasm_extern_t * (*)(wasm_global_t *));
LOCK_FN(wasm_table_as_extern,
        wasm_extern_t * (*)(wasm_table_t *));
LOCK_FN(wasm_memory_as_extern,
        wasm_extern_t * (*)(wasm_memory_t *));
LOCK_FN(wasm_extern_as_func,
        wasm_func_t * (*)(wasm_extern_t *));
LOCK_FN(wasm_extern_as_global,
        wasm_global_t * (*)(wasm_extern_t *));
LOCK_FN(wasm_extern_as_table,
        wasm_table_t * (*)(wasm_extern_t *));
LOCK_FN(wasm_extern_as_memory,
        wasm_memory_t * (*)(wasm_extern_t *));
LOCK_FN(wasm_func_as_extern_const,
        const wasm_extern_t * (*)(const wasm_func_t *));
LOCK_FN(wasm_global_as_extern_const,
        const wasm_extern_t * (*)(const wasm_global_t *));
LOCK_FN(wasm_table_as_extern_const,
        const wasm_extern_t * (*)(const wasm_table_t *));
LOCK_FN(wasm_memory_as_extern_const,
        const wasm_extern_t * (*)(const wasm_memory_t *));
LOCK_FN(wasm_extern_as_func_const,
        const wasm_func_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_extern_as_global_const,
        const wasm_global_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_extern_as_table_const,
        const wasm_table_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_extern_as_memory_const,
        const wasm_memory_t * (*)(const wasm_extern_t *));
LOCK_FN(wasm_instance_delete,
        void (*)(wasm_instance_t *));
LOCK_FN(wasm_instance_copy,
        wasm_instance_t * (*)(const wasm_instance_t *));
LOCK_FN(wasm_instance_same,
        bool (*)(const wasm_instance_t *, const wasm_instance_t *));
LOCK_FN(wasm_instance_get_host_info,
        void * (*)(const wasm_instance_t *));
LOCK_FN(wasm_instance_set_host_info,
        void (*)(wasm_instance_t *, void *));
LOCK_FN(wasm_instance_set_host_info_with_finalizer,
        void (*)(wasm_instance_t *, void *, void (*)(void *)));
LOCK_FN(wasm_instance_as_ref,
        wasm_ref_t * (*)(wasm_instance_t *));
LOCK_FN(wasm_ref_as_instance,
        wasm_instance_t * (*)(wasm_ref_t *));
LOCK_FN(wasm_instance_as_ref_const,
        const wasm_ref_t * (*)(const wasm_instance_t *));
LOCK_FN(wasm_ref_as_instance_const,
        const wasm_instance_t * (*)(const wasm_ref_t *));
LOCK_FN(wasm_instance_new,
        wasm_instance_t * (*)(wasm_store_t *, const wasm_module_t *, const wasm_extern_vec_t *imports, wasm_trap_t **trap));
LOCK_FN(wasm_instance_new_with_args,
        wasm_instance_t * (*)(wasm_store_t *, const wasm_module_t *, const wasm_extern_vec_t *imports, wasm_trap_t **trap, const uint32_t stack_size, const uint32_t heap_size));
LOCK_FN(wasm_instance_new_with_args_ex,
        wasm_instance_t * (*)(wasm_store_t *, const wasm_module_t *, const wasm_extern_vec_t *imports, wasm_trap_t **trap, const InstantiationArgs *inst_args));
LOCK_FN(wasm_instance_exports,
        void (*)(const wasm_instance_t *, wasm_extern_vec_t *out));
LOCK_FN(wasm_instance_sum_wasm_exec_time,
        double (*)(const wasm_instance_t *));
LOCK_FN(wasm_instance_get_wasm_func_exec_time,
        double (*)(const wasm_instance_t *, const char *));
LOCK_FN(wasm_extern_new_empty,
        wasm_extern_t * (*)(wasm_store_t *, wasm_externkind_t));

/* ========================================================================
 * Count cross-check.  ABI_LOCK_STATIC_COUNT is maintained by hand; the
 * compiler verifies it against the number of LOCK() expansions above.
 * ======================================================================== */

#define ABI_LOCK_STATIC_COUNT 762
ABI_STATIC_ASSERT(__COUNTER__ - ABI_LOCK_COUNTER_BASE - 1
                      == ABI_LOCK_STATIC_COUNT,
                  "ABI_LOCK_STATIC_COUNT does not match the LOCK() count");

/* ========================================================================
 * Run-time checks of header-only code (no library function is called)
 * ======================================================================== */

static int abi_failed;

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            printf("%s: FAILED at line %d: %s\n", ABI_LOCK_NAME, __LINE__, \
                   #cond);                                                \
            abi_failed++;                                                 \
        }                                                                 \
    } while (0)

/* compare two strings ignoring whitespace */
static int
same_tokens(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

#define STRINGIFY2(x) #x
#define STRINGIFY(x) STRINGIFY2(x)

static int32_t
abi_raw_native(uint64_t *args)
{
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(int32_t, a, args);
    native_raw_get_arg(int64_t, b, args);
    native_raw_set_return(a + (int32_t)b);
    return *raw_ret;
}

static void
runtime_checks(void)
{
    uint64_t raw_args[2] = { 40, 2 };
    wasm_val_t v;
    int local = 0;
    size_t i;

    /* EXPORT_WASM_API* initialisers: field order and the *2 wrappers */
    CHECK(strcmp(abi_natives[0].symbol, "abi_native") == 0);
    CHECK(abi_natives[0].func_ptr == (void *)abi_native);
    CHECK(abi_natives[0].signature == NULL);
    CHECK(abi_natives[0].attachment == NULL);
    CHECK(strcmp(abi_natives[1].symbol, "abi_native") == 0);
    CHECK(abi_natives[1].func_ptr == (void *)abi_native_wrapper);
    CHECK(strcmp(abi_natives[2].signature, "(i)i") == 0);
    CHECK(abi_natives[2].func_ptr == (void *)abi_native);
    CHECK(abi_natives[3].func_ptr == (void *)abi_native_wrapper);
    CHECK(abi_natives[3].attachment == NULL);
    CHECK(abi_natives[4].attachment == &abi_attachment);
    CHECK(abi_natives[4].func_ptr == (void *)abi_native);
    CHECK(abi_natives[5].attachment == &abi_attachment);
    CHECK(abi_natives[5].func_ptr == (void *)abi_native_wrapper);

    /* raw-native helper macros: result lands in args[0] */
    CHECK(abi_raw_native(raw_args) == 42);
    CHECK((int32_t)raw_args[0] == 42);

    /* the module_inst shorthand macros expand to the documented calls */
    CHECK(same_tokens(STRINGIFY(get_module_inst(e)),
                      "wasm_runtime_get_module_inst(e)"));
    CHECK(same_tokens(STRINGIFY(validate_app_addr(o, s)),
                      "wasm_runtime_validate_app_addr(module_inst,o,s)"));
    CHECK(same_tokens(STRINGIFY(validate_app_str_addr(o)),
                      "wasm_runtime_validate_app_str_addr(module_inst,o)"));
    CHECK(same_tokens(STRINGIFY(addr_app_to_native(o)),
                      "wasm_runtime_addr_app_to_native(module_inst,o)"));
    CHECK(same_tokens(STRINGIFY(addr_native_to_app(p)),
                      "wasm_runtime_addr_native_to_app(module_inst,p)"));
    CHECK(same_tokens(STRINGIFY(module_malloc(s, pp)),
                      "wasm_runtime_module_malloc(module_inst,s,pp)"));
    CHECK(same_tokens(STRINGIFY(module_free(o)),
                      "wasm_runtime_module_free(module_inst,o)"));

    /* vector initialisers fill all five fields */
    CHECK(abi_empty_vec.size == 0 && abi_empty_vec.data == NULL
          && abi_empty_vec.num_elems == 0 && abi_empty_vec.size_of_elem == 0
          && abi_empty_vec.lock == NULL);
    CHECK(abi_array_vec.size == 5 && abi_array_vec.data == abi_bytes
          && abi_array_vec.num_elems == 5 && abi_array_vec.size_of_elem == 1
          && abi_array_vec.lock == NULL);

    /* static constants */
    CHECK(MEMORY_PAGE_SIZE == 0x10000);
    CHECK(wasm_limits_max_default == 0xffffffffu);

    /* pure inline helpers */
    CHECK(wasm_valkind_is_num(WASM_I32) && wasm_valkind_is_num(WASM_V128));
    CHECK(!wasm_valkind_is_num(WASM_EXTERNREF));
    CHECK(wasm_valkind_is_ref(WASM_EXTERNREF)
          && wasm_valkind_is_ref(WASM_FUNCREF));
    CHECK(!wasm_valkind_is_ref(WASM_F64));
    memset(&v, 0xff, sizeof(v));
    wasm_val_init_ptr(&v, &local);
    CHECK(v.kind == WASM_I64);
    CHECK(wasm_val_ptr(&v) == (void *)&local);

#if !defined(__cplusplus) || __cplusplus >= 202002L
    /* value initialisers (designated initialisers: C, or C++20) */
    {
        wasm_val_t vals[6] = { WASM_I32_VAL(-7),    WASM_I64_VAL(1LL << 40),
                               WASM_F32_VAL(1.5f),  WASM_F64_VAL(-2.25),
                               WASM_REF_VAL(NULL),  WASM_INIT_VAL };
        CHECK(vals[0].kind == WASM_I32 && vals[0].of.i32 == -7);
        CHECK(vals[1].kind == WASM_I64 && vals[1].of.i64 == (1LL << 40));
        CHECK(vals[2].kind == WASM_F32 && vals[2].of.f32 == 1.5f);
        CHECK(vals[3].kind == WASM_F64 && vals[3].of.f64 == -2.25);
        CHECK(vals[4].kind == WASM_EXTERNREF && vals[4].of.ref == NULL);
        CHECK(vals[5].kind == WASM_EXTERNREF && vals[5].of.ref == NULL);
        for (i = 0; i < 6; i++) {
            size_t j;
            for (j = 0; j < sizeof(vals[i]._paddings); j++)
                CHECK(vals[i]._paddings[j] == 0);
        }
    }
#endif
    (void)i;
}

int
main(void)
{
    runtime_checks();
    if (abi_failed) {
        printf("%s: %d passed, %d failed\n", ABI_LOCK_NAME,
               ABI_LOCK_STATIC_COUNT, abi_failed);
        return 1;
    }
    printf("%s: %d passed, 0 failed\n", ABI_LOCK_NAME, ABI_LOCK_STATIC_COUNT);
    return 0;
}
