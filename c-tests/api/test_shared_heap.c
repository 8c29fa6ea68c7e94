/* Shared heaps (WAMR's WASM_ENABLE_SHARED_HEAP): two instances attached to one heap exchange a
 * string through shared_heap_malloc'd memory; loads and stores of every width, the fused
 * forms, bulk memory and native pointer arguments reach the heap at the top of the 32-bit app
 * space; address conversions; a chain of a pre-allocated and a runtime-managed heap; detach
 * revokes access (guest accesses then trap out of bounds); reset; error cases.
 * Also builds against WAMR 2.4.3 (shared heap enabled) with -DTEST_AGAINST_WAMR, which leaves
 * out the bad-handle cases WAMR crashes on: compiled on WAMR's headers and linked to its
 * libiwasm.so it passes as well (checked with the oracle build). */
#include "test_util.h"

#include <unistd.h>

#ifndef TEST_AGAINST_WAMR
#include "bh_queue.h"
#endif

#define HEAP_SIZE 65536u
#define HEAP_START (0xFFFFFFFFu - HEAP_SIZE + 1u) /* 0xFFFF0000 */

static const char *OOB = "Exception: out of bounds memory access";

static int32_t
host_strlen(wasm_exec_env_t env, const char *s)
{
    (void)env;
    return (int32_t)strlen(s);
}

static int32_t
host_sum(wasm_exec_env_t env, const uint8_t *p, uint32_t len)
{
    int32_t s = 0;
    uint32_t i;
    (void)env;
    for (i = 0; i < len; i++)
        s += p[i];
    return s;
}

static NativeSymbol natives[] = {
    { "host_strlen", (void *)host_strlen, "($)i", NULL },
    { "host_sum", (void *)host_sum, "(*~)i", NULL },
};

/* Call export `name` of `inst` with `argc` cells; false on a trap (exception kept). */
static int
call(wasm_module_inst_t inst, const char *name, uint32_t argc, uint32_t *argv)
{
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    wasm_exec_env_t env;
    int ok;

    if (!f) {
        fprintf(stderr, "no export %s\n", name);
        return 0;
    }
    env = wasm_runtime_get_exec_env_singleton(inst);
    wasm_runtime_clear_exception(inst);
    ok = wasm_runtime_call_wasm(env, f, argc, argv);
    return ok;
}

static uint32_t
call1(wasm_module_inst_t inst, const char *name, uint32_t a)
{
    uint32_t argv[2] = { a, 0 };
    if (!call(inst, name, 1, argv))
        return 0xDEADBEEFu;
    return argv[0];
}

static int
store(wasm_module_inst_t inst, const char *name, uint32_t addr, uint32_t v)
{
    uint32_t argv[2] = { addr, v };
    return call(inst, name, 2, argv);
}

static int
traps_oob(wasm_module_inst_t inst, const char *name, uint32_t argc, uint32_t *argv)
{
    if (call(inst, name, argc, argv))
        return 0;
    return strcmp(wasm_runtime_get_exception(inst), OOB) == 0;
}

static void
put_u64(uint32_t *cells, uint64_t v)
{
    memcpy(cells, &v, 8);
}

static uint64_t
get_u64(const uint32_t *cells)
{
    uint64_t v;
    memcpy(&v, cells, 8);
    return v;
}

