/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_vector.h: WAMR's growable array of fixed-size elements. All functions return false
 * on a NULL argument, an index out of range or an allocation failure (with WAMR's error
 * line in the log). bh_vector_insert(v, index, elem) requires index < size and, as in
 * WAMR, stores the new element after position index.
 */

#ifndef _WASM_VECTOR_H
#define _WASM_VECTOR_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DEFAULT_VECTOR_INIT_SIZE 8

typedef struct Vector {
    /* allocated element slots */
    size_t max_elems;
    /* element storage */
    uint8 *data;
    /* elements in use */
    size_t num_elems;
    /* size of one element */
    size_t size_elem;
    /* NULL, or the lock taken by each operation */
    void *lock;
} Vector;

bool
bh_vector_init(Vector *vector, size_t init_length, size_t size_elem,
               bool use_lock);

bool
bh_vector_set(Vector *vector, uint32 index, const void *elem_buf);

bool
bh_vector_get(Vector *vector, uint32 index, void *elem_buf);

bool
bh_vector_insert(Vector *vector, uint32 index, const void *elem_buf);

bool
bh_vector_append(Vector *vector, const void *elem_buf);

bool
bh_vector_remove(Vector *vector, uint32 index, void *old_elem_buf);

size_t
bh_vector_size(const Vector *vector);

bool
bh_vector_destroy(Vector *vector);

#ifdef __cplusplus
}
#endif

#endif /* _WASM_VECTOR_H */
