/*
 * Ownership: CYCLES (default 10 000) create/delete cycles touching every kind of object —
 * engine, configs, store, modules (new, validate, imports/exports, serialize/deserialize,
 * share/obtain), instances, externs, functions with environments, globals, tables,
 * memories, traps and frames, foreign objects and references, types and vectors, copies
 * and host info with finalizers. Half the cycles delete every object explicitly, the other
 * half leave them to wasm_store_delete. Finalizer counts prove objects were destroyed; run
 * under ASan/LeakSanitizer, no memory may leak.
 */
#include "test.h"

static long finalized = 0, expected_finalized = 0;
static long env_finalized = 0;

static void
count_finalizer(void *p)
{
    (void)p;
    finalized++;
}

static void
count_env(void *p)
{
    (void)p;
    env_finalized++;
}

/* cb(externref, i32) -> (externref, i32): returns the reference, and i32 + 1. */
static wasm_trap_t *
cb(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    (void)env;
    wasm_val_copy(&results->data[0], &args->data[0]);
    results->data[1].kind = WASM_I32;
    results->data[1].of.i32 = args->data[1].of.i32 + 1;
    return NULL;
}

static wasm_byte_vec_t binary;

static void
one_cycle(long n)
{
    int explicit_delete = (n % 2) == 0;
    wasm_config_t *config = wasm_config_new();
    wasm_engine_t *engine = wasm_engine_new_with_config(config);
    wasm_store_t *store = wasm_store_new(engine);
    wasm_module_t *module, *module2, *module3;
    wasm_shared_module_t *shared;
    wasm_byte_vec_t ser, bcopy;
    wasm_importtype_vec_t its, its2;
    wasm_exporttype_vec_t ets;
    wasm_functype_t *ft;
    wasm_func_t *func, *func_copy;
    wasm_globaltype_t *gt;
    wasm_global_t *global;
    wasm_val_t gval = WASM_I32_VAL(5);
    wasm_instance_t *instance;
    wasm_extern_vec_t exports, exports_copy;
    wasm_foreign_t *foreign;
    wasm_ref_t *ref_copy;
    wasm_trap_t *trap;
    wasm_table_t *table;
    wasm_memory_t *memory;
    CHECK(engine && store);

    /* modules */
    CHECK(wasm_module_validate(store, &binary));
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_module_imports(module, &its);
    wasm_importtype_vec_copy(&its2, &its);
    wasm_module_exports(module, &ets);
    CHECK(its.size == 2 && ets.size == 6);
    wasm_module_serialize(module, &ser);
    module2 = wasm_module_deserialize(store, &ser);
    shared = wasm_module_share(module);
    module3 = wasm_module_obtain(store, shared);
    CHECK(module2 && shared && module3);
    wasm_byte_vec_copy(&bcopy, &ser);

    /* host function with an environment, a global */
    ft = wasm_functype_new_2_2(wasm_valtype_new_anyref(), wasm_valtype_new_i32(),
                               wasm_valtype_new_anyref(), wasm_valtype_new_i32());
    func = wasm_func_new_with_env(store, ft, cb, NULL, count_env);
    gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
    global = wasm_global_new(store, gt, &gval);
    CHECK(func && global);
    func_copy = wasm_func_copy(func);
    wasm_func_set_host_info_with_finalizer(func, NULL, count_finalizer);
    expected_finalized++;

    /* instance */
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(func), wasm_global_as_extern(global) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module2, &imports, NULL);
        CHECK(instance);
    }
    wasm_instance_set_host_info_with_finalizer(instance, NULL, count_finalizer);
    expected_finalized++;
    wasm_instance_exports(instance, &exports);
    wasm_extern_vec_copy(&exports_copy, &exports);
    CHECK(exports.size == 6 && exports_copy.size == 6);

    /* a call passing a host reference through WebAssembly */
    foreign = wasm_foreign_new(store);
    wasm_foreign_set_host_info_with_finalizer(foreign, NULL, count_finalizer);
    expected_finalized++;
    ref_copy = wasm_ref_copy(wasm_foreign_as_ref(foreign));
    {
        wasm_val_t a[2] = { WASM_REF_VAL(wasm_foreign_as_ref(foreign)), WASM_I32_VAL(1) };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res, res_copy;
        wasm_val_vec_new_uninitialized(&res, 2);
        CHECK(wasm_func_call(wasm_extern_as_func(exports.data[3]), &args, &res) == NULL);
        CHECK(res.data[1].of.i32 == 7 && wasm_ref_same(res.data[0].of.ref, ref_copy));
        wasm_val_vec_copy(&res_copy, &res);
        wasm_val_delete(&res.data[0]);
        wasm_val_vec_delete(&res);
        wasm_val_vec_delete(&res_copy);
    }

    /* a trap with frames */
    {
        wasm_val_vec_t none = WASM_EMPTY_VEC;
        wasm_message_t msg;
        wasm_frame_vec_t trace, trace_copy;
        wasm_frame_t *origin;
        trap = wasm_func_call(wasm_extern_as_func(exports.data[4]), &none, &none);
        CHECK(trap);
        wasm_trap_message(trap, &msg);
        origin = wasm_trap_origin(trap);
        wasm_trap_trace(trap, &trace);
        wasm_frame_vec_copy(&trace_copy, &trace);
        CHECK(origin && trace.size == 1 && wasm_frame_instance(origin));
        wasm_byte_vec_delete(&msg);
        wasm_frame_vec_delete(&trace);
        wasm_frame_vec_delete(&trace_copy);
        if (explicit_delete) {
            wasm_frame_delete(origin);
            wasm_trap_delete(trap);
        }
    }

    /* tables and memories, host side */
    {
        wasm_limits_t tl = { 1, 4 }, ml = { 1, 2 };
        wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_anyref(), &tl);
        wasm_memorytype_t *mt = wasm_memorytype_new(&ml);
        wasm_ref_t *got;
        table = wasm_table_new(store, tt, wasm_foreign_as_ref(foreign));
        memory = wasm_memory_new(store, mt);
        CHECK(table && memory);
        CHECK(wasm_table_grow(table, 2, NULL));
        got = wasm_table_get(table, 0);
        CHECK(got && wasm_ref_same(got, ref_copy));
        wasm_ref_delete(got);
        CHECK(wasm_memory_grow(memory, 1) && !wasm_memory_grow(memory, 1));
        wasm_memory_data(memory)[0] = 1;
        wasm_tabletype_delete(tt);
        wasm_memorytype_delete(mt);
    }

    /* types */
    {
        wasm_externtype_t *et = wasm_extern_type(exports.data[0]);
        wasm_externtype_t *et2 = wasm_externtype_copy(et);
        wasm_functype_t *ft2 = wasm_func_type(func);
        wasm_valtype_vec_t vv;
        wasm_valtype_t *vs[1] = { wasm_valtype_new_f64() };
        wasm_valtype_vec_new(&vv, 1, vs);
        wasm_externtype_delete(et);
        wasm_externtype_delete(et2);
        wasm_functype_delete(ft2);
        wasm_valtype_vec_delete(&vv);
    }

    if (explicit_delete) {
        wasm_table_delete(table);
        wasm_memory_delete(memory);
        wasm_ref_delete(ref_copy);
        wasm_foreign_delete(foreign);
        wasm_extern_vec_delete(&exports_copy);
        wasm_extern_vec_delete(&exports);
        wasm_instance_delete(instance);
        wasm_func_delete(func_copy);
        wasm_func_delete(func);
        wasm_global_delete(global);
        wasm_module_delete(module);
        wasm_module_delete(module2);
        wasm_module_delete(module3);
        /* all but the foreign object, which WebAssembly and the table received as an
           externref: the store keeps it (and runs its finalizer) until it is deleted */
        CHECK(finalized == expected_finalized - 1);
    }
    else {
        /* the objects are left to wasm_store_delete; vectors are always deleted (a vector
           never deleted is a leak LeakSanitizer reports) */
        wasm_extern_vec_delete(&exports_copy);
        wasm_extern_vec_delete(&exports);
    }
    /* types and shared modules belong to no store */
    wasm_importtype_vec_delete(&its);
    wasm_importtype_vec_delete(&its2);
    wasm_exporttype_vec_delete(&ets);
    wasm_functype_delete(ft);
    wasm_globaltype_delete(gt);
    wasm_shared_module_delete(shared);
    wasm_byte_vec_delete(&ser);
    wasm_byte_vec_delete(&bcopy);

    wasm_store_delete(store);
    wasm_engine_delete(engine);
    CHECK(finalized == expected_finalized);
    CHECK(env_finalized == n + 1);
}

int
main(int argc, char **argv)
{
    long cycles = argc > 1 ? atol(argv[1]) : 10000, n;
    load_wasm("cycle.wasm", &binary);
    printf("%ld create/delete cycles...\n", cycles);
    for (n = 0; n < cycles; n++)
        one_cycle(n);
    wasm_byte_vec_delete(&binary);
    printf("%ld finalizers ran, %ld environment finalizers\n", finalized, env_finalized);
    printf("%d checks passed\n", checks_passed);
    printf("Done.\n");
    return 0;
}
