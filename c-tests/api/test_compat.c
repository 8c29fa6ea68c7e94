/* WAMR 2.4.3 compatibility cases found by relinking WAMR's samples and unit tests
 * (issue 10): raw natives with pointer arguments, externref arguments of call_wasm,
 * instantiate failure texts, running mode 0. */
#include "test_util.h"

static int raw_calls;

/* (*~)i: the pointer slot arrives as a native pointer into linear memory. */
static void
raw_sum(wasm_exec_env_t env, uint64_t *args)
{
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(uint8_t *, p, args);
    native_raw_get_arg(uint32_t, len, args);
    int32_t s = 0;
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
    raw_calls++;
    CHECK(wasm_runtime_validate_native_addr(inst, p, len));
    for (uint32_t i = 0; i < len; i++)
        s += p[i];
    native_raw_set_return(s);
}

/* ($)i */
static void
raw_strlen(wasm_exec_env_t env, uint64_t *args)
{
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(const char *, s, args);
    (void)env;
    raw_calls++;
    native_raw_set_return((int32_t)strlen(s));
}

/* (*)i */
static void
raw_touch(wasm_exec_env_t env, uint64_t *args)
{
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(uint8_t *, p, args);
    (void)env;
    raw_calls++;
    native_raw_set_return((int32_t)*p);
}

static NativeSymbol raw_natives[] = {
    { "raw_sum", (void *)raw_sum, "(*~)i", NULL },
    { "raw_strlen", (void *)raw_strlen, "($)i", NULL },
    { "raw_touch", (void *)raw_touch, "(*)i", NULL },
};

static uint32_t
call2(wasm_exec_env_t env, wasm_module_inst_t inst, const char *name, uint32_t a, uint32_t b)
{
    uint32_t argv[2] = { a, b };
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    CHECK(f != NULL);
    if (!wasm_runtime_call_wasm(env, f, wasm_func_get_param_count(f, inst), argv))
        return 0xdeadbeef;
    return argv[0];
}

static void
expect_oob(wasm_module_inst_t inst)
{
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);
}

/* Item 6: raw natives get their '*', '*~' and '$' arguments validated and converted. */
static void
test_raw_pointer_args(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst = t_instantiate("compat.wasm", &module);
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 64 * 1024);
    uint8_t *end;

    CHECK(env != NULL);
    /* "abcdef" at 100 */
    CHECK(call2(env, inst, "call_raw_sum", 100, 3) == 97 + 98 + 99);
    CHECK(call2(env, inst, "call_raw_strlen", 100, 0) == 6);
    CHECK(call2(env, inst, "call_raw_touch", 101, 0) == 98);
    CHECK(call2(env, inst, "call_raw_sum", 65536 - 4, 4) == 0); /* exactly at the end */
    CHECK(raw_calls == 4);

    /* out of bounds: trap before the native runs */
    raw_calls = 0;
    CHECK(call2(env, inst, "call_raw_sum", 65536 - 4, 5) == 0xdeadbeef);
    expect_oob(inst);
    CHECK(call2(env, inst, "call_raw_sum", 0xFFFFFFF0u, 0x20) == 0xdeadbeef);
    expect_oob(inst);
    CHECK(call2(env, inst, "call_raw_touch", 65536, 0) == 0xdeadbeef);
    expect_oob(inst);
    end = wasm_runtime_addr_app_to_native(inst, 65536 - 8);
    memset(end, 'x', 8); /* no NUL before the end of memory */
    CHECK(call2(env, inst, "call_raw_strlen", 65536 - 8, 0) == 0xdeadbeef);
    expect_oob(inst);
    CHECK(raw_calls == 0);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
}

static void
put_ptr(uint32_t *cells, const void *p)
{
    uintptr_t v = (uintptr_t)p;
    memcpy(cells, &v, sizeof(v));
}

static uintptr_t
get_ptr(const uint32_t *cells)
{
    uintptr_t v;
    memcpy(&v, cells, sizeof(v));
    return v;
}

/* Item 7 (and item 13's argc case): an externref travels in argv as a pointer-sized value
 * while argc counts it as one cell, as in WAMR's ref-types sample; a parameter whose first
 * cell is at or past argc is zero (a null externref); argc is never refused. */
