/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * wasm_export.h: the runtime's native embedding API (load, instantiate,
 * call, memory access, native registration, ...).
 *
 * Compatibility contract: every type, enumerator value, struct layout,
 * macro and function prototype below matches WAMR 2.4.3 on the same
 * target, so C and C++ programs written against WAMR compile and link
 * against cwamr unchanged.  c-tests/abi/abi_lock.c pins the layouts.
 *
 * The header always declares the whole API.  Some functions belong to
 * optional features (threads, multi-module, shared heap, ...); calling one
 * that the library was built without fails at link time, as with WAMR.
 *
 * This header may be used together with wasm_c_api.h in one translation
 * unit, in either include order: the types both headers need are wrapped
 * in `#ifndef <NAME>_DEFINED` guards so that whichever header comes first
 * provides them.
 *
 * Conventions used throughout:
 *  - "app address"/"app offset" = an offset into the instance's linear
 *    memory; always uint64_t, also for 32-bit memories.
 *  - error_buf/error_buf_size: optional caller buffer for a message; it is
 *    truncated to fit and always NUL-terminated; NULL is accepted.
 */

#ifndef _WASM_EXPORT_H
#define _WASM_EXPORT_H

#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif
#include "lib_export.h"

/*
 * Visibility/linkage decoration of every API function.  May be predefined
 * by the includer (for instance to nothing).
 */
#ifndef WASM_RUNTIME_API_EXTERN
#if defined(_MSC_BUILD)
#if defined(COMPILING_WASM_RUNTIME_API)
#define WASM_RUNTIME_API_EXTERN __declspec(dllexport)
#else
#define WASM_RUNTIME_API_EXTERN __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define WASM_RUNTIME_API_EXTERN __attribute__((visibility("default")))
#else
#define WASM_RUNTIME_API_EXTERN
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ========================================================================
 * Shorthand macros for writing native (host) functions
 * ========================================================================
 * The address helpers expect a local variable called `module_inst`,
 * typically obtained with get_module_inst(exec_env).
 */

#define get_module_inst(exec_env) wasm_runtime_get_module_inst(exec_env)

#define validate_app_addr(offset, size) \
    wasm_runtime_validate_app_addr(module_inst, offset, size)

#define validate_app_str_addr(offset) \
    wasm_runtime_validate_app_str_addr(module_inst, offset)

#define addr_app_to_native(offset) \
    wasm_runtime_addr_app_to_native(module_inst, offset)

#define addr_native_to_app(ptr) \
    wasm_runtime_addr_native_to_app(module_inst, ptr)

#define module_malloc(size, p_native_addr) \
    wasm_runtime_module_malloc(module_inst, size, p_native_addr)

#define module_free(offset) wasm_runtime_module_free(module_inst, offset)

/*
 * Raw natives (wasm_runtime_register_natives_raw) receive
 * `uint64_t *args`: one 64-bit slot per parameter, the result goes back
 * into slot 0.  Typical use:
 *     native_raw_return_type(int32_t, args);
 *     native_raw_get_arg(int32_t, a, args);
 *     native_raw_get_arg(int32_t, b, args);
 *     native_raw_set_return(a + b);
 */
#define native_raw_return_type(type, args) type *raw_ret = (type *)(args)

#define native_raw_get_arg(type, name, args) type name = *((type *)(args++))

#define native_raw_set_return(val) *raw_ret = (val)

/* ========================================================================
 * Handles and plain-data types
 * ======================================================================== */

/* Loaded module (shared with wasm_c_api.h). */
#ifndef WASM_MODULE_T_DEFINED
#define WASM_MODULE_T_DEFINED
struct WASMModuleCommon;
typedef struct WASMModuleCommon *wasm_module_t;
#endif

/* Instantiated module. */
struct WASMModuleInstanceCommon;
typedef struct WASMModuleInstanceCommon *wasm_module_inst_t;

/* Function of an instance; handled as an untyped pointer. */
typedef void WASMFunctionInstanceCommon;
typedef WASMFunctionInstanceCommon *wasm_function_inst_t;

/* Linear memory of an instance. */
struct WASMMemoryInstance;
typedef struct WASMMemoryInstance *wasm_memory_inst_t;

/* Value kinds (one byte).  Shared with wasm_c_api.h. */
#ifndef WASM_VALKIND_T_DEFINED
#define WASM_VALKIND_T_DEFINED
typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
    WASM_I32 = 0,
    WASM_I64 = 1,
    WASM_F32 = 2,
    WASM_F64 = 3,
    WASM_V128 = 4,
    WASM_EXTERNREF = 128,
    WASM_FUNCREF = 129
};
#endif

/* An exported global, as returned by wasm_runtime_get_export_global_inst.
   global_data points at the live value inside the instance. */
