/* wasm-c-api behaviour matched to WAMR 2.4.3 (issue 10): trap and instantiate-failure
 * message texts, a NULL callback refused, wasm_func_call with a short results vector, name
 * vectors with their NUL, memory limits, the wasm_shared_module_t typedef, the instance of a
 * frame, externref identity (hostref), WAMR's default app heap of wasm_instance_new (reflect),
 * the unlinked-import warning of wasm_module_validate (hello). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        /* the instance's memory has the page of WAMR's default app heap (reflect's
           `current: memory 2d 65536d`) */
        wasm_memorytype_t *mt = wasm_memory_type(wasm_extern_as_memory(exports.data[0]));
        CHECK(mt && wasm_memorytype_limits(mt)->min == 2);
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

/* Item 9 (hostref): an externref comes back as the very wasm_ref_t the program passed in,
 * whether stored with wasm_global_set / wasm_table_set or by WebAssembly, or passed through a
 * host function; deleting what was read back (or a copy) leaves the program's own alive. */
static wasm_trap_t *
echo_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    /* WAMR-style: the argument is the program's reference; the copy is the callee's. */
    wasm_val_copy(&results->data[0], &args->data[0]);
    return NULL;
}

static wasm_ref_t *
call_ref(const wasm_func_t *f, wasm_val_t *a, size_t na)
{
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = { na, a, na, sizeof(wasm_val_t), NULL };
    wasm_val_vec_t res = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(f, &args, &res);
    CHECK(trap == NULL);
    if (trap)
        wasm_trap_delete(trap);
    return r[0].of.ref;
}

static void
call_void(const wasm_func_t *f, wasm_val_t *a, size_t na)
{
    wasm_val_vec_t args = { na, a, na, sizeof(wasm_val_t), NULL }, none = WASM_EMPTY_VEC;
    wasm_trap_t *trap = wasm_func_call(f, &args, &none);
    CHECK(trap == NULL);
    if (trap)
        wasm_trap_delete(trap);
}