static void
test_two_instances(wasm_module_inst_t a, wasm_module_inst_t b, wasm_shared_heap_t heap)
{
    uint32_t off, off2, argv[6];
    void *native = NULL;
    char *pa, *pb;
    double d = 2.25;

    CHECK(wasm_runtime_attach_shared_heap(a, heap));
    CHECK(wasm_runtime_attach_shared_heap(b, heap));

    /* A allocates through the guest native and copies its string there (memory.copy from
     * linear memory into the heap); B reads it in wasm, through a '$' native and the API. */
    off = call1(a, "alloc", 64);
    CHECK(off >= HEAP_START && off + 64 <= 0xFFFFFFFFu);
    CHECK(off % 8 == 0);
    argv[0] = off;
    CHECK(call(a, "put", 1, argv));
    CHECK(call1(b, "wstrlen", off) == 12);
    CHECK(call1(b, "strlen_native", off) == 12);
    pa = wasm_runtime_addr_app_to_native(a, off);
    pb = wasm_runtime_addr_app_to_native(b, off);
    CHECK(pa != NULL && pa == pb);
    CHECK_STR(pb, "hello from A");
    CHECK(wasm_runtime_addr_native_to_app(b, pb) == off);
    CHECK(wasm_runtime_validate_app_str_addr(b, off));

    /* The host allocates; B frees what A allocated (blocks belong to the heap). */
    off2 = (uint32_t)wasm_runtime_shared_heap_malloc(a, 100, &native);
    CHECK(off2 >= HEAP_START && native != NULL);
    CHECK(native == wasm_runtime_addr_app_to_native(b, off2));
    CHECK(wasm_runtime_addr_native_to_app(b, native) == off2);
    CHECK(wasm_runtime_validate_app_addr(b, off2, 100));
    CHECK(wasm_runtime_validate_native_addr(b, native, 100));
    CHECK(wasm_runtime_validate_app_addr(b, HEAP_START, HEAP_SIZE));
    CHECK(!wasm_runtime_validate_app_addr(b, HEAP_START, HEAP_SIZE + 1));
    CHECK(!wasm_runtime_validate_app_addr(b, HEAP_START - 1, 2));
    CHECK(wasm_runtime_addr_app_to_native(b, 0xFFFFFFFFu) != NULL);
    CHECK(wasm_runtime_addr_app_to_native(b, HEAP_START - 1) == NULL);
    CHECK(wasm_runtime_addr_app_to_native(b, 0x100000000ull) == NULL);
    /* WAMR's range queries cover linear memory only. */
    CHECK(!wasm_runtime_get_app_addr_range(b, off2, NULL, NULL));
#ifndef TEST_AGAINST_WAMR
    /* WAMR's shared-heap sample posts heap blocks to a bh_queue with their length, so
     * bh_free_msg would hand them to free(); cwamr never frees memory the runtime owns (WAMR
     * survives or aborts depending on the bytes before the block). The block stays valid. */
    {
        bh_queue *q = bh_queue_create();
        bh_message_t msg;
        CHECK(q != NULL);
        CHECK(bh_post_msg(q, 1, native, 100));
        msg = bh_get_msg(q, 0);
        CHECK(msg != NULL && bh_message_payload(msg) == (char *)native);
        bh_free_msg(msg);
        CHECK(wasm_runtime_validate_native_addr(b, native, 100));
        CHECK(bh_post_msg(q, 1, native, 100)); /* freed with the queue: kept as well */
        bh_queue_destroy(q);
        CHECK(wasm_runtime_validate_native_addr(b, native, 100));
    }
#endif

    /* Every width, written by one instance, read by the other and by the host. */
    CHECK(store(a, "store8", off2, 0x1FF));
    CHECK(call1(b, "load8", off2) == 0xFF);
    CHECK(call1(b, "load8s", off2) == 0xFFFFFFFFu);
    CHECK(store(a, "store16", off2, 0xBEEF));
    CHECK(call1(b, "load16", off2) == 0xBEEF);
    CHECK(store(a, "store32", off2, 0x12345678));
    CHECK(call1(b, "load32", off2) == 0x12345678);
    CHECK(((uint8_t *)native)[0] == 0x78 && ((uint8_t *)native)[3] == 0x12);
    argv[0] = off2;
    put_u64(argv + 1, 0x0102030405060708ull);
    CHECK(call(a, "store64", 3, argv));
    argv[0] = off2;
    CHECK(call(b, "load64", 1, argv) && get_u64(argv) == 0x0102030405060708ull);
    CHECK(store(a, "store32", off2, 0x80000000u));
    argv[0] = off2;
    CHECK(call(b, "load64_32s", 1, argv) && get_u64(argv) == 0xFFFFFFFF80000000ull);
    CHECK(store(a, "store_off8", off2, 77));
    CHECK(call1(b, "load_at8", off2) == 77);
    CHECK(call1(b, "load_off4", off2 + 4) == 77);

    /* Fused f64 load+add and add+store. */
    memcpy((char *)native + 16, &d, 8);
    argv[0] = off2 + 16;
    CHECK(call(b, "fadd", 1, argv));
    memcpy(&d, argv, 8);
    CHECK(d == 3.75);
    argv[0] = off2 + 24;
    d = 1.25;
    memcpy(argv + 1, &d, 8);
    d = 2.0;
    memcpy(argv + 3, &d, 8);
    CHECK(call(a, "fstore", 5, argv));
    memcpy(&d, (char *)native + 24, 8);
    CHECK(d == 3.25);
    /* A load + compare-and-branch loop over words in the heap. */
    ((uint32_t *)native)[8] = 1;
    ((uint32_t *)native)[9] = 2;
    ((uint32_t *)native)[10] = 50;
    argv[0] = off2 + 32;
    argv[1] = 10;
    CHECK(call(b, "count_below", 2, argv) && argv[0] == 2);

    /* Bulk memory: fill, copy heap<->linear and within the heap, init. */
    argv[0] = off2;
    argv[1] = 0x5A;
    argv[2] = 16;
    CHECK(call(a, "fill", 3, argv));
    CHECK(((uint8_t *)native)[0] == 0x5A && ((uint8_t *)native)[15] == 0x5A);
    argv[0] = 1000;
    argv[1] = off2;
    argv[2] = 16;
    CHECK(call(b, "copy", 3, argv)); /* heap -> B's linear memory */
    CHECK(call1(b, "load8", 1015) == 0x5A);
    argv[0] = off2 + 50;
    argv[1] = off2;
    argv[2] = 8;
    CHECK(call(b, "copy", 3, argv)); /* within the heap */
    CHECK(((uint8_t *)native)[57] == 0x5A);
    argv[0] = off2 + 60;
    CHECK(call(a, "init", 1, argv));
    CHECK(memcmp((char *)native + 60, "PASSV", 5) == 0);
    argv[0] = 0xFFFFFFFCu;
    argv[1] = 0;
    argv[2] = 8;
    CHECK(traps_oob(a, "fill", 3, argv)); /* runs past 2^32 */

    /* Native '*~' argument in the heap. */
    argv[0] = off2;
    argv[1] = 4;
    CHECK(call(b, "sum_native", 2, argv) && argv[0] == 4 * 0x5A);

    /* The top of the space: the last word is accessible, one byte further is not. */
    CHECK(store(a, "store32", 0xFFFFFFFCu, 0xCAFEBABE));
    CHECK(call1(b, "load32", 0xFFFFFFFCu) == 0xCAFEBABE);
    argv[0] = 0xFFFFFFFDu;
    argv[1] = 1;
    CHECK(traps_oob(a, "store32", 2, argv));
    argv[0] = 0xFFFFFFFCu;
    CHECK(traps_oob(a, "load_off4", 1, argv)); /* ea = 2^32 */
    argv[0] = HEAP_START - 2;
    CHECK(traps_oob(a, "load32", 1, argv)); /* straddles linear-memory gap and heap */

    /* Memory cannot grow into the heap; it can grow below it. */
    CHECK(call1(a, "grow", 65535) == 0xFFFFFFFFu);
    CHECK(call1(a, "grow", 1) == 1);

    /* Frees: from the guest of the other instance, and from the API. */
    argv[0] = off;
    CHECK(call(b, "release", 1, argv));
    wasm_runtime_shared_heap_free(a, off2);
    argv[0] = 100; /* a linear-memory pointer: a warning, nothing freed */
    CHECK(call(a, "release", 1, argv));
    argv[0] = 0xFFFFFFFCu; /* fewer than 8 bytes left: WAMR's "Invalid app address" trap */
    CHECK(traps_oob(a, "release", 1, argv));
    argv[0] = 0x10000000u; /* neither linear memory nor heap: the '*' check traps */
    CHECK(traps_oob(a, "release", 1, argv));

    /* Detach revokes B's access; A keeps its own. */
    off2 = (uint32_t)wasm_runtime_shared_heap_malloc(a, 32, &native);
    CHECK(off2 != 0);
    CHECK(store(a, "store32", off2, 42));
    wasm_runtime_detach_shared_heap(b);
    argv[0] = off2;
    CHECK(traps_oob(b, "load32", 1, argv));
    argv[0] = off2;
    argv[1] = 1;
    CHECK(traps_oob(b, "store8", 2, argv));
    CHECK(!wasm_runtime_validate_app_addr(b, off2, 4));
    CHECK(wasm_runtime_addr_app_to_native(b, off2) == NULL);
    CHECK(wasm_runtime_addr_native_to_app(b, native) == 0);
    CHECK(wasm_runtime_shared_heap_malloc(b, 16, NULL) == 0);
    CHECK(call1(a, "load32", off2) == 42);
    wasm_runtime_detach_shared_heap(b); /* twice: no-op */
    CHECK(wasm_runtime_attach_shared_heap(b, heap));
    CHECK(call1(b, "load32", off2) == 42);

    /* Errors while attached. */
    CHECK(!wasm_runtime_attach_shared_heap(a, heap)); /* already attached */
    CHECK(!wasm_runtime_reset_shared_heap_chain(heap));
    wasm_runtime_detach_shared_heap(a);
    wasm_runtime_detach_shared_heap(b);
}

