/*
 * The native stack checks as WAMR 2.4.3 (Linux, release) makes them, measured from
 * os_thread_get_stack_boundary(): wasm_runtime_detect_native_stack_overflow and every entry
 * into wasm fail below boundary + WASM_STACK_GUARD_SIZE (3 KiB) + 3 guard pages;
 * wasm_runtime_detect_native_stack_overflow_size(n) below that - 3 KiB + n; a boundary set
 * with wasm_runtime_set_native_stack_boundary replaces boundary + 3 KiB. Just above the
 * entry limit a call into wasm, a host function and a trap all fit in the stack that is
 * left, and a host <-> wasm re-entry chain on a small thread stack stops with
 * "native stack overflow" instead of crashing.
 */
#include <pthread.h>

#include "bh_platform.h"
#include "wasm_export.h"

#include "test_util.h"

#define WAMR_GUARD_SIZE 3072
#define OVERFLOW "Exception: native stack overflow"

static wasm_module_inst_t g_inst;
static wasm_exec_env_t g_env;
static uintptr_t g_boundary;
static uintptr_t g_limit; /* bytes above g_boundary where wasm may still be entered */
static uintptr_t g_path; /* native stack a host -> wasm -> host call uses (measured) */
static uintptr_t probe_sp;
static int probe_calls;
static int dive_depth;

static int32_t
probe(wasm_exec_env_t env)
{
    volatile int local = 0;

    (void)env;
    probe_sp = (uintptr_t)&local;
    probe_calls++;
    return 7 + local;
}

static int32_t
dive(wasm_exec_env_t env, int32_t depth)
{
    uint32_t argv[1];

    dive_depth = depth;
    if (!wasm_runtime_detect_native_stack_overflow(env))
        return -1;
    argv[0] = (uint32_t)depth;
    if (!wasm_runtime_call_indirect(env, 0, 1, argv))
        return -1;
    return (int32_t)argv[0];
}

static NativeSymbol natives[] = {
    { "probe", (void *)probe, "()i", NULL },
    { "dive", (void *)dive, "(i)i", NULL },
};

typedef void (*at_fn)(void);

/* Recurse until at most `left` bytes are left above the boundary, then run fn. */
static __attribute__((noinline)) void
run_at(uintptr_t left, at_fn fn)
{
    volatile char pad[64];

    pad[0] = 1;
    if ((uintptr_t)pad - g_boundary > left) {
        run_at(left, fn);
        pad[1] = pad[0]; /* no tail call */
    }
    else {
        fn();
    }
}

static bool
call_export(const char *name, uint32_t argc, uint32_t *argv)
{
    wasm_function_inst_t f = wasm_runtime_lookup_function(g_inst, name);

    return f && wasm_runtime_call_wasm(g_env, f, argc, argv);
}

static void
measure_call_path(void)
{
    volatile int local = 0;
    uint32_t argv[1] = { 0 };

    CHECK(call_export("run", 0, argv) && argv[0] == 7);
    CHECK(probe_sp != 0 && probe_sp < (uintptr_t)&local);
    g_path = (uintptr_t)&local - probe_sp + (uintptr_t)local;
    printf("host -> wasm -> host call path: %lu bytes of native stack\n", (unsigned long)g_path);
}

/* Deep in the stack nothing may print (stdio needs more stack than is left in WAMR, whose
 * guard pages sit below the limit): results are recorded and checked afterwards. */
static struct {
    bool detect, size_small, size_large, rec, run, trap;
    char size_exc[64], run_exc[64], trap_exc[64];
    uint32_t rec_result;
    int probe_delta;
} above;

static struct {
    bool detect, run, size0;
    char detect_exc[64], run_exc[64];
    int probe_delta;
} below;

static void
copy_exception(char *dst, size_t n)
{
    const char *e = wasm_runtime_get_exception(g_inst);

    snprintf(dst, n, "%s", e ? e : "(none)");
    wasm_runtime_clear_exception(g_inst);
}

static void
just_above_limit(void)
{
    uint32_t argv[1] = { 30 };
    int calls = probe_calls;

    above.detect = wasm_runtime_detect_native_stack_overflow(g_env);
    above.size_small = wasm_runtime_detect_native_stack_overflow_size(g_env, 2048);
    above.size_large = wasm_runtime_detect_native_stack_overflow_size(
        g_env, (uint32_t)(WAMR_GUARD_SIZE + g_path + 2048));
    copy_exception(above.size_exc, sizeof(above.size_exc));
    /* the stack left is enough for the interpreter, a host function and a trap */
    above.rec = call_export("rec", 1, argv);
    above.rec_result = argv[0];
    above.run = call_export("run", 0, argv) && argv[0] == 7;
    copy_exception(above.run_exc, sizeof(above.run_exc));
    above.probe_delta = probe_calls - calls;
    argv[0] = 0;
    above.trap = wasm_runtime_call_indirect(g_env, 1, 1, argv);
    copy_exception(above.trap_exc, sizeof(above.trap_exc));
}

