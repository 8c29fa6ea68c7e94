/* Native registration and calls: signature strings (i I f F r * ~ $), raw natives,
 * attachments, re-entry with the native's exec env, exceptions raised by natives, unlinked
 * imports, and capability-model section 9 cases 13 (pointer+length overflow), 14 (string
 * snapshot), 15 (grow during a native). */
#include "test_util.h"

static wasm_module_inst_t g_inst;
static int calls_sum_buf, calls_str_len, calls_touch;

static int32_t
host_add(wasm_exec_env_t env, int32_t a, int32_t b)
{
    CHECK(wasm_runtime_get_module_inst(env) == g_inst);
    return a + b;
}

static int32_t
sum_buf(wasm_exec_env_t env, uint8_t *buf, uint32_t len)
{
    int32_t s = 0;
    (void)env;
    calls_sum_buf++;
    for (uint32_t i = 0; i < len; i++)
        s += buf[i];
    return s;
}

static int32_t
str_len(wasm_exec_env_t env, const char *s)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
    char *orig = wasm_runtime_addr_app_to_native(inst, 100);
    int32_t n;
    calls_str_len++;
    n = (int32_t)strlen(s);
    /* Case 14: rewriting the guest string after the call started does not change what the
     * native sees: it got a snapshot. */
    if (orig && strcmp(s, "abcdef") == 0) {
        orig[0] = 'Z';
        CHECK(s[0] == 'a');
        orig[0] = 'a';
    }
    return n;
}

static int32_t
touch(wasm_exec_env_t env, uint8_t *p)
{
    (void)env;
    calls_touch++;
    return *p;
}

static int32_t
attach(wasm_exec_env_t env)
{
    int *att = wasm_runtime_get_function_attachment(env);
    return att ? *att : -1;
}

static double
many(wasm_exec_env_t env, int32_t a, int64_t b, float c, double d, int32_t e, int64_t f,
     float g, double h, int32_t i, int64_t j, float k, double l, int32_t m, int64_t n,
     float o, double p, double q, double r, int32_t s)
{
    (void)env;
    /* weighted so that any argument landing in the wrong slot changes the result */
    return a * 1.0 + b * 2.0 + c * 3.0 + d * 4.0 + e * 5.0 + f * 6.0 + g * 7.0 + h * 8.0
           + i * 9.0 + j * 10.0 + k * 11.0 + l * 12.0 + m * 13.0 + n * 14.0 + o * 15.0
           + p * 16.0 + q * 17.0 + r * 18.0 + s * 19.0;
}

static float
fret(wasm_exec_env_t env, float x)
{
    (void)env;
    return x * 2.0f;
}

static int32_t
callback(wasm_exec_env_t env, int32_t x)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
    wasm_function_inst_t dbl = wasm_runtime_lookup_function(inst, "double");
    uint32_t argv[1] = { (uint32_t)x };
    if (!wasm_runtime_call_wasm(env, dbl, 1, argv))
        return -1;
    return (int32_t)argv[0] + 1;
}

static void
raise_exc(wasm_exec_env_t env, int32_t code)
{
    (void)code;
    wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), "raised by native");
}

static void
raw_add(wasm_exec_env_t env, uint64_t *args)
{
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(int32_t, a, args);
    native_raw_get_arg(int32_t, b, args);
    (void)env;
    native_raw_set_return(a + b);
}

static uintptr_t
ref_native(wasm_exec_env_t env, uintptr_t obj)
{
    (void)env;
    return obj;
}

/* Case 15: the native grows memory by re-entering wasm; its buffer pointer stays valid. */
static int32_t
grow_read(wasm_exec_env_t env, uint8_t *buf, uint32_t len)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
    uint32_t argv[1] = { 10 };
    int32_t s = 0;
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "grow"), 1, argv));
    CHECK(argv[0] == 1);
    for (uint32_t i = 0; i < len; i++)
        s += buf[i];
    return s;
}

static int attachment_value = 1234;