static void
test_hostref_identity(wasm_store_t *store)
{
    wasm_module_t *m = load(store, "cc_hostref.wasm");
    wasm_functype_t *ft =
        wasm_functype_new_1_1(wasm_valtype_new(WASM_EXTERNREF), wasm_valtype_new(WASM_EXTERNREF));
    wasm_func_t *cb = wasm_func_new(store, ft, echo_callback);
    wasm_extern_t *ims[1] = { wasm_func_as_extern(cb) };
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(ims), exports;
    wasm_instance_t *inst = wasm_instance_new(store, m, &imports, NULL);
    wasm_foreign_t *f1 = wasm_foreign_new(store), *f2 = wasm_foreign_new(store);
    wasm_ref_t *host1 = wasm_foreign_as_ref(f1), *host2 = wasm_foreign_as_ref(f2), *got, *cp;
    wasm_global_t *g;
    wasm_table_t *t;
    const wasm_func_t *gset, *gget, *tset, *tget, *call;
    wasm_val_t v, a[2];

    CHECK(inst != NULL);
    wasm_instance_exports(inst, &exports);
    CHECK(exports.size == 7);
    g = wasm_extern_as_global(exports.data[0]);
    t = wasm_extern_as_table(exports.data[1]);
    gset = export_func(&exports, 2);
    gget = export_func(&exports, 3);
    tset = export_func(&exports, 4);
    tget = export_func(&exports, 5);
    call = export_func(&exports, 6);
    wasm_ref_set_host_info(host1, (void *)1);
    wasm_ref_set_host_info(host2, (void *)2);

    /* through WebAssembly's global.set / global.get */
    a[0].kind = WASM_EXTERNREF;
    a[0].of.ref = host1;
    call_void(gset, a, 1);
    CHECK(call_ref(gget, NULL, 0) == host1);
    /* wasm_global_set / wasm_global_get */
    v.kind = WASM_EXTERNREF;
    v.of.ref = host2;
    wasm_global_set(g, &v);
    v.of.ref = NULL;
    wasm_global_get(g, &v);
    CHECK(v.kind == WASM_EXTERNREF && v.of.ref == host2);
    /* a copy passed in does not replace the program's reference */
    cp = wasm_ref_copy(host2);
    a[0].of.ref = cp;
    call_void(gset, a, 1);
    CHECK(call_ref(gget, NULL, 0) == host2);
    wasm_ref_delete(cp);
    /* the table, from both sides */
    CHECK(wasm_table_set(t, 2, host1));
    CHECK(wasm_table_get(t, 2) == host1);
    a[0] = (wasm_val_t)WASM_I32_VAL(2);
    CHECK(call_ref(tget, a, 1) == host1);
    a[1].kind = WASM_EXTERNREF;
    a[1].of.ref = host2;
    a[0].of.i32 = 0;
    call_void(tset, a, 2);
    CHECK(wasm_table_get(t, 0) == host2);
    CHECK(wasm_table_get(t, 1) == NULL);
    /* through a host function that copies its argument */
    a[0].kind = WASM_EXTERNREF;
    a[0].of.ref = host1;
    CHECK(call_ref(call, a, 1) == host1);
    a[0].of.ref = NULL;
    CHECK(call_ref(call, a, 1) == NULL);
    CHECK(wasm_ref_get_host_info(host1) == (void *)1);

    /* Standard ownership still holds: deleting what was read back (as the upstream
     * examples do) leaves the program's reference usable. */
    got = wasm_table_get(t, 2);
    CHECK(got == host1);
    wasm_ref_delete(got);
    v.of.ref = NULL;
    wasm_global_get(g, &v);
    wasm_val_delete(&v);
    CHECK(wasm_ref_get_host_info(host1) == (void *)1);
    CHECK(wasm_ref_get_host_info(host2) == (void *)2);
    CHECK(wasm_table_get(t, 2) == host1);

    /* Once the program's reference is gone, a new one stands for the object. */
    {
        wasm_foreign_t *f3 = wasm_foreign_new(store);
        wasm_foreign_set_host_info(f3, (void *)3);
        CHECK(wasm_table_set(t, 1, wasm_foreign_as_ref(f3)));
        wasm_foreign_delete(f3);
        got = wasm_table_get(t, 1);
        CHECK(got != NULL && wasm_ref_get_host_info(got) == (void *)3);
        CHECK(wasm_table_get(t, 1) == got);
        wasm_ref_delete(got); /* the loan of the second read */
        CHECK(wasm_ref_get_host_info(got) == (void *)3);
        wasm_ref_delete(got);
    }

    wasm_extern_vec_delete(&exports);
    wasm_foreign_delete(f1);
    wasm_instance_delete(inst);
    wasm_func_delete(cb);
    wasm_functype_delete(ft);
    wasm_module_delete(m);
}

/* Item 9 (reflect): wasm_instance_new instantiates with WAMR's 32 KiB app heap, so a memory
 * 0 of one page grows by one; _with_args takes the heap size (0: none). */
static uint32_t
pages_with(wasm_store_t *store, wasm_module_t *m, int use_args, uint32_t heap)
{
    wasm_extern_vec_t none = WASM_EMPTY_VEC, exports;
    wasm_instance_t *inst = use_args ? wasm_instance_new_with_args(store, m, &none, NULL, 0, heap)
                                     : wasm_instance_new(store, m, &none, NULL);
    uint32_t pages = 0;
    CHECK(inst != NULL);
    if (!inst)
        return 0;
    wasm_instance_exports(inst, &exports);
    pages = wasm_memory_size(wasm_extern_as_memory(exports.data[0]));
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);
    return pages;
}

