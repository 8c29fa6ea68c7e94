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

/* Extensions are declared here as they are added:
 *   - capability violations
 *   - delegation (below)
 *   - views (below)
 */

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
