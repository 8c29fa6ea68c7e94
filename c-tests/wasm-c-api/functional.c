/*
 * Behaviour beyond the examples: instances of one store linking to each other, re-entrant
 * calls from host callbacks, unlinked imports, wasm_instance_new_with_args(_ex), execution
 * times, the engine singleton and configurations.
 */
#include "test.h"

static const wasm_func_t *double_func, *entry_func;
static wasm_memory_t *reenter_mem;
static int host_calls = 0;

static int32_t
call_i_i(const wasm_func_t *f, int32_t x, wasm_trap_t **trap)
{
    wasm_val_t a[1] = { WASM_I32_VAL(x) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    *trap = wasm_func_call(f, &args, &res);
    return r[0].of.i32;
}

/* host(x): reads x from memory, calls double(x) re-entrantly, grows memory, returns 2x+1. */
static wasm_trap_t *
host_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    int32_t x = args->data[0].of.i32, stored, d;
    wasm_trap_t *trap = NULL;
    host_calls++;
    if (x < 0) {
        /* endless recursion host -> entry -> host ...: must end with a trap */
        d = call_i_i(entry_func, x, &trap);
        CHECK(trap != NULL);
        return trap;
    }
    memcpy(&stored, wasm_memory_data(reenter_mem) + 16, 4);
    CHECK(stored == x);
    d = call_i_i(double_func, x, &trap);
    CHECK(trap == NULL && d == 2 * x);
    if (x == 3)
        CHECK(wasm_memory_grow(reenter_mem, 1));
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = d + 1;
    return NULL;
}

static void
test_linking(void)
{
    wasm_store_t *store = wasm_store_new(wasm_engine_new());
    wasm_module_t *lib = load_module(store, "lib.wasm");
    wasm_module_t *user = load_module(store, "user.wasm");
    wasm_extern_vec_t none = WASM_EMPTY_VEC, lib_exports, user_exports;
    wasm_instance_t *a, *b, *b2;
    wasm_trap_t *trap;

    printf("linking instances of one store...\n");
    a = wasm_instance_new(store, lib, &none, NULL);
    CHECK(a);
    wasm_instance_exports(a, &lib_exports);
    CHECK(lib_exports.size == 5);
    {
        /* user imports add, mem, counter, tab = lib exports 0..3 */
        wasm_extern_t *imports[] = { lib_exports.data[0], lib_exports.data[1],
                                     lib_exports.data[2], lib_exports.data[3] };
        wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
        b = wasm_instance_new(store, user, &iv, NULL);
        b2 = wasm_instance_new(store, user, &iv, NULL);
        CHECK(b && b2);
    }
    wasm_instance_exports(b, &user_exports);
    CHECK(call_i_i(wasm_extern_as_func(user_exports.data[0]), 5, &trap) == 15 + 1);
    CHECK(trap == NULL);
    CHECK(call_i_i(wasm_extern_as_func(user_exports.data[0]), 5, &trap) == 15 + 2);
    {
        wasm_val_t v;
        wasm_global_get(wasm_extern_as_global(lib_exports.data[2]), &v);
        CHECK(v.of.i32 == 2); /* the shared counter */
        CHECK(wasm_memory_data(wasm_extern_as_memory(lib_exports.data[1]))[0] == 15);
    }
    wasm_extern_vec_delete(&user_exports);

    printf("wrong import types fail with a message...\n");
    {
        wasm_extern_t *imports[] = { lib_exports.data[1], lib_exports.data[0],
                                     lib_exports.data[2], lib_exports.data[3] };
        wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
        wasm_message_t msg;
        trap = NULL;
        CHECK(wasm_instance_new(store, user, &iv, &trap) == NULL);
        CHECK(trap != NULL);
        wasm_trap_message(trap, &msg);
        printf("> %s\n", msg.data);
        CHECK(strstr(msg.data, "incompatible import type") != NULL);
        wasm_byte_vec_delete(&msg);
        wasm_trap_delete(trap);
    }
    printf("too few imports fail...\n");
    {
        wasm_extern_t *imports[] = { lib_exports.data[0] };
        wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
        CHECK(wasm_instance_new(store, user, &iv, NULL) == NULL);
        CHECK(wasm_instance_new(store, user, NULL, NULL) == NULL);
    }
    wasm_extern_vec_delete(&lib_exports);
    wasm_instance_delete(a);
    wasm_instance_delete(b);
    wasm_instance_delete(b2);
    wasm_module_delete(lib);
    wasm_module_delete(user);
    wasm_store_delete(store);
}