static void
test_externref_argc(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst = t_instantiate("compat.wasm", &module);
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 64 * 1024);
    wasm_function_inst_t ref_i32 = wasm_runtime_lookup_function(inst, "ref_i32");
    wasm_function_inst_t ref_first = wasm_runtime_lookup_function(inst, "ref_first");
    wasm_function_inst_t ref_id = wasm_runtime_lookup_function(inst, "ref_id");
    wasm_function_inst_t ref_swap = wasm_runtime_lookup_function(inst, "ref_swap");
    const size_t pc = sizeof(uintptr_t) / sizeof(uint32_t); /* cells of a pointer */
    uint32_t argv[8];
    int obj;

    CHECK(env && ref_i32 && ref_first && ref_id && ref_swap);
    CHECK(wasm_func_get_param_count(ref_i32, inst) == 2);
    CHECK(wasm_func_get_result_count(ref_swap, inst) == 2);

    /* the ref-types sample: (i32, externref) with argc = 2 and 1 + pointer cells */
    argv[0] = 5;
    put_ptr(&argv[1], &obj);
    CHECK(wasm_runtime_call_wasm(env, ref_i32, 2, argv) && argv[0] == 205);
    argv[0] = 5;
    put_ptr(&argv[1], &obj);
    CHECK(wasm_runtime_call_wasm(env, ref_i32, (uint32_t)(1 + pc), argv) && argv[0] == 205);
    /* argc = 1: the externref's cells start at argc, so it is null */
    argv[0] = 5;
    put_ptr(&argv[1], &obj);
    CHECK(wasm_runtime_call_wasm(env, ref_i32, 1, argv) && argv[0] == 105);
    /* argc = 0: everything zero-filled */
    argv[0] = 5;
    put_ptr(&argv[1], &obj);
    CHECK(wasm_runtime_call_wasm(env, ref_i32, 0, argv) && argv[0] == 100);
    CHECK(wasm_runtime_get_exception(inst) == NULL);

    /* (externref, i32): the i32 is read only when argc reaches its cell */
    put_ptr(&argv[0], &obj);
    argv[pc] = 9;
    CHECK(wasm_runtime_call_wasm(env, ref_first, (uint32_t)pc, argv) && argv[0] == 200);
    put_ptr(&argv[0], &obj);
    argv[pc] = 9;
    CHECK(wasm_runtime_call_wasm(env, ref_first, (uint32_t)pc + 1, argv) && argv[0] == 209);

    /* externref results are written pointer-sized */
    put_ptr(&argv[0], &obj);
    CHECK(wasm_runtime_call_wasm(env, ref_id, 1, argv));
    CHECK(get_ptr(&argv[0]) == (uintptr_t)&obj);
    put_ptr(&argv[0], &obj);
    argv[pc] = 77;
    CHECK(wasm_runtime_call_wasm(env, ref_swap, (uint32_t)pc + 1, argv));
    CHECK(argv[0] == 77 && get_ptr(&argv[1]) == (uintptr_t)&obj);

    /* wasm_val_t and variadic forms */
    {
        wasm_val_t args[2], res[2];
        args[0].kind = WASM_I32;
        args[0].of.i32 = 1;
        args[1].kind = WASM_EXTERNREF;
        args[1].of.foreign = (uintptr_t)&obj;
        CHECK(wasm_runtime_call_wasm_a(env, ref_i32, 1, res, 2, args));
        CHECK(res[0].kind == WASM_I32 && res[0].of.i32 == 201);
        args[0].kind = WASM_EXTERNREF;
        args[0].of.foreign = (uintptr_t)&obj;
        args[1].kind = WASM_I32;
        args[1].of.i32 = 3;
        CHECK(wasm_runtime_call_wasm_a(env, ref_swap, 2, res, 2, args));
        CHECK(res[0].kind == WASM_I32 && res[0].of.i32 == 3);
        CHECK(res[1].kind == WASM_EXTERNREF && res[1].of.foreign == (uintptr_t)&obj);
        CHECK(wasm_runtime_call_wasm_v(env, ref_i32, 1, res, 2, 7, (uintptr_t)&obj));
        CHECK(res[0].of.i32 == 207);
        CHECK(wasm_runtime_call_wasm_v(env, ref_swap, 2, res, 2, (uintptr_t)&obj, 4));
        CHECK(res[0].of.i32 == 4 && res[1].of.foreign == (uintptr_t)&obj);
    }

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
}

static void
expect_instantiate_error(const char *name, const char *want)
{
    char err[128];
    uint32_t size;
    uint8_t *buf = t_read_wasm(name, &size);
    wasm_module_t m = wasm_runtime_load(buf, size, err, sizeof(err));
    CHECK(m != NULL);
    if (m) {
        err[0] = 0;
        CHECK(wasm_runtime_instantiate(m, 0, 0, err, sizeof(err)) == NULL);
        CHECK_STR(err, want);
        wasm_runtime_unload(m);
    }
    free(buf);
}

/* Item 8: a segment out of bounds is an instantiate failure without "Exception: ". */
static void
test_instantiate_messages(void)
{
    expect_instantiate_error("cc_data_oob.wasm",
                             "WASM module instantiate failed: out of bounds memory access");
    expect_instantiate_error("cc_elem_oob.wasm",
                             "WASM module instantiate failed: out of bounds table access");
    expect_instantiate_error("cc_start.wasm",
                             "WASM module instantiate failed: Exception: integer divide by zero");
}

/* Item 13: running mode 0 is WAMR's "default mode" (the interpreter here). */
static void
test_running_mode_default(void)
{
    wasm_module_t module;
    wasm_module_inst_t inst;

    CHECK(wasm_runtime_is_running_mode_supported((RunningMode)0));
    CHECK(wasm_runtime_is_running_mode_supported(Mode_Interp));
    CHECK(!wasm_runtime_is_running_mode_supported(Mode_LLVM_JIT));
    CHECK(wasm_runtime_set_default_running_mode((RunningMode)0));
    CHECK(wasm_runtime_set_default_running_mode(Mode_Interp));
    CHECK(!wasm_runtime_set_default_running_mode(Mode_Fast_JIT));
    inst = t_instantiate("compat.wasm", &module);
    CHECK(wasm_runtime_set_running_mode(inst, (RunningMode)0));
    CHECK(wasm_runtime_get_running_mode(inst) == Mode_Interp);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
}

int
main(void)
{
    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    CHECK(wasm_runtime_register_natives_raw("env", raw_natives,
                                            sizeof(raw_natives) / sizeof(raw_natives[0])));
    test_raw_pointer_args();
    test_externref_argc();
    test_instantiate_messages();
    test_running_mode_default();
    wasm_runtime_destroy();
    return t_finish();
}
