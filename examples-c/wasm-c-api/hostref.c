/* hostref: host objects (wasm_foreign_t) passed to WebAssembly as externref, kept in
   globals and tables, passed to and returned from functions; identity and host info are
   preserved. */
#include "example.h"

static int callback_calls = 0;

/* f(externref) -> externref: returns its argument. */
static wasm_trap_t *
f_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    const wasm_ref_t *r = args->data[0].of.ref;
    printf("Calling back...\n> %p\n", r ? wasm_ref_get_host_info(r) : NULL);
    CHECK(args->data[0].kind == WASM_EXTERNREF);
    wasm_val_copy(&results->data[0], &args->data[0]);
    callback_calls++;
    return NULL;
}

static wasm_ref_t *
call_v_r(const wasm_func_t *func)
{
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);
    CHECK(wasm_func_call(func, &args, &results) == NULL);
    CHECK(r[0].kind == WASM_EXTERNREF);
    return r[0].of.ref;
}

static void
call_r_v(const wasm_func_t *func, wasm_ref_t *ref)
{
    wasm_val_t a[1] = { WASM_REF_VAL(ref) };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_EMPTY_VEC;
    CHECK(wasm_func_call(func, &args, &results) == NULL);
}

static wasm_ref_t *
call_r_r(const wasm_func_t *func, wasm_ref_t *ref)
{
    wasm_val_t a[1] = { WASM_REF_VAL(ref) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_ARRAY_VEC(r);
    CHECK(wasm_func_call(func, &args, &results) == NULL);
    return r[0].of.ref;
}

static void
call_ir_v(const wasm_func_t *func, int32_t i, wasm_ref_t *ref)
{
    wasm_val_t a[2] = { WASM_I32_VAL(i), WASM_REF_VAL(ref) };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_EMPTY_VEC;
    CHECK(wasm_func_call(func, &args, &results) == NULL);
}

static wasm_ref_t *
call_i_r(const wasm_func_t *func, int32_t i)
{
    wasm_val_t a[1] = { WASM_I32_VAL(i) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_ARRAY_VEC(r);
    CHECK(wasm_func_call(func, &args, &results) == NULL);
    return r[0].of.ref;
}

/* `actual` (owned, deleted here) is the same reference as `expected`. */
static void
check(wasm_ref_t *actual, const wasm_ref_t *expected)
{
    if (actual != expected && !(actual && expected && wasm_ref_same(actual, expected))) {
        fprintf(stderr, "> Error reading reference, expected %p, got %p\n",
                expected ? wasm_ref_get_host_info(expected) : NULL,
                actual ? wasm_ref_get_host_info(actual) : NULL);
        exit(1);
    }
    if (actual && expected)
        CHECK(wasm_ref_get_host_info(actual) == wasm_ref_get_host_info(expected));
    if (actual)
        wasm_ref_delete(actual);
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_func_t *callback;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    const wasm_func_t *global_set, *global_get, *table_set, *table_get, *func_call;
    wasm_global_t *global;
    wasm_table_t *table;
    wasm_ref_t *host1, *host2;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("hostref.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Creating callback...\n");
    {
        wasm_functype_t *t = wasm_functype_new_1_1(wasm_valtype_new_anyref(),
                                                   wasm_valtype_new_anyref());
        callback = wasm_func_new(store, t, f_callback);
        CHECK(callback);
        wasm_functype_delete(t);
    }

    printf("Instantiating module...\n");
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(callback) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    wasm_func_delete(callback);
    wasm_instance_exports(instance, &exports);
    global = export_global(&exports, 0);
    table = export_table(&exports, 1);
    global_set = export_func(&exports, 2);
    global_get = export_func(&exports, 3);
    table_set = export_func(&exports, 4);
    table_get = export_func(&exports, 5);
    func_call = export_func(&exports, 6);

    printf("Creating host references...\n");
    host1 = wasm_foreign_as_ref(wasm_foreign_new(store));
    host2 = wasm_foreign_as_ref(wasm_foreign_new(store));
    CHECK(host1 && host2);
    wasm_ref_set_host_info(host1, (void *)1);
    wasm_ref_set_host_info(host2, (void *)2);
    CHECK(wasm_ref_as_foreign(host1) != NULL);
    CHECK(wasm_foreign_get_host_info(wasm_ref_as_foreign(host1)) == (void *)1);

    printf("Some sanity checks...\n");
    check(NULL, NULL);
    check(wasm_ref_copy(host1), host1);
    check(wasm_ref_copy(host2), host2);
    CHECK(!wasm_ref_same(host1, host2));

    printf("Accessing global from WebAssembly...\n");
    check(call_v_r(global_get), NULL);
    call_r_v(global_set, host1);
    check(call_v_r(global_get), host1);
    call_r_v(global_set, host2);
    check(call_v_r(global_get), host2);
    call_r_v(global_set, NULL);
    check(call_v_r(global_get), NULL);

    printf("Accessing global from the host...\n");
    {
        wasm_val_t v = WASM_REF_VAL(host2);
        wasm_val_t out;
        wasm_global_set(global, &v);
        check(call_v_r(global_get), host2);
        wasm_global_get(global, &out);
        CHECK(out.kind == WASM_EXTERNREF);
        check(out.of.ref, host2);
        v.of.ref = NULL;
        wasm_global_set(global, &v);
        wasm_global_get(global, &out);
        check(out.of.ref, NULL);
    }

    printf("Accessing table from WebAssembly...\n");
    check(call_i_r(table_get, 0), NULL);
    check(call_i_r(table_get, 1), NULL);
    call_ir_v(table_set, 0, host1);
    call_ir_v(table_set, 1, host2);
    check(call_i_r(table_get, 0), host1);
    check(call_i_r(table_get, 1), host2);
    call_ir_v(table_set, 0, NULL);
    check(call_i_r(table_get, 0), NULL);

    printf("Accessing table from the host...\n");
    check(wasm_table_get(table, 2), NULL);
    CHECK(wasm_table_set(table, 2, host1));
    check(call_i_r(table_get, 2), host1);
    check(wasm_table_get(table, 2), host1);
    CHECK(wasm_table_grow(table, 2, host2));
    CHECK(wasm_table_size(table) == 12);
    check(wasm_table_get(table, 11), host2);
    check(call_i_r(table_get, 11), host2);

    printf("Passing host references through functions...\n");
    check(call_r_r(func_call, NULL), NULL);
    check(call_r_r(func_call, host1), host1);
    check(call_r_r(func_call, host2), host2);
    CHECK(callback_calls == 3);

    printf("Functions are references too...\n");
    {
        wasm_ref_t *fr = wasm_func_as_ref((wasm_func_t *)func_call);
        check(call_r_r(func_call, fr), fr);
    }

    wasm_ref_delete(host1);
    wasm_ref_delete(host2);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_module_delete(module);

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
