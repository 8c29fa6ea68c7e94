/* callback: host functions with and without an environment; arguments and results; the
   environment finalizer runs when the store is deleted. */
#include "example.h"

static int finalized = 0;

/* print(i32) -> i32: prints and returns its argument. */
static wasm_trap_t *
print_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
    CHECK(results->size == 1 && results->data[0].kind == WASM_I32);
    printf("Calling back...\n> %d\n", args->data[0].of.i32);
    wasm_val_copy(&results->data[0], &args->data[0]);
    return NULL;
}

struct closure_env {
    int value;
    int calls;
};

/* closure() -> i32: returns the value of its environment. */
static wasm_trap_t *
closure_callback(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    struct closure_env *e = env;
    CHECK(args->size == 0 && results->size == 1);
    printf("Calling back closure...\n> %d\n", e->value);
    e->calls++;
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = e->value;
    return NULL;
}

static void
finalize_env(void *env)
{
    struct closure_env *e = env;
    CHECK(e->value == 42);
    finalized++;
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_functype_t *print_type, *closure_type;
    wasm_func_t *print_func, *closure_func;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    const wasm_func_t *run_func;
    struct closure_env env = { 42, 0 };
    int i;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("callback.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Creating callbacks...\n");
    print_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    print_func = wasm_func_new(store, print_type, print_callback);
    closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
    closure_func = wasm_func_new_with_env(store, closure_type, closure_callback,
                                          &env, finalize_env);
    CHECK(print_func && closure_func);
    CHECK(wasm_func_param_arity(print_func) == 1 && wasm_func_result_arity(print_func) == 1);
    CHECK(wasm_func_param_arity(closure_func) == 0 && wasm_func_result_arity(closure_func) == 1);
    wasm_functype_delete(print_type);
    wasm_functype_delete(closure_type);

    printf("Calling a host function directly...\n");
    {
        wasm_val_t a[1] = { WASM_I32_VAL(5) };
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(print_func, &args, &res) == NULL);
        CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 5);
    }

    printf("Instantiating module...\n");
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(print_func),
                                     wasm_func_as_extern(closure_func) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    wasm_func_delete(print_func);
    wasm_func_delete(closure_func);

    wasm_instance_exports(instance, &exports);
    run_func = export_func(&exports, 0);
    {
        wasm_functype_t *t = wasm_func_type(run_func);
        const wasm_valtype_vec_t *ps = wasm_functype_params(t);
        const wasm_valtype_vec_t *rs = wasm_functype_results(t);
        CHECK(ps->size == 2 && rs->size == 1);
        CHECK(wasm_valtype_kind(ps->data[0]) == WASM_I32);
        CHECK(wasm_valtype_kind(rs->data[0]) == WASM_I32);
        wasm_functype_delete(t);
    }

    printf("Calling export...\n");
    for (i = 0; i < 3; i++) {
        wasm_val_t a[2] = { WASM_I32_VAL(3), WASM_I32_VAL(i) };
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(run_func, &args, &res) == NULL);
        printf("Printing result...\n> %d\n", r[0].of.i32);
        CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 3 + i + 42);
    }
    CHECK(env.calls == 3);

    printf("Wrong arguments are refused with a trap...\n");
    {
        wasm_val_t a[2] = { WASM_I64_VAL(3), WASM_I32_VAL(4) };
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
        wasm_trap_t *trap = wasm_func_call(run_func, &args, &res);
        CHECK(trap != NULL);
        print_trap("refused", trap);
        wasm_trap_delete(trap);
        CHECK(env.calls == 3);
    }

    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_module_delete(module);

    printf("Shutting down...\n");
    CHECK(finalized == 0);
    wasm_store_delete(store);
    CHECK(finalized == 1);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
