/* Instance isolation: instance A keeps a secret in its memory; instance B given A's pointer
 * reads its *own* memory at that offset; handles of A are refused in B's context. Then the
 * host delegates a read-only window of A's memory to B (cwamr.h): B can read inside it,
 * cannot write, cannot read past it, and loses access when the host revokes it. */
#include "cwamr.h"
#include "example.h"

static int32_t
via(wasm_exec_env_t env, wasm_module_inst_t inst, const char *fn, wasm_val_t h, int32_t off,
    int32_t v)
{
    wasm_val_t args[3], res[1];
    uint32_t n = strcmp(fn, "write_via") == 0 ? 3 : 2;
    args[0] = h;
    args[1].kind = WASM_I32;
    args[1].of.i32 = off;
    args[2].kind = WASM_I32;
    args[2].of.i32 = v;
    EXPECT(wasm_runtime_call_wasm_a(env, wasm_runtime_lookup_function(inst, fn), 1, res, n,
                                    args));
    return res[0].of.i32;
}

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

    /* Delegation: A[where, where + 16) read-only to B. */
    {
        cwamr_delegation_t d = cwamr_delegate(a, where, 16, CWAMR_DELEGATE_READ);
        wasm_val_t h;
        int32_t r;
        EXPECT(d != NULL);
        EXPECT(cwamr_delegation_grant(d, b, &h));
        r = via(eb, b, "read_via", h, 0, 0);
        printf("B reads the delegated window: 0x%x\n", (uint32_t)r);
        EXPECT(r == (int32_t)secret);
        r = via(eb, b, "write_via", h, 0, 1);
        printf("B writes through a read-only delegation: %d (refused)\n", r);
        EXPECT(r < 0);
        got = call2(ea, a, "get", where, 0, &ok);
        EXPECT(ok && got == secret);
        r = via(eb, b, "read_via", h, 14, 0); /* 4 bytes at 14 cross the end */
        EXPECT(r < 0);
        EXPECT(cwamr_revoke(d));
        r = via(eb, b, "read_via", h, 0, 0);
        printf("after revoke: %d (refused)\n", r);
        EXPECT(r < 0);
        EXPECT(!cwamr_revoke(d));
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
