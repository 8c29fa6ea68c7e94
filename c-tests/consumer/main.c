/* Consumer of an installed cwamr: written as a WAMR program would be (only wasm_export.h). */
#include <stdio.h>
#include <string.h>

#include "wasm_export.h"

/* (module (func (export "mul") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul)) */
static uint8_t wasm[] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01,
                          0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07,
                          0x07, 0x01, 0x03, 0x6d, 0x75, 0x6c, 0x00, 0x00, 0x0a, 0x09, 0x01,
                          0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6c, 0x0b };

int
main(void)
{
    char err[128];
    uint32_t argv[2] = { 6, 7 };
    wasm_module_t m;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    bool ok;

    if (!wasm_runtime_init())
        return 1;
    m = wasm_runtime_load(wasm, sizeof(wasm), err, sizeof(err));
    inst = m ? wasm_runtime_instantiate(m, 8192, 0, err, sizeof(err)) : NULL;
    if (!inst) {
        printf("%s\n", err);
        return 1;
    }
    env = wasm_runtime_create_exec_env(inst, 8192);
    ok = wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "mul"), 2, argv);
    printf("mul(6, 7) = %u\n", argv[0]);
    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
    return ok && argv[0] == 42 ? 0 : 1;
}
