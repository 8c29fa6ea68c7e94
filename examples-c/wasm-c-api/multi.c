/* multi: multiple parameters and results, through a host callback and WebAssembly. */
#include "example.h"

static int calls = 0;

/* f(i32, i64, i64, i32) -> (i32, i64, i64, i32): returns its arguments. */
static wasm_trap_t *
f_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    size_t i;
    printf("Calling back...\n> %d %lld %lld %d\n", args->data[0].of.i32,
           (long long)args->data[1].of.i64, (long long)args->data[2].of.i64,
           args->data[3].of.i32);
    CHECK(args->size == 4 && results->size == 4);
    for (i = 0; i < 4; i++)
        wasm_val_copy(&results->data[i], &args->data[i]);
    calls++;
    return NULL;
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_func_t *f;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    const wasm_func_t *g, *swap;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("multi.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Creating callback...\n");
    {
        wasm_valtype_t *ps[4] = { wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                                  wasm_valtype_new_i64(), wasm_valtype_new_i32() };
        wasm_valtype_t *rs[4] = { wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                                  wasm_valtype_new_i64(), wasm_valtype_new_i32() };
        wasm_valtype_vec_t params, results;
        wasm_functype_t *t;
        wasm_valtype_vec_new(&params, 4, ps);
        wasm_valtype_vec_new(&results, 4, rs);
        t = wasm_functype_new(&params, &results);
        CHECK(t);
        CHECK(wasm_functype_params(t)->size == 4 && wasm_functype_results(t)->size == 4);
        f = wasm_func_new(store, t, f_callback);
        CHECK(f);
        wasm_functype_delete(t);
    }

    printf("Instantiating module...\n");
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(f) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    wasm_func_delete(f);
    wasm_instance_exports(instance, &exports);
    g = export_func(&exports, 0);
    swap = export_func(&exports, 1);
    CHECK(wasm_func_param_arity(g) == 4 && wasm_func_result_arity(g) == 4);

    printf("Calling export...\n");
    {
        wasm_val_t a[4] = { WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4) };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), results;
        wasm_val_vec_new_uninitialized(&results, 4);
        CHECK(wasm_func_call(g, &args, &results) == NULL);
        printf("Printing result...\n> %d %lld %lld %d\n", results.data[0].of.i32,
               (long long)results.data[1].of.i64, (long long)results.data[2].of.i64,
               results.data[3].of.i32);
        CHECK(results.num_elems == 4);
        CHECK(results.data[0].kind == WASM_I32 && results.data[0].of.i32 == 1);
        CHECK(results.data[1].kind == WASM_I64 && results.data[1].of.i64 == 3);
        CHECK(results.data[2].kind == WASM_I64 && results.data[2].of.i64 == 2);
        CHECK(results.data[3].kind == WASM_I32 && results.data[3].of.i32 == 4);
        wasm_val_vec_delete(&results);
        CHECK(calls == 1);
    }
    {
        wasm_val_t a[2] = { WASM_I32_VAL(10), WASM_I32_VAL(20) };
        wasm_val_t r[2] = { WASM_INIT_VAL, WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(swap, &args, &results) == NULL);
        CHECK(r[0].of.i32 == 20 && r[1].of.i32 == 10);
    }
    printf("A results vector that is too small gets the results that fit...\n");
    {
        wasm_val_t a[2] = { WASM_I32_VAL(10), WASM_I32_VAL(20) };
        wasm_val_t r[2] = { WASM_INIT_VAL, WASM_I32_VAL(-1) };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = { 1, r, 1, sizeof(wasm_val_t), NULL };
        CHECK(wasm_func_call(swap, &args, &results) == NULL);
        CHECK(r[0].of.i32 == 20 && r[1].of.i32 == -1); /* nothing written past size */
        CHECK(results.size == 1 && results.num_elems == 1);
    }

    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_module_delete(module);

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
