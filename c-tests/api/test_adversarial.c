/* Capability-model section 9, C API handle cases 7-11: forged, type-confused, stale,
 * bit-flipped and cross-runtime handles are refused with WAMR's failure value, never crash,
 * and the runtime stays usable. (Case 12, foreign-thread exec envs, is in test_threads.c.) */
#include "test_util.h"

static wasm_module_t g_module;
static wasm_module_inst_t g_inst;
static wasm_exec_env_t g_env;

/* Runs every instance-taking entry point with `h`; returns how many accepted it. */
static int
accepted_as_inst(wasm_module_inst_t h)
{
    int ok = 0;
    wasm_global_inst_t g;
    wasm_table_inst_t t;
    uint64_t s, e;
    uint32_t idx;
    void *obj;

    ok += wasm_runtime_lookup_function(h, "add") != NULL;
    ok += wasm_runtime_create_exec_env(h, 8192) != NULL;
    ok += wasm_runtime_get_exec_env_singleton(h) != NULL;
    ok += wasm_runtime_get_module(h) != NULL;
    ok += wasm_runtime_get_default_memory(h) != NULL;
    ok += wasm_runtime_get_memory(h, 0) != NULL;
    ok += wasm_runtime_lookup_memory(h, "memory") != NULL;
    ok += wasm_runtime_validate_app_addr(h, 0, 1);
    ok += wasm_runtime_validate_app_str_addr(h, 16);
    ok += wasm_runtime_addr_app_to_native(h, 0) != NULL;
    ok += wasm_runtime_addr_native_to_app(h, (void *)&ok) != 0;
    ok += wasm_runtime_get_app_addr_range(h, 0, &s, &e);
    ok += wasm_runtime_enlarge_memory(h, 0);
    ok += wasm_runtime_get_export_global_inst(h, "g", &g);
    ok += wasm_runtime_get_export_table_inst(h, "table", &t);
    ok += wasm_runtime_get_running_mode(h) != 0;
    ok += wasm_runtime_set_running_mode(h, Mode_Interp);
    ok += wasm_runtime_get_custom_data(h) != NULL;
    ok += wasm_runtime_is_bounds_checks_enabled(h);
    ok += wasm_runtime_get_exception(h) != NULL;
    ok += wasm_application_execute_func(h, "add", 2, (char *[]){ "1", "2", NULL });
    ok += wasm_externref_obj2ref(h, &ok, &idx);
    ok += wasm_runtime_get_context(h, NULL) != NULL;
    wasm_runtime_set_custom_data(h, &ok);
    wasm_runtime_set_exception(h, "x");
    wasm_runtime_clear_exception(h);
    wasm_runtime_terminate(h);
    wasm_runtime_deinstantiate(h);
    (void)obj;
    return ok;
}

static int
accepted_as_module(wasm_module_t h)
{
    char err[64];
    wasm_export_t ex;
    uint32_t len;
    int ok = 0;
    ok += wasm_runtime_instantiate(h, 0, 0, err, sizeof(err)) != NULL;
    ok += wasm_runtime_get_import_count(h) >= 0;
    ok += wasm_runtime_get_export_count(h) >= 0;
    wasm_runtime_get_export_type(h, 0, &ex);
    ok += ex.name != NULL;
    ok += wasm_runtime_get_module_name(h) != NULL;
    ok += wasm_runtime_set_module_name(h, "x", err, sizeof(err));
    ok += wasm_runtime_get_custom_section(h, "mysec", &len) != NULL;
    ok += wasm_runtime_is_underlying_binary_freeable(h);
    ok += wasm_runtime_get_module_package_type(h) != Package_Type_Unknown;
    wasm_runtime_unload(h);
    return ok;
}

static int
accepted_as_env(wasm_exec_env_t h)
{
    uint32_t argv[2] = { 1, 2 };
    wasm_val_t r[1];
    int ok = 0;
    ok += wasm_runtime_call_wasm(h, wasm_runtime_lookup_function(g_inst, "add"), 2, argv);
    ok += wasm_runtime_call_wasm_a(h, wasm_runtime_lookup_function(g_inst, "two"), 0, r, 0,
                                   NULL);
    ok += wasm_runtime_call_indirect(h, 0, 2, argv);
    ok += wasm_runtime_get_module_inst(h) != NULL;
    ok += wasm_runtime_get_user_data(h) != NULL;
    ok += wasm_runtime_detect_native_stack_overflow(h);
    ok += wasm_runtime_begin_blocking_op(h);
    ok += wasm_runtime_get_function_attachment(h) != NULL;
    wasm_runtime_set_user_data(h, &ok);
    wasm_runtime_destroy_exec_env(h);
    return ok;
}

