/* libc-builtin through wasm_export.h: a guest written in C without any libc
 * (c-tests/api/wasm/libc_builtin.c, the build command is in that file) imports printf,
 * sprintf, snprintf, puts, putchar, malloc, calloc, realloc, free, strdup, the string
 * functions, strtol, atoi, ctype and exit from "env". The text it prints (captured from
 * stdout) must be what WAMR 2.4.3 prints for the same guest: the EXPECT_* strings below were
 * observed with WAMR 2.4.3's iwasm (`iwasm --heap-size=8192 -f run_print libc_builtin.wasm`).
 * Hostile pointers (a %s past the end of memory, a memcpy overrunning it) trap with WAMR's
 * text; exit(3) is the exception "env.exit(3)". The test only uses the public API, so it also
 * runs unchanged against WAMR's libiwasm. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "test_util.h"

static const char EXPECT_PRINT[] =
    "int 42 neg -7 unsigned 3000000000 hex ff FF oct 10 char w\n"
    "ll -1234567890123 ull 18446744073709551615 lx abcdef zu 17 pct %\n"
    "f 3.500000 e 1.234568e+04 g 0.0001 G 1E+20 prec 0.667 width [   -1.25] left [12    ] "
    "zero [00042]\n"
    "s [text] w [     right] p [pr] empty [] plus +5 space  5\n"
    "mixed 1 2.500000 3 four 5|\n"
    "puts line\n"
    "!\n";

static const char EXPECT_STRINGS[] = "sprintf [abc-123] 7 strlen 7\n"
                                     "snprintf [trunc] 16\n"
                                     "strtol -42 end [rest]\n"
                                     "strtoul 4000000000 hex 31 atoi 77\n"
                                     "strcmp 1 strncmp 0 memcmp 0\n"
                                     "strchr [llo] strstr [stack] toupper Q isdigit 1\n"
                                     "strcpy+memset [copied...]\n";

static const char EXPECT_HEAP[] = "realloc kept [heap string]\n"
                                  "strdup [heap string] calloc sum 0\n";

static char captured[8192];
static int my_puts_calls;

static int32_t
my_puts(wasm_exec_env_t env, const char *s)
{
    (void)env;
    (void)s;
    my_puts_calls++;
    return 0;
}

/* Call `name` with `argv` while stdout goes to a temporary file; the printed text lands in
 * `captured`. Returns the call's success. */
static int
call_captured(wasm_module_inst_t inst, const char *name, uint32_t argc, uint32_t *argv)
{
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    wasm_exec_env_t env;
    FILE *tmp = tmpfile();
    int saved, ok;
    size_t n;

    CHECK(f != NULL);
    CHECK(tmp != NULL);
    if (!f || !tmp)
        return 0;
    env = wasm_runtime_get_exec_env_singleton(inst);
    fflush(stdout);
    saved = dup(1);
    dup2(fileno(tmp), 1);
    ok = wasm_runtime_call_wasm(env, f, argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(tmp);
    n = fread(captured, 1, sizeof(captured) - 1, tmp);
    captured[n] = 0;
    fclose(tmp);
    return ok;
}

int
main(void)
{
    char err[256];
    uint32_t size, argv[2];
    uint8_t *buf;
    wasm_module_t m;
    wasm_module_inst_t inst;

    CHECK(wasm_runtime_init());
    buf = t_read_wasm("libc_builtin.wasm", &size);
    m = wasm_runtime_load(buf, size, err, sizeof(err));
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "load: %s\n", err);
        return t_finish();
    }
    /* Every import is provided by libc-builtin. */
    CHECK(wasm_runtime_is_import_func_linked("env", "printf"));
    CHECK(wasm_runtime_is_import_func_linked("env", "_malloc"));
    CHECK(!wasm_runtime_is_import_func_linked("env", "setTempRet0"));
    CHECK(wasm_runtime_is_import_global_linked("global", "NaN"));
    inst = wasm_runtime_instantiate(m, 64 * 1024, 8192, err, sizeof(err));
    CHECK(inst != NULL);
    if (!inst) {
        fprintf(stderr, "instantiate: %s\n", err);
        return t_finish();
    }

    CHECK(call_captured(inst, "run_print", 0, argv));
    CHECK_STR(captured, EXPECT_PRINT);
    CHECK(argv[0] == 0x131); /* the sum of the printf return values, as WAMR */

    CHECK(call_captured(inst, "run_strings", 0, argv));
    CHECK_STR(captured, EXPECT_STRINGS);
    CHECK(argv[0] == 9);

    CHECK(call_captured(inst, "run_heap", 0, argv));
    CHECK_STR(captured, EXPECT_HEAP);
    CHECK(argv[0] == 1);

    /* %s of a pointer past the end of memory: the text before it is printed, then the trap. */
    CHECK(!call_captured(inst, "bad_printf", 0, argv));
    CHECK_STR(captured, "bad [");
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);

    CHECK(!call_captured(inst, "bad_memcpy", 0, argv));
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: out of bounds memory access");
    wasm_runtime_clear_exception(inst);

    argv[0] = 3;
    CHECK(!call_captured(inst, "run_exit", 1, argv));
    CHECK_STR(captured, "before exit 3\n");
    CHECK_STR(wasm_runtime_get_exception(inst), "Exception: env.exit(3)");
    wasm_runtime_clear_exception(inst);

    wasm_runtime_deinstantiate(inst);

    /* Without an app heap (and no exported malloc), malloc returns 0. */
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(inst != NULL);
    if (inst) {
        CHECK(call_captured(inst, "run_heap", 0, argv));
        CHECK(argv[0] == 0xffffffffu);
        wasm_runtime_deinstantiate(inst);
    }

    wasm_runtime_unload(m);

    /* A native the embedder registers shadows libc-builtin's of the same name (registered
     * before the load, which is when WAMR resolves imports). */
    {
        static NativeSymbol own_puts[] = { { "puts", (void *)my_puts, "($)i", NULL } };
        CHECK(wasm_runtime_register_natives("env", own_puts, 1));
        free(buf); /* WAMR's loader may have rewritten the first buffer in place */
        buf = t_read_wasm("libc_builtin.wasm", &size);
        m = wasm_runtime_load(buf, size, err, sizeof(err));
        CHECK(m != NULL);
        inst = m ? wasm_runtime_instantiate(m, 64 * 1024, 8192, err, sizeof(err)) : NULL;
        CHECK(inst != NULL);
        if (inst) {
            CHECK(call_captured(inst, "run_print", 0, argv));
            CHECK(my_puts_calls == 1);
            CHECK(strstr(captured, "puts line") == NULL);
            CHECK(strstr(captured, "mixed 1 2.500000 3 four 5|\n!\n") != NULL);
            wasm_runtime_deinstantiate(inst);
        }
        if (m)
            wasm_runtime_unload(m);
        CHECK(wasm_runtime_unregister_natives("env", own_puts));
    }
    free(buf);
    wasm_runtime_destroy();
    return t_finish();
}
