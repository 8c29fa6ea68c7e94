/* A program using both C APIs: as in WAMR, creating the wasm-c-api engine initialises the
 * runtime, so the wasm_export.h functions work without a wasm_runtime_init of their own, and
 * deleting the engine releases it. */
#include "wasm_c_api.h"
#include "test_util.h"

int
main(void)
{
    char err[128];
    uint32_t size, argv[2] = { 20, 22 };
    uint8_t *buf = t_read_wasm("basic.wasm", &size);
    wasm_engine_t *engine = wasm_engine_new();
    wasm_module_t m;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    wasm_function_inst_t add;

    CHECK(engine != NULL);
    m = wasm_runtime_load(buf, size, err, sizeof(err));
    CHECK(m != NULL);
    inst = m ? wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err)) : NULL;
    CHECK(inst != NULL);
    env = inst ? wasm_runtime_create_exec_env(inst, 64 * 1024) : NULL;
    add = inst ? wasm_runtime_lookup_function(inst, "add") : NULL;
    CHECK(env && add && wasm_runtime_call_wasm(env, add, 2, argv) && argv[0] == 42);
    if (env)
        wasm_runtime_destroy_exec_env(env);
    if (inst)
        wasm_runtime_deinstantiate(inst);
    if (m)
        wasm_runtime_unload(m);
    wasm_engine_delete(engine);

    /* After the engine is gone the runtime reference is released: loading fails cleanly. */
    CHECK(wasm_runtime_load(buf, size, err, sizeof(err)) == NULL);
    free(buf);
    return t_finish();
}
