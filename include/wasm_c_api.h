/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * wasm_c_api.h: the standard WebAssembly C API ("wasm.h") in the variant
 * shipped by WAMR 2.4.3.  Differences from the upstream wasm.h that this
 * header reproduces on purpose:
 *   - every wasm_*_vec_t is 40 bytes: size, data, num_elems, size_of_elem,
 *     lock (upstream: size, data);
 *   - wasm_module_t is a *pointer* typedef shared with wasm_export.h, so
 *     the API's `wasm_module_t *` is a pointer to a pointer;
 *   - wasm_config_t is a public struct (allocator, segue, linux perf);
 *   - extra entry points: wasm_engine_new_with_args, wasm_config_set_*,
 *     wasm_module_new_ex, wasm_module_{set,get}_name,
 *     wasm_module_is_underlying_binary_freeable, wasm_importtype_is_linked,
 *     wasm_instance_new_with_args(_ex), wasm_instance_*_exec_time,
 *     wasm_extern_new_empty;
 *   - modules are not references (no wasm_module_as_ref & co).
 *
 * Ownership notation: parameters/results marked `own` transfer ownership
 * (the receiver must delete them); everything else is borrowed.
 *
 * May be combined with wasm_export.h in one translation unit, in either
 * include order (shared types are guarded by *_DEFINED macros).
 */

#ifndef _WASM_C_API_H_
#define _WASM_C_API_H_

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

/* Linkage decoration of the API functions; may be predefined. */
#ifndef WASM_API_EXTERN
#if defined(_MSC_BUILD)
#if defined(COMPILING_WASM_RUNTIME_API)
#define WASM_API_EXTERN __declspec(dllexport)
#else
#define WASM_API_EXTERN __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define WASM_API_EXTERN __attribute__((visibility("default")))
#else
#define WASM_API_EXTERN
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ========================================================================
 * Auxiliaries
 * ======================================================================== */

/* Machine types */

typedef char byte_t;
typedef float float32_t;
typedef double float64_t;

/* Compile-time sanity checks of the machine types above; never called,
   emits no symbol.  (Under gnu89 inline rules a plain `inline` would
   produce an external definition in every TU, hence `static` there.) */
#if !defined(__cplusplus) && defined(__GNUC_GNU_INLINE__)
static inline void
#else
inline void
#endif
assertions(void)
{
    (void)sizeof(char[sizeof(float) == sizeof(uint32_t) ? 1 : -1]);
    (void)sizeof(char[sizeof(double) == sizeof(uint64_t) ? 1 : -1]);
    (void)sizeof(char[(sizeof(intptr_t) == sizeof(uint32_t)
                       || sizeof(intptr_t) == sizeof(uint64_t))
                          ? 1
                          : -1]);
}

/* Ownership annotation (expands to nothing; #undef'd at the end). */
#define own

/* Every object type `wasm_<name>_t` has wasm_<name>_delete. */
#define WASM_DECLARE_OWN(name)                      \
    typedef struct wasm_##name##_t wasm_##name##_t; \
    WASM_API_EXTERN void wasm_##name##_delete(own wasm_##name##_t *);

/*
 * Vectors.  WAMR layout (40 bytes on LP64):
 *   size          number of elements
 *   data          element array (owned by the vector)
 *   num_elems     elements in use (maintained by the runtime)
 *   size_of_elem  sizeof one element
 *   lock          reserved for the runtime
 * Use the wasm_*_vec_new* functions (or WASM_EMPTY_VEC / WASM_ARRAY_VEC)
 * so that the extra fields are set consistently.
 */
#define WASM_DECLARE_VEC(name, ptr_or_none)                                   \
    typedef struct wasm_##name##_vec_t {                                      \
        size_t size;                                                          \
        wasm_##name##_t ptr_or_none *data;                                    \
        size_t num_elems;                                                     \
        size_t size_of_elem;                                                  \
        void *lock;                                                           \
    } wasm_##name##_vec_t;                                                    \
                                                                              \
    WASM_API_EXTERN void wasm_##name##_vec_new_empty(                         \
        own wasm_##name##_vec_t *out);                                        \
    WASM_API_EXTERN void wasm_##name##_vec_new_uninitialized(                 \
        own wasm_##name##_vec_t *out, size_t);                                \
    WASM_API_EXTERN void wasm_##name##_vec_new(                               \
        own wasm_##name##_vec_t *out, size_t,                                 \
        own wasm_##name##_t ptr_or_none const[]);                             \
    WASM_API_EXTERN void wasm_##name##_vec_copy(own wasm_##name##_vec_t *out, \
                                                const wasm_##name##_vec_t *); \
    WASM_API_EXTERN void wasm_##name##_vec_delete(own wasm_##name##_vec_t *);

