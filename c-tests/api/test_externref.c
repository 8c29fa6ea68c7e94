/* The externref index API (wasm_externref_obj2ref / ref2obj / objdel / set_cleanup /
 * retain) and capability-model section 9 cases 23 (forged and stale indices) and 25 (stale
 * after the instance is destroyed; the cleanup runs exactly once). */
#include "test_util.h"

static int cleanups;
static void *last_cleaned;

static void
cleanup(void *obj)
{
    cleanups++;
    last_cleaned = obj;
}

int
main(void)
{
    wasm_module_inst_t a, b;
    wasm_exec_env_t env;
    int obj1, obj2, obj3;
    uint32_t i1, i1b, i2, i3;
    void *out = NULL;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    a = t_instantiate("basic.wasm", NULL);
    b = t_instantiate("basic.wasm", NULL);
    if (!wasm_externref_obj2ref(a, &obj1, &i1)) {
        printf("FAIL: wasm_externref_obj2ref\n");
        return 1;
    }
    CHECK(wasm_externref_obj2ref(a, &obj1, &i1b) && i1b == i1); /* same object, same index */
    CHECK(wasm_externref_obj2ref(a, &obj2, &i2) && i2 != i1);
    CHECK(wasm_externref_ref2obj(i1, &out) && out == &obj1);
    CHECK(wasm_externref_ref2obj(i2, &out) && out == &obj2);
    CHECK(!wasm_externref_obj2ref(a, &obj1, NULL));

    /* Case 23: never-issued and stale indices */
    CHECK(!wasm_externref_ref2obj(0x00ABCDEF, &out));
    CHECK(wasm_externref_set_cleanup(a, &obj2, cleanup));
    CHECK(wasm_externref_objdel(a, &obj2));
    CHECK(cleanups == 1 && last_cleaned == &obj2);
    CHECK(!wasm_externref_ref2obj(i2, &out));
    CHECK(!wasm_externref_objdel(a, &obj2));
    CHECK(wasm_externref_retain(i1));

    /* an externref value crossing call_wasm_a comes back as the same object */
    {
        wasm_val_t arg[1], res[1];
        env = wasm_runtime_create_exec_env(a, 0);
        arg[0].kind = WASM_EXTERNREF;
        arg[0].of.foreign = (uintptr_t)&obj1;
        CHECK(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(a, "id_ref"), 1, res, 1,
                                       arg));
        CHECK(res[0].of.foreign == (uintptr_t)&obj1);
        wasm_runtime_destroy_exec_env(env);
    }

    /* Case 25: destroying the owner makes its indices stale and runs each cleanup once */
    CHECK(wasm_externref_obj2ref(b, &obj3, &i3));
    CHECK(wasm_externref_set_cleanup(b, &obj3, cleanup));
    wasm_runtime_deinstantiate(b);
    CHECK(cleanups == 2 && last_cleaned == &obj3);
    CHECK(!wasm_externref_ref2obj(i3, &out));
    CHECK(wasm_externref_ref2obj(i1, &out) && out == &obj1); /* a's entries live on */

    wasm_runtime_deinstantiate(a);
    CHECK(cleanups == 2);
    wasm_runtime_destroy();
    return t_finish();
}
