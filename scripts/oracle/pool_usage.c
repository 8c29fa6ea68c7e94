/*
 * pool_usage: how much of an Alloc_With_Pool buffer a runtime uses to load and instantiate a module.
 * Our own measuring tool for the WAMR comparison (scripts/oracle/README.md); builds on wasm_export.h only,
 * so it links against WAMR's libiwasm.so or cwamr's libcwamr.so. Not run by CI.
 *
 *   pool_usage <pool bytes> <file.wasm> [stack bytes] [heap bytes]
 * prints one line: the pool figures (used = total - free, and the high mark) after full_init, after
 * load and after instantiate, and exits 0 if load and instantiate succeeded, 1 if either failed
 * (the message is printed), 2 on bad usage or a failed init.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

static int
read_file(const char *path, uint8_t **buf, uint32_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *buf = malloc(n ? (size_t)n : 1);
    if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        return -1;
    }
    fclose(f);
    *size = (uint32_t)n;
    return 0;
}

/* the figures are collected here and printed as one line at the end, after any runtime log lines */
static char line[1024];

static void
add(const char *fmt, ...)
{
    size_t n = strlen(line);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
}

static void
report(const char *stage)
{
    mem_alloc_info_t info;

    memset(&info, 0, sizeof(info));
    if (wasm_runtime_get_mem_alloc_info(&info))
        add(" %s: used %u high %u", stage, info.total_size - info.total_free_size,
            info.highmark_size);
    else
        add(" %s: no info", stage);
}

int
main(int argc, char **argv)
{
    RuntimeInitArgs init;
    uint8_t *wasm = NULL;
    uint32_t wasm_size = 0, pool_size, stack_size = 16384, heap_size = 16384;
    char error[128];
    void *pool;
    wasm_module_t module;
    wasm_module_inst_t inst;
    int rc = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: %s <pool bytes> <file.wasm> [stack bytes] [heap bytes]\n", argv[0]);
        return 2;
    }
    pool_size = (uint32_t)strtoul(argv[1], NULL, 0);
    if (argc > 3)
        stack_size = (uint32_t)strtoul(argv[3], NULL, 0);
    if (argc > 4)
        heap_size = (uint32_t)strtoul(argv[4], NULL, 0);
    if (read_file(argv[2], &wasm, &wasm_size) != 0) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        return 2;
    }
    pool = malloc(pool_size);
    if (!pool)
        return 2;

    memset(&init, 0, sizeof(init));
    init.mem_alloc_type = Alloc_With_Pool;
    init.mem_alloc_option.pool.heap_buf = pool;
    init.mem_alloc_option.pool.heap_size = pool_size;
    if (!wasm_runtime_full_init(&init)) {
        printf("pool %u: init failed\n", pool_size);
        return 2;
    }
    snprintf(line, sizeof(line), "pool %u size %u:", pool_size, wasm_size);
    report("init");
    module = wasm_runtime_load(wasm, wasm_size, error, sizeof(error));
    if (!module) {
        add(" load failed: %s", error);
        rc = 1;
    }
    else {
        report("load");
        inst = wasm_runtime_instantiate(module, stack_size, heap_size, error, sizeof(error));
        if (!inst) {
            add(" instantiate failed: %s", error);
            rc = 1;
        }
        else {
            report("instantiate");
            wasm_runtime_deinstantiate(inst);
        }
        wasm_runtime_unload(module);
    }
    wasm_runtime_destroy();
    printf("%s\n", line);
    free(pool);
    free(wasm);
    return rc;
}