static void
test_chain(wasm_module_t m, wasm_shared_heap_t managed)
{
    char err[128];
    long page = sysconf(_SC_PAGESIZE);
    uint32_t pre_size = (uint32_t)page * 2, argv[3];
    uint8_t *buf = calloc(1, pre_size);
    SharedHeapInitArgs args;
    wasm_shared_heap_t pre, pre2, chain;
    wasm_module_inst_t c;
    uint32_t body_start = HEAP_START, head_start = HEAP_START - pre_size, off;

    memset(&args, 0, sizeof(args));
    args.size = pre_size;
    args.pre_allocated_addr = buf;
    pre = wasm_runtime_create_shared_heap(&args);
    CHECK(pre != NULL);
    args.size = pre_size + 1; /* a pre-allocated heap must be page-aligned */
    CHECK(wasm_runtime_create_shared_heap(&args) == NULL);
    pre2 = NULL;
    args.size = (uint32_t)page;
    pre2 = wasm_runtime_create_shared_heap(&args);
    CHECK(pre2 != NULL);

    /* head = pre-allocated, body = the runtime-managed heap at the top. */
    chain = wasm_runtime_chain_shared_heaps(pre, managed);
    CHECK(chain == pre);
    CHECK(wasm_runtime_chain_shared_heaps(pre2, managed) == NULL); /* body taken */
    CHECK(wasm_runtime_chain_shared_heaps(pre, pre2) == NULL);     /* head taken */
    /* (chaining a heap to itself: refused by cwamr, a cycle in WAMR; see the unit test) */
    CHECK(wasm_runtime_chain_shared_heaps(NULL, pre2) == NULL);

    c = wasm_runtime_instantiate(m, 0, 0, err, sizeof(err));
    CHECK(c != NULL);
    CHECK(wasm_runtime_attach_shared_heap(c, chain));
    CHECK(wasm_runtime_chain_shared_heaps(pre2, chain) == NULL); /* attached */
    CHECK(wasm_runtime_unchain_shared_heaps(chain, false) == NULL); /* attached */

    /* The guest writes into the pre-allocated head; the host sees it in its buffer. */
    CHECK(store(c, "store32", head_start, 0xA1B2C3D4u));
    CHECK(buf[0] == 0xD4 && buf[3] == 0xA1);
    CHECK(wasm_runtime_addr_app_to_native(c, head_start + 8) == buf + 8);
    CHECK(wasm_runtime_addr_native_to_app(c, buf + 8) == head_start + 8);
    CHECK(store(c, "store8", body_start - 1, 7));
    CHECK(buf[pre_size - 1] == 7);
    /* An access straddling head and body is refused (each heap is checked on its own). */
    argv[0] = body_start - 2;
    CHECK(traps_oob(c, "load32", 1, argv));
    /* Allocation comes from the runtime-managed heap of the chain. */
    off = call1(c, "alloc", 16);
    CHECK(off >= body_start);
    CHECK(store(c, "store32", off, 5) && call1(c, "load32", off) == 5);
    argv[0] = head_start; /* freeing a pre-allocated address: refused */
    CHECK(call(c, "release", 1, argv));

    wasm_runtime_detach_shared_heap(c);
    argv[0] = head_start;
    CHECK(traps_oob(c, "load32", 1, argv));
    CHECK(wasm_runtime_reset_shared_heap_chain(chain));
    CHECK(buf[0] == 0 && buf[pre_size - 1] == 0);

    /* Unchain: the body comes back, the head moves back to the top. */
    CHECK(wasm_runtime_unchain_shared_heaps(chain, false) == managed);
    CHECK(wasm_runtime_unchain_shared_heaps(pre, false) == NULL);
    CHECK(wasm_runtime_attach_shared_heap(c, pre));
    CHECK(store(c, "store32", 0xFFFFFFFCu, 9));
    CHECK(buf[pre_size - 4] == 9);
    CHECK(wasm_runtime_shared_heap_malloc(c, 16, NULL) == 0); /* pre-allocated only */
    wasm_runtime_detach_shared_heap(c);

    /* A chain of three pre-allocated + managed, taken apart entirely. */
    CHECK(wasm_runtime_chain_shared_heaps(pre, managed) == pre);
    CHECK(wasm_runtime_chain_shared_heaps(pre2, pre) == pre2);
    CHECK(wasm_runtime_unchain_shared_heaps(pre2, true) == managed);
    CHECK(wasm_runtime_chain_shared_heaps(pre, managed) == pre); /* free to chain again */
    CHECK(wasm_runtime_unchain_shared_heaps(pre, true) == managed);

    wasm_runtime_deinstantiate(c);
    /* The heap outlives the instances; the buffer must outlive the runtime (WAMR's rule). */
    (void)buf;
}