static int
accepted_as_func(wasm_function_inst_t h)
{
    uint32_t argv[2] = { 1, 2 };
    wasm_valkind_t k[4];
    int ok = 0;
    ok += wasm_runtime_call_wasm(g_env, h, 2, argv);
    ok += wasm_func_get_param_count(h, g_inst) != 0;
    ok += wasm_func_get_result_count(h, g_inst) != 0;
    k[0] = 0xff;
    wasm_func_get_param_types(h, g_inst, k);
    ok += k[0] != 0xff;
    return ok;
}

static int
accepted_as_memory(wasm_memory_inst_t h)
{
    int ok = 0;
    ok += wasm_memory_get_cur_page_count(h) != 0;
    ok += wasm_memory_get_max_page_count(h) != 0;
    ok += wasm_memory_get_bytes_per_page(h) != 0;
    ok += wasm_memory_get_base_address(h) != NULL;
    ok += wasm_memory_enlarge(h, 0);
    return ok;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static bool
runtime_still_works(void)
{
    uint32_t argv[2] = { 20, 22 };
    return wasm_runtime_call_wasm(g_env, wasm_runtime_lookup_function(g_inst, "add"), 2, argv)
           && argv[0] == 42;
}

int
main(void)
{
    static int heap_object;
    int i, bit, accepted;
    void *heap_ptr = malloc(64);
    wasm_function_inst_t add;
    wasm_memory_inst_t mem;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    g_inst = t_instantiate("basic.wasm", &g_module);
    g_env = wasm_runtime_create_exec_env(g_inst, 65536);
    add = wasm_runtime_lookup_function(g_inst, "add");
    mem = wasm_runtime_get_default_memory(g_inst);

    /* Case 7: forged handles -- NULL, 0x1, a heap pointer, a pointer into runtime memory
     * (the memory base), a static object, and 10^6 random values. */
    {
        void *forged[] = { NULL,
                           (void *)1,
                           heap_ptr,
                           wasm_memory_get_base_address(mem),
                           &heap_object,
                           (void *)(uintptr_t)0x8000000000000000ull,
                           (void *)(uintptr_t)UINT64_MAX };
        accepted = 0;
        for (i = 0; i < (int)(sizeof(forged) / sizeof(forged[0])); i++) {
            accepted += accepted_as_inst((wasm_module_inst_t)forged[i]);
            accepted += accepted_as_module((wasm_module_t)forged[i]);
            accepted += accepted_as_env((wasm_exec_env_t)forged[i]);
            accepted += accepted_as_func((wasm_function_inst_t)forged[i]);
            accepted += accepted_as_memory((wasm_memory_inst_t)forged[i]);
        }
        CHECK(accepted == 0);
        accepted = 0;
        for (i = 0; i < 1000000; i++) {
            void *h = (void *)(uintptr_t)next_rand();
            accepted += wasm_runtime_get_module((wasm_module_inst_t)h) != NULL;
            accepted += wasm_runtime_get_module_inst((wasm_exec_env_t)h) != NULL;
            accepted += wasm_func_get_param_count((wasm_function_inst_t)h, g_inst) != 0;
            accepted += wasm_memory_get_cur_page_count((wasm_memory_inst_t)h) != 0;
            accepted += wasm_runtime_get_import_count((wasm_module_t)h) >= 0;
        }
        CHECK(accepted == 0);
        CHECK(runtime_still_works());
    }

    /* Case 8: type confusion -- valid handles of one kind where another is expected. */
    accepted = accepted_as_inst((wasm_module_inst_t)g_module);
    accepted += accepted_as_inst((wasm_module_inst_t)g_env);
    accepted += accepted_as_inst((wasm_module_inst_t)add);
    accepted += accepted_as_inst((wasm_module_inst_t)mem);
    accepted += accepted_as_module((wasm_module_t)g_inst);
    accepted += accepted_as_module((wasm_module_t)add);
    accepted += accepted_as_env((wasm_exec_env_t)g_inst);
    accepted += accepted_as_env((wasm_exec_env_t)add);
    accepted += accepted_as_func((wasm_function_inst_t)g_inst);
    accepted += accepted_as_func((wasm_function_inst_t)mem);
    accepted += accepted_as_memory((wasm_memory_inst_t)add);
    accepted += accepted_as_memory((wasm_memory_inst_t)g_module);
    CHECK(accepted == 0);
    CHECK(runtime_still_works());

    /* A function of another instance is refused too (owner check). */
    {
        wasm_module_inst_t other = t_instantiate("basic.wasm", NULL);
        wasm_function_inst_t other_add = wasm_runtime_lookup_function(other, "add");
        uint32_t argv[2] = { 1, 2 };
        CHECK(other_add != NULL && other_add != add);
        CHECK(!wasm_runtime_call_wasm(g_env, other_add, 2, argv));
        CHECK(wasm_func_get_param_count(other_add, g_inst) == 0);
        CHECK(wasm_func_get_param_count(other_add, other) == 2);

        /* Case 9: use after destroy */
        {
            wasm_exec_env_t other_env = wasm_runtime_create_exec_env(other, 8192);
            wasm_memory_inst_t other_mem = wasm_runtime_get_default_memory(other);
            CHECK(other_env != NULL);
            /* A successful call first, so the pair is in the call path's validation cache. */
            CHECK(wasm_runtime_call_wasm(other_env, other_add, 2, argv) && argv[0] == 3);
            wasm_runtime_deinstantiate(other);
            CHECK(!wasm_runtime_call_wasm(other_env, other_add, 2, argv));
            CHECK(wasm_runtime_lookup_function(other, "add") == NULL);
            CHECK(wasm_runtime_get_module_inst(other_env) == NULL);
            CHECK(wasm_memory_get_cur_page_count(other_mem) == 0);
            CHECK(wasm_memory_get_base_address(other_mem) == NULL);
            wasm_runtime_deinstantiate(other); /* double: refused no-op */
            wasm_runtime_destroy_exec_env(other_env);
        }
        {
            wasm_exec_env_t e = wasm_runtime_create_exec_env(g_inst, 8192);
            wasm_module_inst_t third = t_instantiate("basic.wasm", NULL);
            uint32_t args[2] = { 5, 6 };
            /* Cached pair, then the exec env moves to another instance: the old instance's
             * function no longer matches it. */
            CHECK(wasm_runtime_call_wasm(e, add, 2, args) && args[0] == 11);
            wasm_runtime_set_module_inst(e, third);
            args[0] = 5;
            CHECK(!wasm_runtime_call_wasm(e, add, 2, args));
            wasm_runtime_set_module_inst(e, g_inst);
            args[0] = 5;
            CHECK(wasm_runtime_call_wasm(e, add, 2, args) && args[0] == 11);
            /* Cached pair, then the exec env is destroyed: refused. */
            wasm_runtime_destroy_exec_env(e);
            args[0] = 5;
            CHECK(!wasm_runtime_call_wasm(e, add, 2, args));
            wasm_runtime_destroy_exec_env(e); /* double destroy: refused */
            CHECK(wasm_runtime_get_module_inst(e) == NULL);
            wasm_runtime_deinstantiate(third);
        }
        CHECK(runtime_still_works());
    }

    /* Case 10: flip each of the 64 bits of live handles: every variant is refused. */
    accepted = 0;
    for (bit = 0; bit < 64; bit++) {
        uintptr_t m = (uintptr_t)1 << bit;
        accepted += wasm_runtime_get_module((wasm_module_inst_t)((uintptr_t)g_inst ^ m)) != NULL;
        accepted += wasm_runtime_get_module_inst((wasm_exec_env_t)((uintptr_t)g_env ^ m)) != NULL;
        accepted += wasm_func_get_param_count((wasm_function_inst_t)((uintptr_t)add ^ m), g_inst)
                    != 0;
        accepted += wasm_memory_get_cur_page_count((wasm_memory_inst_t)((uintptr_t)mem ^ m)) != 0;
        accepted += wasm_runtime_get_export_count((wasm_module_t)((uintptr_t)g_module ^ m)) >= 0;
    }
    CHECK(accepted == 0);
    CHECK(runtime_still_works());

    /* Case 11: handles of a previous runtime are refused by a new one (owner check). */
    {
        wasm_module_t old_module = g_module;
        wasm_module_inst_t old_inst = g_inst;
        wasm_exec_env_t old_env = g_env;
        uint32_t argv[2] = { 1, 2 };
        wasm_runtime_destroy();
        CHECK(wasm_runtime_init());
        CHECK(wasm_runtime_get_module(old_inst) == NULL);
        CHECK(wasm_runtime_get_export_count(old_module) == -1);
        CHECK(!wasm_runtime_call_wasm(old_env, add, 2, argv));
        g_inst = t_instantiate("basic.wasm", &g_module);
        g_env = wasm_runtime_create_exec_env(g_inst, 65536);
        CHECK(runtime_still_works());
    }

    free(heap_ptr);
    wasm_runtime_destroy();
    return t_finish();
}
