/* Natives with signature strings ("$" string, "*~" buffer) and attachments. */
#include "example.h"

static int32_t
log_str(wasm_exec_env_t exec_env, const char *msg)
{
    const char *prefix = wasm_runtime_get_function_attachment(exec_env);
    printf("%s%s\n", prefix, msg);
    return (int32_t)strlen(msg);
}

static int32_t
checksum(wasm_exec_env_t exec_env, const uint8_t *buf, uint32_t len)
{
    int32_t s = 0;
    (void)exec_env;
    for (uint32_t i = 0; i < len; i++)
        s = s * 31 + buf[i];
    return s;
}

static int32_t
counter_next(wasm_exec_env_t exec_env)
{
    int *counter = wasm_runtime_get_function_attachment(exec_env);
    return ++*counter;
}

int
main(int argc, char **argv_)
{
    static int counter = 0;
    static NativeSymbol natives[] = {
        EXPORT_WASM_API_WITH_ATT(log_str, "($)i", "[guest] "),
        EXPORT_WASM_API_WITH_SIG(checksum, "(*~)i"),
        EXPORT_WASM_API_WITH_ATT(counter_next, "()i", &counter),
    };
    char error_buf[128];
    uint32_t size, argv[1], expect = 0;
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;

    EXPECT(wasm_runtime_init());
    EXPECT(wasm_runtime_register_natives("env", natives, sizeof(natives) / sizeof(natives[0])));
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    inst = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    EXPECT(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);
    EXPECT(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "run"), 0, argv));
    for (int i = 1; i <= 8; i++)
        expect = expect * 31 + (uint32_t)i;
    printf("checksum + counter = %u\n", argv[0]);
    EXPECT(argv[0] == expect + 3 && counter == 3);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_unregister_natives("env", natives);
    wasm_runtime_destroy();
    free(buf);
    printf("native-lib: ok\n");
    return 0;
}