static void
test_reentrance(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_module_t *m = load_module(store, "reenter.wasm");
    wasm_functype_t *ft = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    wasm_func_t *host = wasm_func_new(store, ft, host_callback);
    wasm_extern_t *missing = wasm_extern_new_empty(store, WASM_EXTERN_FUNC);
    wasm_extern_vec_t exports;
    wasm_instance_t *inst;
    wasm_trap_t *trap;
    const wasm_func_t *entry, *size, *call_missing;

    printf("re-entrant calls from a host callback...\n");
    CHECK(host && missing);
    CHECK(wasm_extern_kind(missing) == WASM_EXTERN_FUNC);
    CHECK(wasm_extern_new_empty(store, WASM_EXTERN_MEMORY) == NULL);
    {
        wasm_extern_t *imports[] = { wasm_func_as_extern(host), missing };
        wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
        inst = wasm_instance_new_with_args(store, m, &iv, NULL, 256 * 1024, 0);
        CHECK(inst);
    }
    wasm_instance_exports(inst, &exports);
    reenter_mem = wasm_extern_as_memory(exports.data[0]);
    double_func = wasm_extern_as_func(exports.data[1]);
    entry = wasm_extern_as_func(exports.data[2]);
    entry_func = entry;
    size = wasm_extern_as_func(exports.data[3]);
    call_missing = wasm_extern_as_func(exports.data[4]);
    CHECK(call_i_i(entry, 7, &trap) == 15 && trap == NULL);
    CHECK(call_i_i(entry, 3, &trap) == 7 && trap == NULL);
    CHECK(host_calls == 2);

    printf("endless host/wasm recursion ends with a trap...\n");
    {
        wasm_message_t msg;
        call_i_i(entry, -1, &trap);
        CHECK(trap != NULL);
        wasm_trap_message(trap, &msg);
        printf("> %.60s... (%d nested calls)\n", msg.data, host_calls - 2);
        CHECK(strstr(msg.data, "native stack overflow") != NULL);
        wasm_byte_vec_delete(&msg);
        wasm_trap_delete(trap);
        CHECK(call_i_i(entry, 7, &trap) == 15 && trap == NULL); /* still usable */
    }
    {
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t none = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(size, &none, &res) == NULL && r[0].of.i32 == 2);
    }

    printf("an unlinked import traps with WAMR's message...\n");
    {
        wasm_val_vec_t none = WASM_EMPTY_VEC;
        wasm_message_t msg;
        trap = wasm_func_call(call_missing, &none, &none);
        CHECK(trap);
        wasm_trap_message(trap, &msg);
        printf("> %s\n", msg.data);
        CHECK(strcmp(msg.data, "Exception: failed to call unlinked import function (, missing)") == 0);
        wasm_byte_vec_delete(&msg);
        wasm_trap_delete(trap);
        trap = wasm_func_call(wasm_extern_as_func(missing), &none, &none);
        CHECK(trap);
        wasm_trap_delete(trap);
    }

    printf("execution times...\n");
    CHECK(wasm_instance_sum_wasm_exec_time(inst) > 0.0);
    CHECK(wasm_instance_get_wasm_func_exec_time(inst, "entry") > 0.0);
    CHECK(wasm_instance_get_wasm_func_exec_time(inst, "double") == 0.0); /* only nested */
    CHECK(wasm_instance_get_wasm_func_exec_time(inst, "nope") == -1.0);
    CHECK(wasm_instance_get_wasm_func_exec_time(inst, "mem") == -1.0);

    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);

    printf("wasm_instance_new_with_args_ex limits memory...\n");
    {
        InstantiationArgs ia = { 128 * 1024, 0, 2 };
        wasm_extern_t *imports[] = { wasm_func_as_extern(host), missing };
        wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
        inst = wasm_instance_new_with_args_ex(store, m, &iv, NULL, &ia);
        CHECK(inst);
        wasm_instance_exports(inst, &exports);
        CHECK(wasm_memory_grow(wasm_extern_as_memory(exports.data[0]), 1));
        CHECK(!wasm_memory_grow(wasm_extern_as_memory(exports.data[0]), 1)); /* capped at 2 */
        wasm_extern_vec_delete(&exports);
        wasm_instance_delete(inst);
    }

    wasm_extern_delete(missing);
    wasm_func_delete(host);
    wasm_functype_delete(ft);
    wasm_module_delete(m);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
}

static void
test_engine_and_config(void)
{
    wasm_engine_t *e1, *e2, *e3;
    wasm_config_t *c;
    MemAllocOption opt;

    printf("the engine is a counted singleton...\n");
    e1 = wasm_engine_new();
    e2 = wasm_engine_new();
    CHECK(e1 && e1 == e2);
    wasm_engine_delete(e2);
    {
        wasm_store_t *s = wasm_store_new(e1);
        CHECK(s);
        wasm_store_delete(s);
    }
    wasm_engine_delete(e1);

    printf("configurations...\n");
    c = wasm_config_new();
    CHECK(c && c->mem_alloc_type == Alloc_With_System_Allocator);
    CHECK(wasm_config_set_linux_perf_opt(c, true) == c && c->enable_linux_perf);
    CHECK(wasm_config_set_segue_flags(c, 0x1f) == c && c->segue_flags == 0x1f);
    memset(&opt, 0, sizeof(opt));
    CHECK(wasm_config_set_mem_alloc_opt(c, Alloc_With_System_Allocator, &opt) == c);
    e3 = wasm_engine_new_with_config(c); /* takes the config */
    CHECK(e3);
    wasm_engine_delete(e3);
    CHECK(wasm_engine_new_with_args(Alloc_With_Pool, NULL) == NULL);
    e3 = wasm_engine_new_with_args(Alloc_With_System_Allocator, NULL);
    CHECK(e3);
    wasm_engine_delete(e3);
    c = wasm_config_new();
    wasm_config_delete(c);
}

int
main(void)
{
    test_linking();
    test_reentrance();
    test_engine_and_config();
    printf("%d checks passed\n", checks_passed);
    printf("Done.\n");
    return 0;
}
