/* Shared helpers of the examples: read a file, fail loudly. */
#ifndef CWAMR_EXAMPLE_H
#define CWAMR_EXAMPLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

static inline uint8_t *
read_file(const char *path, uint32_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        exit(1);
    fclose(f);
    *size = (uint32_t)n;
    return buf;
}

#define EXPECT(cond)                                                          \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__,      \
                    __LINE__, #cond);                                         \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

#endif
