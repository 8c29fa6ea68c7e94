/*
 * Helpers of the wasm-c-api C tests: CHECK, loading .wasm files, and capturing what the
 * runtime reports on stderr so a test can assert that misuse was reported.
 */
#ifndef CWAMR_WASM_C_API_TEST_H
#define CWAMR_WASM_C_API_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasm_c_api.h"

static int checks_passed = 0;

/* The real stdout while the runtime's log (stdout, as WAMR's os_printf) is being captured,
 * else -1. */
static int capture_saved_fd = -1;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            dprintf(capture_saved_fd >= 0 ? capture_saved_fd : 2,          \
                    "%s:%d: check failed: %s\n", __FILE__, __LINE__,       \
                    #cond);                                                \
            exit(1);                                                       \
        }                                                                  \
        checks_passed++;                                                   \
    } while (0)

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

static inline wasm_module_t *
load_module(wasm_store_t *store, const char *path)
{
    wasm_byte_vec_t b;
    wasm_module_t *m;
    load_wasm(path, &b);
    m = wasm_module_new(store, &b);
    wasm_byte_vec_delete(&b);
    CHECK(m != NULL);
    return m;
}

/* --- log (stdout) capture ---------------------------------------------------------------- */

static char capture_path[] = "/tmp/cwamr-capi-test-XXXXXX";
static int capture_fd = -1;

/* Starts sending stderr to a temporary file (or to /dev/null with `discard`). */
static inline void
capture_begin(int discard)
{
    fflush(stdout);
    fflush(stderr);
    capture_saved_fd = dup(1);
    if (discard) {
        capture_fd = open("/dev/null", O_WRONLY);
    }
    else {
        strcpy(capture_path, "/tmp/cwamr-capi-test-XXXXXX");
        capture_fd = mkstemp(capture_path);
    }
    CHECK(capture_saved_fd >= 0 && capture_fd >= 0);
    dup2(capture_fd, 1);
}

/* Restores stdout; returns what was written (caller frees), or NULL if discarded. */
static inline char *
capture_end(int discard)
{
    char *text = NULL;
    fflush(stdout);
    dup2(capture_saved_fd, 1);
    close(capture_saved_fd);
    capture_saved_fd = -1;
    if (!discard) {
        off_t n = lseek(capture_fd, 0, SEEK_END);
        text = calloc(1, (size_t)n + 1);
        CHECK(text != NULL);
        CHECK(pread(capture_fd, text, (size_t)n, 0) == n);
        unlink(capture_path);
    }
    close(capture_fd);
    return text;
}

/* Runs nothing; checks that `log` contains `what` (the runtime reported the misuse). */
static inline void
expect_reported(const char *log, const char *what)
{
    if (!strstr(log, what)) {
        dprintf(capture_saved_fd >= 0 ? capture_saved_fd : 2, "expected a report containing \"%s\"; got:\n%s\n", what, log);
        exit(1);
    }
    checks_passed++;
}

#endif
