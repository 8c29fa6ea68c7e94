/* Stopping runaway code: a watchdog thread calls wasm_runtime_terminate. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "example.h"

static wasm_module_inst_t inst;

static void *
watchdog(void *arg)
{
    struct timespec ts = { 0, 200 * 1000 * 1000 };
    (void)arg;
    nanosleep(&ts, NULL);
    printf("watchdog: terminating\n");
    wasm_runtime_terminate(inst);
    return NULL;
}

int
main(int argc, char **argv_)
{
    char error_buf[128];
    uint32_t size, argv[1];
    uint8_t *buf = read_file(argc > 1 ? argv_[1] : WASM_FILE, &size);
    wasm_module_t module;
    wasm_exec_env_t env;
    pthread_t t;
    const char *exc;

    EXPECT(wasm_runtime_init());
    module = wasm_runtime_load(buf, size, error_buf, sizeof(error_buf));
    inst = wasm_runtime_instantiate(module, 16 * 1024, 0, error_buf, sizeof(error_buf));
    EXPECT(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);

    EXPECT(pthread_create(&t, NULL, watchdog, NULL) == 0);
    EXPECT(!wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "forever"), 0, argv));
    pthread_join(t, NULL);
    exc = wasm_runtime_get_exception(inst);
    printf("%s\n", exc);
    EXPECT(exc && strcmp(exc, "Exception: terminated by user") == 0);

    wasm_runtime_clear_exception(inst);
    EXPECT(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "ping"), 0, argv));
    EXPECT(argv[0] == 1);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    printf("terminate: ok\n");
    return 0;
}