/* Byte vectors */

typedef byte_t wasm_byte_t;
WASM_DECLARE_VEC(byte, )

/* Names are byte vectors (not necessarily NUL-terminated). */
typedef wasm_byte_vec_t wasm_name_t;

#define wasm_name wasm_byte_vec
#define wasm_name_new wasm_byte_vec_new
#define wasm_name_new_empty wasm_byte_vec_new_empty
/* (sic: the doubled "new" is the name wasm.h has always used) */
#define wasm_name_new_new_uninitialized wasm_byte_vec_new_uninitialized
#define wasm_name_copy wasm_byte_vec_copy
#define wasm_name_delete wasm_byte_vec_delete

/* Name from a C string, without / with the terminating NUL. */
static inline void
wasm_name_new_from_string(own wasm_name_t *out, own const char *s)
{
    wasm_name_new(out, strlen(s), s);
}

static inline void
wasm_name_new_from_string_nt(own wasm_name_t *out, own const char *s)
{
    wasm_name_new(out, strlen(s) + 1, s);
}

/* ========================================================================
 * Runtime environment
 * ======================================================================== */

/* Configuration */

WASM_DECLARE_OWN(config)

/* Runtime allocator settings, identical to wasm_export.h's. */
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

/* Load and instantiation options, identical to wasm_export.h's (used by
   wasm_module_new_ex and wasm_instance_new_with_args_ex). */
#ifndef LOAD_ARGS_OPTION_DEFINED
#define LOAD_ARGS_OPTION_DEFINED
typedef struct LoadArgs {
    char *name;
    bool clone_wasm_binary;
    bool wasm_binary_freeable;
    bool no_resolve;
} LoadArgs;
#endif

#ifndef INSTANTIATION_ARGS_OPTION_DEFINED
#define INSTANTIATION_ARGS_OPTION_DEFINED
typedef struct InstantiationArgs {
    uint32_t default_stack_size;
    uint32_t host_managed_heap_size;
    uint32_t max_memory_pages;
} InstantiationArgs;
#endif

/* Engine configuration (48 bytes on LP64). */
struct wasm_config_t {
    mem_alloc_type_t mem_alloc_type;
    MemAllocOption mem_alloc_option;
    uint32_t segue_flags;
    bool enable_linux_perf;
};

WASM_API_EXTERN own wasm_config_t *
wasm_config_new(void);

WASM_API_EXTERN own wasm_config_t *
wasm_config_set_mem_alloc_opt(wasm_config_t *, mem_alloc_type_t,
                              MemAllocOption *);

WASM_API_EXTERN own wasm_config_t *
wasm_config_set_linux_perf_opt(wasm_config_t *, bool);

WASM_API_EXTERN wasm_config_t *
wasm_config_set_segue_flags(wasm_config_t *config, uint32_t segue_flags);

/* Engine (one per process: it initialises the runtime) */

WASM_DECLARE_OWN(engine)

WASM_API_EXTERN own wasm_engine_t *
wasm_engine_new(void);

WASM_API_EXTERN own wasm_engine_t *
wasm_engine_new_with_config(own wasm_config_t *);

WASM_API_EXTERN own wasm_engine_t *
wasm_engine_new_with_args(mem_alloc_type_t type, const MemAllocOption *opts);

/* Store */

WASM_DECLARE_OWN(store)

WASM_API_EXTERN own wasm_store_t *
wasm_store_new(wasm_engine_t *);

/* ========================================================================
 * Type representations
 * ======================================================================== */

/* Type attributes */

typedef uint8_t wasm_mutability_t;
enum wasm_mutability_enum {
    WASM_CONST = 0,
    WASM_VAR = 1
};

typedef struct wasm_limits_t {
    uint32_t min;
    uint32_t max;
} wasm_limits_t;

/* `max` value meaning "no maximum". */
static const uint32_t wasm_limits_max_default = 0xffffffff;

/* Generic: own + vector of pointers + copy */

