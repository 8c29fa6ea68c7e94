/* Alloc_With_Pool / Alloc_With_Allocator route ALL runtime memory, and WAMR's mem_allocator
 * API (mem_alloc.h).
 *
 * The program interposes the C library's allocation functions (malloc, calloc, realloc, free,
 * posix_memalign, aligned_alloc, memalign): while `counting` is set every call is counted,
 * then forwarded to glibc's __libc_* entry points. Between wasm_runtime_full_init and
 * wasm_runtime_destroy a load + instantiate + call + module_malloc + wasm_runtime_malloc /
 * realloc must make no C-library allocation at all: everything comes from the pool inside our
 * buffer (or from our allocator functions). Then: a pool too small for a load or an
 * instantiation fails cleanly, and the runtime works again after destroy + re-init. */
#include "test_util.h"

#include "mem_alloc.h"

#include <stdbool.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static volatile int counting;
static volatile long libc_calls;

#define COUNT()                                                                   \
    do {                                                                          \
        if (counting)                                                             \
            libc_calls++;                                                         \
    } while (0)

void *
malloc(size_t n)
{
    COUNT();
    return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
    COUNT();
    return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
    COUNT();
    return __libc_realloc(p, n);
}

void
free(void *p)
{
    if (p)
        COUNT();
    __libc_free(p);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
    void *p;
    COUNT();
    p = __libc_memalign(align, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

void *
aligned_alloc(size_t align, size_t n)
{
    COUNT();
    return __libc_memalign(align, n);
}

void *
memalign(size_t align, size_t n)
{
    COUNT();
    return __libc_memalign(align, n);
}

/* The embedder's allocator for Alloc_With_Allocator (straight to glibc: not counted above). */
static long user_mallocs, user_frees;

static void *
user_malloc(unsigned int n)
{
    user_mallocs++;
    return __libc_malloc(n);
}

static void *
user_realloc(void *p, unsigned int n)
{
    if (!p)
        user_mallocs++;
    return __libc_realloc(p, n);
}

static void
user_free(void *p)
{
    user_frees++;
    __libc_free(p);
}

static union {
    uint64_t align;
    char bytes[4 << 20];
} pool;

static uint8_t *basic_bin, *fib_bin;
static uint32_t basic_len, fib_len;

static bool
inside_pool(const void *p)
{
    return (const char *)p >= pool.bytes && (const char *)p < pool.bytes + sizeof(pool.bytes);
}

/* load + instantiate + call + module_malloc + runtime heap; `in_pool`: runtime blocks must
 * lie in the pool. Returns false on any failure. */
static bool
workload(bool in_pool)
{
    char err[128];
    uint8_t copy[4096];
    wasm_module_t m;
    wasm_module_inst_t inst;
    wasm_function_inst_t f;
    wasm_exec_env_t env;
    uint32_t argv[2] = { 40, 2 };
    void *native = NULL, *p, *q;
    uint64_t off;
    bool ok = true;

    if (basic_len > sizeof(copy))
        return false;
    memcpy(copy, basic_bin, basic_len);
    m = wasm_runtime_load(copy, basic_len, err, sizeof(err));
    CHECK(m != NULL);
    if (!m)
        return false;
    inst = wasm_runtime_instantiate(m, 16 * 1024, 16 * 1024, err, sizeof(err));
    CHECK(inst != NULL);
    if (!inst)
        return false;
    f = wasm_runtime_lookup_function(inst, "add");
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);
    CHECK(f != NULL && env != NULL);
    ok = ok && wasm_runtime_call_wasm(env, f, 2, argv);
    CHECK(ok && argv[0] == 42);
    off = wasm_runtime_module_malloc(inst, 100, &native);
    CHECK(off != 0 && native != NULL);
    wasm_runtime_module_free(inst, off);

    p = wasm_runtime_malloc(10000);
    CHECK(p != NULL);
    if (in_pool)
        CHECK(inside_pool(p));
    memset(p, 0x5a, 10000);
    q = wasm_runtime_realloc(p, 20000);
    CHECK(q != NULL && ((unsigned char *)q)[9999] == 0x5a);
    if (in_pool)
        CHECK(inside_pool(q));
    wasm_runtime_free(q);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(m);
    return ok;
}

static void
test_pool_mode(void)
{
    RuntimeInitArgs args;
    mem_alloc_info_t before, after;

    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_Pool;
    args.mem_alloc_option.pool.heap_buf = pool.bytes;
    args.mem_alloc_option.pool.heap_size = sizeof(pool.bytes);
    CHECK(wasm_runtime_full_init(&args));
    CHECK(wasm_runtime_get_mem_alloc_info(&before));

    libc_calls = 0;
    counting = 1;
    CHECK(workload(true));
    counting = 0;
    CHECK(libc_calls == 0);
    if (libc_calls)
        fprintf(stderr, "pool mode: %ld C library allocation calls\n", libc_calls);

    CHECK(wasm_runtime_get_mem_alloc_info(&after));
    CHECK(after.total_size == before.total_size);
    CHECK(after.total_free_size == before.total_free_size); /* everything given back */
    CHECK(after.highmark_size > 20000 && after.highmark_size < after.total_size);
    wasm_runtime_destroy();
    /* the buffer is ours again: nothing of the runtime may live in it */
    memset(pool.bytes, 0xa5, sizeof(pool.bytes));
}

static void
test_allocator_mode(void)
{
    RuntimeInitArgs args;
    long m0;

    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_Allocator;
    args.mem_alloc_option.allocator.malloc_func = (void *)user_malloc;
    args.mem_alloc_option.allocator.realloc_func = (void *)user_realloc;
    args.mem_alloc_option.allocator.free_func = (void *)user_free;
    CHECK(wasm_runtime_full_init(&args));
    m0 = user_mallocs;
    libc_calls = 0;
    counting = 1;
    CHECK(workload(false));
    counting = 0;
    CHECK(libc_calls == 0);
    if (libc_calls)
        fprintf(stderr, "allocator mode: %ld C library allocation calls\n", libc_calls);
    CHECK(user_mallocs > m0 + 10);
    wasm_runtime_destroy();
    CHECK(user_mallocs == user_frees); /* every block went back through user_free */
}

static void
test_exhaustion(void)
{
    RuntimeInitArgs args;
    char err[128];
    uint8_t copy[4096];
    bool saw_instantiate_failure = false;
    uint32_t size;

    /* a pool too small for a load */
    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_Pool;
    args.mem_alloc_option.pool.heap_buf = pool.bytes;
    args.mem_alloc_option.pool.heap_size = 4096;
    CHECK(wasm_runtime_full_init(&args));
    memcpy(copy, fib_bin, fib_len);
    CHECK(wasm_runtime_load(copy, fib_len, err, sizeof(err)) == NULL);
    CHECK_STR(err, "WASM module load failed: allocate memory failed");
    CHECK(wasm_runtime_malloc(100000) == NULL);
    wasm_runtime_destroy();

    /* growing pools: some size loads but cannot instantiate */
    for (size = 8192; size < 512 * 1024 && !saw_instantiate_failure; size += 256) {
        wasm_module_t m;
        wasm_module_inst_t inst;

        args.mem_alloc_option.pool.heap_size = size;
        CHECK(wasm_runtime_full_init(&args));
        memcpy(copy, basic_bin, basic_len);
        m = wasm_runtime_load(copy, basic_len, err, sizeof(err));
        if (!m) {
            CHECK_STR(err, "WASM module load failed: allocate memory failed");
        }
        else {
            inst = wasm_runtime_instantiate(m, 16 * 1024, 16 * 1024, err, sizeof(err));
            if (inst) {
                wasm_runtime_deinstantiate(inst);
            }
            else {
                CHECK_STR(err, "WASM module instantiate failed: allocate memory failed");
                saw_instantiate_failure = true;
            }
            wasm_runtime_unload(m);
        }
        wasm_runtime_destroy();
        memset(pool.bytes, 0xa5, size);
    }
    CHECK(saw_instantiate_failure);

    /* the runtime works again, with the system allocator */
    CHECK(wasm_runtime_init());
    CHECK(workload(false));
    wasm_runtime_destroy();
}

static void
test_mem_allocator(void)
{
    static union {
        uint64_t align;
        char bytes[1000];
    } store;
    static union {
        uint64_t align;
        char bytes[4096];
    } st, a, b;
    mem_allocator_t h;
    mem_alloc_info_t info;
    uint8_t *p, *p2, *q;

    CHECK(mem_allocator_get_heap_struct_size() == 384);
    CHECK(mem_allocator_create(store.bytes, 255) == NULL);

    /* WAMR's samples/mem-allocator layout: same offsets as WAMR's heap */
    h = mem_allocator_create(store.bytes, sizeof(store.bytes));
    CHECK(h == (mem_allocator_t)store.bytes);
    p = mem_allocator_malloc(h, 256);
    CHECK(p == (uint8_t *)store.bytes + 392);
    CHECK(mem_allocator_realloc(h, p, 256 + 12) == p);
    memcpy(p + 256, "\x20\x00\x00\x40\x00\x00\x00\x00\x0c\x00\x00\x00", 12);
    p2 = mem_allocator_malloc(h, 256);
    CHECK(p2 == (uint8_t *)store.bytes + 664);
    mem_allocator_free(h, p2);
    CHECK(mem_allocator_malloc(h, 256) == p2);
    mem_allocator_free(h, p2);
    mem_allocator_free(h, p);
    mem_allocator_free(h, NULL);
    CHECK(mem_allocator_get_alloc_info(h, &info));
    CHECK(info.total_size == 608 && info.total_free_size == 608 && info.highmark_size == 536);
    CHECK(mem_allocator_malloc(h, 1000) == NULL);
    CHECK(!mem_allocator_is_heap_corrupted(h));
    CHECK(mem_allocator_destroy(h) == 0);

    /* struct and pool apart, aligned allocation, migration */
    h = mem_allocator_create_with_struct_and_pool(st.bytes, 384, a.bytes, sizeof(a.bytes));
    CHECK(h != NULL);
    CHECK(mem_allocator_create_with_struct_and_pool(st.bytes, 8, a.bytes, 4096) == NULL);
    q = mem_allocator_malloc_aligned(h, 256, 256);
    CHECK(q != NULL && ((uintptr_t)q & 255) == 0);
    CHECK(mem_allocator_malloc_aligned(h, 100, 64) == NULL);
    mem_allocator_free(h, q);
    p = mem_allocator_malloc(h, 64);
    memset(p, 7, 64);
    memcpy(b.bytes, a.bytes, sizeof(a.bytes));
    CHECK(mem_allocator_migrate(h, b.bytes, sizeof(b.bytes)) == 0);
    p = (uint8_t *)b.bytes + (p - (uint8_t *)a.bytes);
    CHECK(p[63] == 7);
    p = mem_allocator_realloc(h, p, 2000);
    CHECK(p != NULL && (char *)p >= b.bytes && (char *)p < b.bytes + sizeof(b.bytes) && p[63] == 7);

    /* an overrun into the next block's header is detected */
    q = mem_allocator_malloc(h, 64);
    memset(p + 2000, 0xff, 16);
    mem_allocator_free(h, p);
    CHECK(mem_allocator_is_heap_corrupted(h));
    CHECK(mem_allocator_malloc(h, 8) == NULL);
    (void)q;
    CHECK(mem_allocator_destroy(h) == 0);
}

int
main(void)
{
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    basic_bin = t_read_wasm("basic.wasm", &basic_len);
    fib_bin = t_read_wasm("../../../examples-c/wasm/fib.wasm", &fib_len);
    printf("test_pool: start\n"); /* stdout's buffer exists before counting */
    fflush(stdout);

    test_mem_allocator();
    test_pool_mode();
    test_allocator_mode();
    test_exhaustion();
    return t_finish();
}
