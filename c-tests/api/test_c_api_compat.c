/* wasm-c-api behaviour matched to WAMR 2.4.3 (issue 10): trap and instantiate-failure
 * message texts, a NULL callback refused, wasm_func_call with a short results vector, name
 * vectors with their NUL, memory limits, the wasm_shared_module_t typedef, the instance of a
 * frame. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_c_api.h"

#ifndef WASM_DIR
#define WASM_DIR "."
#endif

static int t_pass, t_fail;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (cond)                                                            \
            t_pass++;                                                        \
        else {                                                               \
            t_fail++;                                                        \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                    \
    } while (0)

static wasm_module_t *
load(wasm_store_t *store, const char *name)
{
    char path[1024];
    wasm_byte_vec_t bin;
    wasm_module_t *m;
    FILE *f;
    long n;

    snprintf(path, sizeof(path), "%s/%s", WASM_DIR, name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    wasm_byte_vec_new_uninitialized(&bin, (size_t)n);
    if (fread(bin.data, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    m = wasm_module_new(store, &bin);
    wasm_byte_vec_delete(&bin);
    if (!m) {
        fprintf(stderr, "cannot load %s\n", path);
        exit(2);
    }
    return m;
}

/* The trap's message is `want` followed by exactly one NUL, counted in its size. */
static int
trap_says(wasm_trap_t *trap, const char *want)
{
    wasm_message_t msg;
    int ok;
    if (!trap)
        return 0;
    wasm_trap_message(trap, &msg);
    ok = msg.size == strlen(want) + 1 && memcmp(msg.data, want, msg.size) == 0;
    if (!ok)
        fprintf(stderr, "  trap message: size %zu \"%.*s\"\n", msg.size, (int)msg.size,
                msg.data ? msg.data : "");
    wasm_byte_vec_delete(&msg);
    wasm_trap_delete(trap);
    return ok;
}

static wasm_trap_t *
instantiate_fails(wasm_store_t *store, const char *name)
{
    wasm_module_t *m = load(store, name);
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    wasm_trap_t *trap = NULL;
    wasm_instance_t *inst = wasm_instance_new(store, m, &none, &trap);
    CHECK(inst == NULL);
    if (inst)
        wasm_instance_delete(inst);
    wasm_module_delete(m);
    return trap;
}

static wasm_func_t *
export_func(const wasm_extern_vec_t *exports, size_t i)
{
    CHECK(i < exports->size);
    return wasm_extern_as_func(exports->data[i]);
}

/* Item 8: message texts as WAMR words them. */
static void
test_messages(wasm_store_t *store)
{
    wasm_module_t *m;
    wasm_instance_t *inst;
    wasm_extern_vec_t none = WASM_EMPTY_VEC, exports;
    wasm_val_t a[1] = { WASM_I32_VAL(0) }, r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    wasm_byte_vec_t text;

    CHECK(trap_says(instantiate_fails(store, "cc_start.wasm"),
                    "wasm_instance_new_with_args_ex failed: WASM module instantiate failed: "
                    "Exception: integer divide by zero"));
    CHECK(trap_says(instantiate_fails(store, "cc_elem_oob.wasm"),
                    "wasm_instance_new_with_args_ex failed: WASM module instantiate failed: "
                    "out of bounds table access"));
    /* missing imports: the function stays unlinked, the global fails to link */
    CHECK(trap_says(instantiate_fails(store, "cc_imports.wasm"),
                    "wasm_instance_new_with_args_ex failed: WASM module instantiate failed: "
                    "failed to link import global (m, g)"));

    /* a trap of wasm_func_call carries "Exception: " */
    m = load(store, "cc_funcs.wasm");
    inst = wasm_instance_new(store, m, &none, NULL);
    CHECK(inst != NULL);
    wasm_instance_exports(inst, &exports);
    CHECK(trap_says(wasm_func_call(export_func(&exports, 3), &args, &res),
                    "Exception: integer divide by zero"));
    a[0].of.i32 = 4;
    CHECK(wasm_func_call(export_func(&exports, 3), &args, &res) == NULL && r[0].of.i32 == 25);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);
    wasm_module_delete(m);

    /* wasm_trap_new keeps the caller's bytes exactly (no NUL added) */
    wasm_byte_vec_new(&text, 2, "hi");
    {
        wasm_trap_t *t = wasm_trap_new(store, &text);
        wasm_message_t msg;
        wasm_trap_message(t, &msg);
        CHECK(msg.size == 2 && memcmp(msg.data, "hi", 2) == 0);
        wasm_byte_vec_delete(&msg);
        wasm_trap_delete(t);
    }
    wasm_byte_vec_delete(&text);
}

/* Item 13: a NULL callback is refused as in WAMR. */
static void
test_func_new_null_callback(wasm_store_t *store)
{
    wasm_functype_t *ft = wasm_functype_new_0_0();
    CHECK(wasm_func_new(store, ft, NULL) == NULL);
    CHECK(wasm_func_new_with_env(store, ft, NULL, NULL, NULL) == NULL);
    wasm_functype_delete(ft);
}

/* Item 9: wasm_func_call runs before looking at the results vector: a trap comes back even
 * with no result slots; on success only the slots that exist are written. */
