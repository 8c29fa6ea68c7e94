/*
 * Multi-module (WAMR built with WASM_ENABLE_MULTI_MODULE=1): the module reader, registration
 * rules and texts, imports of every kind from sub-modules, one set of sub-instances per
 * parent instance, circular dependencies, missing modules, type mismatches, commands as
 * sub-modules, and the reader buffers handed to the destroyer at runtime destroy.
 */
#include "test_util.h"
#include "wasm_c_api.h"

static int reads, destroyed, read_failures;

static bool
reader(package_type_t module_type, const char *module_name, uint8_t **p_buffer,
       uint32_t *p_size)
{
    char path[1024];
    FILE *f;
    long n;

    CHECK(module_type == Wasm_Module_Bytecode);
    snprintf(path, sizeof(path), "%s/%s.wasm", WASM_DIR, module_name);
    f = fopen(path, "rb");
    if (!f) {
        read_failures++;
        return false;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *p_buffer = malloc((size_t)n);
    if (!*p_buffer || fread(*p_buffer, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(*p_buffer);
        return false;
    }
    fclose(f);
    *p_size = (uint32_t)n;
    reads++;
    return true;
}

static void
destroyer(uint8_t *buffer, uint32_t size)
{
    CHECK(buffer != NULL && size > 8);
    CHECK(memcmp(buffer, "\0asm", 4) == 0);
    free(buffer);
    destroyed++;
}

static wasm_module_t
load(const char *name, char *err, uint32_t err_size)
{
    char file[256];
    uint32_t size;
    uint8_t *buf;
    wasm_module_t m;

    snprintf(file, sizeof(file), "%s.wasm", name);
    buf = t_read_wasm(file, &size);
    m = wasm_runtime_load(buf, size, err, err_size);
    free(buf);
    return m;
}

/* Call export `name` with up to two i32 arguments; returns the i32 result or -1 on a trap
 * (the exception text is copied into `exc`). */
static int32_t
call(wasm_module_inst_t inst, const char *name, uint32_t argc, int32_t a, int32_t b,
     char *exc, size_t exc_size)
{
    uint32_t argv[2] = { (uint32_t)a, (uint32_t)b };
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 64 * 1024);
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    bool ok;

    if (exc)
        exc[0] = '\0';
    CHECK(env != NULL && f != NULL);
    if (!env || !f)
        return -1;
    ok = wasm_runtime_call_wasm(env, f, argc, argv);
    wasm_runtime_destroy_exec_env(env);
    if (!ok) {
        if (exc)
            snprintf(exc, exc_size, "%s", wasm_runtime_get_exception(inst));
        wasm_runtime_clear_exception(inst);
        return -1;
    }
    return (int32_t)argv[0];
}

static void
test_register_rules(void)
{
    char err[128];
    wasm_module_t x = load("mm_sub_b", err, sizeof(err)), y;

    CHECK(x != NULL);
    /* error_buf is required */
    CHECK(!wasm_runtime_register_module("x1", x, NULL, 0));
    CHECK(!wasm_runtime_register_module(NULL, x, err, sizeof(err)));
    CHECK_STR(err, "Register module failed: module_name and module are required");
    CHECK(!wasm_runtime_register_module("x1", NULL, err, sizeof(err)));
    CHECK_STR(err, "Register module failed: module_name and module are required");
    CHECK(!wasm_runtime_register_module("env", x, err, sizeof(err)));
    CHECK_STR(err, "Register module failed: can not register as a built-in module");
    CHECK(!wasm_runtime_register_module("wasi_snapshot_preview1", x, err, sizeof(err)));
    CHECK(!wasm_runtime_register_module("", x, err, sizeof(err)));
    CHECK(wasm_runtime_find_module_registered("x1") == NULL);
    CHECK(wasm_runtime_register_module("x1", x, err, sizeof(err)));
    CHECK(wasm_runtime_find_module_registered("x1") == x);
    CHECK(wasm_runtime_register_module("x1", x, err, sizeof(err))); /* same name: no-op */
    CHECK(!wasm_runtime_register_module("x2", x, err, sizeof(err)));
    CHECK_STR(err, "Register module failed: failed to rename the module");
    CHECK(wasm_runtime_find_module_registered("x2") == NULL);
    CHECK(wasm_runtime_find_module_registered(NULL) == NULL);

    /* A second module under the same name: the newest entry wins. */
    y = load("mm_sub_b", err, sizeof(err));
    CHECK(y != NULL && y != x);
    CHECK(wasm_runtime_register_module("x1", y, err, sizeof(err)));
    CHECK(wasm_runtime_find_module_registered("x1") == y);

    /* Unloading a registered module is a no-op until runtime destroy, as in WAMR. */
    wasm_runtime_unload(y);
    CHECK(wasm_runtime_find_module_registered("x1") == y);
    CHECK(wasm_runtime_get_module_package_type(y) == Wasm_Module_Bytecode);
}

static void
test_no_reader(void)
{
    char err[128];
    wasm_module_t m = load("mm_main", err, sizeof(err));
    wasm_module_inst_t inst;
    char exc[128];

    /* Function imports stay unlinked (warnings), so the load succeeds; the memory import
     * from a non-built-in module cannot be linked, so instantiation fails. */
    CHECK(m != NULL);
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(inst == NULL);
    CHECK_STR(err, "WASM module instantiate failed: failed to link import global "
                   "(mm_sub_a, counter)");
    m = load("mm_missing", err, sizeof(err));
    CHECK(m != NULL);
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(inst != NULL);
    CHECK(call(inst, "call_missing", 0, 0, 0, exc, sizeof(exc)) == -1);
    CHECK_STR(exc, "Exception: failed to call unlinked import function (mm_nosuch, f)");
    wasm_runtime_deinstantiate(inst);
    CHECK(reads == 0);
}

static void
test_imports_of_every_kind(void)
{
    char err[128];
    wasm_module_t m, a;
    wasm_module_inst_t i1, i2;

    m = load("mm_main", err, sizeof(err));
    CHECK(m != NULL);
    CHECK(reads == 2); /* mm_sub_a and mm_sub_b */
    a = wasm_runtime_find_module_registered("mm_sub_a");
    CHECK(a != NULL && a != m);
    CHECK(wasm_runtime_find_module_registered("mm_sub_b") != NULL);
    CHECK(wasm_runtime_find_module_registered("mm_main") == NULL);
    CHECK_STR(wasm_runtime_get_module_name(a), "mm_sub_a");
    /* A module that was read is reused, not read again. */
    CHECK(load("mm_main", err, sizeof(err)) != NULL);
    CHECK(reads == 2);

    i1 = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    i2 = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(i1 != NULL && i2 != NULL);
    if (!i1 || !i2)
        return;
    CHECK(call(i1, "sum", 2, 20, 22, NULL, 0) == 42);
    /* The global is the sub-instance's, set by its start function. */
    CHECK(call(i1, "counter", 0, 0, 0, NULL, 0) == 100);
    CHECK(call(i1, "bump", 0, 0, 0, NULL, 0) == 101);
    CHECK(call(i1, "bump", 0, 0, 0, NULL, 0) == 102);
    CHECK(call(i1, "counter", 0, 0, 0, NULL, 0) == 102);
    call(i1, "set_counter", 1, 7, 0, NULL, 0);
    CHECK(call(i1, "bump", 0, 0, 0, NULL, 0) == 8);
    /* The memory is the sub-instance's: its data segment is visible. */
    CHECK(call(i1, "byte0", 0, 0, 0, NULL, 0) == 'A');
    call(i1, "poke0", 1, 'Z', 0, NULL, 0);
    CHECK(call(i1, "byte0", 0, 0, 0, NULL, 0) == 'Z');
    /* The table is mm_sub_b's, filled by its element segment. */
    CHECK(call(i1, "tab0", 0, 0, 0, NULL, 0) == 99);
    /* The second parent instance has its own sub-instances. */
    CHECK(call(i2, "counter", 0, 0, 0, NULL, 0) == 100);
    CHECK(call(i2, "byte0", 0, 0, 0, NULL, 0) == 'A');
    wasm_runtime_deinstantiate(i1);
    CHECK(call(i2, "bump", 0, 0, 0, NULL, 0) == 101);
    wasm_runtime_deinstantiate(i2);

    /* A sub-module is a module of its own too. */
    i1 = wasm_runtime_instantiate(a, 64 * 1024, 0, err, sizeof(err));
    CHECK(i1 != NULL);
    CHECK(call(i1, "bump", 0, 0, 0, NULL, 0) == 101);
    wasm_runtime_deinstantiate(i1);
}

static void
test_failures(void)
{
    char err[128], exc[128];
    wasm_module_t m;
    wasm_module_inst_t inst;
    int failures = read_failures;

    /* A -> B -> A: loads (the second copy of A cannot get B: a warning). */
    m = load("mm_cycle_a", err, sizeof(err));
    CHECK(m != NULL);
    CHECK(wasm_runtime_find_module_registered("mm_cycle_a") != NULL);
    CHECK(wasm_runtime_find_module_registered("mm_cycle_b") != NULL);
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(inst != NULL);
    if (inst) {
        CHECK(call(inst, "call_b", 0, 0, 0, NULL, 0) == 2);
        wasm_runtime_deinstantiate(inst);
    }

    /* A missing module and a type mismatch: unlinked functions. */
    m = load("mm_missing", err, sizeof(err));
    CHECK(m != NULL);
    CHECK(read_failures == failures + 1);
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(inst != NULL);
    if (inst) {
        CHECK(call(inst, "call_missing", 0, 0, 0, exc, sizeof(exc)) == -1);
        CHECK_STR(exc, "Exception: failed to call unlinked import function (mm_nosuch, f)");
        CHECK(call(inst, "call_bad", 0, 0, 0, exc, sizeof(exc)) == -1);
        CHECK_STR(exc, "Exception: failed to call unlinked import function (mm_sub_a, add)");
        wasm_runtime_deinstantiate(inst);
    }

    /* A global nobody provides: instantiation fails with WAMR's text. */
    m = load("mm_missing_global", err, sizeof(err));
    CHECK(m != NULL);
    inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    CHECK(inst == NULL);
    CHECK_STR(err, "WASM module instantiate failed: failed to link import global "
                   "(mm_nosuch, g)");

    /* A WASI command cannot be a sub-module: its buffer is destroyed at once. */
    failures = destroyed;
    m = load("mm_uses_command", err, sizeof(err));
    CHECK(m != NULL);
    CHECK(wasm_runtime_find_module_registered("mm_command") == NULL);
    CHECK(destroyed == failures + 1);
}

/* The wasm-c-api loads through the same reader; a NULL imports vector takes every import
 * from the sub-instances. */
static void
test_wasm_c_api(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_instance_t *inst;
    wasm_extern_vec_t exports;
    wasm_val_t args[2] = { WASM_I32_VAL(40), WASM_I32_VAL(2) };
    wasm_val_t results[1] = { WASM_INIT_VAL };
    wasm_val_vec_t av = WASM_ARRAY_VEC(args), rv = WASM_ARRAY_VEC(results);
    wasm_trap_t *trap = NULL;
    uint32_t size;
    uint8_t *buf = t_read_wasm("mm_main.wasm", &size);

    wasm_byte_vec_new(&binary, size, (const char *)buf);
    free(buf);
    module = wasm_module_new(store, &binary);
    wasm_byte_vec_delete(&binary);
    CHECK(module != NULL);
    inst = module ? wasm_instance_new(store, module, NULL, &trap) : NULL;
    CHECK(inst != NULL && trap == NULL);
    if (inst) {
        wasm_instance_exports(inst, &exports);
        CHECK(exports.size >= 1 && wasm_extern_as_func(exports.data[0]) != NULL);
        if (exports.size >= 1) {
            trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &av, &rv);
            CHECK(trap == NULL);
            CHECK(results[0].kind == WASM_I32 && results[0].of.i32 == 42);
        }
        wasm_extern_vec_delete(&exports);
        wasm_instance_delete(inst);
    }
    if (module)
        wasm_module_delete(module);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
}

int
main(void)
{
    int buffers;

    CHECK(wasm_runtime_init());
    test_register_rules();
    test_no_reader();
    wasm_runtime_set_module_reader(reader, destroyer);
    test_imports_of_every_kind();
    test_failures();

    /* Every buffer of a registered sub-module goes to the destroyer at destroy. */
    buffers = reads - destroyed;
    CHECK(buffers == 4); /* mm_sub_a, mm_sub_b, mm_cycle_b, the second mm_cycle_a */
    wasm_runtime_destroy();
    CHECK(reads - destroyed == 0);
    CHECK(buffers > 0);

    /* The reader survives destroy; the registry does not. */
    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_find_module_registered("mm_sub_a") == NULL);
    CHECK(load("mm_main", NULL, 0) != NULL);
    CHECK(wasm_runtime_find_module_registered("mm_sub_a") != NULL);
    wasm_runtime_destroy();
    CHECK(reads - destroyed == 0);

    reads = destroyed = 0;
    test_wasm_c_api();
    CHECK(reads == 2 && destroyed == 2); /* released when the engine ends the runtime */
    wasm_runtime_set_module_reader(NULL, NULL);
    return t_finish();
}
