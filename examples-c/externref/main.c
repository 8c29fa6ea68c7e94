/* Externref round trip: a host object goes into a wasm table and comes back unchanged, and a
 * native with an "r" parameter receives it. */
#include "example.h"

struct person {
    const char *name;
    int age;
};

static int32_t
describe(wasm_exec_env_t exec_env, struct person *p)
{
    (void)exec_env;
    if (!p)
        return -1;
    printf("describe: %s is %d\n", p->name, p->age);
    return p->age;
}

int
main(int argc, char **argv_)
{
    static NativeSymbol natives[] = { EXPORT_WASM_API_WITH_SIG(describe, "(r)i") };
    struct person alice = { "alice", 31 };
    char error_buf[128];
    uint32_t size;
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
    wasm_val_t args[2], res[1];

    EXPECT(wasm_runtime_init());
    EXPECT(wasm_runtime_register_natives("env", natives, 1));
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    inst = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    EXPECT(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);

    args[0].kind = WASM_I32;
    args[0].of.i32 = 2;
    args[1].kind = WASM_EXTERNREF;
    args[1].of.foreign = (uintptr_t)&alice;
    EXPECT(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(inst, "store"), 0, NULL,
                                    2, args));
    EXPECT(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(inst, "load"), 1, res, 1,
                                    args));
    EXPECT(res[0].kind == WASM_EXTERNREF && res[0].of.foreign == (uintptr_t)&alice);
    printf("round trip: %s\n", ((struct person *)res[0].of.foreign)->name);
    EXPECT(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(inst, "describe_slot"),
                                    1, res, 1, args));
    EXPECT(res[0].of.i32 == 31);
    args[0].of.i32 = 0; /* an empty slot is a null reference */
    EXPECT(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(inst, "load"), 1, res, 1,
                                    args));
    EXPECT(res[0].of.foreign == 0);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    printf("externref: ok\n");
    return 0;
}