typedef struct wasm_global_inst_t {
    wasm_valkind_t kind;
    bool is_mutable;
    void *global_data;
} wasm_global_inst_t;

/* An exported table, as returned by wasm_runtime_get_export_table_inst.
   elems points at the runtime's element storage. */
typedef struct wasm_table_inst_t {
    wasm_valkind_t elem_kind;
    uint32_t cur_size;
    uint32_t max_size;
    void *elems;
} wasm_table_inst_t;

/* Execution environment: per-thread call stack + state of one instance. */
struct WASMExecEnv;
typedef struct WASMExecEnv *wasm_exec_env_t;

/* Shared heap that can be attached to instances. */
struct WASMSharedHeap;
typedef struct WASMSharedHeap *wasm_shared_heap_t;

/* Type descriptors reachable from wasm_import_t / wasm_export_t. */
struct WASMFuncType;
typedef struct WASMFuncType *wasm_func_type_t;

struct WASMTableType;
typedef struct WASMTableType *wasm_table_type_t;

struct WASMGlobalType;
typedef struct WASMGlobalType *wasm_global_type_t;

#ifndef WASM_MEMORY_T_DEFINED
#define WASM_MEMORY_T_DEFINED
struct WASMMemory;
typedef struct WASMMemory WASMMemoryType;
#endif
typedef WASMMemoryType *wasm_memory_type_t;

/* Singly linked list of pre-split sections, consumed by
   wasm_runtime_load_from_sections.  section_body excludes the section id
   and size prefix. */
typedef struct wasm_section_t {
    struct wasm_section_t *next;
    int section_type;
    uint8_t *section_body;
    uint32_t section_body_size;
} wasm_section_t, aot_section_t, *wasm_section_list_t, *aot_section_list_t;

/* What kind of binary a buffer or module holds. */
typedef enum {
    Wasm_Module_Bytecode = 0,
    Wasm_Module_AoT = 1,
    Package_Type_Unknown = 0xFFFF
} package_type_t;

/* How the runtime obtains its own memory (shared with wasm_c_api.h). */
#ifndef MEM_ALLOC_OPTION_DEFINED
#define MEM_ALLOC_OPTION_DEFINED
typedef enum {
    /* carve everything out of a caller-supplied buffer */
    Alloc_With_Pool = 0,
    /* call caller-supplied malloc/realloc/free */
    Alloc_With_Allocator = 1,
    /* use the platform allocator */
    Alloc_With_System_Allocator = 2
} mem_alloc_type_t;

/* Parameters of the chosen mem_alloc_type_t.  The allocator callbacks are
   stored as void* and called as malloc(size) / realloc(ptr, size) /
   free(ptr) (extra leading parameters only in WASM_MEM_ALLOC_WITH_USAGE /
   WASM_MEM_ALLOC_WITH_USER_DATA builds). */
typedef union MemAllocOption {
    struct {
        void *heap_buf;
        uint32_t heap_size;
    } pool;
    struct {
        void *malloc_func;
        void *realloc_func;
        void *free_func;
        /* passed to the callbacks in WASM_MEM_ALLOC_WITH_USER_DATA builds */
        void *user_data;
    } allocator;
} MemAllocOption;
#endif

/* Purpose of an allocation, passed to allocator callbacks only when the
   runtime is built with WASM_MEM_ALLOC_WITH_USAGE. */
typedef enum {
    Alloc_For_Runtime = 0,
    Alloc_For_LinearMemory = 1
} mem_alloc_usage_t;

/* Statistics of the runtime heap (wasm_runtime_get_mem_alloc_info). */
typedef struct mem_alloc_info_t {
    uint32_t total_size;
    uint32_t total_free_size;
    uint32_t highmark_size;
} mem_alloc_info_t;

/* Execution engines.  Note: numbering starts at 1. */
typedef enum RunningMode {
    Mode_Interp = 1,
    Mode_Fast_JIT = 2,
    Mode_LLVM_JIT = 3,
    Mode_Multi_Tier_JIT = 4
} RunningMode;

/*
 * Arguments of wasm_runtime_full_init.  Zero the whole struct first
 * (memset), then fill what you need; fields for features the library was
 * not built with are ignored.
 */
typedef struct RuntimeInitArgs {
    mem_alloc_type_t mem_alloc_type;
    MemAllocOption mem_alloc_option;

    /* natives registered at init, as if by wasm_runtime_register_natives */
    const char *native_module_name;
    NativeSymbol *native_symbols;
    uint32_t n_native_symbols;

    /* thread manager: maximum number of threads */
    uint32_t max_thread_num;

    /* debug server address/port (source debugging builds) */
    char ip_addr[128];
    int unused; /* formerly the platform port; keep for layout */
    int instance_port;

    /* fast JIT code cache size in bytes */
    uint32_t fast_jit_code_cache_size;

    /* GC heap size in bytes */
    uint32_t gc_heap_size;

    /* default running mode; 0 = the runtime's own default */
    RunningMode running_mode;

    /* LLVM JIT optimisation and size levels */
    uint32_t llvm_jit_opt_level;
    uint32_t llvm_jit_size_level;

    /* x86-64 segment-register (segue) optimisation flags for LLVM JIT */
    uint32_t segue_flags;

    /* emit Linux perf map files for JIT code */
    bool enable_linux_perf;
} RuntimeInitArgs;

