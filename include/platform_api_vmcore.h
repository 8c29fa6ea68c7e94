/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * platform_api_vmcore.h: the part of WAMR's platform API the runtime core needs, as
 * cwamr exports it on Linux: platform init, memory (libc), console output (C stdout),
 * clocks, the calling thread, mutexes, memory mappings and cache maintenance.
 */

#ifndef _PLATFORM_API_VMCORE_H
#define _PLATFORM_API_VMCORE_H

#include "platform_common.h"
#include "platform_internal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0; nothing to set up. */
int
bh_platform_init(void);

void
bh_platform_destroy(void);

/* libc malloc / realloc / free. */
void *
os_malloc(unsigned size);

void *
os_realloc(void *ptr, unsigned size);

void
os_free(void *ptr);

/* vprintf to C stdout; the number of characters written. */
int
os_printf(const char *format, ...);

int
os_vprintf(const char *format, va_list ap);

/* CLOCK_MONOTONIC in microseconds (0 on error). */
uint64
os_time_get_boot_us(void);

/* CPU time of the calling thread in microseconds. */
uint64
os_time_thread_cputime_us(void);

/* pthread_self(). */
korp_tid
os_self_thread(void);

/* Lowest usable address of the calling thread's stack (above the guard pages, within the
   top APP_THREAD_STACK_SIZE_MAX bytes); NULL if unknown. */
uint8 *
os_thread_get_stack_boundary(void);

/* No-op except on macOS arm64. */
void
os_thread_jit_write_protect_np(bool enabled);

/* BHT_OK / BHT_ERROR. */
int
os_mutex_init(korp_mutex *mutex);

int
os_mutex_destroy(korp_mutex *mutex);

int
os_mutex_lock(korp_mutex *mutex);

int
os_mutex_unlock(korp_mutex *mutex);

enum {
    MMAP_PROT_NONE = 0,
    MMAP_PROT_READ = 1,
    MMAP_PROT_WRITE = 2,
    MMAP_PROT_EXEC = 4
};

enum {
    MMAP_MAP_NONE = 0,
    MMAP_MAP_32BIT = 1,
    MMAP_MAP_FIXED = 2
};

/* Anonymous private mapping of size bytes rounded up to pages (2 MiB aligned from 2 MiB
   up); NULL on failure (a "mmap failed ..." line is printed). */
void *
os_mmap(void *hint, size_t size, int prot, int flags, os_file_handle file);

void
os_munmap(void *addr, size_t size);

/* 0 / -1. */
int
os_mprotect(void *addr, size_t size, int prot);

/* Map anew, copy, unmap the old mapping; NULL on failure. */
static inline void *
os_mremap_slow(void *old_addr, size_t old_size, size_t new_size)
{
    void *fresh = os_mmap(NULL, new_size, MMAP_PROT_READ | MMAP_PROT_WRITE, 0,
                          os_get_invalid_handle());

    if (fresh) {
        memcpy(fresh, old_addr, old_size < new_size ? old_size : new_size);
        os_munmap(old_addr, old_size);
    }
    return fresh;
}

/* mremap(MREMAP_MAYMOVE), else os_mremap_slow; NULL on failure. */
void *
os_mremap(void *old_addr, size_t old_size, size_t new_size);

/* No-ops on Linux. */
void
os_dcache_flush(void);

void
os_icache_flush(void *start, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _PLATFORM_API_VMCORE_H */
