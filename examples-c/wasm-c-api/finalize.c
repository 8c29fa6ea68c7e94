/* finalize: host info finalizers run exactly once, when the last object for an entity is
   deleted, or when its store is deleted if WebAssembly (or the store) still holds it. */
#include "example.h"

#define ITERATIONS 1000

static int live = 0;
static int finalized_ids[ITERATIONS + 8];

static void
finalize(void *data)
{
    intptr_t i = (intptr_t)data;
    CHECK(i >= 0 && i < ITERATIONS + 8);
    CHECK(finalized_ids[i] == 0);
    finalized_ids[i] = 1;
    live--;
}

static wasm_trap_t *
nop_callback(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    (void)env;
    (void)args;
    (void)results;
    return NULL;
}

static void
run_in_store(wasm_store_t *store, int base)
{
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    int i;

    load_wasm("finalize.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Instantiating modules...\n");
    for (i = 0; i < ITERATIONS / 2; i++) {
        wasm_extern_vec_t imports = WASM_EMPTY_VEC;
        wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
        wasm_instance_set_host_info_with_finalizer(instance, (void *)(intptr_t)(base + i),
                                                   finalize);
        CHECK(wasm_instance_get_host_info(instance) == (void *)(intptr_t)(base + i));
        live++;
        if (i % 2 == 0) {
            /* A copy refers to the same instance: the finalizer waits for both. */
            wasm_instance_t *copy = wasm_instance_copy(instance);
            CHECK(wasm_instance_same(copy, instance));
            wasm_instance_delete(instance);
            CHECK(live == 1);
            wasm_instance_delete(copy);
        }
        else {
            wasm_instance_delete(instance);
        }
        CHECK(live == 0);
    }
    wasm_module_delete(module);
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store1, *store2;

    printf("Initializing...\n");
    CHECK(engine);

    printf("Creating store 1...\n");
    store1 = wasm_store_new(engine);
    CHECK(store1);
    printf("Running in store 1...\n");
    run_in_store(store1, 0);
    printf("Live count %d\n", live);

    printf("Creating store 2...\n");
    store2 = wasm_store_new(engine);
    CHECK(store2);
    printf("Running in store 2...\n");
    run_in_store(store2, ITERATIONS / 2);
    printf("Live count %d\n", live);

    printf("Objects still alive at store deletion are finalized then...\n");
    {
        wasm_foreign_t *kept = wasm_foreign_new(store2);
        wasm_foreign_t *in_table = wasm_foreign_new(store2);
        wasm_limits_t limits = { 1, 1 };
        wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_anyref(), &limits);
        wasm_table_t *table = wasm_table_new(store2, tt, NULL);
        wasm_functype_t *ft = wasm_functype_new_0_0();
        wasm_func_t *with_env;
        CHECK(kept && in_table && table);
        wasm_foreign_set_host_info_with_finalizer(kept, (void *)(intptr_t)ITERATIONS, finalize);
        wasm_foreign_set_host_info_with_finalizer(in_table, (void *)(intptr_t)(ITERATIONS + 1),
                                                  finalize);
        live += 2;
        CHECK(wasm_table_set(table, 0, wasm_foreign_as_ref(in_table)));
        wasm_foreign_delete(in_table);
        CHECK(live == 2); /* the table still refers to it */
        {
            wasm_ref_t *back = wasm_table_get(table, 0);
            CHECK(wasm_ref_get_host_info(back) == (void *)(intptr_t)(ITERATIONS + 1));
            wasm_ref_delete(back);
        }
        /* Environment finalizers of host functions run with the store too (the function
           may still be called by instances after its C object is deleted). */
        with_env = wasm_func_new_with_env(store2, ft, nop_callback,
                                          (void *)(intptr_t)(ITERATIONS + 3), finalize);
        CHECK(with_env);
        live++;
        wasm_func_delete(with_env);
        CHECK(live == 3);
        /* A NULL callback is refused; its environment is not finalized. */
        CHECK(wasm_func_new_with_env(store2, ft, NULL, (void *)(intptr_t)(ITERATIONS + 4),
                                     finalize) == NULL);
        wasm_functype_delete(ft);
        wasm_tabletype_delete(tt);
    }
    printf("Deleting store 2...\n");
    wasm_store_delete(store2);
    printf("Live count %d\n", live);
    CHECK(live == 0);
    CHECK(finalized_ids[ITERATIONS] && finalized_ids[ITERATIONS + 1]);
    CHECK(finalized_ids[ITERATIONS + 3] && !finalized_ids[ITERATIONS + 4]);

    printf("Exported functions and foreign objects...\n");
    {
        wasm_byte_vec_t binary;
        wasm_module_t *module;
        wasm_instance_t *instance;
        wasm_extern_vec_t exports, again;
        wasm_extern_vec_t imports = WASM_EMPTY_VEC;
        load_wasm("finalize.wasm", &binary);
        module = wasm_module_new(store1, &binary);
        wasm_byte_vec_delete(&binary);
        instance = wasm_instance_new(store1, module, &imports, NULL);
        CHECK(instance);
        wasm_instance_exports(instance, &exports);
        wasm_func_set_host_info_with_finalizer(wasm_extern_as_func(exports.data[0]),
                                               (void *)(intptr_t)(ITERATIONS + 2), finalize);
        live++;
        /* Another extern object for the same function shares its host info. */
        wasm_instance_exports(instance, &again);
        CHECK(wasm_extern_get_host_info(again.data[0]) == (void *)(intptr_t)(ITERATIONS + 2));
        CHECK(wasm_extern_same(again.data[0], exports.data[0]));
        wasm_extern_vec_delete(&exports);
        CHECK(live == 1);
        wasm_extern_vec_delete(&again);
        CHECK(live == 0);
        wasm_instance_delete(instance);
        wasm_module_delete(module);
    }
    printf("Deleting store 1...\n");
    wasm_store_delete(store1);
    printf("Live count %d\n", live);
    CHECK(live == 0);

    printf("Shutting down...\n");
    wasm_engine_delete(engine);
    {
        int i;
        for (i = 0; i < ITERATIONS + 4; i++)
            CHECK(finalized_ids[i] == 1);
    }

    printf("Done.\n");
    return 0;
}
