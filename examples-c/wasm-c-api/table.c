/* table: an exported funcref table read, written and grown by the host (wasm_table_get,
   wasm_table_set, wasm_table_grow); a stand-alone table. */
#include "example.h"

static const wasm_func_t *call_indirect;

static wasm_trap_t *
neg_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = -args->data[0].of.i32;
    return NULL;
}

/* call_indirect(arg, index): 1 with *out on success, 0 on a trap. */
static int
call(int32_t arg, int32_t index, int32_t *out)
{
    wasm_val_t a[2] = { WASM_I32_VAL(arg), WASM_I32_VAL(index) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(call_indirect, &args, &res);
    if (trap) {
        wasm_trap_delete(trap);
        return 0;
    }
    *out = r[0].of.i32;
    return 1;
}

static int32_t
must(int32_t arg, int32_t index)
{
    int32_t v = 0;
    CHECK(call(arg, index, &v));
    return v;
}

static void
check_trap(int32_t arg, int32_t index)
{
    int32_t v;
    CHECK(!call(arg, index, &v));
}

/* Element `i` is set (and, if `f` is given, is that function). */
static void
check_elem(const wasm_table_t *t, uint32_t i, int set, const wasm_func_t *f)
{
    wasm_ref_t *r = wasm_table_get(t, i);
    CHECK((r != NULL) == set);
    if (r) {
        CHECK(wasm_ref_as_func(r) != NULL);
        if (f)
            CHECK(wasm_func_same(wasm_ref_as_func_const(r), f));
        wasm_ref_delete(r);
    }
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    wasm_table_t *table;
    wasm_func_t *f, *g, *h;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("table.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Instantiating module...\n");
    {
        wasm_extern_vec_t imports = WASM_EMPTY_VEC;
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    wasm_instance_exports(instance, &exports);
    table = export_table(&exports, 0);
    call_indirect = export_func(&exports, 1);
    f = wasm_extern_as_func(exports.data[2]);
    g = wasm_extern_as_func(exports.data[3]);
    CHECK(f && g);

    printf("Creating a host function for the table...\n");
    {
        wasm_functype_t *t = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
        h = wasm_func_new(store, t, neg_callback);
        CHECK(h);
        wasm_functype_delete(t);
    }

    printf("Checking table...\n");
    CHECK(wasm_table_size(table) == 2);
    {
        wasm_tabletype_t *tt = wasm_table_type(table);
        const wasm_limits_t *l = wasm_tabletype_limits(tt);
        CHECK(l->min == 2 && l->max == 10);
        CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
        wasm_tabletype_delete(tt);
    }
    check_elem(table, 0, 0, NULL);
    check_elem(table, 1, 1, f);
    CHECK(wasm_table_get(table, 2) == NULL);
    check_trap(0, 0);
    CHECK(must(7, 1) == 7);
    check_trap(0, 2);

    printf("Mutating table...\n");
    CHECK(wasm_table_set(table, 0, wasm_func_as_ref(g)));
    CHECK(wasm_table_set(table, 1, NULL));
    CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(f)));
    check_elem(table, 0, 1, g);
    check_elem(table, 1, 0, NULL);
    CHECK(must(7, 0) == 666);
    check_trap(0, 1);
    check_trap(0, 2);

    printf("Growing table from the host...\n");
    CHECK(wasm_table_grow(table, 3, NULL));
    CHECK(wasm_table_size(table) == 5);
    CHECK(wasm_table_set(table, 2, wasm_func_as_ref(f)));
    CHECK(wasm_table_set(table, 3, wasm_func_as_ref(h)));
    CHECK(!wasm_table_set(table, 5, NULL));
    check_elem(table, 2, 1, f);
    check_elem(table, 3, 1, h);
    check_elem(table, 4, 0, NULL);
    CHECK(must(5, 2) == 5);
    CHECK(must(6, 3) == -6);
    check_trap(0, 4);
    check_trap(0, 5);
    CHECK(wasm_table_grow(table, 2, wasm_func_as_ref(f)));
    CHECK(wasm_table_size(table) == 7);
    CHECK(must(8, 6) == 8);
    CHECK(!wasm_table_grow(table, 5, NULL));
    CHECK(wasm_table_grow(table, 3, NULL));
    CHECK(wasm_table_grow(table, 0, NULL));
    CHECK(wasm_table_size(table) == 10);

    wasm_func_delete(h);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);

    printf("Creating stand-alone table...\n");
    {
        wasm_limits_t limits = { 5, 5 };
        wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new(WASM_FUNCREF), &limits);
        wasm_table_t *t2 = wasm_table_new(store, tt, NULL);
        CHECK(t2);
        CHECK(wasm_table_size(t2) == 5);
        CHECK(!wasm_table_grow(t2, 1, NULL));
        CHECK(wasm_table_grow(t2, 0, NULL));
        wasm_tabletype_delete(tt);
        wasm_table_delete(t2);
    }
    {
        wasm_limits_t limits = { 1, 2 };
        wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_i32(), &limits);
        CHECK(tt == NULL); /* elements must be references */
    }

    printf("Shutting down...\n");
    wasm_module_delete(module);
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
