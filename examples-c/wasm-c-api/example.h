/*
 * Shared helpers of the wasm-c-api example programs: loading a .wasm file and a CHECK
 * macro that ends the program with a message when an expectation fails.
 */
#ifndef CWAMR_WASM_C_API_EXAMPLE_H
#define CWAMR_WASM_C_API_EXAMPLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_c_api.h"

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

/* Reads a whole file into a new byte vector (ends the program on failure). */
static inline void
load_wasm(const char *path, wasm_byte_vec_t *out)
{
    FILE *f = fopen(path, "rb");
    long n;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0L, SEEK_END);
    n = ftell(f);
    fseek(f, 0L, SEEK_SET);
    wasm_byte_vec_new_uninitialized(out, (size_t)n);
    if (fread(out->data, (size_t)n, 1, f) != 1) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
}

/* Export `i` as a function (ends the program if it is not one). */
static inline const wasm_func_t *
export_func(const wasm_extern_vec_t *exports, size_t i)
{
    const wasm_func_t *f;
    CHECK(i < exports->size);
    f = wasm_extern_as_func_const(exports->data[i]);
    CHECK(f != NULL);
    return f;
}

/* Export `i` as a global / table / memory. */
static inline wasm_global_t *
export_global(const wasm_extern_vec_t *exports, size_t i)
{
    wasm_global_t *g;
    CHECK(i < exports->size);
    g = wasm_extern_as_global(exports->data[i]);
    CHECK(g != NULL);
    return g;
}

static inline wasm_table_t *
export_table(const wasm_extern_vec_t *exports, size_t i)
{
    wasm_table_t *t;
    CHECK(i < exports->size);
    t = wasm_extern_as_table(exports->data[i]);
    CHECK(t != NULL);
    return t;
}

static inline wasm_memory_t *
export_memory(const wasm_extern_vec_t *exports, size_t i)
{
    wasm_memory_t *m;
    CHECK(i < exports->size);
    m = wasm_extern_as_memory(exports->data[i]);
    CHECK(m != NULL);
    return m;
}

/* The message of a trap as a C string (the vector is NUL-terminated). */
static inline void
print_trap(const char *what, const wasm_trap_t *trap)
{
    wasm_message_t msg;
    wasm_trap_message(trap, &msg);
    CHECK(msg.size > 0 && msg.data[msg.size - 1] == '\0');
    printf("> %s: %s\n", what, msg.data);
    wasm_byte_vec_delete(&msg);
}

#endif
