/* Threads: wasm_runtime_terminate from a watchdog thread stops a spinning call with
 * "terminated by user"; case 12: an exec env used from a thread that did not create it is
 * refused, while the singleton exec env and per-thread exec envs work. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "test_util.h"

static wasm_module_inst_t g_inst;
static wasm_exec_env_t g_env;

static void *
watchdog(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    wasm_runtime_terminate(g_inst);
    return NULL;
}

static void *
foreign_user(void *arg)
{
    uint32_t argv[2] = { 1, 2 };
    int *result = arg;
    wasm_function_inst_t add = wasm_runtime_lookup_function(g_inst, "add");
    wasm_exec_env_t own;

    /* someone else's exec env: refused */
    result[0] = wasm_runtime_call_wasm(g_env, add, 2, argv);
    result[1] = wasm_runtime_get_module_inst(g_env) != NULL;
    /* the singleton is shared */
    argv[0] = 1;
    argv[1] = 2;
    result[2] = wasm_runtime_call_wasm(wasm_runtime_get_exec_env_singleton(g_inst), add, 2,
                                       argv)
                && argv[0] == 3;
    /* an exec env of this thread */
    wasm_runtime_init_thread_env();
    own = wasm_runtime_create_exec_env(g_inst, 8192);
    argv[0] = 5;
    argv[1] = 6;
    result[3] = wasm_runtime_call_wasm(own, add, 2, argv) && argv[0] == 11;
    wasm_runtime_destroy_exec_env(own);
    wasm_runtime_destroy_thread_env();
    return NULL;
}

int
main(void)
{
    pthread_t t;
    uint32_t argv[2];
    int result[4] = { -1, -1, -1, -1 };

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    g_inst = t_instantiate("basic.wasm", NULL);
    g_env = wasm_runtime_create_exec_env(g_inst, 65536);

    CHECK(pthread_create(&t, NULL, watchdog, NULL) == 0);
    CHECK(!wasm_runtime_call_wasm(g_env, wasm_runtime_lookup_function(g_inst, "spin"), 0,
                                  argv));
    pthread_join(t, NULL);
    CHECK_STR(wasm_runtime_get_exception(g_inst), "Exception: terminated by user");
    /* sticky until cleared, then the instance runs again */
    argv[0] = 1;
    argv[1] = 1;
    CHECK(!wasm_runtime_call_wasm(g_env, wasm_runtime_lookup_function(g_inst, "add"), 2, argv));
    wasm_runtime_clear_exception(g_inst);
    CHECK(wasm_runtime_call_wasm(g_env, wasm_runtime_lookup_function(g_inst, "add"), 2, argv)
          && argv[0] == 2);

    CHECK(pthread_create(&t, NULL, foreign_user, result) == 0);
    pthread_join(t, NULL);
    CHECK(result[0] == 0); /* case 12 */
    CHECK(result[1] == 0);
    CHECK(result[2] == 1);
    CHECK(result[3] == 1);
    CHECK(!wasm_runtime_thread_env_inited() == 0);

    wasm_runtime_destroy_exec_env(g_env);
    wasm_runtime_deinstantiate(g_inst);
    wasm_runtime_destroy();
    return t_finish();
}
