/*
 * cwamr ABI lock test, reverse include order.
 *
 * wasm_c_api.h and wasm_export.h share several types through
 * `#ifndef <NAME>_DEFINED` guards, so whichever is included first defines
 * them.  abi_lock.c includes wasm_export.h first; this file includes
 * wasm_c_api.h first (and cwamr.h/lib_export.h last) and then runs the
 * very same assertions and run-time checks.
 */

#include "wasm_c_api.h"
#include "wasm_export.h"
#include "cwamr.h"
#include "lib_export.h"

#define ABI_LOCK_HEADERS_INCLUDED
#define ABI_LOCK_NAME "abi_lock_order"

#include "abi_lock.c"