static NativeSymbol natives[] = {
    { "host_add", (void *)host_add, "(ii)i", NULL },
    { "sum_buf", (void *)sum_buf, "(*~)i", NULL },
    { "str_len", (void *)str_len, "($)i", NULL },
    { "touch", (void *)touch, "(*)i", NULL },
    { "attach", (void *)attach, "()i", &attachment_value },
    { "many", (void *)many, "(iIfFiIfFiIfFiIfFFFi)F", NULL },
    { "fret", (void *)fret, "(f)f", NULL },
    { "callback", (void *)callback, "(i)i", NULL },
    { "raise", (void *)raise_exc, "(i)", NULL },
    { "ref_native", (void *)ref_native, "(r)r", NULL },
    { "grow_read", (void *)grow_read, "(*~)i", NULL },
};

static NativeSymbol raw_natives[] = {
    { "raw_add", (void *)raw_add, "(ii)i", NULL },
};

static uint32_t
call1(wasm_exec_env_t env, const char *name, uint32_t a, uint32_t b)
{
    uint32_t argv[2] = { a, b };
    wasm_function_inst_t f = wasm_runtime_lookup_function(g_inst, name);
    if (!wasm_runtime_call_wasm(env, f, 2, argv))
        return 0xdeadbeef;
    return argv[0];
}

