/* Instance isolation: instance A keeps a secret in its memory; instance B given A's pointer
 * reads its *own* memory at that offset; handles of A are refused in B's context. */
#include "example.h"

static uint32_t
call2(wasm_exec_env_t env, wasm_module_inst_t inst, const char *fn, uint32_t a, uint32_t b,
      bool *ok)
{
    uint32_t argv[2] = { a, b };
    *ok = wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, fn), 2, argv);
    return argv[0];
}

int
main(int argc, char **argv_)
{
    char error_buf[128];
    uint32_t size, got;
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_module_inst_t a, b;
    wasm_exec_env_t ea, eb;
    bool ok;
    const uint32_t secret = 0x5ec2e7, where = 1024;

    EXPECT(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    a = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    b = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    EXPECT(a && b);
    ea = wasm_runtime_create_exec_env(a, 16 * 1024);
    eb = wasm_runtime_create_exec_env(b, 16 * 1024);

    call2(ea, a, "put", where, secret, &ok);
    EXPECT(ok);
    got = call2(eb, b, "get", where, 0, &ok);
    printf("B reads offset %u of its own memory: 0x%x\n", where, got);
    EXPECT(ok && got == 0);
    got = call2(ea, a, "get", where, 0, &ok);
    EXPECT(ok && got == secret);

    /* A's function cannot run on B's exec env, and the two memories are distinct. */
    {
        uint32_t argv[2] = { where, 0 };
        EXPECT(!wasm_runtime_call_wasm(eb, wasm_runtime_lookup_function(a, "get"), 2, argv));
        EXPECT(wasm_runtime_addr_app_to_native(a, where)
               != wasm_runtime_addr_app_to_native(b, where));
        printf("A's function on B's exec env: refused\n");
    }

    wasm_runtime_destroy_exec_env(ea);
    wasm_runtime_destroy_exec_env(eb);
    wasm_runtime_deinstantiate(a);
    wasm_runtime_deinstantiate(b);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    printf("isolation: ok\n");
    return 0;
}
