/* Capability-model section 9 case 18, run with CWAMR_STRICT=1: no raw pointers into linear
 * memory are handed to C, '*' natives without a '~' length are refused at registration,
 * bounded '*~' natives still work, and bounded views (cwamr.h) are the way in: a view past the
 * end is refused, and the instance cannot be destroyed while a view is held. */
#include "cwamr.h"
#include "test_util.h"

static int32_t
sum_buf(wasm_exec_env_t env, uint8_t *buf, uint32_t len)
{
    int32_t s = 0;
    (void)env;
    for (uint32_t i = 0; i < len; i++)
        s += buf[i];
    return s;
}

static int32_t
touch(wasm_exec_env_t env, uint8_t *p)
{
    (void)env;
    return *p;
}

int
main(void)
{
    NativeSymbol lone[] = { { "touch", (void *)touch, "(*)i", NULL } };
    NativeSymbol bounded[] = { { "sum_buf", (void *)sum_buf, "(*~)i", NULL } };
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    uint8_t *s, *e;
    uint32_t argv[2] = { 100, 3 };
    const char *strict = getenv("CWAMR_STRICT");

    if (!strict || strcmp(strict, "1") != 0) {
        printf("needs CWAMR_STRICT=1: skipped\n");
        return 77;
    }
    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    CHECK(!wasm_runtime_register_natives("env", lone, 1));
    CHECK(wasm_runtime_register_natives("env", bounded, 1));
    inst = t_instantiate("natives.wasm", NULL);
    env = wasm_runtime_create_exec_env(inst, 0);

    CHECK(wasm_runtime_addr_app_to_native(inst, 100) == NULL);
    CHECK(wasm_memory_get_base_address(wasm_runtime_get_default_memory(inst)) == NULL);
    CHECK(!wasm_runtime_get_native_addr_range(inst, (uint8_t *)&argv, &s, &e));
    /* validation of app ranges still works */
    CHECK(wasm_runtime_validate_app_addr(inst, 100, 3));
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "call_sum_buf"), 2,
                                 argv)
          && argv[0] == 97 + 98 + 99);
    argv[0] = 1;
    CHECK(!wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "call_touch"), 1,
                                  argv));
    CHECK_STR(wasm_runtime_get_exception(inst),
              "Exception: failed to call unlinked import function (env, touch)");

    /* views */
    {
        cwamr_view_t v, bad;
        wasm_runtime_clear_exception(inst);
        CHECK(cwamr_view_acquire(inst, 100, 6, CWAMR_VIEW_READ, &v));
        CHECK(v.ptr != NULL && v.offset == 100 && v.len == 6 && memcmp(v.ptr, "abcdef", 6) == 0);
        CHECK(cwamr_view_valid(&v));
        CHECK(!cwamr_view_acquire(inst, 65536 - 4, 16, CWAMR_VIEW_READ, &bad));
        CHECK(!cwamr_view_acquire(inst, 0xFFFFFFFFFFFFFFF0ull, 0x20, CWAMR_VIEW_READ, &bad));
        wasm_runtime_destroy_exec_env(env);
        wasm_runtime_deinstantiate(inst); /* refused: a view is held */
        CHECK(wasm_runtime_get_module(inst) != NULL);
        CHECK(cwamr_view_release(&v));
        CHECK(!cwamr_view_release(&v));
        CHECK(!cwamr_view_valid(&v));
    }
    wasm_runtime_deinstantiate(inst);
    CHECK(wasm_runtime_get_module(inst) == NULL);
    wasm_runtime_destroy();
    return t_finish();
}