#define WASM_DECLARE_TYPE(name)                              \
    WASM_DECLARE_OWN(name)                                   \
    WASM_DECLARE_VEC(name, *)                                \
                                                             \
    WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_copy( \
        const wasm_##name##_t *);

/* Value types */

WASM_DECLARE_TYPE(valtype)

/* Shared with wasm_export.h. */
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

WASM_API_EXTERN own wasm_valtype_t *
wasm_valtype_new(wasm_valkind_t);

WASM_API_EXTERN wasm_valkind_t
wasm_valtype_kind(const wasm_valtype_t *);

/* Numeric kinds sort below reference kinds. */
static inline bool
wasm_valkind_is_num(wasm_valkind_t k)
{
    return k < WASM_EXTERNREF;
}

static inline bool
wasm_valkind_is_ref(wasm_valkind_t k)
{
    return k >= WASM_EXTERNREF;
}

static inline bool
wasm_valtype_is_num(const wasm_valtype_t *t)
{
    return wasm_valkind_is_num(wasm_valtype_kind(t));
}

static inline bool
wasm_valtype_is_ref(const wasm_valtype_t *t)
{
    return wasm_valkind_is_ref(wasm_valtype_kind(t));
}

/* Function types */

WASM_DECLARE_TYPE(functype)

WASM_API_EXTERN own wasm_functype_t *
wasm_functype_new(own wasm_valtype_vec_t *params,
                  own wasm_valtype_vec_t *results);

WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_params(const wasm_functype_t *);

WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_results(const wasm_functype_t *);

/* Global types */

WASM_DECLARE_TYPE(globaltype)

WASM_API_EXTERN own wasm_globaltype_t *
wasm_globaltype_new(own wasm_valtype_t *, wasm_mutability_t);

WASM_API_EXTERN const wasm_valtype_t *
wasm_globaltype_content(const wasm_globaltype_t *);

WASM_API_EXTERN wasm_mutability_t
wasm_globaltype_mutability(const wasm_globaltype_t *);

/* Table types */

WASM_DECLARE_TYPE(tabletype)

WASM_API_EXTERN own wasm_tabletype_t *
wasm_tabletype_new(own wasm_valtype_t *, const wasm_limits_t *);

WASM_API_EXTERN const wasm_valtype_t *
wasm_tabletype_element(const wasm_tabletype_t *);

WASM_API_EXTERN const wasm_limits_t *
wasm_tabletype_limits(const wasm_tabletype_t *);

/* Memory types */

WASM_DECLARE_TYPE(memorytype)

WASM_API_EXTERN own wasm_memorytype_t *
wasm_memorytype_new(const wasm_limits_t *);

WASM_API_EXTERN const wasm_limits_t *
wasm_memorytype_limits(const wasm_memorytype_t *);

/* Extern types */

WASM_DECLARE_TYPE(externtype)

typedef uint8_t wasm_externkind_t;
enum wasm_externkind_enum {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_GLOBAL = 1,
    WASM_EXTERN_TABLE = 2,
    WASM_EXTERN_MEMORY = 3
};

WASM_API_EXTERN wasm_externkind_t
wasm_externtype_kind(const wasm_externtype_t *);

/* Up/down casts between the specific types and wasm_externtype_t.  The
   down casts return NULL on a kind mismatch. */
WASM_API_EXTERN wasm_externtype_t *
wasm_functype_as_externtype(wasm_functype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_globaltype_as_externtype(wasm_globaltype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_tabletype_as_externtype(wasm_tabletype_t *);
WASM_API_EXTERN wasm_externtype_t *
wasm_memorytype_as_externtype(wasm_memorytype_t *);

WASM_API_EXTERN wasm_functype_t *
wasm_externtype_as_functype(wasm_externtype_t *);
WASM_API_EXTERN wasm_globaltype_t *
wasm_externtype_as_globaltype(wasm_externtype_t *);
WASM_API_EXTERN wasm_tabletype_t *
wasm_externtype_as_tabletype(wasm_externtype_t *);
WASM_API_EXTERN wasm_memorytype_t *
wasm_externtype_as_memorytype(wasm_externtype_t *);

WASM_API_EXTERN const wasm_externtype_t *
wasm_functype_as_externtype_const(const wasm_functype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_globaltype_as_externtype_const(const wasm_globaltype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_tabletype_as_externtype_const(const wasm_tabletype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_memorytype_as_externtype_const(const wasm_memorytype_t *);

WASM_API_EXTERN const wasm_functype_t *
wasm_externtype_as_functype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_globaltype_t *
wasm_externtype_as_globaltype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_tabletype_t *
wasm_externtype_as_tabletype_const(const wasm_externtype_t *);
WASM_API_EXTERN const wasm_memorytype_t *
wasm_externtype_as_memorytype_const(const wasm_externtype_t *);

/* Import types */

WASM_DECLARE_TYPE(importtype)

WASM_API_EXTERN own wasm_importtype_t *
wasm_importtype_new(own wasm_name_t *module, own wasm_name_t *name,
                    own wasm_externtype_t *);

WASM_API_EXTERN const wasm_name_t *
wasm_importtype_module(const wasm_importtype_t *);

WASM_API_EXTERN const wasm_name_t *
wasm_importtype_name(const wasm_importtype_t *);

WASM_API_EXTERN const wasm_externtype_t *
wasm_importtype_type(const wasm_importtype_t *);

/* Whether the import is satisfied by a registered native/module. */
WASM_API_EXTERN bool
wasm_importtype_is_linked(const wasm_importtype_t *);

/* Export types */

WASM_DECLARE_TYPE(exporttype)

WASM_API_EXTERN own wasm_exporttype_t *
wasm_exporttype_new(own wasm_name_t *, own wasm_externtype_t *);

WASM_API_EXTERN const wasm_name_t *
wasm_exporttype_name(const wasm_exporttype_t *);

WASM_API_EXTERN const wasm_externtype_t *
wasm_exporttype_type(const wasm_exporttype_t *);

/* ========================================================================
 * Runtime objects
 * ======================================================================== */

/* Values (shared with wasm_export.h; 16 bytes: kind, 7 padding bytes,
   8-byte payload).  The `foreign` member is part of wasm_export.h's
   definition and is kept here too so both include orders give the
   same type. */

#ifndef WASM_VAL_T_DEFINED
#define WASM_VAL_T_DEFINED
struct wasm_ref_t;

typedef struct wasm_val_t {
    wasm_valkind_t kind;
    uint8_t _paddings[7];
    union {
        int32_t i32;
        int64_t i64;
        float32_t f32;
        float64_t f64;
        uintptr_t foreign;
        struct wasm_ref_t *ref;
    } of;
} wasm_val_t;
#endif

WASM_API_EXTERN void
wasm_val_delete(own wasm_val_t *v);

WASM_API_EXTERN void
wasm_val_copy(own wasm_val_t *out, const wasm_val_t *);

WASM_DECLARE_VEC(val, )

/* References */

/* Common reference operations: delete, copy, identity, host info. */
#define WASM_DECLARE_REF_BASE(name)                                        \
    WASM_DECLARE_OWN(name)                                                 \
                                                                           \
    WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_copy(               \
        const wasm_##name##_t *);                                          \
    WASM_API_EXTERN bool wasm_##name##_same(const wasm_##name##_t *,       \
                                            const wasm_##name##_t *);      \
                                                                           \
    WASM_API_EXTERN void *wasm_##name##_get_host_info(                     \
        const wasm_##name##_t *);                                          \
    WASM_API_EXTERN void wasm_##name##_set_host_info(wasm_##name##_t *,    \
                                                     void *);              \
    WASM_API_EXTERN void wasm_##name##_set_host_info_with_finalizer(       \
        wasm_##name##_t *, void *, void (*)(void *));

/* ... plus conversions to and from the generic wasm_ref_t. */
#define WASM_DECLARE_REF(name)                                             \
    WASM_DECLARE_REF_BASE(name)                                            \
                                                                           \
    WASM_API_EXTERN wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *);   \
    WASM_API_EXTERN wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *);     \
    WASM_API_EXTERN const wasm_ref_t *wasm_##name##_as_ref_const(          \
        const wasm_##name##_t *);                                          \
    WASM_API_EXTERN const wasm_##name##_t *wasm_ref_as_##name##_const(     \
        const wasm_ref_t *);

/* ... plus a thread-shareable form.  Kept for wasm.h compatibility;
   this header does not instantiate it (modules are shared explicitly). */
#define WASM_DECLARE_SHARABLE_REF(name)                                    \
    WASM_DECLARE_REF(name)                                                 \
    WASM_DECLARE_OWN(shared_##name)                                        \
                                                                           \
    WASM_API_EXTERN own wasm_shared_##name##_t *wasm_##name##_share(       \
        const wasm_##name##_t *);                                          \
    WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_obtain(             \
        wasm_store_t *, const wasm_shared_##name##_t *);

WASM_DECLARE_REF_BASE(ref)

/* Frames.  The struct itself is wasm_export.h's WASMCApiFrame; here it is
   only used through pointers. */

WASM_DECLARE_OWN(frame)
WASM_DECLARE_VEC(frame, *)

WASM_API_EXTERN own wasm_frame_t *
wasm_frame_copy(const wasm_frame_t *);

WASM_API_EXTERN struct wasm_instance_t *
wasm_frame_instance(const wasm_frame_t *);

WASM_API_EXTERN uint32_t
wasm_frame_func_index(const wasm_frame_t *);

WASM_API_EXTERN size_t
wasm_frame_func_offset(const wasm_frame_t *);

WASM_API_EXTERN size_t
wasm_frame_module_offset(const wasm_frame_t *);

/* Traps */

/* NUL-terminated message text, as a byte vector. */
typedef wasm_name_t wasm_message_t;

WASM_DECLARE_REF(trap)

WASM_API_EXTERN own wasm_trap_t *
wasm_trap_new(wasm_store_t *store, const wasm_message_t *);

WASM_API_EXTERN void
wasm_trap_message(const wasm_trap_t *, own wasm_message_t *out);

WASM_API_EXTERN own wasm_frame_t *
wasm_trap_origin(const wasm_trap_t *);

WASM_API_EXTERN void
wasm_trap_trace(const wasm_trap_t *, own wasm_frame_vec_t *out);

/* Foreign objects (host data carried by externref) */

WASM_DECLARE_REF(foreign)

WASM_API_EXTERN own wasm_foreign_t *
wasm_foreign_new(wasm_store_t *);

/* Modules.  wasm_module_t is itself a pointer (shared with
   wasm_export.h); the API traffics in wasm_module_t *. */

#ifndef WASM_MODULE_T_DEFINED
#define WASM_MODULE_T_DEFINED
struct WASMModuleCommon;
typedef struct WASMModuleCommon *wasm_module_t;
#endif

/* Handle for moving a module between stores/threads: the same type as the module, as in
   WAMR's header (so `wasm_shared_module_t *` is a `wasm_module_t *`). */
typedef wasm_module_t wasm_shared_module_t;

WASM_API_EXTERN own wasm_module_t *
wasm_module_new(wasm_store_t *, const wasm_byte_vec_t *binary);

/* As wasm_module_new, with wasm_runtime_load_ex options. */
WASM_API_EXTERN own wasm_module_t *
wasm_module_new_ex(wasm_store_t *, wasm_byte_vec_t *binary, LoadArgs *args);

WASM_API_EXTERN void
wasm_module_delete(own wasm_module_t *);

WASM_API_EXTERN bool
wasm_module_validate(wasm_store_t *, const wasm_byte_vec_t *binary);

WASM_API_EXTERN void
wasm_module_imports(const wasm_module_t *, own wasm_importtype_vec_t *out);

WASM_API_EXTERN void
wasm_module_exports(const wasm_module_t *, own wasm_exporttype_vec_t *out);

WASM_API_EXTERN void
wasm_module_serialize(wasm_module_t *, own wasm_byte_vec_t *out);

WASM_API_EXTERN own wasm_module_t *
wasm_module_deserialize(wasm_store_t *, const wasm_byte_vec_t *);

WASM_API_EXTERN own wasm_shared_module_t *
wasm_module_share(wasm_module_t *);

WASM_API_EXTERN own wasm_module_t *
wasm_module_obtain(wasm_store_t *, wasm_shared_module_t *);

WASM_API_EXTERN void
wasm_shared_module_delete(own wasm_shared_module_t *);

WASM_API_EXTERN bool
wasm_module_set_name(wasm_module_t *, const char *name);

WASM_API_EXTERN const char *
wasm_module_get_name(wasm_module_t *);

WASM_API_EXTERN bool
wasm_module_is_underlying_binary_freeable(const wasm_module_t *module);

/* Function instances */

WASM_DECLARE_REF(func)

/* Host callbacks: fill `results` (pre-sized by the caller), return NULL
   or a trap. */
typedef own wasm_trap_t *(*wasm_func_callback_t)(const wasm_val_vec_t *args,
                                                 own wasm_val_vec_t *results);
typedef own wasm_trap_t *(*wasm_func_callback_with_env_t)(
    void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results);

WASM_API_EXTERN own wasm_func_t *
wasm_func_new(wasm_store_t *, const wasm_functype_t *, wasm_func_callback_t);

WASM_API_EXTERN own wasm_func_t *
wasm_func_new_with_env(wasm_store_t *, const wasm_functype_t *type,
                       wasm_func_callback_with_env_t, void *env,
                       void (*finalizer)(void *));

WASM_API_EXTERN own wasm_functype_t *
wasm_func_type(const wasm_func_t *);

WASM_API_EXTERN size_t
wasm_func_param_arity(const wasm_func_t *);

WASM_API_EXTERN size_t
wasm_func_result_arity(const wasm_func_t *);

/* Returns NULL on success, or a trap the caller must delete. */
WASM_API_EXTERN own wasm_trap_t *
wasm_func_call(const wasm_func_t *, const wasm_val_vec_t *args,
               wasm_val_vec_t *results);

/* Global instances */

WASM_DECLARE_REF(global)

WASM_API_EXTERN own wasm_global_t *
wasm_global_new(wasm_store_t *, const wasm_globaltype_t *, const wasm_val_t *);

WASM_API_EXTERN own wasm_globaltype_t *
wasm_global_type(const wasm_global_t *);

WASM_API_EXTERN void
wasm_global_get(const wasm_global_t *, own wasm_val_t *out);

WASM_API_EXTERN void
wasm_global_set(wasm_global_t *, const wasm_val_t *);

/* Table instances */

WASM_DECLARE_REF(table)

typedef uint32_t wasm_table_size_t;

WASM_API_EXTERN own wasm_table_t *
wasm_table_new(wasm_store_t *, const wasm_tabletype_t *, wasm_ref_t *init);

WASM_API_EXTERN own wasm_tabletype_t *
wasm_table_type(const wasm_table_t *);

WASM_API_EXTERN own wasm_ref_t *
wasm_table_get(const wasm_table_t *, wasm_table_size_t index);

WASM_API_EXTERN bool
wasm_table_set(wasm_table_t *, wasm_table_size_t index, wasm_ref_t *);

WASM_API_EXTERN wasm_table_size_t
wasm_table_size(const wasm_table_t *);

WASM_API_EXTERN bool
wasm_table_grow(wasm_table_t *, wasm_table_size_t delta, wasm_ref_t *init);

/* Memory instances */

WASM_DECLARE_REF(memory)

typedef uint32_t wasm_memory_pages_t;

/* Bytes per WebAssembly page. */
static const size_t MEMORY_PAGE_SIZE = 0x10000;

WASM_API_EXTERN own wasm_memory_t *
wasm_memory_new(wasm_store_t *, const wasm_memorytype_t *);

WASM_API_EXTERN own wasm_memorytype_t *
wasm_memory_type(const wasm_memory_t *);

/* Base of the memory; invalidated by growth. */
WASM_API_EXTERN byte_t *
wasm_memory_data(wasm_memory_t *);

WASM_API_EXTERN size_t
wasm_memory_data_size(const wasm_memory_t *);

WASM_API_EXTERN wasm_memory_pages_t
wasm_memory_size(const wasm_memory_t *);

WASM_API_EXTERN bool
wasm_memory_grow(wasm_memory_t *, wasm_memory_pages_t delta);

/* Externals */

WASM_DECLARE_REF(extern)
WASM_DECLARE_VEC(extern, *)

WASM_API_EXTERN wasm_externkind_t
wasm_extern_kind(const wasm_extern_t *);

WASM_API_EXTERN own wasm_externtype_t *
wasm_extern_type(const wasm_extern_t *);

WASM_API_EXTERN wasm_extern_t *
wasm_func_as_extern(wasm_func_t *);
WASM_API_EXTERN wasm_extern_t *
wasm_global_as_extern(wasm_global_t *);
WASM_API_EXTERN wasm_extern_t *
wasm_table_as_extern(wasm_table_t *);
WASM_API_EXTERN wasm_extern_t *
wasm_memory_as_extern(wasm_memory_t *);

WASM_API_EXTERN wasm_func_t *
wasm_extern_as_func(wasm_extern_t *);
WASM_API_EXTERN wasm_global_t *
wasm_extern_as_global(wasm_extern_t *);
WASM_API_EXTERN wasm_table_t *
wasm_extern_as_table(wasm_extern_t *);
WASM_API_EXTERN wasm_memory_t *
wasm_extern_as_memory(wasm_extern_t *);

WASM_API_EXTERN const wasm_extern_t *
wasm_func_as_extern_const(const wasm_func_t *);
WASM_API_EXTERN const wasm_extern_t *
wasm_global_as_extern_const(const wasm_global_t *);
WASM_API_EXTERN const wasm_extern_t *
wasm_table_as_extern_const(const wasm_table_t *);
WASM_API_EXTERN const wasm_extern_t *
wasm_memory_as_extern_const(const wasm_memory_t *);

WASM_API_EXTERN const wasm_func_t *
wasm_extern_as_func_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_global_t *
wasm_extern_as_global_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_table_t *
wasm_extern_as_table_const(const wasm_extern_t *);
WASM_API_EXTERN const wasm_memory_t *
wasm_extern_as_memory_const(const wasm_extern_t *);

/* Module instances */

WASM_DECLARE_REF(instance)

/* `imports` are matched to the module's imports by position.  On a trap
   during start-up *trap (if non-NULL) receives it and NULL is
   returned. */
WASM_API_EXTERN own wasm_instance_t *
wasm_instance_new(wasm_store_t *, const wasm_module_t *,
                  const wasm_extern_vec_t *imports, own wasm_trap_t **trap);

/* ... with explicit operand-stack and app-heap sizes. */
WASM_API_EXTERN own wasm_instance_t *
wasm_instance_new_with_args(wasm_store_t *, const wasm_module_t *,
                            const wasm_extern_vec_t *imports,
                            own wasm_trap_t **trap, const uint32_t stack_size,
                            const uint32_t heap_size);

/* ... with InstantiationArgs. */
WASM_API_EXTERN own wasm_instance_t *
wasm_instance_new_with_args_ex(wasm_store_t *, const wasm_module_t *,
                               const wasm_extern_vec_t *imports,
                               own wasm_trap_t **trap,
                               const InstantiationArgs *inst_args);

WASM_API_EXTERN void
wasm_instance_exports(const wasm_instance_t *, own wasm_extern_vec_t *out);

/* Execution-time profiling (perf-profiling builds). */
WASM_API_EXTERN double
wasm_instance_sum_wasm_exec_time(const wasm_instance_t *);

WASM_API_EXTERN double
wasm_instance_get_wasm_func_exec_time(const wasm_instance_t *, const char *);

/* Placeholder extern of the given kind, e.g. for an import the host does
   not provide. */
WASM_API_EXTERN own wasm_extern_t *
wasm_extern_new_empty(wasm_store_t *, wasm_externkind_t);

/* ========================================================================
 * Convenience
 * ======================================================================== */

/* Vector initialisers (all five fields). */
#define WASM_EMPTY_VEC { 0, NULL, 0, 0, NULL }
#define WASM_ARRAY_VEC(array)                                   \
    { sizeof(array) / sizeof(*(array)), array,                  \
      sizeof(array) / sizeof(*(array)), sizeof(*(array)), NULL }

/* Value initialisers (C99 designated initialisers; C++ needs C++20). */
#define WASM_I32_VAL(i) \
    { .kind = WASM_I32, ._paddings = { 0 }, .of = { .i32 = i } }
#define WASM_I64_VAL(i) \
    { .kind = WASM_I64, ._paddings = { 0 }, .of = { .i64 = i } }
#define WASM_F32_VAL(z) \
    { .kind = WASM_F32, ._paddings = { 0 }, .of = { .f32 = z } }
#define WASM_F64_VAL(z) \
    { .kind = WASM_F64, ._paddings = { 0 }, .of = { .f64 = z } }
#define WASM_REF_VAL(r) \
    { .kind = WASM_EXTERNREF, ._paddings = { 0 }, .of = { .ref = r } }
#define WASM_INIT_VAL \
    { .kind = WASM_EXTERNREF, ._paddings = { 0 }, .of = { .ref = NULL } }

/* Size helper. */
#ifndef KILOBYTE
#define KILOBYTE(n) ((n) * 1024)
#endif

/* Value types */

static inline own wasm_valtype_t *
wasm_valtype_new_i32(void)
{
    return wasm_valtype_new(WASM_I32);
}

static inline own wasm_valtype_t *
wasm_valtype_new_i64(void)
{
    return wasm_valtype_new(WASM_I64);
}

static inline own wasm_valtype_t *
wasm_valtype_new_f32(void)
{
    return wasm_valtype_new(WASM_F32);
}

static inline own wasm_valtype_t *
wasm_valtype_new_f64(void)
{
    return wasm_valtype_new(WASM_F64);
}

static inline own wasm_valtype_t *
wasm_valtype_new_v128(void)
{
    return wasm_valtype_new(WASM_V128);
}

/* "anyref" is the older name of externref. */
static inline own wasm_valtype_t *
wasm_valtype_new_anyref(void)
{
    return wasm_valtype_new(WASM_EXTERNREF);
}

static inline own wasm_valtype_t *
wasm_valtype_new_funcref(void)
{
    return wasm_valtype_new(WASM_FUNCREF);
}

/* Function types with up to three parameters and two results.  The
   valtype arguments are consumed. */

static inline own wasm_functype_t *
wasm_functype_new_0_0(void)
{
    wasm_valtype_vec_t params, results;
    wasm_valtype_vec_new_empty(&params);
    wasm_valtype_vec_new_empty(&results);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_1_0(own wasm_valtype_t *p)
{
    wasm_valtype_t *ps[1];
    wasm_valtype_vec_t params, results;
    ps[0] = p;
    wasm_valtype_vec_new(&params, 1, ps);
    wasm_valtype_vec_new_empty(&results);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_2_0(own wasm_valtype_t *p1, own wasm_valtype_t *p2)
{
    wasm_valtype_t *ps[2];
    wasm_valtype_vec_t params, results;
    ps[0] = p1;
    ps[1] = p2;
    wasm_valtype_vec_new(&params, 2, ps);
    wasm_valtype_vec_new_empty(&results);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_3_0(own wasm_valtype_t *p1, own wasm_valtype_t *p2,
                      own wasm_valtype_t *p3)
{
    wasm_valtype_t *ps[3];
    wasm_valtype_vec_t params, results;
    ps[0] = p1;
    ps[1] = p2;
    ps[2] = p3;
    wasm_valtype_vec_new(&params, 3, ps);
    wasm_valtype_vec_new_empty(&results);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_0_1(own wasm_valtype_t *r)
{
    wasm_valtype_t *rs[1];
    wasm_valtype_vec_t params, results;
    rs[0] = r;
    wasm_valtype_vec_new_empty(&params);
    wasm_valtype_vec_new(&results, 1, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_1_1(own wasm_valtype_t *p, own wasm_valtype_t *r)
{
    wasm_valtype_t *ps[1];
    wasm_valtype_t *rs[1];
    wasm_valtype_vec_t params, results;
    ps[0] = p;
    rs[0] = r;
    wasm_valtype_vec_new(&params, 1, ps);
    wasm_valtype_vec_new(&results, 1, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_2_1(own wasm_valtype_t *p1, own wasm_valtype_t *p2,
                      own wasm_valtype_t *r)
{
    wasm_valtype_t *ps[2];
    wasm_valtype_t *rs[1];
    wasm_valtype_vec_t params, results;
    ps[0] = p1;
    ps[1] = p2;
    rs[0] = r;
    wasm_valtype_vec_new(&params, 2, ps);
    wasm_valtype_vec_new(&results, 1, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_3_1(own wasm_valtype_t *p1, own wasm_valtype_t *p2,
                      own wasm_valtype_t *p3, own wasm_valtype_t *r)
{
    wasm_valtype_t *ps[3];
    wasm_valtype_t *rs[1];
    wasm_valtype_vec_t params, results;
    ps[0] = p1;
    ps[1] = p2;
    ps[2] = p3;
    rs[0] = r;
    wasm_valtype_vec_new(&params, 3, ps);
    wasm_valtype_vec_new(&results, 1, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_0_2(own wasm_valtype_t *r1, own wasm_valtype_t *r2)
{
    wasm_valtype_t *rs[2];
    wasm_valtype_vec_t params, results;
    rs[0] = r1;
    rs[1] = r2;
    wasm_valtype_vec_new_empty(&params);
    wasm_valtype_vec_new(&results, 2, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_1_2(own wasm_valtype_t *p, own wasm_valtype_t *r1,
                      own wasm_valtype_t *r2)
{
    wasm_valtype_t *ps[1];
    wasm_valtype_t *rs[2];
    wasm_valtype_vec_t params, results;
    ps[0] = p;
    rs[0] = r1;
    rs[1] = r2;
    wasm_valtype_vec_new(&params, 1, ps);
    wasm_valtype_vec_new(&results, 2, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_2_2(own wasm_valtype_t *p1, own wasm_valtype_t *p2,
                      own wasm_valtype_t *r1, own wasm_valtype_t *r2)
{
    wasm_valtype_t *ps[2];
    wasm_valtype_t *rs[2];
    wasm_valtype_vec_t params, results;
    ps[0] = p1;
    ps[1] = p2;
    rs[0] = r1;
    rs[1] = r2;
    wasm_valtype_vec_new(&params, 2, ps);
    wasm_valtype_vec_new(&results, 2, rs);
    return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t *
wasm_functype_new_3_2(own wasm_valtype_t *p1, own wasm_valtype_t *p2,
                      own wasm_valtype_t *p3, own wasm_valtype_t *r1,
                      own wasm_valtype_t *r2)
{
    wasm_valtype_t *ps[3];
    wasm_valtype_t *rs[2];
    wasm_valtype_vec_t params, results;
    ps[0] = p1;
    ps[1] = p2;
    ps[2] = p3;
    rs[0] = r1;
    rs[1] = r2;
    wasm_valtype_vec_new(&params, 3, ps);
    wasm_valtype_vec_new(&results, 2, rs);
    return wasm_functype_new(&params, &results);
}

/* Pointers stored in integer values (i32 on 32-bit hosts, i64 on 64-bit
   hosts).  The bits are copied rather than cast so that the helpers stay
   warning-free in C++ builds using -Wold-style-cast. */

static inline void
wasm_val_init_ptr(own wasm_val_t *out, void *p)
{
#if UINTPTR_MAX == UINT32_MAX
    out->kind = WASM_I32;
    memcpy(&out->of.i32, &p, sizeof(p));
#elif UINTPTR_MAX == UINT64_MAX
    out->kind = WASM_I64;
    memcpy(&out->of.i64, &p, sizeof(p));
#endif
}

static inline void *
wasm_val_ptr(const wasm_val_t *val)
{
    void *p;
#if UINTPTR_MAX == UINT32_MAX
    memcpy(&p, &val->of.i32, sizeof(p));
#elif UINTPTR_MAX == UINT64_MAX
    memcpy(&p, &val->of.i64, sizeof(p));
#endif
    return p;
}

#undef own

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _WASM_C_API_H_ */
