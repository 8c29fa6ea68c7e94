/* Bounced natives (cwamr_register_natives_bounce; capability model section 9 case 19).
 *
 * A native registered this way receives, for each `*~` argument, a host copy of the guest
 * range followed by a canary gap and a guard page, never a pointer into linear memory:
 *   - writes within the range are copied back;
 *   - an overrun of len+1 is caught by the canary check: the call traps, nothing is copied back
 *     and a CWAMR_VIOLATION_CAP_BOUNDS record is kept;
 *   - an overrun of len+4096 hits the guard page (SIGSEGV, checked in a child process), with
 *     linear memory untouched: page-granular detection is the x86-64 limit. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cwamr.h"
#include "test_util.h"

#define BUF_OFF 1000u
#define BUF_LEN 100u
#define MEM_SIZE 65536u

/* Write n bytes of 'X' starting at buf: an overrun when n > len. */
static void
fill(wasm_exec_env_t env, uint8_t *buf, uint32_t len, int32_t n)
{
    volatile uint8_t *p = buf;
    int32_t i;
    (void)env;
    (void)len;
    for (i = 0; i < n; i++)
        p[i] = 'X';
}

static NativeSymbol symbols[] = {
    { "fill", (void *)fill, "(*~i)", NULL },
};

static wasm_module_inst_t g_inst;
static uint8_t *g_mem;
static uint8_t g_before[MEM_SIZE];

static bool
call_fill(wasm_exec_env_t env, uint32_t off, uint32_t len, int32_t n)
{
    wasm_function_inst_t f = wasm_runtime_lookup_function(g_inst, "call_fill");
    uint32_t argv[3] = { off, len, (uint32_t)n };
    return wasm_runtime_call_wasm(env, f, 3, argv);
}

/* In the child: the guard page was hit; linear memory must be exactly as before the call. */
static void
on_segv(int sig)
{
    (void)sig;
    _exit(memcmp(g_mem, g_before, MEM_SIZE) == 0 ? 42 : 43);
}

int
main(void)
{
    wasm_module_t m;
    wasm_exec_env_t env;
    NativeSymbol no_sig[] = { { "fill", (void *)fill, NULL, NULL } };
    uint64_t bounds_before;
    uint32_t i;
    pid_t pid;
    int status = 0;

    CHECK(wasm_runtime_init());
    /* Bounced natives need a signature string to know which arguments are buffers. */
    CHECK(!cwamr_register_natives_bounce("bounce", no_sig, 1));
    CHECK(strstr(cwamr_last_error(), "signature") != NULL);
    CHECK(cwamr_register_natives_bounce("bounce", symbols, 1));

    g_inst = t_instantiate("bounce.wasm", &m);
    env = wasm_runtime_create_exec_env(g_inst, 64 * 1024);
    CHECK(env != NULL);
    g_mem = wasm_runtime_addr_app_to_native(g_inst, 0);
    CHECK(g_mem != NULL);
    for (i = 0; i < MEM_SIZE; i++)
        g_mem[i] = (uint8_t)(i * 7);

    /* 1. Writes inside the range are copied back; the byte after it is untouched. */
    CHECK(call_fill(env, BUF_OFF, BUF_LEN, BUF_LEN));
    for (i = 0; i < BUF_LEN; i++)
        if (g_mem[BUF_OFF + i] != 'X')
            break;
    CHECK(i == BUF_LEN);
    CHECK(g_mem[BUF_OFF + BUF_LEN] == (uint8_t)((BUF_OFF + BUF_LEN) * 7));

    /* 2. An overrun by one byte: detected by the canary, reported, nothing copied back. */
    memset(g_mem + BUF_OFF, 'a', BUF_LEN);
    memcpy(g_before, g_mem, MEM_SIZE);
    bounds_before = cwamr_cap_violation_count_kind(CWAMR_VIOLATION_CAP_BOUNDS);
    CHECK(!call_fill(env, BUF_OFF, BUF_LEN, BUF_LEN + 1));
    CHECK(strstr(wasm_runtime_get_exception(g_inst), "past the end of its buffer") != NULL);
    CHECK(memcmp(g_mem, g_before, MEM_SIZE) == 0);
    CHECK(cwamr_cap_violation_count_kind(CWAMR_VIOLATION_CAP_BOUNDS) == bounds_before + 1);
    wasm_runtime_clear_exception(g_inst);

    /* 3. A range outside linear memory is still refused before the native runs. */
    CHECK(!call_fill(env, MEM_SIZE - 10, BUF_LEN, 0));
    CHECK_STR(wasm_runtime_get_exception(g_inst), "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(g_inst);

    /* 4. The runtime stays usable. */
    CHECK(call_fill(env, BUF_OFF, BUF_LEN, 10));
    CHECK(g_mem[BUF_OFF] == 'X' && g_mem[BUF_OFF + 10] == 'a');

    /* 5. An overrun of a page: the guard page faults before linear memory is touched. */
    memcpy(g_before, g_mem, MEM_SIZE);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_segv;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        call_fill(env, BUF_OFF, BUF_LEN, BUF_LEN + 4096);
        _exit(44); /* the overrun did not fault */
    }
    CHECK(pid > 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(g_inst);
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
    return t_finish();
}
