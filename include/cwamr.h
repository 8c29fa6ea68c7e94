/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * cwamr.h: cwamr's own extensions to the WAMR embedding API.
 *
 * Everything in wasm_export.h, lib_export.h and wasm_c_api.h is the
 * WAMR-compatible surface and never changes shape.  Functionality that
 * WAMR does not have -- capability-violation reporting, delegation of
 * capabilities between instances, memory views, ... -- is declared in
 * this header, and only here, so that programs using it opt in
 * explicitly and programs that do not stay portable to WAMR.
 *
 * All extension symbols use the `cwamr_` prefix.
 */

#ifndef CWAMR_H
#define CWAMR_H

#include "wasm_export.h"

/* Version of the cwamr extension API (independent of the WAMR version
   reported by wasm_runtime_get_version). */
#define CWAMR_VERSION_MAJOR 0
#define CWAMR_VERSION_MINOR 1
#define CWAMR_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Capability violations: every refused capability operation (a forged, stale or wrong-type
 * handle, an out-of-bounds native argument, a bad app-heap free, a local capability leaving its
 * instance, ...) is counted per kind and kept in a ring of the 64 most recent records.
 */
#define CWAMR_VIOLATION_CAP_TAG 1u
#define CWAMR_VIOLATION_CAP_SEALED 2u
#define CWAMR_VIOLATION_CAP_PERM 3u
#define CWAMR_VIOLATION_CAP_BOUNDS 4u
#define CWAMR_VIOLATION_CAP_TYPE 5u
#define CWAMR_VIOLATION_CAP_STALE 6u
#define CWAMR_VIOLATION_CAP_REPRESENTABILITY 7u
#define CWAMR_VIOLATION_HANDLE_NULL 8u
#define CWAMR_VIOLATION_HANDLE_SHAPE 9u
#define CWAMR_VIOLATION_HANDLE_TYPE 10u
#define CWAMR_VIOLATION_HANDLE_SLOT 11u
#define CWAMR_VIOLATION_HANDLE_DEAD 12u
#define CWAMR_VIOLATION_HANDLE_STALE 13u
#define CWAMR_VIOLATION_HANDLE_MAC 14u
#define CWAMR_VIOLATION_HANDLE_OWNER 15u
#define CWAMR_VIOLATION_HANDLE_THREAD 16u
#define CWAMR_VIOLATION_OTHER 17u
#define CWAMR_VIOLATION_HEAP_INVALID_FREE 18u
#define CWAMR_VIOLATION_HEAP_DOUBLE_FREE 19u
#define CWAMR_VIOLATION_HEAP_FOREIGN_FREE 20u
#define CWAMR_VIOLATION_LOCAL_CAP_ESCAPE 21u
#define CWAMR_VIOLATION_COMPARTMENT_POISONED 22u

#define CWAMR_NO_COMPARTMENT 0xffffffffu

typedef struct cwamr_cap_violation_t {
    uint32_t kind;        /* CWAMR_VIOLATION_* */
    uint32_t compartment; /* instance (compartment) id, or CWAMR_NO_COMPARTMENT */
    uint64_t addr;        /* address, or the raw handle value */
    uint64_t len;         /* access length */
    uint32_t perms;       /* permission bits involved */
    uint32_t otype;       /* object type involved */
} cwamr_cap_violation_t;

/* Number of violations since start (or the last clear), in all and of one kind. */
WASM_RUNTIME_API_EXTERN uint64_t
cwamr_cap_violation_count(void);
WASM_RUNTIME_API_EXTERN uint64_t
cwamr_cap_violation_count_kind(uint32_t kind);

/* Copy up to max of the most recent violations into out, oldest first; returns the number. */
WASM_RUNTIME_API_EXTERN uint32_t
cwamr_cap_violations(cwamr_cap_violation_t *out, uint32_t max);

/* Reset the counts and the ring. */
WASM_RUNTIME_API_EXTERN void
cwamr_cap_violations_clear(void);

/* This thread's last error message from any cwamr API ("" if none). */
WASM_RUNTIME_API_EXTERN const char *
cwamr_last_error(void);

