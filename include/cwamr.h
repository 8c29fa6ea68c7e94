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
 *   - delegation
 *   - views
 */

#ifdef __cplusplus
}
#endif

#endif /* CWAMR_H */
