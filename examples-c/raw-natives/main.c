/* Raw natives: void fn(wasm_exec_env_t, uint64_t *args), result written back to args[0]. */
#include "example.h"

static void
muladd(wasm_exec_env_t exec_env, uint64_t *args)
{
    native_raw_return_type(double, args);
    native_raw_get_arg(int32_t, a, args);
    native_raw_get_arg(int64_t, b, args);
    native_raw_get_arg(double, c, args);
    (void)exec_env;
    native_raw_set_return((double)a * (double)b + c);
}

int
main(int argc, char **argv_)
{
    static NativeSymbol natives[] = { EXPORT_WASM_API_WITH_SIG(muladd, "(iIF)F") };
    char error_buf[128];
    uint32_t size;
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    wasm_val_t result[1];

    EXPECT(wasm_runtime_init());
    EXPECT(wasm_runtime_register_natives_raw("env", natives, 1));
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    inst = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    EXPECT(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);
    EXPECT(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(inst, "run"), 1, result,
                                    0, NULL));
    printf("muladd(3, 4, 0.5) = %g\n", result[0].of.f64);
    EXPECT(result[0].of.f64 == 12.5);
    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    printf("raw-natives: ok\n");
    return 0;
}
