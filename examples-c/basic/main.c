/* Basic embedding: load, instantiate, call with argv cells and with wasm_val_t. */
#include "example.h"

int
main(int argc, char **argv_)
{
    char error_buf[128];
    uint32_t size, argv[4];
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t exec_env;
    wasm_function_inst_t fib, scale;
    wasm_val_t args[2], results[1];

    EXPECT(wasm_runtime_init());
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    EXPECT(module != NULL);
    inst = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    EXPECT(inst != NULL);
    exec_env = wasm_runtime_create_exec_env(inst, 16 * 1024);
    fib = wasm_runtime_lookup_function(inst, "fib");
    scale = wasm_runtime_lookup_function(inst, "scale");
    EXPECT(fib && scale);

    argv[0] = 20;
    if (!wasm_runtime_call_wasm(exec_env, fib, 1, argv)) {
        printf("%s\n", wasm_runtime_get_exception(inst));
        return 1;
    }
    printf("fib(20) = %u\n", argv[0]);
    EXPECT(argv[0] == 6765);

    args[0].kind = WASM_F64;
    args[0].of.f64 = 1.5;
    args[1].kind = WASM_I64;
    args[1].of.i64 = 4;
    EXPECT(wasm_runtime_call_wasm_a(exec_env, scale, 1, results, 2, args));
    printf("scale(1.5, 4) = %g\n", results[0].of.f64);
    EXPECT(results[0].of.f64 == 6.0);

    wasm_runtime_destroy_exec_env(exec_env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    printf("basic: ok\n");
    return 0;
}