/*
 * Bounced natives (capability model, section 4): registered like wasm_runtime_register_natives
 * (signature strings required), but each `*` / `*~` argument is a host copy of the guest range
 * followed by a guard page, copied back after the call.  A native that writes past its range
 * is caught: a small overrun by a canary check (the call traps with "native function wrote past
 * the end of its buffer argument" and nothing is copied back), a large one by the guard page
 * (SIGSEGV) before linear memory is touched.  For natives that are not fully trusted.
 */
WASM_RUNTIME_API_EXTERN bool
cwamr_register_natives_bounce(const char *module_name, NativeSymbol *native_symbols,
                              uint32_t n_native_symbols);

/*
 * Delegation (capability model, section 8): the host grants one instance a bounded,
 * permission-reduced, revocable window onto another instance's memory 0.
 *
 *   d = cwamr_delegate(src, offset, length, CWAMR_DELEGATE_READ);
 *   cwamr_delegation_grant(d, dst, &val);   // val: a WASM_EXTERNREF wasm_val_t
 *   ... pass val to a function of dst (wasm_runtime_call_wasm_a) ...
 *   cwamr_revoke(d);                        // every later access through it fails
 *
 * The receiving module uses the imports (module "cwamr"), offsets relative to the window:
 *   buf_read(externref h, i32 off, i32 dst, i32 len) -> i32   copy window -> own memory
 *   buf_write(externref h, i32 off, i32 src, i32 len) -> i32  copy own memory -> window
 *   buf_len(externref h) -> i32
 * returning >= 0 on success, < 0 when refused (bounds, permission, revoked).
 */
typedef struct cwamr_delegation *cwamr_delegation_t;

#define CWAMR_DELEGATE_GLOBAL 0x1u /* may be passed on to a third instance */
#define CWAMR_DELEGATE_READ 0x4u
#define CWAMR_DELEGATE_WRITE 0x8u

/* A delegation of [offset, offset + length) of src's memory 0, or NULL. */
WASM_RUNTIME_API_EXTERN cwamr_delegation_t
cwamr_delegate(wasm_module_inst_t src, uint64_t offset, uint64_t length, uint32_t perms);

/* Expose d to instance `to`; *externref receives the value to pass to its functions. */
WASM_RUNTIME_API_EXTERN bool
cwamr_delegation_grant(cwamr_delegation_t d, wasm_module_inst_t to, wasm_val_t *externref);

/* End the delegation (false if it is not live). */
WASM_RUNTIME_API_EXTERN bool
cwamr_revoke(cwamr_delegation_t d);

/*
 * Memory views (capability model, section 3): a bounded grant of exactly the range asked for,
 * the way into linear memory in strict mode (CWAMR_STRICT=1), where
 * wasm_runtime_addr_app_to_native returns NULL. While a view is held its instance cannot be
 * destroyed (wasm_runtime_deinstantiate refuses); release it when done.
 */
#define CWAMR_VIEW_READ 0x4u
#define CWAMR_VIEW_WRITE 0x8u

typedef struct cwamr_view_t {
    uint8_t *ptr;    /* native address of the first byte */
    uint64_t offset; /* app offset of the first byte */
    uint64_t len;    /* length in bytes */
    uint32_t perms;  /* CWAMR_VIEW_READ and/or CWAMR_VIEW_WRITE */
    void *handle;    /* sealed handle naming the view */
} cwamr_view_t;

/* A view of [offset, offset + length) of inst's memory 0; false if out of bounds. */
WASM_RUNTIME_API_EXTERN bool
cwamr_view_acquire(wasm_module_inst_t inst, uint64_t offset, uint64_t length, uint32_t perms,
                   cwamr_view_t *view);

/* True while the view is held and its instance lives. */
WASM_RUNTIME_API_EXTERN bool
cwamr_view_valid(const cwamr_view_t *view);

/* Release a view (false if it is not held). */
WASM_RUNTIME_API_EXTERN bool
cwamr_view_release(cwamr_view_t *view);

#ifdef __cplusplus
}
#endif

#endif /* CWAMR_H */
