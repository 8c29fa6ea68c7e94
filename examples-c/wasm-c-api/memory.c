/* memory: an exported memory read, written and grown by the host (wasm_memory_data,
   wasm_memory_grow) and by WebAssembly; a stand-alone memory. */
#include "example.h"

static const wasm_func_t *size_func, *load_func, *store_func, *grow_func;

static int
call(const wasm_func_t *f, int nargs, int32_t a0, int32_t a1, int32_t *out)
{
    wasm_val_t a[2] = { WASM_I32_VAL(a0), WASM_I32_VAL(a1) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = { (size_t)nargs, a, (size_t)nargs, sizeof(wasm_val_t), NULL };
    wasm_val_vec_t res = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(f, &args, &res);
    if (trap) {
        wasm_trap_delete(trap);
        return 0;
    }
    if (out) {
        CHECK(r[0].kind == WASM_I32);
        *out = r[0].of.i32;
    }
    return 1;
}

static int32_t
must(const wasm_func_t *f, int nargs, int32_t a0, int32_t a1)
{
    int32_t v = 0;
    CHECK(call(f, nargs, a0, a1, &v));
    return v;
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    wasm_memory_t *memory;
    byte_t *base;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("memory.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Instantiating module...\n");
    {
        wasm_extern_vec_t imports = WASM_EMPTY_VEC;
        /* No app heap (wasm_instance_new adds WAMR's 32 KiB one, a page more): the memory
           is exactly as declared. */
        instance = wasm_instance_new_with_args(store, module, &imports, NULL, 32 * 1024, 0);
        CHECK(instance);
    }
    wasm_instance_exports(instance, &exports);
    memory = export_memory(&exports, 0);
    size_func = export_func(&exports, 1);
    load_func = export_func(&exports, 2);
    store_func = export_func(&exports, 3);
    grow_func = export_func(&exports, 4);

    printf("Checking memory...\n");
    base = wasm_memory_data(memory);
    CHECK(base != NULL);
    CHECK(wasm_memory_size(memory) == 2);
    CHECK(wasm_memory_data_size(memory) == 0x20000);
    CHECK(base[0] == 0 && base[0x1000] == 1 && base[0x1003] == 4);
    CHECK(must(size_func, 0, 0, 0) == 2);
    CHECK(must(load_func, 1, 0, 0) == 0);
    CHECK(must(load_func, 1, 0x1000, 0) == 1);
    CHECK(must(load_func, 1, 0x1003, 0) == 4);
    CHECK(must(load_func, 1, 0x1ffff, 0) == 0);
    CHECK(!call(load_func, 1, 0x20000, 0, NULL));
    {
        wasm_memorytype_t *t = wasm_memory_type(memory);
        const wasm_limits_t *l = wasm_memorytype_limits(t);
        CHECK(l->min == 2 && l->max == 3);
        wasm_memorytype_delete(t);
    }

    printf("Mutating memory...\n");
    base[0x1003] = 5;
    CHECK(must(load_func, 1, 0x1003, 0) == 5);
    CHECK(call(store_func, 2, 0x1002, 6, NULL));
    CHECK(base[0x1002] == 6);
    CHECK(!call(store_func, 2, 0x20000, 0, NULL));

    printf("Growing memory from the host...\n");
    CHECK(wasm_memory_grow(memory, 1));
    CHECK(wasm_memory_size(memory) == 3);
    CHECK(wasm_memory_data_size(memory) == 0x30000);
    CHECK(wasm_memory_data(memory) == base); /* memories never move */
    CHECK(must(size_func, 0, 0, 0) == 3);
    CHECK(must(load_func, 1, 0x20000, 0) == 0);
    CHECK(call(store_func, 2, 0x20000, 7, NULL));
    CHECK(base[0x20000] == 7);
    CHECK(!call(load_func, 1, 0x30000, 0, NULL));
    CHECK(!wasm_memory_grow(memory, 1));
    CHECK(wasm_memory_grow(memory, 0));
    CHECK(must(grow_func, 1, 1, 0) == -1);
    CHECK(must(grow_func, 1, 0, 0) == 3);

    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);

    printf("Creating stand-alone memory...\n");
    {
        wasm_limits_t limits = { 5, 5 };
        wasm_memorytype_t *t = wasm_memorytype_new(&limits);
        wasm_memory_t *m2 = wasm_memory_new(store, t);
        CHECK(m2);
        CHECK(wasm_memory_size(m2) == 5);
        CHECK(wasm_memory_data_size(m2) == 5 * MEMORY_PAGE_SIZE);
        CHECK(!wasm_memory_grow(m2, 1));
        CHECK(wasm_memory_grow(m2, 0));
        wasm_memory_data(m2)[5 * MEMORY_PAGE_SIZE - 1] = 9;
        wasm_memorytype_delete(t);
        wasm_memory_delete(m2);
    }
    {
        wasm_limits_t limits = { 0, wasm_limits_max_default };
        wasm_memorytype_t *t = wasm_memorytype_new(&limits);
        wasm_memory_t *m3 = wasm_memory_new(store, t);
        CHECK(m3 && wasm_memory_size(m3) == 0);
        CHECK(wasm_memory_grow(m3, 16) && wasm_memory_size(m3) == 16);
        wasm_memorytype_delete(t);
        wasm_memory_delete(m3);
    }
    {
        wasm_limits_t bad = { 4, 2 };
        wasm_memorytype_t *t = wasm_memorytype_new(&bad);
        CHECK(wasm_memory_new(store, t) == NULL);
        wasm_memorytype_delete(t);
    }

    printf("Shutting down...\n");
    wasm_module_delete(module);
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