static void
test_func_call_results(wasm_store_t *store)
{
    wasm_module_t *m = load(store, "cc_funcs.wasm");
    wasm_extern_vec_t none = WASM_EMPTY_VEC, exports;
    wasm_instance_t *inst = wasm_instance_new(store, m, &none, NULL);
    wasm_val_t a[1] = { WASM_I32_VAL(0) };
    wasm_val_t r[3] = { WASM_I32_VAL(-1), WASM_I32_VAL(-1), WASM_I32_VAL(-1) };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), empty = WASM_EMPTY_VEC;
    wasm_val_vec_t two = { 2, r, 2, sizeof(wasm_val_t), NULL };

    CHECK(inst != NULL);
    wasm_instance_exports(inst, &exports);
    /* exports: mem, gref, tref, div, three, grow */
    CHECK(trap_says(wasm_func_call(export_func(&exports, 3), &args, &empty),
                    "Exception: integer divide by zero"));
    {
        /* wasm_frame_instance gives back the handle wasm_instance_new returned */
        wasm_trap_t *trap = wasm_func_call(export_func(&exports, 3), &args, &empty);
        wasm_frame_t *origin = trap ? wasm_trap_origin(trap) : NULL;
        CHECK(origin != NULL);
        if (origin) {
            CHECK(wasm_frame_instance(origin) == inst);
            wasm_frame_delete(origin);
        }
        if (trap)
            wasm_trap_delete(trap);
    }
    CHECK(trap_says(wasm_func_call(export_func(&exports, 3), &args, NULL),
                    "Exception: integer divide by zero"));
    a[0].of.i32 = 10;
    CHECK(wasm_func_call(export_func(&exports, 4), &args, &two) == NULL);
    CHECK(r[0].of.i32 == 10 && r[1].of.i32 == 11 && r[2].of.i32 == -1);
    CHECK(two.size == 2 && two.num_elems == 2);
    {
        wasm_val_vec_t three = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(export_func(&exports, 4), &args, &three) == NULL);
        CHECK(r[2].of.i32 == 12 && three.num_elems == 3);
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);
    wasm_module_delete(m);
}

/* Item 9: names of a module's imports and exports count their NUL; a memory without a
 * declared maximum reports 65536 pages, in the module's and the instance's types. */
static void
test_names_and_limits(wasm_store_t *store)
{
    wasm_module_t *m = load(store, "cc_funcs.wasm");
    wasm_module_t *mi = load(store, "cc_imports.wasm");
    wasm_exporttype_vec_t ets;
    wasm_importtype_vec_t its;
    wasm_extern_vec_t none = WASM_EMPTY_VEC, exports;
    wasm_instance_t *inst;
    const wasm_name_t *n;

    wasm_module_exports(m, &ets);
    CHECK(ets.size == 6);
    n = wasm_exporttype_name(ets.data[0]);
    CHECK(n->size == 4 && memcmp(n->data, "mem", 4) == 0);
    {
        const wasm_memorytype_t *mt =
            wasm_externtype_as_memorytype_const(wasm_exporttype_type(ets.data[0]));
        CHECK(mt && wasm_memorytype_limits(mt)->min == 1);
        CHECK(mt && wasm_memorytype_limits(mt)->max == 65536);
    }
    wasm_exporttype_vec_delete(&ets);

    wasm_module_imports(mi, &its);
    CHECK(its.size == 2);
    n = wasm_importtype_module(its.data[0]);
    CHECK(n->size == 2 && memcmp(n->data, "m", 2) == 0);
    n = wasm_importtype_name(its.data[1]);
    CHECK(n->size == 2 && memcmp(n->data, "g", 2) == 0);
    wasm_importtype_vec_delete(&its);

    inst = wasm_instance_new(store, m, &none, NULL);
    CHECK(inst != NULL);
    wasm_instance_exports(inst, &exports);
    {
        wasm_memorytype_t *mt = wasm_memory_type(wasm_extern_as_memory(exports.data[0]));
        CHECK(mt && wasm_memorytype_limits(mt)->min == 1);
        CHECK(mt && wasm_memorytype_limits(mt)->max == 65536);
        wasm_memorytype_delete(mt);
    }
    /* a type made by the user keeps its limits */
    {
        wasm_limits_t l = { 2, wasm_limits_max_default };
        wasm_memorytype_t *mt = wasm_memorytype_new(&l);
        CHECK(wasm_memorytype_limits(mt)->max == wasm_limits_max_default);
        wasm_memorytype_delete(mt);
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);
    wasm_module_delete(mi);
    wasm_module_delete(m);
}

/* Item 9: wasm_shared_module_t is wasm_module_t (WAMR's typedef), and wasm_c_api.h brings
 * <assert.h> (this file does not include it; the upstream examples rely on it). */
_Static_assert(sizeof(wasm_shared_module_t) == sizeof(wasm_module_t),
               "wasm_shared_module_t is wasm_module_t");

static void
test_shared_module_type(wasm_store_t *store)
{
    wasm_module_t *m = load(store, "cc_funcs.wasm");
    wasm_shared_module_t *shared = wasm_module_share(m);
    wasm_module_t *as_module = shared; /* same type: no cast, no warning */
    wasm_store_t *other = wasm_store_new(wasm_engine_new());
    wasm_module_t *obtained;

    assert(shared != NULL);
    CHECK(as_module != NULL);
    obtained = wasm_module_obtain(other, shared);
    CHECK(obtained != NULL);
    wasm_module_delete(obtained);
    wasm_shared_module_delete(shared);
    wasm_store_delete(other);
    wasm_module_delete(m);
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);

    CHECK(engine && store);
    test_messages(store);
    test_func_new_null_callback(store);
    test_func_call_results(store);
    test_names_and_limits(store);
    test_shared_module_type(store);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    printf("%d passed, %d failed\n", t_pass, t_fail);
    return t_fail == 0 ? 0 : 1;
}