/* Options of wasm_runtime_load_ex (shared with wasm_c_api.h). */
#ifndef LOAD_ARGS_OPTION_DEFINED
#define LOAD_ARGS_OPTION_DEFINED
typedef struct LoadArgs {
    /* module name reported by wasm_runtime_get_module_name */
    char *name;
    /* keep a private copy of the binary instead of referencing the
       caller's buffer */
    bool clone_wasm_binary;
    /* the caller may free the binary right after loading */
    bool wasm_binary_freeable;
    /* do not resolve imports during load; see
       wasm_runtime_resolve_symbols */
    bool no_resolve;
} LoadArgs;
#endif

/* Options of wasm_runtime_instantiate_ex (shared with wasm_c_api.h). */
#ifndef INSTANTIATION_ARGS_OPTION_DEFINED
#define INSTANTIATION_ARGS_OPTION_DEFINED
typedef struct InstantiationArgs {
    uint32_t default_stack_size;
    uint32_t host_managed_heap_size;
    /* cap on the memory size in pages; 0 = as declared by the module */
    uint32_t max_memory_pages;
} InstantiationArgs;
#endif

/* Growable successor of InstantiationArgs; only reachable through the
   wasm_runtime_instantiation_args_* functions. */
struct InstantiationArgs2;

/* A typed value for wasm_runtime_call_wasm_a/_v (shared with
   wasm_c_api.h).  16 bytes: kind, 7 padding bytes, 8-byte payload. */
#ifndef WASM_VAL_T_DEFINED
#define WASM_VAL_T_DEFINED
struct wasm_ref_t;

typedef struct wasm_val_t {
    wasm_valkind_t kind;
    uint8_t _paddings[7];
    union {
        /* i32 also carries function indices */
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        /* host object behind an externref */
        uintptr_t foreign;
        struct wasm_ref_t *ref;
    } of;
} wasm_val_t;
#endif

/* Verbosity of the runtime's log output. */
typedef enum {
    WASM_LOG_LEVEL_FATAL = 0,
    WASM_LOG_LEVEL_ERROR = 1,
    WASM_LOG_LEVEL_WARNING = 2,
    WASM_LOG_LEVEL_DEBUG = 3,
    WASM_LOG_LEVEL_VERBOSE = 4
} log_level_t;

/* Arguments of wasm_runtime_create_shared_heap.  pre_allocated_addr may
   point at caller-owned memory of `size` bytes, or be NULL. */
typedef struct SharedHeapInitArgs {
    uint32_t size;
    void *pre_allocated_addr;
} SharedHeapInitArgs;

/* Kinds of import/export entries (note: differs from the C API's
   wasm_externkind_t order). */
typedef enum {
    WASM_IMPORT_EXPORT_KIND_FUNC = 0,
    WASM_IMPORT_EXPORT_KIND_TABLE = 1,
    WASM_IMPORT_EXPORT_KIND_MEMORY = 2,
    WASM_IMPORT_EXPORT_KIND_GLOBAL = 3
} wasm_import_export_kind_t;

/* One import of a module (wasm_runtime_get_import_type).  The strings
   are owned by the module.  `u` is selected by `kind`. */
typedef struct wasm_import_t {
    const char *module_name;
    const char *name;
    wasm_import_export_kind_t kind;
    bool linked;
    union {
        wasm_func_type_t func_type;
        wasm_table_type_t table_type;
        wasm_global_type_t global_type;
        wasm_memory_type_t memory_type;
    } u;
} wasm_import_t;

/* One export of a module (wasm_runtime_get_export_type). */
typedef struct wasm_export_t {
    const char *name;
    wasm_import_export_kind_t kind;
    union {
        wasm_func_type_t func_type;
        wasm_table_type_t table_type;
        wasm_global_type_t global_type;
        wasm_memory_type_t memory_type;
    } u;
} wasm_export_t;

/* One call-stack frame (wasm_copy_callstack).  The same struct is the C
   API's wasm_frame_t. */
typedef struct wasm_frame_t {
    /* owning wasm_instance_t (C API) / module instance */
    void *instance;
    uint32_t module_offset;
    uint32_t func_index;
    uint32_t func_offset;
    /* function name, or NULL; points into the module */
    const char *func_name_wp;

    /* frame internals, only filled in some builds */
    uint32_t *sp;
    uint8_t *frame_ref;
    uint32_t *lp;
} WASMCApiFrame;

