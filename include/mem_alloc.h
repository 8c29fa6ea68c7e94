/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * mem_alloc.h: a heap inside a buffer the caller owns (WAMR's mem_allocator
 * API).  All of the heap's bookkeeping lives inside the buffer(s) given at
 * creation; nothing else is allocated.  The runtime uses the same allocator
 * for RuntimeInitArgs.mem_alloc_type = Alloc_With_Pool.
 *
 *   mem_allocator_create(buf, size)
 *       heap struct at the first 8-byte aligned address of buf, blocks after
 *       it; NULL (and an error log line) when size < 256 or the buffer cannot
 *       hold the struct and one block.
 *   mem_allocator_create_with_struct_and_pool(s, s_size, pool, pool_size)
 *       struct in s (8-byte aligned, at least
 *       mem_allocator_get_heap_struct_size() bytes), blocks in pool (8-byte
 *       aligned, at least 256 bytes).
 *   mem_allocator_destroy        0 on success; the buffers are the caller's again
 *   mem_allocator_malloc         8-byte aligned block, NULL on failure
 *   mem_allocator_realloc        ptr NULL = malloc; NULL on failure (ptr kept)
 *   mem_allocator_free           NULL is ignored
 *   mem_allocator_malloc_aligned alignment a power of two <= page size and
 *                                size a multiple of it, else NULL
 *   mem_allocator_migrate        after copying the pool to pool_buf_new:
 *                                0, or -1 (bad buffer / corrupted heap)
 *   mem_allocator_is_heap_corrupted  true once the heap found its
 *                                metadata overwritten (then allocations fail)
 *   mem_allocator_get_alloc_info fills a mem_alloc_info_t (wasm_export.h):
 *                                block-area size, free bytes, high-water mark
 *
 * ABI-compatible with WAMR 2.4.3's header of the same name (non-GC build).
 */

#ifndef __MEM_ALLOC_H
#define __MEM_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *mem_allocator_t;

#ifndef GC_FINALIZER_T_DEFINED
#define GC_FINALIZER_T_DEFINED
typedef void (*gc_finalizer_t)(void *obj, void *data);
#endif

#ifndef GC_MIN_ALIGNMENT
#define GC_MIN_ALIGNMENT 8
#endif

mem_allocator_t
mem_allocator_create(void *mem, uint32_t size);

mem_allocator_t
mem_allocator_create_with_struct_and_pool(void *struct_buf,
                                          uint32_t struct_buf_size,
                                          void *pool_buf,
                                          uint32_t pool_buf_size);

int
mem_allocator_destroy(mem_allocator_t allocator);

uint32_t
mem_allocator_get_heap_struct_size(void);

void *
mem_allocator_malloc(mem_allocator_t allocator, uint32_t size);

void *
mem_allocator_realloc(mem_allocator_t allocator, void *ptr, uint32_t size);

void
mem_allocator_free(mem_allocator_t allocator, void *ptr);

void *
mem_allocator_malloc_aligned(mem_allocator_t allocator, uint32_t size,
                             uint32_t alignment);

#define mem_allocator_malloc_aligned_internal(allocator, size, alignment, \
                                              file, line)                 \
    mem_allocator_malloc_aligned(allocator, size, alignment)

int
mem_allocator_migrate(mem_allocator_t allocator, char *pool_buf_new,
                      uint32_t pool_buf_size);

bool
mem_allocator_is_heap_corrupted(mem_allocator_t allocator);

bool
mem_allocator_get_alloc_info(mem_allocator_t allocator, void *mem_alloc_info);

#ifdef __cplusplus
}
#endif

#endif /* __MEM_ALLOC_H */
