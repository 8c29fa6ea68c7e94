/* App heap: wasm_runtime_module_malloc / module_free / module_dup_data. */
#include "example.h"

int
main(int argc, char **argv_)
{
    char error_buf[128];
    uint32_t size, argv[2];
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    void *native = NULL;
    uint64_t off, dup;
    static const char text[] = "\x01\x02\x03\x04";

    EXPECT(wasm_runtime_init());
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    inst = wasm_runtime_instantiate(module, 16 * 1024, 8 * 1024, error_buf, sizeof(error_buf));
    EXPECT(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);

    off = wasm_runtime_module_malloc(inst, 100, &native);
    EXPECT(off != 0);
    EXPECT(native == wasm_runtime_addr_app_to_native(inst, off));
    memset(native, 2, 100);
    argv[0] = (uint32_t)off;
    argv[1] = 100;
    EXPECT(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "sum"), 2, argv));
    printf("sum of 100 twos = %u\n", argv[0]);
    EXPECT(argv[0] == 200);
    dup = wasm_runtime_module_dup_data(inst, text, 4);
    EXPECT(dup != 0);
    argv[0] = (uint32_t)dup;
    argv[1] = 4;
    EXPECT(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "sum"), 2, argv));
    EXPECT(argv[0] == 10);
    wasm_runtime_module_free(inst, dup);
    wasm_runtime_module_free(inst, off);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    printf("module-malloc: ok\n");
    return 0;
}