/* Why a memory.grow / wasm_runtime_enlarge_memory failed. */
typedef enum {
    INTERNAL_ERROR = 0,
    MAX_SIZE_REACHED = 1
} enlarge_memory_error_reason_t;

/* Called when growing a linear memory fails. */
typedef void (*enlarge_memory_error_callback_t)(
    uint32_t inc_page_count, uint64_t current_memory_size,
    uint32_t memory_index, enlarge_memory_error_reason_t failure_reason,
    wasm_module_inst_t instance, wasm_exec_env_t exec_env, void *user_data);

/* Multi-module: supplies (and later releases) the binary of a module
   that another module imports from. */
typedef bool (*module_reader)(package_type_t module_type,
                              const char *module_name, uint8_t **p_buffer,
                              uint32_t *p_size);

typedef void (*module_destroyer)(uint8_t *buffer, uint32_t size);

/* Thread handle and entry point of wasm_runtime_spawn_thread. */
typedef uintptr_t wasm_thread_t;

typedef void *(*wasm_thread_callback_t)(wasm_exec_env_t, void *);

/* ========================================================================
 * Runtime init/destroy, logging, version, runtime-heap allocator
 * ======================================================================== */

/* Initialise with the system allocator and default settings. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_init(void);

/* Initialise with explicit allocator, natives and engine settings. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_full_init(RuntimeInitArgs *init_args);

/* Tear the runtime down; all modules/instances must be gone. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy(void);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_log_level(log_level_t level);

/* Reports the WAMR version implemented (2.4.3). */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_get_version(uint32_t *major, uint32_t *minor, uint32_t *patch);

