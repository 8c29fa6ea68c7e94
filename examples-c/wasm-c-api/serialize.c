/* serialize: a module serialized to bytes, deserialized (in another store), instantiated
   and run; corrupted bytes are refused. */
#include "example.h"

static int hello_calls = 0;

static wasm_trap_t *
hello_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    (void)args;
    (void)results;
    printf("Calling back...\n> Hello World!\n");
    hello_calls++;
    return NULL;
}

static void
run_module(wasm_store_t *store, wasm_module_t *module)
{
    wasm_functype_t *t = wasm_functype_new_0_0();
    wasm_func_t *hello = wasm_func_new(store, t, hello_callback);
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    wasm_val_vec_t empty = WASM_EMPTY_VEC;
    wasm_functype_delete(t);
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(hello) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    wasm_func_delete(hello);
    wasm_instance_exports(instance, &exports);
    CHECK(wasm_func_call(export_func(&exports, 0), &empty, &empty) == NULL);
    {
        wasm_val_t a[1] = { WASM_I32_VAL(7) };
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(export_func(&exports, 1), &args, &res) == NULL);
        CHECK(r[0].of.i32 == 49);
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_store_t *store2 = wasm_store_new(engine);
    wasm_byte_vec_t binary, serialized;
    wasm_module_t *module, *deserialized;

    printf("Initializing...\n");
    CHECK(engine && store && store2);
    load_wasm("serialize.wasm", &binary);
    CHECK(wasm_module_validate(store, &binary));
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);
    CHECK(wasm_module_set_name(module, "serialized-example"));

    printf("Serializing module...\n");
    wasm_module_serialize(module, &serialized);
    CHECK(serialized.size > 0 && serialized.num_elems == serialized.size);
    wasm_module_delete(module);

    printf("Deserializing module...\n");
    deserialized = wasm_module_deserialize(store2, &serialized);
    CHECK(deserialized);
    CHECK(strcmp(wasm_module_get_name(deserialized), "serialized-example") == 0);

    printf("Instantiating deserialized module...\n");
    run_module(store2, deserialized);
    CHECK(hello_calls == 1);
    wasm_module_delete(deserialized);

    printf("Corrupted bytes are refused...\n");
    {
        size_t i;
        for (i = 0; i < serialized.size; i += 7) {
            serialized.data[i] ^= 0x40;
            CHECK(wasm_module_deserialize(store, &serialized) == NULL);
            serialized.data[i] ^= 0x40;
        }
        CHECK(!wasm_module_validate(store, &serialized)); /* not a wasm binary */
    }
    {
        wasm_byte_vec_t truncated;
        wasm_byte_vec_new(&truncated, serialized.size - 1, serialized.data);
        CHECK(wasm_module_deserialize(store, &truncated) == NULL);
        wasm_byte_vec_delete(&truncated);
    }

    printf("The intact bytes still work...\n");
    deserialized = wasm_module_deserialize(store, &serialized);
    CHECK(deserialized);
    run_module(store, deserialized);
    CHECK(hello_calls == 2);
    wasm_module_delete(deserialized);
    wasm_byte_vec_delete(&serialized);

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_store_delete(store2);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
