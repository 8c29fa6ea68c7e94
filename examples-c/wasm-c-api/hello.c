/* hello: instantiate a module with one imported host function and call its export. */
#include "example.h"

static int hello_calls = 0;

static wasm_trap_t *
hello_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    CHECK(args->size == 0 && results->size == 0);
    printf("Calling back...\n> Hello World!\n");
    hello_calls++;
    return NULL;
}

int
main(void)
{
    wasm_engine_t *engine;
    wasm_store_t *store;
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_functype_t *hello_type;
    wasm_func_t *hello_func;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    const wasm_func_t *run_func;
    wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_EMPTY_VEC;

    printf("Initializing...\n");
    engine = wasm_engine_new();
    store = wasm_store_new(engine);
    CHECK(engine && store);

    printf("Loading binary...\n");
    load_wasm("hello.wasm", &binary);

    printf("Compiling module...\n");
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Creating callback...\n");
    hello_type = wasm_functype_new_0_0();
    hello_func = wasm_func_new(store, hello_type, hello_callback);
    CHECK(hello_func);
    wasm_functype_delete(hello_type);

    printf("Instantiating module...\n");
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(hello_func) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    /* The instance keeps using the host function after its C object is gone. */
    wasm_func_delete(hello_func);

    printf("Extracting export...\n");
    wasm_instance_exports(instance, &exports);
    CHECK(exports.size == 1 && exports.num_elems == 1);
    run_func = export_func(&exports, 0);
    CHECK(wasm_func_param_arity(run_func) == 0);
    CHECK(wasm_func_result_arity(run_func) == 0);
    wasm_module_delete(module);
    wasm_instance_delete(instance);

    printf("Calling export...\n");
    CHECK(wasm_func_call(run_func, &args, &results) == NULL);
    CHECK(wasm_func_call(run_func, &args, &results) == NULL);
    CHECK(hello_calls == 2);
    wasm_extern_vec_delete(&exports);

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