int
main(void)
{
    wasm_module_t module;
    wasm_exec_env_t env;
    uint32_t argv[4];
    wasm_import_t imp;
    int i, n;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    CHECK(wasm_runtime_register_natives("env", natives,
                                        sizeof(natives) / sizeof(natives[0])));
    CHECK(wasm_runtime_register_natives_raw("env", raw_natives, 1));
    CHECK(!wasm_runtime_register_natives(NULL, natives, 1));
    CHECK(wasm_runtime_is_import_func_linked("env", "host_add"));
    CHECK(!wasm_runtime_is_import_func_linked("env", "missing"));
    CHECK(!wasm_runtime_is_import_global_linked("env", "g"));

    g_inst = t_instantiate("natives.wasm", &module);
    env = wasm_runtime_create_exec_env(g_inst, 64 * 1024);

    n = wasm_runtime_get_import_count(module);
    CHECK(n == 13);
    for (i = 0; i < n; i++) {
        wasm_runtime_get_import_type(module, i, &imp);
        CHECK(imp.kind == WASM_IMPORT_EXPORT_KIND_FUNC);
        CHECK(imp.linked == (strcmp(imp.name, "missing") != 0));
    }

    CHECK(call1(env, "call_host_add", 30, 12) == 42);
    /* "abcdef" is at 100: a=97 .. f=102 */
    CHECK(call1(env, "call_sum_buf", 100, 3) == 97 + 98 + 99);
    CHECK(call1(env, "call_str_len", 100, 0) == 6);
    CHECK(call1(env, "call_touch", 101, 0) == 98);
    CHECK(call1(env, "call_attach", 0, 0) == 1234);
    {
        wasm_val_t res[1];
        double expect = 0;
        for (i = 1; i <= 19; i++)
            expect += (double)i * i;
        CHECK(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(g_inst, "call_many"),
                                       1, res, 0, NULL));
        CHECK(res[0].of.f64 == expect);
    }
    {
        float x = 1.25f, r;
        memcpy(&argv[0], &x, 4);
        CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(g_inst, "call_fret"),
                                     1, argv));
        memcpy(&r, &argv[0], 4);
        CHECK(r == 2.5f);
    }
    CHECK(call1(env, "call_callback", 20, 0) == 41);
    CHECK(call1(env, "call_raw_add", 5, 6) == 11);

    /* externref round trip through a native */
    {
        int obj;
        wasm_val_t a[1], r[1];
        a[0].kind = WASM_EXTERNREF;
        a[0].of.foreign = (uintptr_t)&obj;
        CHECK(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(g_inst, "call_ref"),
                                       1, r, 1, a));
        CHECK(r[0].kind == WASM_EXTERNREF && r[0].of.foreign == (uintptr_t)&obj);
        a[0].of.foreign = 0;
        CHECK(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(g_inst, "call_ref"),
                                       1, r, 1, a));
        CHECK(r[0].of.foreign == 0);
    }

    /* an exception set by a native traps the call */
    CHECK(call1(env, "call_raise", 1, 0) == 0xdeadbeef);
    CHECK_STR(wasm_runtime_get_exception(g_inst), "Exception: raised by native");
    wasm_runtime_clear_exception(g_inst);

    /* unlinked import */
    CHECK(call1(env, "call_missing", 0, 0) == 0xdeadbeef);
    CHECK_STR(wasm_runtime_get_exception(g_inst),
              "Exception: failed to call unlinked import function (env, missing)");
    wasm_runtime_clear_exception(g_inst);

    /* Case 13: pointer + length overflow traps before the native runs */
    calls_sum_buf = 0;
    CHECK(call1(env, "call_sum_buf", 65536 - 4, 16) == 0xdeadbeef);
    CHECK_STR(wasm_runtime_get_exception(g_inst), "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(g_inst);
    CHECK(call1(env, "call_sum_buf", 0xFFFFFFF0u, 0x20) == 0xdeadbeef);
    wasm_runtime_clear_exception(g_inst);
    CHECK(call1(env, "call_sum_buf", 0xFFFFFFFFu, 0xFFFFFFFFu) == 0xdeadbeef);
    wasm_runtime_clear_exception(g_inst);
    CHECK(call1(env, "call_touch", 65536, 0) == 0xdeadbeef);
    wasm_runtime_clear_exception(g_inst);
    CHECK(calls_sum_buf == 0 && calls_touch == 1);
    CHECK(call1(env, "call_sum_buf", 65536 - 4, 4) == 0); /* exactly at the end: fine */
    CHECK(calls_sum_buf == 1);

    /* Case 14: a string without NUL before the end of memory traps before the native */
    {
        uint8_t *end = wasm_runtime_addr_app_to_native(g_inst, 65536 - 8);
        calls_str_len = 0;
        memset(end, 'x', 8);
        CHECK(call1(env, "call_str_len", 65536 - 8, 0) == 0xdeadbeef);
        CHECK_STR(wasm_runtime_get_exception(g_inst),
                  "Exception: out of bounds memory access");
        wasm_runtime_clear_exception(g_inst);
        CHECK(calls_str_len == 0);
        CHECK(call1(env, "call_str_len", 100, 0) == 6); /* snapshot check inside */
    }

    /* Case 15: grow while a native holds a pointer into memory */
    CHECK(call1(env, "call_grow_read", 100, 3) == 97 + 98 + 99);
    CHECK(wasm_memory_get_cur_page_count(wasm_runtime_get_default_memory(g_inst)) == 11);

    /* unregister: later instances no longer link the symbols */
    CHECK(wasm_runtime_unregister_natives("env", natives));
    CHECK(!wasm_runtime_unregister_natives("env", natives));
    CHECK(!wasm_runtime_is_import_func_linked("env", "host_add"));
    {
        char err[128];
        wasm_module_inst_t i2 = wasm_runtime_instantiate(module, 0, 0, err, sizeof(err));
        wasm_exec_env_t e2 = wasm_runtime_create_exec_env(i2, 0);
        uint32_t a2[2] = { 1, 2 };
        CHECK(i2 != NULL && e2 != NULL);
        CHECK(!wasm_runtime_call_wasm(e2, wasm_runtime_lookup_function(i2, "call_host_add"),
                                      2, a2));
        CHECK_STR(wasm_runtime_get_exception(i2),
                  "Exception: failed to call unlinked import function (env, host_add)");
        /* the raw natives are still registered */
        a2[0] = 2;
        a2[1] = 3;
        wasm_runtime_clear_exception(i2);
        CHECK(wasm_runtime_call_wasm(e2, wasm_runtime_lookup_function(i2, "call_raw_add"), 2,
                                     a2)
              && a2[0] == 5);
        wasm_runtime_destroy_exec_env(e2);
        wasm_runtime_deinstantiate(i2);
    }
    /* the first instance keeps its natives */
    CHECK(call1(env, "call_host_add", 1, 2) == 3);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(g_inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    return t_finish();
}
