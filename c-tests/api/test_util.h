/*
 * Minimal test harness for the C API behaviour tests: CHECK counts and reports, each test
 * program ends with "N passed, N failed" and exits non-zero on any failure.
 */
#ifndef CWAMR_TEST_UTIL_H
#define CWAMR_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

#ifndef WASM_DIR
#define WASM_DIR "."
#endif

static int t_pass, t_fail;

#if defined(__GNUC__) || defined(__clang__)
#define T_UNUSED __attribute__((unused))
#else
#define T_UNUSED
#endif

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (cond) {                                                               \
            t_pass++;                                                             \
        }                                                                         \
        else {                                                                    \
            t_fail++;                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                         \
    } while (0)

#define CHECK_STR(a, b)                                                           \
    do {                                                                          \
        const char *a_ = (a), *b_ = (b);                                          \
        if (a_ && b_ && strcmp(a_, b_) == 0) {                                    \
            t_pass++;                                                             \
        }                                                                         \
        else {                                                                    \
            t_fail++;                                                             \
            fprintf(stderr, "FAIL %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                      \
        }                                                                         \
    } while (0)

T_UNUSED static int
t_finish(void)
{
    printf("%d passed, %d failed\n", t_pass, t_fail);
    return t_fail == 0 ? 0 : 1;
}

/* Read WASM_DIR/name into a malloc'd buffer. */
T_UNUSED static uint8_t *
t_read_wasm(const char *name, uint32_t *size)
{
    char path[1024];
    FILE *f;
    long n;
    uint8_t *buf;

    snprintf(path, sizeof(path), "%s/%s", WASM_DIR, name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *size = (uint32_t)n;
    return buf;
}

/* Load and instantiate a test module; aborts the test program on failure. */
T_UNUSED static wasm_module_inst_t
t_instantiate(const char *name, wasm_module_t *out_module)
{
    char err[256];
    uint32_t size;
    uint8_t *buf = t_read_wasm(name, &size);
    wasm_module_t m = wasm_runtime_load(buf, size, err, sizeof(err));
    wasm_module_inst_t inst;

    free(buf); /* the runtime keeps its own copy */
    if (!m) {
        fprintf(stderr, "load %s: %s\n", name, err);
        exit(2);
    }
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    if (!inst) {
        fprintf(stderr, "instantiate %s: %s\n", name, err);
        exit(2);
    }
    if (out_module)
        *out_module = m;
    return inst;
}

#endif