static void
test_default_app_heap(wasm_store_t *store)
{
    wasm_module_t *m = load(store, "cc_funcs.wasm"); /* (memory 1), no maximum */
    CHECK(pages_with(store, m, 0, 0) == 2);
    CHECK(pages_with(store, m, 1, 0) == 1);
    CHECK(pages_with(store, m, 1, 32 * 1024) == 2);
    CHECK(pages_with(store, m, 1, 65536 + 8) == 3);
    {
        InstantiationArgs ia = { 0, 32 * 1024, 0 };
        wasm_extern_vec_t none = WASM_EMPTY_VEC, exports;
        wasm_instance_t *inst = wasm_instance_new_with_args_ex(store, m, &none, NULL, &ia);
        CHECK(inst != NULL);
        wasm_instance_exports(inst, &exports);
        CHECK(wasm_memory_size(wasm_extern_as_memory(exports.data[0])) == 2);
        wasm_extern_vec_delete(&exports);
        wasm_instance_delete(inst);
    }
    wasm_module_delete(m);
}

/* Item 9 (hello): wasm_module_validate loads the module as wasm_module_new does, so WAMR's
 * `failed to link function` warning is logged by both (on stdout, WAMR's log channel). */
static char *
stdout_of(void (*fn)(wasm_store_t *, const wasm_byte_vec_t *), wasm_store_t *store,
          const wasm_byte_vec_t *bin)
{
    FILE *tmp = tmpfile();
    int saved = dup(1);
    long n;
    char *buf;

    fflush(stdout);
    dup2(fileno(tmp), 1);
    fn(store, bin);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    n = ftell(tmp) > 0 ? ftell(tmp) : (fseek(tmp, 0, SEEK_END), ftell(tmp));
    buf = calloc(1, (size_t)n + 1);
    fseek(tmp, 0, SEEK_SET);
    if (n > 0 && fread(buf, 1, (size_t)n, tmp) != (size_t)n)
        buf[0] = 0;
    fclose(tmp);
    return buf;
}

static void
do_validate(wasm_store_t *store, const wasm_byte_vec_t *bin)
{
    CHECK(wasm_module_validate(store, bin));
}

static void
do_new(wasm_store_t *store, const wasm_byte_vec_t *bin)
{
    wasm_module_t *m = wasm_module_new(store, bin);
    CHECK(m != NULL);
    wasm_module_delete(m);
}

static void
do_new_bad(wasm_store_t *store, const wasm_byte_vec_t *bin)
{
    CHECK(wasm_module_new(store, bin) == NULL);
    CHECK(!wasm_module_validate(store, bin));
}

static void
test_validate_logs_unlinked(wasm_store_t *store)
{
    static const char want[] =
        "failed to link function (, hello): WASM module instantiate failed: unknown import";
    char path[1024];
    wasm_byte_vec_t bin;
    FILE *f;
    long n;
    char *out;

    snprintf(path, sizeof(path), "%s/cc_unlinked.wasm", WASM_DIR);
    f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    wasm_byte_vec_new_uninitialized(&bin, (size_t)n);
    CHECK(fread(bin.data, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    out = stdout_of(do_validate, store, &bin);
    CHECK(strstr(out, want) != NULL);
    free(out);
    out = stdout_of(do_new, store, &bin);
    CHECK(strstr(out, want) != NULL);
    free(out);
    wasm_byte_vec_delete(&bin);

    /* a load failure: WAMR's wasm_module_new logs the error and its own failure (validate
       logs nothing at the default level) */
    wasm_byte_vec_new(&bin, 8, "\0asx\1\0\0\0");
    out = stdout_of(do_new_bad, store, &bin);
    CHECK(strstr(out, "WASM module load failed: magic header not detected\n") != NULL);
    CHECK(strstr(out, "wasm_module_new_ex failed\n") != NULL);
    {
        const char *first = strstr(out, "WASM module load failed");
        CHECK(first != NULL && strstr(first + 1, "WASM module load failed") == NULL);
    }
    free(out);
    wasm_byte_vec_delete(&bin);
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
    test_hostref_identity(store);
    test_default_app_heap(store);
    test_validate_logs_unlinked(store);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    printf("%d passed, %d failed\n", t_pass, t_fail);
    return t_fail == 0 ? 0 : 1;
}
