/* Instantiation, lookup, calls (argv cells, wasm_val_t, variadic, indirect), exceptions,
 * exec envs, custom data, exported globals/tables, wasm_application_execute_func. */
#include "test_util.h"

static void
test_calls(wasm_module_inst_t inst, wasm_exec_env_t env)
{
    wasm_function_inst_t add = wasm_runtime_lookup_function(inst, "add");
    wasm_function_inst_t add64 = wasm_runtime_lookup_function(inst, "add64");
    wasm_function_inst_t fadd = wasm_runtime_lookup_function(inst, "fadd");
    wasm_function_inst_t dadd = wasm_runtime_lookup_function(inst, "dadd");
    wasm_function_inst_t mix = wasm_runtime_lookup_function(inst, "mix");
    wasm_function_inst_t two = wasm_runtime_lookup_function(inst, "two");
    uint32_t argv[4];
    wasm_valkind_t kinds[4];

    CHECK(add != NULL && add64 && fadd && dadd && mix && two);
    CHECK(wasm_runtime_lookup_function(inst, "add") == add); /* same handle every time */
    CHECK(wasm_runtime_lookup_function(inst, "nope") == NULL);
    CHECK(wasm_runtime_lookup_function(inst, "memory") == NULL);

    CHECK(wasm_func_get_param_count(mix, inst) == 4);
    CHECK(wasm_func_get_result_count(mix, inst) == 1);
    wasm_func_get_param_types(mix, inst, kinds);
    CHECK(kinds[0] == WASM_I32 && kinds[1] == WASM_I64 && kinds[2] == WASM_F32
          && kinds[3] == WASM_F64);
    wasm_func_get_result_types(two, inst, kinds);
    CHECK(kinds[0] == WASM_I32 && kinds[1] == WASM_I64);

    /* argv cells */
    argv[0] = 40;
    argv[1] = 2;
    CHECK(wasm_runtime_call_wasm(env, add, 2, argv));
    CHECK(argv[0] == 42);
    {
        int64_t a = 0x100000000LL, b = 5, r;
        memcpy(&argv[0], &a, 8);
        memcpy(&argv[2], &b, 8);
        CHECK(wasm_runtime_call_wasm(env, add64, 4, argv));
        memcpy(&r, &argv[0], 8);
        CHECK(r == 0x100000005LL);
    }
    {
        float a = 1.5f, b = 2.25f, r;
        memcpy(&argv[0], &a, 4);
        memcpy(&argv[1], &b, 4);
        CHECK(wasm_runtime_call_wasm(env, fadd, 2, argv));
        memcpy(&r, &argv[0], 4);
        CHECK(r == 3.75f);
    }
    {
        double a = 1.5, b = -0.25, r;
        memcpy(&argv[0], &a, 8);
        memcpy(&argv[2], &b, 8);
        CHECK(wasm_runtime_call_wasm(env, dadd, 4, argv));
        memcpy(&r, &argv[0], 8);
        CHECK(r == 1.25);
    }
    CHECK(wasm_runtime_call_wasm(env, two, 0, argv));
    CHECK(argv[0] == 7 && argv[1] == 0xffffffffu && argv[2] == 0xffffffffu);
    /* argc smaller than the parameter cells: WAMR (reference types on) replaces argc with
     * the parameter cell count and reads every parameter */
    argv[0] = 3;
    argv[1] = 4;
    CHECK(wasm_runtime_call_wasm(env, add, 1, argv) && argv[0] == 7);
    CHECK(wasm_runtime_get_exception(inst) == NULL);

    /* wasm_val_t */
    {
        wasm_val_t args[4], res[2];
        args[0].kind = WASM_I32;
        args[0].of.i32 = 1;
        args[1].kind = WASM_I64;
        args[1].of.i64 = 2;
        args[2].kind = WASM_F32;
        args[2].of.f32 = 3.5f;
        args[3].kind = WASM_F64;
        args[3].of.f64 = 4.25;
        CHECK(wasm_runtime_call_wasm_a(env, mix, 1, res, 4, args));
        CHECK(res[0].kind == WASM_F64 && res[0].of.f64 == 10.75);
        /* wrong kind / wrong counts are refused without running */
        args[1].kind = WASM_I32;
        CHECK(!wasm_runtime_call_wasm_a(env, mix, 1, res, 4, args));
        CHECK(!wasm_runtime_call_wasm_a(env, mix, 1, res, 3, args));
        CHECK(!wasm_runtime_call_wasm_a(env, mix, 0, res, 4, args));
        CHECK(wasm_runtime_call_wasm_a(env, two, 2, res, 0, NULL));
        CHECK(res[0].kind == WASM_I32 && res[0].of.i32 == 7 && res[1].kind == WASM_I64
              && res[1].of.i64 == -1);
        /* variadic */
        CHECK(wasm_runtime_call_wasm_v(env, mix, 1, res, 4, (int32_t)10, (int64_t)20,
                                       (float)0.5f, (double)0.25));
        CHECK(res[0].of.f64 == 30.75);
        CHECK(!wasm_runtime_call_wasm_v(env, mix, 1, res, 2, (int32_t)1, (int64_t)2));
    }

    /* call_indirect through table 0: [add, sub, null, null] */
    argv[0] = 10;
    argv[1] = 3;
    CHECK(wasm_runtime_call_indirect(env, 1, 2, argv));
    CHECK(argv[0] == 7);
    CHECK(!wasm_runtime_call_indirect(env, 2, 2, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: uninitialized element");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_call_indirect(env, 9, 2, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: undefined element");
    wasm_runtime_clear_exception(inst);
    /* call_indirect keeps the interpreter's argc check */
    CHECK(!wasm_runtime_call_indirect(env, 1, 1, argv));
    CHECK_STR(wasm_runtime_get_exception(inst),
              "Exception: invalid argument count 1, must be no smaller than 2");
    wasm_runtime_clear_exception(inst);
}

static void
test_exceptions(wasm_module_inst_t inst, wasm_exec_env_t env)
{
    uint32_t argv[2] = { 1, 0 };
    wasm_function_inst_t divf = wasm_runtime_lookup_function(inst, "div");
    wasm_function_inst_t trap = wasm_runtime_lookup_function(inst, "trap");
    wasm_function_inst_t oob = wasm_runtime_lookup_function(inst, "oob");
    wasm_function_inst_t add = wasm_runtime_lookup_function(inst, "add");
    wasm_function_inst_t rec = wasm_runtime_lookup_function(inst, "recurse");

    CHECK(wasm_runtime_get_exception(inst) == NULL);
    CHECK(!wasm_runtime_call_wasm(env, divf, 2, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: integer divide by zero");
    {
        /* the call stack of the trap, WAMR's format */
        char stack[256];
        uint32_t need = wasm_runtime_get_call_stack_buf_size(env);
        CHECK(need > 1 && need <= sizeof(stack));
        CHECK(wasm_runtime_dump_call_stack_to_buf(env, stack, sizeof(stack)) == need - 1);
        CHECK(strncmp(stack, "#00: 0x", 7) == 0 && strstr(stack, " - div\n") != NULL);
    }
    /* sticky: every later call fails until cleared */
    argv[0] = 1;
    argv[1] = 2;
    CHECK(!wasm_runtime_call_wasm(env, add, 2, argv));
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_get_exception(inst) == NULL);
    CHECK(wasm_runtime_call_wasm(env, add, 2, argv) && argv[0] == 3);

    CHECK(!wasm_runtime_call_wasm(env, trap, 0, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: unreachable");
    wasm_runtime_clear_exception(inst);
    CHECK(!wasm_runtime_call_wasm(env, oob, 0, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);

    wasm_runtime_set_exception(inst, "custom failure");
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: custom failure");
    wasm_runtime_set_exception(inst, NULL);
    CHECK(wasm_runtime_get_exception(inst) == NULL);

    /* deep recursion ends in a trap, not a host crash */
    argv[0] = 10000000;
    CHECK(!wasm_runtime_call_wasm(env, rec, 1, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: wasm operand stack overflow");
    wasm_runtime_clear_exception(inst);
    argv[0] = 100;
    CHECK(wasm_runtime_call_wasm(env, rec, 1, argv) && argv[0] == 100);
}

static void
test_exec_env(wasm_module_inst_t inst, wasm_exec_env_t env)
{
    int marker;
    wasm_exec_env_t s1 = wasm_runtime_get_exec_env_singleton(inst);
    wasm_exec_env_t s2 = wasm_runtime_get_exec_env_singleton(inst);
    uint32_t argv[2] = { 2, 3 };

    CHECK(s1 != NULL && s1 == s2 && s1 != env);
    CHECK(wasm_runtime_get_module_inst(env) == inst);
    CHECK(wasm_runtime_get_module_inst(s1) == inst);
    CHECK(wasm_runtime_get_user_data(env) == NULL);
    wasm_runtime_set_user_data(env, &marker);
    CHECK(wasm_runtime_get_user_data(env) == &marker);
    CHECK(wasm_runtime_call_wasm(s1, wasm_runtime_lookup_function(inst, "add"), 2, argv)
          && argv[0] == 5);
    CHECK(wasm_runtime_detect_native_stack_overflow(env));
    CHECK(wasm_runtime_detect_native_stack_overflow_size(env, 1024));
    /* a boundary above the current stack pointer means "overflow" */
    /* computed as an integer: pointer arithmetic past `marker` is out of bounds for
     * the compiler (GCC 12 -O2 -Warray-bounds) */
    wasm_runtime_set_native_stack_boundary(env, (uint8_t *)((uintptr_t)&marker + 4096));
    CHECK(!wasm_runtime_detect_native_stack_overflow(env));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: native stack overflow");
    wasm_runtime_clear_exception(inst);
    wasm_runtime_set_native_stack_boundary(env, NULL);
    CHECK(wasm_runtime_begin_blocking_op(env));
    wasm_runtime_end_blocking_op(env);
    CHECK(wasm_runtime_thread_env_inited());
    CHECK(wasm_runtime_init_thread_env());
}

static void
test_instance_data(wasm_module_t module, wasm_module_inst_t inst, wasm_exec_env_t env)
{
    int marker;
    wasm_global_inst_t g;
    wasm_table_inst_t t;
    wasm_function_inst_t f;
    uint32_t argv[2] = { 9, 4 };

    CHECK(wasm_runtime_get_module(inst) == module);
    CHECK(wasm_runtime_get_custom_data(inst) == NULL);
    wasm_runtime_set_custom_data(inst, &marker);
    CHECK(wasm_runtime_get_custom_data(inst) == &marker);
    CHECK(wasm_runtime_get_running_mode(inst) == Mode_Interp);
    CHECK(wasm_runtime_set_running_mode(inst, Mode_Interp));
    CHECK(!wasm_runtime_set_running_mode(inst, Mode_LLVM_JIT));

    CHECK(wasm_runtime_get_export_global_inst(inst, "g", &g));
    CHECK(g.kind == WASM_I32 && g.is_mutable && *(int32_t *)g.global_data == 42);
    *(int32_t *)g.global_data = 7; /* writes through to the instance */
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "get_g"), 0, argv)
          && argv[0] == 7);
    CHECK(wasm_runtime_get_export_global_inst(inst, "pi", &g));
    CHECK(g.kind == WASM_F64 && !g.is_mutable && *(double *)g.global_data == 3.5);
    CHECK(!wasm_runtime_get_export_global_inst(inst, "add", &g));

    CHECK(wasm_runtime_get_export_table_inst(inst, "table", &t));
    CHECK(t.elem_kind == WASM_FUNCREF && t.cur_size == 4);
    f = wasm_table_get_func_inst(inst, &t, 0);
    CHECK(f == wasm_runtime_lookup_function(inst, "add"));
    CHECK(wasm_table_get_func_inst(inst, &t, 2) == NULL);
    CHECK(wasm_table_get_func_inst(inst, &t, 99) == NULL);
    argv[0] = 9;
    argv[1] = 4;
    CHECK(wasm_runtime_call_wasm(env, wasm_table_get_func_inst(inst, &t, 1), 2, argv)
          && argv[0] == 5);

    CHECK(wasm_application_execute_func(inst, "add", 2, (char *[]){ "20", "22", NULL }));
    CHECK(!wasm_application_execute_func(inst, "nope", 0, NULL));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: lookup function nope failed");
    wasm_runtime_clear_exception(inst);
}

static int enlarge_calls;
static uint32_t enlarge_inc;
static enlarge_memory_error_reason_t enlarge_reason;
static wasm_module_inst_t enlarge_inst;
static wasm_exec_env_t enlarge_env;

static void
on_enlarge_error(uint32_t inc_page_count, uint64_t current_memory_size, uint32_t memory_index,
                 enlarge_memory_error_reason_t failure_reason, wasm_module_inst_t instance,
                 wasm_exec_env_t exec_env, void *user_data)
{
    enlarge_env = exec_env;
    enlarge_calls++;
    enlarge_inc = inc_page_count;
    enlarge_reason = failure_reason;
    enlarge_inst = instance;
    CHECK(current_memory_size == 65536 && memory_index == 0);
    CHECK(user_data == &enlarge_calls);
}

static void
test_instantiate_variants(wasm_module_t module)
{
    char err[128];
    InstantiationArgs a = { 0 };
    struct InstantiationArgs2 *a2 = NULL;
    wasm_module_inst_t i1, i2;
    int marker;

    a.default_stack_size = 16 * 1024;
    a.max_memory_pages = 2;
    i1 = wasm_runtime_instantiate_ex(module, &a, err, sizeof(err));
    CHECK(i1 != NULL);
    CHECK(wasm_memory_get_max_page_count(wasm_runtime_get_default_memory(i1)) == 2);
    /* Failed grows reach the enlarge-error callback, from the API and from memory.grow. */
    wasm_runtime_set_enlarge_mem_error_callback(on_enlarge_error, &enlarge_calls);
    CHECK(!wasm_runtime_enlarge_memory(i1, 2));
    CHECK(enlarge_calls == 1 && enlarge_inc == 2 && enlarge_reason == MAX_SIZE_REACHED
          && enlarge_inst == i1 && enlarge_env == NULL);
    {
        wasm_exec_env_t e1 = wasm_runtime_create_exec_env(i1, 16 * 1024);
        uint32_t argv[1] = { 5 };
        CHECK(wasm_runtime_call_wasm(e1, wasm_runtime_lookup_function(i1, "grow"), 1, argv));
        CHECK(argv[0] == (uint32_t)-1);
        CHECK(enlarge_calls == 2 && enlarge_inc == 5 && enlarge_inst == i1);
        CHECK(enlarge_env == e1); /* the exec env of the call that ran memory.grow */
        wasm_runtime_destroy_exec_env(e1);
    }
    wasm_runtime_set_enlarge_mem_error_callback(NULL, NULL);
    CHECK(wasm_runtime_enlarge_memory(i1, 1));
    CHECK(!wasm_runtime_enlarge_memory(i1, 1));
    CHECK(enlarge_calls == 2);
    wasm_runtime_deinstantiate(i1);

    CHECK(wasm_runtime_instantiation_args_create(&a2) && a2 != NULL);
    wasm_runtime_instantiation_args_set_default_stack_size(a2, 32 * 1024);
    wasm_runtime_instantiation_args_set_host_managed_heap_size(a2, 0);
    wasm_runtime_instantiation_args_set_max_memory_pages(a2, 3);
    wasm_runtime_instantiation_args_set_custom_data(a2, &marker);
    i2 = wasm_runtime_instantiate_ex2(module, a2, err, sizeof(err));
    CHECK(i2 != NULL);
    CHECK(wasm_runtime_get_custom_data(i2) == &marker);
    CHECK(wasm_memory_get_max_page_count(wasm_runtime_get_default_memory(i2)) == 3);
    wasm_runtime_deinstantiate(i2);
    wasm_runtime_instantiation_args_destroy(a2);
    /* destroyed args are refused */
    CHECK(wasm_runtime_instantiate_ex2(module, a2, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "InstantiationArgs2") != NULL);
    CHECK(wasm_runtime_instantiate_ex2(module, NULL, err, sizeof(err)) != NULL);
}

int
main(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    inst = t_instantiate("basic.wasm", &module);
    env = wasm_runtime_create_exec_env(inst, 64 * 1024);
    CHECK(env != NULL);

    test_calls(inst, env);
    test_exceptions(inst, env);
    test_exec_env(inst, env);
    test_instance_data(module, inst, env);
    test_instantiate_variants(module);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    return t_finish();
}
