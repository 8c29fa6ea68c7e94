/* WAMR 2.4.3 compatibility cases found by relinking WAMR's samples and unit tests
 * (issue 10): raw natives with pointer arguments, ... */
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

int
main(void)
{
    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    CHECK(wasm_runtime_register_natives_raw("env", raw_natives,
                                            sizeof(raw_natives) / sizeof(raw_natives[0])));
    test_raw_pointer_args();
    wasm_runtime_destroy();
    return t_finish();
}
