/* libc-builtin on shared heaps, as WAMR's samples/shared-heap use it: a guest snprintf's into
 * blocks it got from shared_heap_malloc and into a pre-allocated heap chained above them,
 * another instance printf's them with "%s" and frees them; strlen and memcpy take heap
 * pointers; a range that runs from one heap of the chain into the next traps out of bounds,
 * and after a detach every heap pointer does (the other instance keeps its access).
 * Written to build against WAMR 2.4.3 as well (-DTEST_AGAINST_WAMR, shared heap enabled). */
#include "test_util.h"

#define HEAP_SIZE 65536u
#define PRE_SIZE 4096u
#define PRE_START (0xFFFFFFFFu - PRE_SIZE + 1u)    /* the body: topmost */
#define HEAP_START (PRE_START - HEAP_SIZE)          /* the head, right below it */
#define MSG "buf %u from the shared heap"

static const char *OOB = "Exception: out of bounds memory access";
static char pre_buf[PRE_SIZE];

/* Calls export `name` of `inst` with `argc` cells; false on a trap (exception kept). */
static int
call(wasm_module_inst_t inst, const char *name, uint32_t argc, uint32_t *argv)
{
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    if (!f) {
        fprintf(stderr, "no export %s\n", name);
        return 0;
    }
    wasm_runtime_clear_exception(inst);
    return wasm_runtime_call_wasm(wasm_runtime_get_exec_env_singleton(inst), f, argc,
                                  argv);
}

static uint32_t
call2(wasm_module_inst_t inst, const char *name, uint32_t a, uint32_t b)
{
    uint32_t argv[2] = { a, b };
    if (!call(inst, name, 2, argv))
        return 0xDEADBEEFu;
    return argv[0];
}

static int
traps_oob(wasm_module_inst_t inst, const char *name, uint32_t argc, uint32_t *argv)
{
    const char *e;
    if (call(inst, name, argc, argv))
        return 0;
    e = wasm_runtime_get_exception(inst);
    return e && strcmp(e, OOB) == 0;
}

static void
test_exchange(wasm_module_inst_t a, wasm_module_inst_t b)
{
    char want[64];
    uint32_t i, off, argv[3];
    const char *p;

    /* shared_heap_test: A fills malloc'd blocks, B prints and frees them. */
    for (i = 0; i < 5; i++) {
        off = call2(a, "produce", 1024 * (i + 1), i + 1);
        CHECK(off >= HEAP_START && off < PRE_START);
        snprintf(want, sizeof(want), MSG, i + 1);
        p = wasm_runtime_addr_app_to_native(a, off);
        CHECK(p != NULL && p == wasm_runtime_addr_app_to_native(b, off));
        if (p)
            CHECK_STR(p, want);
        CHECK(wasm_runtime_validate_app_str_addr(b, off));
        CHECK(call2(b, "len", off, 0) == strlen(want));
        CHECK(call2(b, "consume", off, 0) == strlen("received: \n") + strlen(want));
        argv[0] = off;
        CHECK(call(b, "release", 1, argv));
    }

    /* shared_heap_chain_test: A writes into the pre-allocated heap at fixed app addresses;
       the host sees the bytes in its own buffer, B prints them. */
    for (i = 0; i < 8; i++) {
        off = PRE_START + 512 * i;
        CHECK(call2(a, "produce_at", off, 9 + i) == 'b');
        snprintf(want, sizeof(want), MSG, 9 + i);
        CHECK_STR(pre_buf + 512 * i, want);
        CHECK(wasm_runtime_addr_app_to_native(b, off) == pre_buf + 512 * i);
        CHECK(call2(b, "consume", off, 0) == strlen("received: \n") + strlen(want));
    }

    /* memcpy from the pre-allocated heap into linear memory and back into the managed one. */
    argv[0] = 256, argv[1] = PRE_START, argv[2] = 8;
    CHECK(call(b, "copy", 3, argv) && argv[0] == 256);
    p = wasm_runtime_addr_app_to_native(b, 256);
    CHECK(p != NULL && memcmp(p, "buf 9 fr", 8) == 0);
    argv[0] = HEAP_START, argv[1] = 256, argv[2] = 8;
    CHECK(call(b, "copy", 3, argv) && argv[0] == HEAP_START);
    /* Straddling the two heaps of the chain, or running past the top: out of bounds. */
    argv[0] = PRE_START - 4, argv[1] = 256, argv[2] = 8;
    CHECK(traps_oob(b, "copy", 3, argv));
    argv[0] = 256, argv[1] = 0xFFFFFFFCu, argv[2] = 8;
    CHECK(traps_oob(b, "copy", 3, argv));
    /* A string must end inside the heap it starts in. */
    memset(pre_buf + PRE_SIZE - 4, 'x', 4);
    argv[0] = 0xFFFFFFFCu;
    CHECK(traps_oob(b, "len", 1, argv));
}

static void
test_detach(wasm_module_inst_t a, wasm_module_inst_t b)
{
    uint32_t argv[2];

    wasm_runtime_detach_shared_heap(b);
    argv[0] = PRE_START;
    CHECK(traps_oob(b, "consume", 1, argv));
    argv[0] = PRE_START;
    CHECK(traps_oob(b, "len", 1, argv));
    CHECK(!wasm_runtime_validate_app_str_addr(b, PRE_START));
    /* A keeps its delegation. */
    CHECK(call2(a, "len", PRE_START, 0) == strlen("buf 9 from the shared heap"));
    wasm_runtime_detach_shared_heap(a);
    argv[0] = PRE_START + 512, argv[1] = 1;
    CHECK(traps_oob(a, "produce_at", 2, argv));
}

int
main(void)
{
    char err[128];
    uint32_t size;
    uint8_t *buf;
    wasm_module_t m;
    wasm_module_inst_t a, b;
    SharedHeapInitArgs args;
    wasm_shared_heap_t heap, pre, chain;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    buf = t_read_wasm("shared_heap_libc.wasm", &size);
    m = wasm_runtime_load(buf, size, err, sizeof(err));
    if (!m) {
        fprintf(stderr, "load: %s\n", err);
        return 1;
    }
    a = wasm_runtime_instantiate(m, 0, 0, err, sizeof(err));
    b = wasm_runtime_instantiate(m, 0, 0, err, sizeof(err));
    CHECK(a && b);

    memset(&args, 0, sizeof(args));
    args.size = HEAP_SIZE;
    heap = wasm_runtime_create_shared_heap(&args);
    memset(&args, 0, sizeof(args));
    args.pre_allocated_addr = pre_buf;
    args.size = PRE_SIZE;
    pre = wasm_runtime_create_shared_heap(&args);
    CHECK(heap && pre);
    chain = wasm_runtime_chain_shared_heaps(heap, pre);
    CHECK(chain != NULL);
    if (a && b && chain && wasm_runtime_attach_shared_heap(a, chain)
        && wasm_runtime_attach_shared_heap(b, chain)) {
        test_exchange(a, b);
        test_detach(a, b);
    }
    else {
        CHECK(!"attach");
    }

    wasm_runtime_deinstantiate(a);
    wasm_runtime_deinstantiate(b);
    wasm_runtime_unload(m);
    free(buf);
    wasm_runtime_destroy();
    return t_finish();
}
