/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_assert.h: WAMR's assertion macros. bh_assert(expr) checks only when BH_DEBUG is
 * non-zero (WAMR's debug builds) and then logs "ASSERTION FAILED: ..." and aborts.
 */

#ifndef _BH_ASSERT_H
#define _BH_ASSERT_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#if BH_DEBUG != 0
void
bh_assert_internal(int64 v, const char *file_name, int line_number,
                   const char *expr_string);
#define bh_assert(expr) \
    bh_assert_internal((int64)(uintptr_t)(expr), __FILE__, __LINE__, #expr)
#else
#define bh_assert(expr) (void)0
#endif

#if defined(__cplusplus)
#define bh_static_assert(expr) static_assert(expr, #expr)
#else
#define bh_static_assert(expr) _Static_assert(expr, #expr)
#endif

#ifdef __cplusplus
}
#endif

#endif /* _BH_ASSERT_H */
