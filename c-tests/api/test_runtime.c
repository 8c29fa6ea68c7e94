/* Runtime init/destroy (reference counting, RuntimeInitArgs: allocator modes, natives at
 * init, running mode), version, log level, runtime heap, running modes, thread env, and the
 * WAMR-internal helpers b_memcpy_s / os_mmap / os_munmap / bh_log. */
#include "test_util.h"

/* WAMR-internal helpers (not in the public headers; WAMR's own programs declare them). */
int b_memcpy_s(void *s1, unsigned int s1max, const void *s2, unsigned int n);
void *os_mmap(void *hint, size_t size, int prot, int flags, int file);
void os_munmap(void *addr, size_t size);
void bh_log(int log_level, const char *file, int line, const char *fmt, ...);
void bh_log_set_verbose_level(uint32_t level);

static int user_mallocs, user_frees, user_reallocs;

static void *
my_malloc(unsigned int size)
{
    user_mallocs++;
    return malloc(size);
}

static void *
my_realloc(void *p, unsigned int size)
{
    user_reallocs++;
    return realloc(p, size);
}

static void
my_free(void *p)
{
    user_frees++;
    free(p);
}

static int32_t
triple(wasm_exec_env_t env, int32_t a, int32_t b)
{
    (void)env;
    return 3 * (a + b);
}

int
main(void)
{
    uint32_t major = 0, minor = 0, patch = 0;
    RuntimeInitArgs args;
    mem_alloc_info_t info;
    void *p;
    static char pool[256 * 1024];
    NativeSymbol syms[] = { { "add", (void *)triple, "(ii)i", NULL } };

    wasm_runtime_get_version(&major, &minor, &patch);
    CHECK(major == 2 && minor == 4 && patch == 3);
    wasm_runtime_get_version(NULL, NULL, NULL);

    /* reference counted init/destroy */
    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_init());
    wasm_runtime_destroy();
    {
        wasm_module_inst_t inst = t_instantiate("basic.wasm", NULL);
        CHECK(inst != NULL);
        wasm_runtime_deinstantiate(inst);
    }
    wasm_runtime_destroy();
    wasm_runtime_destroy(); /* extra destroy: no-op */
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    {
        char err[128] = "";
        uint8_t bytes[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
        CHECK(wasm_runtime_load(bytes, 8, err, sizeof(err)) == NULL);
        CHECK_STR(err, "WASM module load failed: runtime not initialized");
    }

    /* full_init: user allocator + natives registered at init */
    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_Allocator;
    args.mem_alloc_option.allocator.malloc_func = (void *)my_malloc;
    args.mem_alloc_option.allocator.realloc_func = (void *)my_realloc;
    args.mem_alloc_option.allocator.free_func = (void *)my_free;
    args.native_module_name = "host";
    args.native_symbols = syms;
    args.n_native_symbols = 1;
    CHECK(wasm_runtime_full_init(&args));
    {
        /* the runtime's own memory comes from these functions too: count deltas */
        int m0 = user_mallocs, r0 = user_reallocs, f0 = user_frees;
        p = wasm_runtime_malloc(100);
        CHECK(p != NULL && user_mallocs == m0 + 1);
        p = wasm_runtime_realloc(p, 200);
        CHECK(p != NULL && user_reallocs == r0 + 1);
        wasm_runtime_free(p);
        CHECK(user_frees == f0 + 1);
        wasm_runtime_free(NULL);
        CHECK(user_frees == f0 + 1);
    }
    CHECK(wasm_runtime_aligned_alloc(64, 16) == NULL); /* not with a user allocator */
    CHECK(!wasm_runtime_get_mem_alloc_info(&info));
    CHECK(wasm_runtime_is_import_func_linked("host", "add"));
    wasm_runtime_destroy();
    CHECK(!wasm_runtime_is_import_func_linked("host", "add"));

    /* pool mode: statistics */
    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_Pool;
    args.mem_alloc_option.pool.heap_buf = pool;
    args.mem_alloc_option.pool.heap_size = sizeof(pool);
    CHECK(wasm_runtime_full_init(&args));
    p = wasm_runtime_malloc(1000);
    CHECK(p != NULL);
    CHECK(wasm_runtime_get_mem_alloc_info(&info));
    /* the block area: the buffer minus the pool's own struct, as WAMR counts it */
    CHECK(info.total_size < sizeof(pool) && info.total_size > sizeof(pool) - 512);
    CHECK(info.total_free_size <= sizeof(pool) - 1000);
    CHECK(info.highmark_size >= 1000);
    wasm_runtime_free(p);
    p = wasm_runtime_aligned_alloc(128, 64);
    CHECK(p != NULL && ((uintptr_t)p & 63) == 0);
    CHECK(wasm_runtime_aligned_alloc(100, 64) == NULL); /* size not a multiple (WAMR's pool) */
    wasm_runtime_free(p);
    wasm_runtime_destroy();

    /* bad init args */
    CHECK(!wasm_runtime_full_init(NULL));
    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_System_Allocator;
    args.running_mode = Mode_LLVM_JIT;
    CHECK(!wasm_runtime_full_init(&args));
    args.running_mode = Mode_Interp;
    CHECK(wasm_runtime_full_init(&args));

    /* system allocator */
    p = wasm_runtime_malloc(10);
    CHECK(p != NULL);
    p = wasm_runtime_realloc(p, 20000);
    CHECK(p != NULL);
    wasm_runtime_free(p);
    CHECK(wasm_runtime_aligned_alloc(10, 3) == NULL);

    /* running modes */
    CHECK(wasm_runtime_is_running_mode_supported(Mode_Interp));
    CHECK(!wasm_runtime_is_running_mode_supported(Mode_Fast_JIT));
    CHECK(!wasm_runtime_is_running_mode_supported(Mode_Multi_Tier_JIT));
    CHECK(wasm_runtime_set_default_running_mode(Mode_Interp));
    CHECK(!wasm_runtime_set_default_running_mode(Mode_LLVM_JIT));

    /* thread env */
    CHECK(wasm_runtime_thread_env_inited());
    CHECK(wasm_runtime_init_thread_env());
    wasm_runtime_destroy_thread_env();
    CHECK(!wasm_runtime_thread_env_inited());
    CHECK(wasm_runtime_init_thread_env());

    /* internal helpers */
    {
        char dst[8] = "abcdefg";
        CHECK(b_memcpy_s(dst, 8, "xyz", 3) == 0 && memcmp(dst, "xyzdefg", 7) == 0);
        CHECK(b_memcpy_s(dst, 2, "xyz", 3) == -1 && dst[0] == 0);
        CHECK(b_memcpy_s(NULL, 2, "x", 1) == -1);
        CHECK(b_memcpy_s(dst, 8, "x", 0) == 0);
        p = os_mmap(NULL, 10000, 1 | 2, 0, -1);
        CHECK(p != NULL);
        memset(p, 1, 10000);
        os_munmap(p, 10000);
        bh_log_set_verbose_level(0);
        bh_log(1, __FILE__, __LINE__, "not printed at level %d", 0);
        bh_log_set_verbose_level(2);
        wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    }

    wasm_runtime_destroy();
    return t_finish();
}
