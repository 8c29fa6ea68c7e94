/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * platform_common.h: the definitions every part of WAMR's platform layer shares: status
 * codes (BHT_*), size units, the short integer type names (uint8 ... float64), the thread
 * start routine type, BH_MALLOC / BH_FREE, and the build-configuration values of WAMR's
 * Linux build that embedders use (APP_THREAD_STACK_SIZE_DEFAULT, DEFAULT_QUEUE_LENGTH, ...),
 * each overridable with -D as in WAMR.
 */

#ifndef _PLATFORM_COMMON_H
#define _PLATFORM_COMMON_H

#include "platform_internal.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BH_MAX_THREAD 32

#define BHT_ERROR (-1)
#define BHT_TIMED_OUT (1)
#define BHT_OK (0)

#define BHT_WAIT_FOREVER ((uint64)-1LL)

#define BH_KB (1024)
#define BH_MB ((BH_KB) * 1024)
#define BH_GB ((BH_MB) * 1024)

#ifndef BH_MALLOC
#define BH_MALLOC os_malloc
#endif

#ifndef BH_FREE
#define BH_FREE os_free
#endif

#ifndef BH_TIME_T_MAX
#define BH_TIME_T_MAX LONG_MAX
#endif

void *
BH_MALLOC(unsigned int size);
void
BH_FREE(void *ptr);

#if defined(BH_VPRINTF)
int
BH_VPRINTF(const char *format, va_list ap);
#endif

#ifndef BH_HAS_DLFCN
#define BH_HAS_DLFCN 1
#endif

/* ---- build configuration values of WAMR's Linux build (core/config.h) ---- */
#ifndef DEFAULT_QUEUE_LENGTH
#define DEFAULT_QUEUE_LENGTH 50
#endif

#ifndef APP_HEAP_SIZE_DEFAULT
#define APP_HEAP_SIZE_DEFAULT (8 * 1024)
#endif
#define APP_HEAP_SIZE_MIN (256)
#define APP_HEAP_SIZE_MAX (1024 * 1024 * 1024)

#ifndef DEFAULT_WASM_STACK_SIZE
#if defined(__x86_64__) || defined(__amd64__)
#define DEFAULT_WASM_STACK_SIZE (16 * 1024)
#else
#define DEFAULT_WASM_STACK_SIZE (12 * 1024)
#endif
#endif

#if !(defined(APP_THREAD_STACK_SIZE_DEFAULT) && defined(APP_THREAD_STACK_SIZE_MIN))
#undef APP_THREAD_STACK_SIZE_DEFAULT
#undef APP_THREAD_STACK_SIZE_MIN
#define APP_THREAD_STACK_SIZE_DEFAULT (128 * 1024)
#define APP_THREAD_STACK_SIZE_MIN (24 * 1024)
#endif

#ifndef APP_THREAD_STACK_SIZE_MAX
#define APP_THREAD_STACK_SIZE_MAX (8 * 1024 * 1024)
#endif

#ifndef EXCEPTION_BUF_LEN
#define EXCEPTION_BUF_LEN 128
#endif

/* Guard pages WAMR reserves below the native stack boundary for its overflow check. */
#ifndef STACK_OVERFLOW_CHECK_GUARD_PAGE_COUNT
#define STACK_OVERFLOW_CHECK_GUARD_PAGE_COUNT 3
#endif

/* ---- short type names ---- */
typedef uint8_t uint8;
typedef int8_t int8;
typedef uint16_t uint16;
typedef int16_t int16;
typedef uint32_t uint32;
typedef int32_t int32;
typedef uint64_t uint64;
typedef int64_t int64;
typedef float float32;
typedef double float64;

typedef void *(*thread_start_routine_t)(void *);

#ifndef bh_socket_t
#define bh_socket_t int
#endif

/* printf/scanf length prefixes, in case <inttypes.h> lacks some */
#ifndef __PRI64_PREFIX
#if UINTPTR_MAX == UINT64_MAX
#define __PRI64_PREFIX "l"
#define __PRIPTR_PREFIX "l"
#else
#define __PRI64_PREFIX "ll"
#define __PRIPTR_PREFIX
#endif
#endif

#ifndef PRId32
#define PRId32 "d"
#endif
#ifndef PRIi32
#define PRIi32 "i"
#endif
#ifndef PRIu32
#define PRIu32 "u"
#endif
#ifndef PRIx32
#define PRIx32 "x"
#endif
#ifndef PRIX32
#define PRIX32 "X"
#endif
#ifndef PRId64
#define PRId64 __PRI64_PREFIX "d"
#endif
#ifndef PRIu64
#define PRIu64 __PRI64_PREFIX "u"
#endif
#ifndef PRIx64
#define PRIx64 __PRI64_PREFIX "x"
#endif
#ifndef PRIX64
#define PRIX64 __PRI64_PREFIX "X"
#endif
#ifndef PRIxPTR
#define PRIxPTR __PRIPTR_PREFIX "x"
#endif
#ifndef PRIXPTR
#define PRIXPTR __PRIPTR_PREFIX "X"
#endif

#ifndef NAN
#define NAN (0.0 / 0.0)
#endif

#ifdef __cplusplus
}
#endif

#endif /* _PLATFORM_COMMON_H */