static void
below_limit(void)
{
    uint32_t argv[1] = { 30 };
    int calls = probe_calls;

    below.detect = wasm_runtime_detect_native_stack_overflow(g_env);
    copy_exception(below.detect_exc, sizeof(below.detect_exc));
    /* WAMR checks on every entry into wasm */
    below.run = call_export("run", 0, argv);
    copy_exception(below.run_exc, sizeof(below.run_exc));
    below.probe_delta = probe_calls - calls;
    /* the _size form allows WASM_STACK_GUARD_SIZE less */
    below.size0 = wasm_runtime_detect_native_stack_overflow_size(g_env, 0);
}

static void
test_limits(void)
{
    /* far enough above the limit that the checks made inside the call (on entry into wasm
     * and before the host function) are above it too: the call path is longer in a debug
     * build of the library */
    run_at(g_limit + g_path + 1024, just_above_limit);
    CHECK(above.detect);
    CHECK(above.size_small);
    CHECK(!above.size_large);
    CHECK_STR(above.size_exc, OVERFLOW);
    CHECK(above.rec && above.rec_result == 30);
    CHECK(above.run && above.probe_delta == 1);
    CHECK_STR(above.run_exc, "(none)");
    CHECK(!above.trap);
    CHECK_STR(above.trap_exc, "Exception: unreachable");

    run_at(g_limit - 128, below_limit);
    CHECK(!below.detect);
    CHECK_STR(below.detect_exc, OVERFLOW);
    CHECK(!below.run);
    CHECK_STR(below.run_exc, OVERFLOW);
    CHECK(below.probe_delta == 0);
    CHECK(below.size0);
}

static void
test_user_boundary(void)
{
    volatile char local = 0;
    uintptr_t sp = (uintptr_t)&local;
    uintptr_t pages = 3 * (uintptr_t)os_getpagesize();
    uint32_t argv[1] = { 0 };

    wasm_runtime_set_native_stack_boundary(g_env, (uint8_t *)(sp - pages + 4096));
    CHECK(!call_export("run", 0, argv));
    CHECK_STR(wasm_runtime_get_exception(g_inst), OVERFLOW);
    CHECK(!wasm_runtime_detect_native_stack_overflow(g_env));
    wasm_runtime_clear_exception(g_inst);
    wasm_runtime_set_native_stack_boundary(g_env, (uint8_t *)(sp - pages - g_path - 8192));
    CHECK(call_export("run", 0, argv) && argv[0] == 7);
    CHECK(wasm_runtime_detect_native_stack_overflow(g_env));
    wasm_runtime_set_native_stack_boundary(g_env, NULL);
    CHECK(call_export("run", 0, argv) && argv[0] == 7);
    CHECK(wasm_runtime_detect_native_stack_overflow(g_env));
}

static void *
dive_thread(void *arg)
{
    wasm_exec_env_t env;
    wasm_function_inst_t f;
    uint32_t argv[1] = { 0 };
    bool ok;

    (void)arg;
    wasm_runtime_clear_exception(g_inst);
    CHECK(wasm_runtime_init_thread_env());
    env = wasm_runtime_create_exec_env(g_inst, 64 * 1024);
    f = wasm_runtime_lookup_function(g_inst, "dive");
    CHECK(env && f);
    if (env && f) {
        ok = wasm_runtime_call_wasm(env, f, 1, argv);
        CHECK(!ok);
        CHECK_STR(wasm_runtime_get_exception(g_inst), OVERFLOW);
        CHECK(dive_depth > 0);
        printf("re-entry chain on a 128 KiB stack stopped at depth %d\n", dive_depth);
        wasm_runtime_clear_exception(g_inst);
        wasm_runtime_destroy_exec_env(env);
    }
    wasm_runtime_destroy_thread_env();
    return NULL;
}

static void
test_real_exhaustion(void)
{
    pthread_t t;
    pthread_attr_t attr;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    CHECK(pthread_create(&t, &attr, dive_thread, NULL) == 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
}

int
main(void)
{
    RuntimeInitArgs args;
    wasm_module_t module;

    memset(&args, 0, sizeof(args));
    args.mem_alloc_type = Alloc_With_System_Allocator;
    args.native_module_name = "env";
    args.native_symbols = natives;
    args.n_native_symbols = sizeof(natives) / sizeof(natives[0]);
    if (!wasm_runtime_full_init(&args)) {
        fprintf(stderr, "init failed\n");
        return 2;
    }
    g_inst = t_instantiate("native_stack.wasm", &module);
    g_env = wasm_runtime_create_exec_env(g_inst, 64 * 1024);
    CHECK(g_env != NULL);
    g_boundary = (uintptr_t)os_thread_get_stack_boundary();
    CHECK(g_boundary != 0);
    g_limit = 3 * (uintptr_t)os_getpagesize() + WAMR_GUARD_SIZE;

    measure_call_path();
    CHECK(wasm_runtime_detect_native_stack_overflow(g_env));
    test_limits();
    test_user_boundary();
    test_real_exhaustion();

    wasm_runtime_destroy_exec_env(g_env);
    wasm_runtime_deinstantiate(g_inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    return t_finish();
}
