/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_hashmap.h: WAMR's hash map of opaque keys and values, hashed and compared by the
 * caller's functions. Sizes below HASH_MAP_MIN_SIZE are raised to it; sizes above
 * HASH_MAP_MAX_SIZE are refused. Inserting a key already present fails.
 */

#ifndef WASM_HASHMAP_H
#define WASM_HASHMAP_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HASH_MAP_MIN_SIZE 4
#define HASH_MAP_MAX_SIZE 65536

struct HashMap;
typedef struct HashMap HashMap;

typedef uint32 (*HashFunc)(const void *key);

typedef bool (*KeyEqualFunc)(void *key1, void *key2);

/* run on each key / value when the map is destroyed (may be NULL) */
typedef void (*KeyDestroyFunc)(void *key);

typedef void (*ValueDestroyFunc)(void *value);

typedef void (*TraverseCallbackFunc)(void *key, void *value, void *user_data);

HashMap *
bh_hash_map_create(uint32 size, bool use_lock, HashFunc hash_func,
                   KeyEqualFunc key_equal_func, KeyDestroyFunc key_destroy_func,
                   ValueDestroyFunc value_destroy_func);

bool
bh_hash_map_insert(HashMap *map, void *key, void *value);

void *
bh_hash_map_find(HashMap *map, void *key);

bool
bh_hash_map_update(HashMap *map, void *key, void *value, void **p_old_value);

bool
bh_hash_map_remove(HashMap *map, void *key, void **p_old_key,
                   void **p_old_value);

bool
bh_hash_map_destroy(HashMap *map);

uint32
bh_hash_map_get_struct_size(HashMap *hashmap);

uint32
bh_hash_map_get_elem_struct_size(void);

bool
bh_hash_map_traverse(HashMap *map, TraverseCallbackFunc callback,
                     void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* WASM_HASHMAP_H */
