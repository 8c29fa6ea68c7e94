/* Modules: load errors (WAMR's wording, truncated error buffers), load_ex, load_from_sections,
 * package type/version, names, freeable binaries, custom sections, import/export
 * introspection and type handles, unload. */
#include "test_util.h"

int
main(void)
{
    char err[128];
    char tiny[8];
    uint32_t size, len, i;
    uint8_t *buf;
    wasm_module_t m, m2;
    wasm_export_t ex;
    wasm_import_t im;
    LoadArgs la;
    const uint8_t *sec;
    int n;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);

    /* load errors */
    {
        uint8_t bad_magic[8] = { 0, 'a', 's', 'x', 1, 0, 0, 0 };
        uint8_t bad_version[8] = { 0, 'a', 's', 'm', 2, 0, 0, 0 };
        uint8_t truncated[5] = { 0, 'a', 's', 'm', 1 };
        CHECK(wasm_runtime_load(bad_magic, 8, err, sizeof(err)) == NULL);
        CHECK_STR(err, "WASM module load failed: magic header not detected");
        CHECK(wasm_runtime_load(bad_version, 8, err, sizeof(err)) == NULL);
        CHECK_STR(err, "WASM module load failed: unknown binary version");
        CHECK(wasm_runtime_load(truncated, 5, err, sizeof(err)) == NULL);
        CHECK(strncmp(err, "WASM module load failed: ", 25) == 0);
        memset(tiny, 'x', sizeof(tiny));
        CHECK(wasm_runtime_load(bad_magic, 8, tiny, sizeof(tiny)) == NULL);
        CHECK(tiny[7] == 0 && strcmp(tiny, "WASM mo") == 0); /* truncated, never overrun */
        CHECK(wasm_runtime_load(bad_magic, 8, NULL, 0) == NULL);
        CHECK(wasm_runtime_load(NULL, 8, err, sizeof(err)) == NULL);
    }

    buf = t_read_wasm("basic.wasm", &size);
    CHECK(get_package_type(buf, size) == Wasm_Module_Bytecode);
    CHECK(wasm_runtime_get_file_package_type(buf, size) == Wasm_Module_Bytecode);
    CHECK(wasm_runtime_get_file_package_type((const uint8_t *)"\0aot", 4) == Wasm_Module_AoT);
    CHECK(wasm_runtime_get_file_package_type((const uint8_t *)"junk", 4)
          == Package_Type_Unknown);
    CHECK(wasm_runtime_get_file_package_version(buf, size) == 1);
    CHECK(wasm_runtime_get_current_package_version(Wasm_Module_Bytecode) == 1);
    CHECK(wasm_runtime_get_current_package_version(Wasm_Module_AoT) == 5);
    CHECK(!wasm_runtime_is_xip_file(buf, size));

    m = wasm_runtime_load(buf, size, err, sizeof(err));
    CHECK(m != NULL);
    memset(buf, 0, size); /* the runtime keeps its own copy */
    free(buf);
    CHECK(wasm_runtime_is_underlying_binary_freeable(m));
    CHECK(wasm_runtime_get_module_package_type(m) == Wasm_Module_Bytecode);
    CHECK(wasm_runtime_get_module_package_version(m) == 1);
    CHECK(wasm_runtime_resolve_symbols(m));

    /* names */
    CHECK_STR(wasm_runtime_get_module_name(m), "");
    CHECK(wasm_runtime_set_module_name(m, "first", err, sizeof(err)));
    CHECK_STR(wasm_runtime_get_module_name(m), "first");
    CHECK(!wasm_runtime_set_module_name(m, NULL, err, sizeof(err)));

    /* custom sections */
    sec = wasm_runtime_get_custom_section(m, "mysec", &len);
    CHECK(sec != NULL && len == 14 && memcmp(sec, "custom-payload", 14) == 0);
    CHECK(wasm_runtime_get_custom_section(m, "other", &len) == NULL);

    /* exports and their types */
    n = wasm_runtime_get_export_count(m);
    CHECK(n > 10);
    for (i = 0; i < (uint32_t)n; i++) {
        wasm_runtime_get_export_type(m, (int32_t)i, &ex);
        if (strcmp(ex.name, "mix") == 0) {
            CHECK(ex.kind == WASM_IMPORT_EXPORT_KIND_FUNC);
            CHECK(wasm_func_type_get_param_count(ex.u.func_type) == 4);
            CHECK(wasm_func_type_get_param_valkind(ex.u.func_type, 2) == WASM_F32);
            CHECK(wasm_func_type_get_result_count(ex.u.func_type) == 1);
            CHECK(wasm_func_type_get_result_valkind(ex.u.func_type, 0) == WASM_F64);
            /* a func type is not a global type */
            CHECK(!wasm_global_type_get_mutable((wasm_global_type_t)ex.u.func_type));
        }
        else if (strcmp(ex.name, "memory") == 0) {
            CHECK(ex.kind == WASM_IMPORT_EXPORT_KIND_MEMORY);
            CHECK(wasm_memory_type_get_init_page_count(ex.u.memory_type) == 1);
            CHECK(wasm_memory_type_get_max_page_count(ex.u.memory_type) == 4);
            CHECK(!wasm_memory_type_get_shared(ex.u.memory_type));
        }
        else if (strcmp(ex.name, "g") == 0) {
            CHECK(ex.kind == WASM_IMPORT_EXPORT_KIND_GLOBAL);
            CHECK(wasm_global_type_get_valkind(ex.u.global_type) == WASM_I32);
            CHECK(wasm_global_type_get_mutable(ex.u.global_type));
        }
        else if (strcmp(ex.name, "table") == 0) {
            CHECK(ex.kind == WASM_IMPORT_EXPORT_KIND_TABLE);
            CHECK(wasm_table_type_get_elem_kind(ex.u.table_type) == WASM_FUNCREF);
            CHECK(wasm_table_type_get_init_size(ex.u.table_type) == 4);
            CHECK(wasm_table_type_get_max_size(ex.u.table_type) == UINT32_MAX);
            CHECK(!wasm_table_type_get_shared(ex.u.table_type));
        }
    }
    wasm_runtime_get_export_type(m, n, &ex);
    CHECK(ex.name == NULL);
    CHECK(wasm_runtime_get_import_count(m) == 0);

    /* imports */
    buf = t_read_wasm("natives.wasm", &size);
    memset(&la, 0, sizeof(la));
    la.name = "natives";
    la.wasm_binary_freeable = true;
    m2 = wasm_runtime_load_ex(buf, size, &la, err, sizeof(err));
    free(buf);
    CHECK(m2 != NULL);
    CHECK_STR(wasm_runtime_get_module_name(m2), "natives");
    wasm_runtime_get_import_type(m2, 0, &im);
    CHECK_STR(im.module_name, "env");
    CHECK_STR(im.name, "host_add");
    CHECK(im.kind == WASM_IMPORT_EXPORT_KIND_FUNC && !im.linked);
    CHECK(wasm_func_type_get_param_count(im.u.func_type) == 2);
    wasm_runtime_get_import_type(m2, -1, &im);
    CHECK(im.name == NULL);

    /* load_from_sections: the type+function+export+code sections of (func (result i32) 7) */
    {
        uint8_t type_sec[] = { 1, 0x60, 0, 1, 0x7f };
        uint8_t func_sec[] = { 1, 0 };
        uint8_t export_sec[] = { 1, 5, 's', 'e', 'v', 'e', 'n', 0, 0 };
        uint8_t code_sec[] = { 1, 4, 0, 0x41, 7, 0x0b };
        wasm_section_t s4 = { NULL, 10, code_sec, sizeof(code_sec) };
        wasm_section_t s3 = { &s4, 7, export_sec, sizeof(export_sec) };
        wasm_section_t s2 = { &s3, 3, func_sec, sizeof(func_sec) };
        wasm_section_t s1 = { &s2, 1, type_sec, sizeof(type_sec) };
        wasm_module_t m3 = wasm_runtime_load_from_sections(&s1, false, err, sizeof(err));
        wasm_module_inst_t inst;
        wasm_exec_env_t env;
        uint32_t argv[1] = { 0 };
        CHECK(m3 != NULL);
        inst = wasm_runtime_instantiate(m3, 0, 0, err, sizeof(err));
        env = wasm_runtime_create_exec_env(inst, 0);
        CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "seven"), 0, argv));
        CHECK(argv[0] == 7);
        wasm_runtime_destroy_exec_env(env);
        wasm_runtime_deinstantiate(inst);
        wasm_runtime_unload(m3);
        CHECK(wasm_runtime_load_from_sections(&s1, true, err, sizeof(err)) == NULL);
    }

    /* instantiate errors: a trapping start function */
    {
        /* (module (func unreachable) (start 0)) */
        uint8_t bin[] = { 0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
                          8, 1, 0, 10, 5, 1, 3, 0, 0x00, 0x0b };
        wasm_module_t ms = wasm_runtime_load(bin, sizeof(bin), err, sizeof(err));
        CHECK(ms != NULL);
        CHECK(wasm_runtime_instantiate(ms, 0, 0, err, sizeof(err)) == NULL);
        CHECK_STR(err, "WASM module instantiate failed: Exception: unreachable");
        wasm_runtime_unload(ms);
    }

    /* unload: the handle goes stale, instances keep working */
    {
        wasm_module_inst_t inst = wasm_runtime_instantiate(m, 0, 0, err, sizeof(err));
        wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 0);
        uint32_t argv[2] = { 2, 3 };
        wasm_runtime_unload(m);
        CHECK(wasm_runtime_get_export_count(m) == -1);
        CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "add"), 2, argv)
              && argv[0] == 5);
        wasm_runtime_unload(m); /* double unload: refused */
        wasm_runtime_destroy_exec_env(env);
        wasm_runtime_deinstantiate(inst);
    }
    wasm_runtime_unload(m2);
    wasm_runtime_destroy();
    return t_finish();
}
