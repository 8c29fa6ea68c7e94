/* Two threads, two instances, calls in opposite directions: thread 1 runs instance A, whose
 * native calls into instance B, while thread 2 runs B, whose native calls into A. Each call
 * holds its instance while it runs, so the two nested calls wait for each other. WAMR would let
 * both run concurrently on the shared instances; cwamr serialises calls into one instance, and
 * refuses the nested call that would close a wait cycle with an exception instead of hanging.
 * A watchdog alarm turns a hang into a failure. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "test_util.h"

static wasm_module_inst_t inst[2];
static pthread_barrier_t both_inside;

struct side {
    int self;             /* 0: A, 1: B */
    wasm_exec_env_t env_other;
    int32_t result;       /* what enter() returned: 42, or -1 if the nested call was refused */
    char exception[128];
    bool outer_ok;
};

static struct side sides[2];

static int32_t
cross(wasm_exec_env_t env)
{
    wasm_module_inst_t me = wasm_runtime_get_module_inst(env);
    struct side *s = &sides[me == inst[0] ? 0 : 1];
    wasm_module_inst_t other = inst[1 - s->self];
    uint32_t argv[1] = { 0 };

    pthread_barrier_wait(&both_inside);
    if (wasm_runtime_call_wasm(s->env_other, wasm_runtime_lookup_function(other, "leaf"), 0,
                               argv))
        return (int32_t)argv[0];
    snprintf(s->exception, sizeof(s->exception), "%s",
             wasm_runtime_get_exception(other) ? wasm_runtime_get_exception(other) : "");
    wasm_runtime_clear_exception(other);
    return -1;
}

static void *
run_side(void *arg)
{
    struct side *s = arg;
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst[s->self], 64 * 1024);
    uint32_t argv[1] = { 0 };

    s->env_other = wasm_runtime_create_exec_env(inst[1 - s->self], 64 * 1024);
    s->outer_ok = wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst[s->self], "enter"),
                                         0, argv);
    s->result = (int32_t)argv[0];
    wasm_runtime_destroy_exec_env(s->env_other);
    wasm_runtime_destroy_exec_env(env);
    return NULL;
}

static void
on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL: the two threads deadlocked\n";
    (void)!write(2, msg, sizeof(msg) - 1);
    _exit(1);
}

int
main(void)
{
    static NativeSymbol natives[] = { { "cross", (void *)cross, "()i", NULL } };
    wasm_module_t m;
    pthread_t t[2];
    int round, i;

    signal(SIGALRM, on_alarm);
    alarm(20);
    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_register_natives("env", natives, 1));
    inst[0] = t_instantiate("cross.wasm", &m);
    inst[1] = wasm_runtime_instantiate(m, 64 * 1024, 0, NULL, 0);
    CHECK(inst[1] != NULL);

    for (round = 0; round < 20; round++) {
        int refused = 0, completed = 0;
        pthread_barrier_init(&both_inside, NULL, 2);
        memset(sides, 0, sizeof(sides));
        for (i = 0; i < 2; i++) {
            sides[i].self = i;
            pthread_create(&t[i], NULL, run_side, &sides[i]);
        }
        for (i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&both_inside);
        for (i = 0; i < 2; i++) {
            CHECK(sides[i].outer_ok);
            if (sides[i].result == -1) {
                refused++;
                CHECK(strstr(sides[i].exception, "deadlock") != NULL);
            }
            else {
                CHECK(sides[i].result == 42);
                completed++;
            }
        }
        /* The cycle is broken by refusing at least one nested call, never by hanging. */
        CHECK(refused >= 1 && refused + completed == 2);
    }

    /* Both instances still work, from this thread. */
    for (i = 0; i < 2; i++) {
        uint32_t argv[1] = { 0 };
        wasm_exec_env_t env = wasm_runtime_create_exec_env(inst[i], 64 * 1024);
        CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst[i], "leaf"), 0, argv)
              && argv[0] == 42);
        wasm_runtime_destroy_exec_env(env);
    }
    wasm_runtime_deinstantiate(inst[1]);
    wasm_runtime_deinstantiate(inst[0]);
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
    return t_finish();
}