static void
test_errors(wasm_module_t m, wasm_shared_heap_t heap)
{
    SharedHeapInitArgs args;
    char err[128];
    wasm_module_inst_t d;
    uint32_t argv[1];

    memset(&args, 0, sizeof(args));
#ifndef TEST_AGAINST_WAMR /* WAMR dereferences these */
    CHECK(wasm_runtime_create_shared_heap(NULL) == NULL);
#endif
    CHECK(wasm_runtime_create_shared_heap(&args) == NULL); /* size 0 */
    args.size = 100;                                       /* rounds to a page: fine */
    CHECK(wasm_runtime_create_shared_heap(&args) != NULL);
    args.size = 0x7FFFFFFFu; /* > 1 GiB */
    CHECK(wasm_runtime_create_shared_heap(&args) == NULL);
    d = wasm_runtime_instantiate(m, 0, 0, err, sizeof(err));
    CHECK(d != NULL);
#ifndef TEST_AGAINST_WAMR /* bad handles: refused by cwamr, crash WAMR */
    CHECK(!wasm_runtime_attach_shared_heap(NULL, heap));
    CHECK(!wasm_runtime_attach_shared_heap((wasm_module_inst_t)(uintptr_t)0x1234, heap));
    CHECK(!wasm_runtime_attach_shared_heap(d, NULL));
    CHECK(!wasm_runtime_attach_shared_heap(d, (wasm_shared_heap_t)(uintptr_t)0x5678));
    CHECK(!wasm_runtime_attach_shared_heap(d, (wasm_shared_heap_t)d)); /* wrong handle type */
    CHECK(wasm_runtime_shared_heap_malloc(NULL, 16, NULL) == 0);
    wasm_runtime_shared_heap_free(NULL, 0);
    wasm_runtime_detach_shared_heap(NULL);
#endif
    CHECK(wasm_runtime_shared_heap_malloc(d, 16, NULL) == 0); /* nothing attached */
    CHECK(!wasm_runtime_reset_shared_heap_chain(NULL));
    CHECK(wasm_runtime_unchain_shared_heaps(NULL, true) == NULL);
    CHECK(wasm_runtime_unchain_shared_heaps(heap, true) == NULL); /* not a chain head */
    /* Without a heap the high addresses are ordinary out-of-bounds accesses. */
    argv[0] = HEAP_START;
    CHECK(traps_oob(d, "load32", 1, argv));
    CHECK(call1(d, "alloc", 16) == 0);
    /* Destroying an attached instance releases its attachment. */
    CHECK(wasm_runtime_attach_shared_heap(d, heap));
    wasm_runtime_deinstantiate(d);
#ifndef TEST_AGAINST_WAMR
    CHECK(wasm_runtime_reset_shared_heap_chain(heap));
#else /* WAMR keeps counting the destroyed instance as attached */
    CHECK(!wasm_runtime_reset_shared_heap_chain(heap));
#endif
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
    wasm_shared_heap_t heap;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    CHECK(wasm_runtime_register_natives("env", natives, 2));
    buf = t_read_wasm("shared_heap.wasm", &size);
    m = wasm_runtime_load(buf, size, err, sizeof(err));
    CHECK(m != NULL);
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
    CHECK(heap != NULL);
    if (a && b && heap) {
        test_two_instances(a, b, heap);
        test_chain(m, heap);
        test_errors(m, heap);
    }

    wasm_runtime_deinstantiate(a);
    wasm_runtime_deinstantiate(b);
    wasm_runtime_unload(m);
    free(buf);
    wasm_runtime_destroy();
#ifndef TEST_AGAINST_WAMR /* handles die with the runtime (WAMR: a dangling pointer) */
    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_reset_shared_heap_chain(heap) == false);
    wasm_runtime_destroy();
#endif
    return t_finish();
}