/* Allocate/free from the runtime's own heap (as configured at init). */
WASM_RUNTIME_API_EXTERN void *
wasm_runtime_malloc(unsigned int size);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_aligned_alloc(unsigned int size, unsigned int alignment);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_realloc(void *ptr, unsigned int size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_free(void *ptr);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_get_mem_alloc_info(mem_alloc_info_t *mem_alloc_info);

/* ========================================================================
 * Running mode
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_running_mode_supported(RunningMode running_mode);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_set_default_running_mode(RunningMode running_mode);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_set_running_mode(wasm_module_inst_t module_inst,
                              RunningMode running_mode);

WASM_RUNTIME_API_EXTERN RunningMode
wasm_runtime_get_running_mode(wasm_module_inst_t module_inst);

/* ========================================================================
 * Module load/unload, package detection, module naming
 * ======================================================================== */

/* Classify a buffer as bytecode, AoT or unknown (by its header). */
WASM_RUNTIME_API_EXTERN package_type_t
get_package_type(const uint8_t *buf, uint32_t size);

WASM_RUNTIME_API_EXTERN package_type_t
wasm_runtime_get_file_package_type(const uint8_t *buf, uint32_t size);

WASM_RUNTIME_API_EXTERN package_type_t
wasm_runtime_get_module_package_type(const wasm_module_t module);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_file_package_version(const uint8_t *buf, uint32_t size);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_module_package_version(const wasm_module_t module);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_current_package_version(package_type_t package_type);

/* Whether an AoT file was compiled for execute-in-place. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_xip_file(const uint8_t *buf, uint32_t size);

/* Load a module from a buffer.  Unless LoadArgs says otherwise the
   buffer must stay alive and unmodified until the module is unloaded. */
WASM_RUNTIME_API_EXTERN wasm_module_t
wasm_runtime_load(uint8_t *buf, uint32_t size, char *error_buf,
                  uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN wasm_module_t
wasm_runtime_load_ex(uint8_t *buf, uint32_t size, const LoadArgs *args,
                     char *error_buf, uint32_t error_buf_size);

/* Resolve imports of a module loaded with LoadArgs.no_resolve. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_resolve_symbols(wasm_module_t module);

WASM_RUNTIME_API_EXTERN wasm_module_t
wasm_runtime_load_from_sections(wasm_section_list_t section_list, bool is_aot,
                                char *error_buf, uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_unload(wasm_module_t module);

/* Declared for source compatibility only; WAMR itself declares this
   without the export decoration and never defines it. */
char *
wasm_runtime_get_module_hash(wasm_module_t module);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_set_module_name(wasm_module_t module, const char *name,
                             char *error_buf, uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN const char *
wasm_runtime_get_module_name(wasm_module_t module);

/* Whether the binary passed to load may now be freed by the caller. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_underlying_binary_freeable(const wasm_module_t module);

/* ========================================================================
 * Multi-module registry
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_module_reader(const module_reader reader,
                               const module_destroyer destroyer);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_register_module(const char *module_name, wasm_module_t module,
                             char *error_buf, uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN wasm_module_t
wasm_runtime_find_module_registered(const char *module_name);

/* ========================================================================
 * WASI configuration and WASI-mode queries
 * ========================================================================
 * Set on the module before instantiation.  dir_list are preopened as-is,
 * map_dir_list entries are "guest::host" mappings.  The _ex form also
 * chooses the host descriptors used as stdin/stdout/stderr (-1 = the
 * process' own).
 */

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_wasi_args_ex(wasm_module_t module, const char *dir_list[],
                              uint32_t dir_count, const char *map_dir_list[],
                              uint32_t map_dir_count, const char *env[],
                              uint32_t env_count, char *argv[], int argc,
                              int64_t stdinfd, int64_t stdoutfd,
                              int64_t stderrfd);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_wasi_args(wasm_module_t module, const char *dir_list[],
                           uint32_t dir_count, const char *map_dir_list[],
                           uint32_t map_dir_count, const char *env[],
                           uint32_t env_count, char *argv[], int argc);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_wasi_addr_pool(wasm_module_t module, const char *addr_pool[],
                                uint32_t addr_pool_size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_wasi_ns_lookup_pool(wasm_module_t module,
                                     const char *ns_lookup_pool[],
                                     uint32_t ns_lookup_pool_size);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_wasi_mode(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_runtime_lookup_wasi_start_function(wasm_module_inst_t module_inst);

/* Exit code passed to proc_exit (0 if the program returned normally). */
WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_wasi_exit_code(wasm_module_inst_t module_inst);

/* ========================================================================
 * Instantiate / deinstantiate (incl. the InstantiationArgs2 builder)
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_instantiate(const wasm_module_t module,
                         uint32_t default_stack_size,
                         uint32_t host_managed_heap_size, char *error_buf,
                         uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_instantiate_ex(const wasm_module_t module,
                            const InstantiationArgs *args, char *error_buf,
                            uint32_t error_buf_size);

/* Builder: create, set fields, pass to wasm_runtime_instantiate_ex2,
   destroy. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_instantiation_args_create(struct InstantiationArgs2 **p);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_destroy(struct InstantiationArgs2 *p);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_default_stack_size(
    struct InstantiationArgs2 *p, uint32_t v);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_host_managed_heap_size(
    struct InstantiationArgs2 *p, uint32_t v);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_max_memory_pages(
    struct InstantiationArgs2 *p, uint32_t v);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_custom_data(struct InstantiationArgs2 *p,
                                                void *custom_data);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_wasi_arg(struct InstantiationArgs2 *p,
                                             char *argv[], int argc);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_wasi_env(struct InstantiationArgs2 *p,
                                             const char *env[],
                                             uint32_t env_count);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_wasi_dir(struct InstantiationArgs2 *p,
                                             const char *dir_list[],
                                             uint32_t dir_count,
                                             const char *map_dir_list[],
                                             uint32_t map_dir_count);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_wasi_stdio(struct InstantiationArgs2 *p,
                                               int64_t stdinfd,
                                               int64_t stdoutfd,
                                               int64_t stderrfd);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_wasi_addr_pool(
    struct InstantiationArgs2 *p, const char *addr_pool[],
    uint32_t addr_pool_size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_instantiation_args_set_wasi_ns_lookup_pool(
    struct InstantiationArgs2 *p, const char *ns_lookup_pool[],
    uint32_t ns_lookup_pool_size);

WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_instantiate_ex2(const wasm_module_t module,
                             const struct InstantiationArgs2 *args,
                             char *error_buf, uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_deinstantiate(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN wasm_module_t
wasm_runtime_get_module(wasm_module_inst_t module_inst);

/* One opaque user pointer per instance. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_custom_data(wasm_module_inst_t module_inst,
                             void *custom_data);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_custom_data(wasm_module_inst_t module_inst);

/* ========================================================================
 * Module introspection: imports/exports and their types
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN int32_t
wasm_runtime_get_import_count(const wasm_module_t module);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_get_import_type(const wasm_module_t module, int32_t import_index,
                             wasm_import_t *import_type);

WASM_RUNTIME_API_EXTERN int32_t
wasm_runtime_get_export_count(const wasm_module_t module);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_get_export_type(const wasm_module_t module, int32_t export_index,
                             wasm_export_t *export_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_type_get_param_count(const wasm_func_type_t func_type);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_func_type_get_param_valkind(const wasm_func_type_t func_type,
                                 uint32_t param_index);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_type_get_result_count(const wasm_func_type_t func_type);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_func_type_get_result_valkind(const wasm_func_type_t func_type,
                                  uint32_t result_index);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_global_type_get_valkind(const wasm_global_type_t global_type);

WASM_RUNTIME_API_EXTERN bool
wasm_global_type_get_mutable(const wasm_global_type_t global_type);

WASM_RUNTIME_API_EXTERN bool
wasm_memory_type_get_shared(const wasm_memory_type_t memory_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_memory_type_get_init_page_count(const wasm_memory_type_t memory_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_memory_type_get_max_page_count(const wasm_memory_type_t memory_type);

WASM_RUNTIME_API_EXTERN wasm_valkind_t
wasm_table_type_get_elem_kind(const wasm_table_type_t table_type);

WASM_RUNTIME_API_EXTERN bool
wasm_table_type_get_shared(const wasm_table_type_t table_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_table_type_get_init_size(const wasm_table_type_t table_type);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_table_type_get_max_size(const wasm_table_type_t table_type);

/* Whether a registered native satisfies the given import. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_import_func_linked(const char *module_name,
                                   const char *func_name);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_import_global_linked(const char *module_name,
                                     const char *global_name);

/* ========================================================================
 * Function lookup / call (and exported global/table instances)
 * ======================================================================== */

/* Find an exported function by name; NULL if absent. */
WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_runtime_lookup_function(const wasm_module_inst_t module_inst,
                             const char *name);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_get_param_count(const wasm_function_inst_t func_inst,
                          const wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_func_get_result_count(const wasm_function_inst_t func_inst,
                           const wasm_module_inst_t module_inst);

/* Fill caller arrays sized by the *_count functions above. */
WASM_RUNTIME_API_EXTERN void
wasm_func_get_param_types(const wasm_function_inst_t func_inst,
                          const wasm_module_inst_t module_inst,
                          wasm_valkind_t *param_types);

WASM_RUNTIME_API_EXTERN void
wasm_func_get_result_types(const wasm_function_inst_t func_inst,
                           const wasm_module_inst_t module_inst,
                           wasm_valkind_t *result_types);

/* Call with arguments in 32-bit cells (i64/f64 use two cells, low word
   first; v128 four).  Results overwrite argv from cell 0.  Returns false
   on a trap; see wasm_runtime_get_exception. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_call_wasm(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                       uint32_t argc, uint32_t argv[]);

/* Call with an array of typed arguments. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_call_wasm_a(wasm_exec_env_t exec_env,
                         wasm_function_inst_t function, uint32_t num_results,
                         wasm_val_t results[], uint32_t num_args,
                         wasm_val_t *args);

/* Call with typed arguments passed as variadic wasm_val_t values. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_call_wasm_v(wasm_exec_env_t exec_env,
                         wasm_function_inst_t function, uint32_t num_results,
                         wasm_val_t results[], uint32_t num_args, ...);

/* Call entry element_index of the instance's table 0. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_call_indirect(wasm_exec_env_t exec_env, uint32_t element_index,
                           uint32_t argc, uint32_t argv[]);

/* Run main/_start, or a named function with arguments parsed from
   strings (as the iwasm command line does). */
WASM_RUNTIME_API_EXTERN bool
wasm_application_execute_main(wasm_module_inst_t module_inst, int32_t argc,
                              char *argv[]);

WASM_RUNTIME_API_EXTERN bool
wasm_application_execute_func(wasm_module_inst_t module_inst,
                              const char *name, int32_t argc, char *argv[]);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_get_export_global_inst(const wasm_module_inst_t module_inst,
                                    const char *name,
                                    wasm_global_inst_t *global_inst);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_get_export_table_inst(const wasm_module_inst_t module_inst,
                                   const char *name,
                                   wasm_table_inst_t *table_inst);

WASM_RUNTIME_API_EXTERN wasm_function_inst_t
wasm_table_get_func_inst(const wasm_module_inst_t module_inst,
                         const wasm_table_inst_t *table_inst, uint32_t idx);

/* ========================================================================
 * Exceptions / termination
 * ========================================================================
 * The exception text is "Exception: <message>", or NULL if none.  It is
 * sticky until cleared.
 */

WASM_RUNTIME_API_EXTERN const char *
wasm_runtime_get_exception(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_exception(wasm_module_inst_t module_inst,
                           const char *exception);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_clear_exception(wasm_module_inst_t module_inst);

/* Ask running code of this instance to stop ("terminated by user"). */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_terminate(wasm_module_inst_t module_inst);

/* ========================================================================
 * Exec env (stack, user data, thread env, blocking ops, native stack)
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN wasm_exec_env_t
wasm_runtime_create_exec_env(wasm_module_inst_t module_inst,
                             uint32_t stack_size);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy_exec_env(wasm_exec_env_t exec_env);

/* The instance's built-in exec env, created on first use. */
WASM_RUNTIME_API_EXTERN wasm_exec_env_t
wasm_runtime_get_exec_env_singleton(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN wasm_module_inst_t
wasm_runtime_get_module_inst(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_module_inst(wasm_exec_env_t exec_env,
                             const wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_user_data(wasm_exec_env_t exec_env, void *user_data);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_user_data(wasm_exec_env_t exec_env);

/* Lowest native stack address the runtime may use on this thread. */
WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_native_stack_boundary(wasm_exec_env_t exec_env,
                                       uint8_t *native_stack_boundary);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_instruction_count_limit(wasm_exec_env_t exec_env,
                                         int instruction_count);

/* True (and the exception set) if the native stack is (nearly) full. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_detect_native_stack_overflow(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_detect_native_stack_overflow_size(wasm_exec_env_t exec_env,
                                               uint32_t required_size);

/* Per-thread setup for threads not created by the runtime. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_init_thread_env(void);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy_thread_env(void);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_thread_env_inited(void);

/* Bracket a blocking host call so wasm_runtime_terminate can wake it. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_begin_blocking_op(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_end_blocking_op(wasm_exec_env_t exec_env);

/* ========================================================================
 * Linear memory instances and address translation / bounds checks
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN wasm_memory_inst_t
wasm_runtime_lookup_memory(const wasm_module_inst_t module_inst,
                           const char *name);

WASM_RUNTIME_API_EXTERN wasm_memory_inst_t
wasm_runtime_get_default_memory(const wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN wasm_memory_inst_t
wasm_runtime_get_memory(const wasm_module_inst_t module_inst, uint32_t index);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_memory_get_cur_page_count(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_memory_get_max_page_count(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_memory_get_bytes_per_page(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN bool
wasm_memory_get_shared(const wasm_memory_inst_t memory_inst);

/* Current base; may change whenever the memory grows. */
WASM_RUNTIME_API_EXTERN void *
wasm_memory_get_base_address(const wasm_memory_inst_t memory_inst);

WASM_RUNTIME_API_EXTERN bool
wasm_memory_enlarge(wasm_memory_inst_t memory_inst, uint64_t inc_page_count);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_enlarge_memory(wasm_module_inst_t module_inst,
                            uint64_t inc_page_count);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_enlarge_mem_error_callback(
    const enlarge_memory_error_callback_t callback, void *user_data);

/* The validate_* functions set "out of bounds memory access" on the
   instance when they fail. */
WASM_RUNTIME_API_EXTERN bool
wasm_runtime_validate_app_addr(wasm_module_inst_t module_inst,
                               uint64_t app_offset, uint64_t size);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_validate_app_str_addr(wasm_module_inst_t module_inst,
                                   uint64_t app_str_offset);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_validate_native_addr(wasm_module_inst_t module_inst,
                                  void *native_ptr, uint64_t size);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_addr_app_to_native(wasm_module_inst_t module_inst,
                                uint64_t app_offset);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_addr_native_to_app(wasm_module_inst_t module_inst,
                                void *native_ptr);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_get_app_addr_range(wasm_module_inst_t module_inst,
                                uint64_t app_offset,
                                uint64_t *p_app_start_offset,
                                uint64_t *p_app_end_offset);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_get_native_addr_range(wasm_module_inst_t module_inst,
                                   uint8_t *native_ptr,
                                   uint8_t **p_native_start_addr,
                                   uint8_t **p_native_end_addr);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_bounds_checks(wasm_module_inst_t module_inst, bool enable);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_is_bounds_checks_enabled(wasm_module_inst_t module_inst);

/* ========================================================================
 * Module (app-heap) malloc/free
 * ========================================================================
 * Allocate inside the instance's linear memory; returns the app offset
 * (0 on failure) and optionally the native address.
 */

WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_module_malloc(wasm_module_inst_t module_inst, uint64_t size,
                           void **p_native_addr);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_module_free(wasm_module_inst_t module_inst, uint64_t ptr);

/* module_malloc + copy of `size` bytes from src. */
WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_module_dup_data(wasm_module_inst_t module_inst, const char *src,
                             uint64_t size);

/* ========================================================================
 * Native (host) function registration
 * ========================================================================
 * The array is referenced, not copied: keep it alive while registered.
 */

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_register_natives(const char *module_name,
                              NativeSymbol *native_symbols,
                              uint32_t n_native_symbols);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_register_natives_raw(const char *module_name,
                                  NativeSymbol *native_symbols,
                                  uint32_t n_native_symbols);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_unregister_natives(const char *module_name,
                                NativeSymbol *native_symbols);

/* NativeSymbol.attachment of the native currently executing. */
WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_function_attachment(wasm_exec_env_t exec_env);

/* ========================================================================
 * Externref (reference-types builds without GC)
 * ========================================================================
 * Host objects are mapped to 32-bit externref indices.
 */

WASM_RUNTIME_API_EXTERN bool
wasm_externref_obj2ref(wasm_module_inst_t module_inst, void *extern_obj,
                       uint32_t *p_externref_idx);

WASM_RUNTIME_API_EXTERN bool
wasm_externref_objdel(wasm_module_inst_t module_inst, void *extern_obj);

WASM_RUNTIME_API_EXTERN bool
wasm_externref_set_cleanup(wasm_module_inst_t module_inst, void *extern_obj,
                           void (*extern_obj_cleanup)(void *));

WASM_RUNTIME_API_EXTERN bool
wasm_externref_ref2obj(uint32_t externref_idx, void **p_extern_obj);

WASM_RUNTIME_API_EXTERN bool
wasm_externref_retain(uint32_t externref_idx);

/* ========================================================================
 * Threads (thread manager)
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_max_thread_num(uint32_t num);

WASM_RUNTIME_API_EXTERN wasm_exec_env_t
wasm_runtime_spawn_exec_env(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy_spawned_exec_env(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN int32_t
wasm_runtime_spawn_thread(wasm_exec_env_t exec_env, wasm_thread_t *tid,
                          wasm_thread_callback_t callback, void *arg);

WASM_RUNTIME_API_EXTERN int32_t
wasm_runtime_join_thread(wasm_thread_t tid, void **retval);

/* ========================================================================
 * Custom sections
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN const uint8_t *
wasm_runtime_get_custom_section(const wasm_module_t module_comm,
                                const char *name, uint32_t *len);

/* ========================================================================
 * Debugging, call stacks, profiling, PGO
 * ======================================================================== */

/* Copy up to `length` frames, skipping the innermost skip_n. */
WASM_RUNTIME_API_EXTERN uint32_t
wasm_copy_callstack(const wasm_exec_env_t exec_env, WASMCApiFrame *buffer,
                    const uint32_t length, const uint32_t skip_n,
                    char *error_buf, uint32_t error_buf_size);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_start_debug_instance_with_port(wasm_exec_env_t exec_env,
                                            int32_t port);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_start_debug_instance(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_dump_call_stack(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_call_stack_buf_size(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_dump_call_stack_to_buf(wasm_exec_env_t exec_env, char *buf,
                                    uint32_t len);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_dump_mem_consumption(wasm_exec_env_t exec_env);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_dump_perf_profiling(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN double
wasm_runtime_sum_wasm_exec_time(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN double
wasm_runtime_get_wasm_func_exec_time(wasm_module_inst_t inst,
                                     const char *func_name);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_get_pgo_prof_data_size(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN uint32_t
wasm_runtime_dump_pgo_prof_data_to_buf(wasm_module_inst_t module_inst,
                                       char *buf, uint32_t len);

/* ========================================================================
 * Module-instance context keys
 * ========================================================================
 * Per-instance slots keyed by an opaque key; dtor runs for each instance
 * still holding a value when the instance or key is destroyed.  The
 * _spread variant also sets the value on threads spawned from `inst`.
 */

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_create_context_key(void (*dtor)(wasm_module_inst_t inst,
                                             void *ctx));

WASM_RUNTIME_API_EXTERN void
wasm_runtime_destroy_context_key(void *key);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_context(wasm_module_inst_t inst, void *key, void *ctx);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_set_context_spread(wasm_module_inst_t inst, void *key, void *ctx);

WASM_RUNTIME_API_EXTERN void *
wasm_runtime_get_context(wasm_module_inst_t inst, void *key);

/* ========================================================================
 * Shared heap
 * ======================================================================== */

WASM_RUNTIME_API_EXTERN wasm_shared_heap_t
wasm_runtime_create_shared_heap(SharedHeapInitArgs *init_args);

WASM_RUNTIME_API_EXTERN wasm_shared_heap_t
wasm_runtime_chain_shared_heaps(wasm_shared_heap_t head,
                                wasm_shared_heap_t body);

/* Like WAMR, declared without the export decoration. */
wasm_shared_heap_t
wasm_runtime_unchain_shared_heaps(wasm_shared_heap_t head, bool entire_chain);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_reset_shared_heap_chain(wasm_shared_heap_t shared_heap);

WASM_RUNTIME_API_EXTERN bool
wasm_runtime_attach_shared_heap(wasm_module_inst_t module_inst,
                                wasm_shared_heap_t shared_heap);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_detach_shared_heap(wasm_module_inst_t module_inst);

WASM_RUNTIME_API_EXTERN uint64_t
wasm_runtime_shared_heap_malloc(wasm_module_inst_t module_inst, uint64_t size,
                                void **p_native_addr);

WASM_RUNTIME_API_EXTERN void
wasm_runtime_shared_heap_free(wasm_module_inst_t module_inst, uint64_t ptr);

#ifdef __cplusplus
}
#endif

#endif /* _WASM_EXPORT_H */
