/*
 * Misuse detection (capability-model.md §9, cases 7-11): forged handles, type confusion,
 * use after delete, bit flips and objects of another store are all refused and reported,
 * never a crash; afterwards the runtime still works. Vector and configuration misuse too.
 */
#include "test.h"

/* WAMR's bh_log.h (declared here so this test needs only wasm_c_api.h). */
void bh_log_set_verbose_level(uint32_t level);

static wasm_engine_t *engine;
static wasm_store_t *store_a, *store_b;

static wasm_trap_t *
id_callback(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    wasm_val_copy(&results->data[0], &args->data[0]);
    return NULL;
}

static wasm_func_t *
make_func(wasm_store_t *store)
{
    wasm_functype_t *ft = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    wasm_func_t *f = wasm_func_new(store, ft, id_callback);
    wasm_functype_delete(ft);
    CHECK(f);
    return f;
}

/* A call that must be refused: returns a trap whose message mentions `what`. */
static void
expect_call_refused(const wasm_func_t *f, const char *what)
{
    wasm_val_t a[1] = { WASM_I32_VAL(1) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(f, &args, &res);
    wasm_message_t msg;
    CHECK(trap != NULL);
    wasm_trap_message(trap, &msg);
    if (!strstr(msg.data, what)) {
        dprintf(capture_saved_fd >= 0 ? capture_saved_fd : 2,
                "trap message \"%s\" lacks \"%s\"\n", msg.data, what);
        exit(1);
    }
    wasm_byte_vec_delete(&msg);
    wasm_trap_delete(trap);
}

/* The runtime still works: a fresh store, module, instance and call. */
static void
check_still_usable(void)
{
    wasm_store_t *s = wasm_store_new(engine);
    wasm_module_t *m = load_module(s, "lib.wasm");
    wasm_extern_vec_t none = WASM_EMPTY_VEC, ex;
    wasm_instance_t *i = wasm_instance_new(s, m, &none, NULL);
    wasm_val_t a[2] = { WASM_I32_VAL(40), WASM_I32_VAL(2) };
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
    CHECK(i);
    wasm_instance_exports(i, &ex);
    CHECK(wasm_func_call(wasm_extern_as_func(ex.data[0]), &args, &res) == NULL);
    CHECK(r[0].of.i32 == 42);
    wasm_extern_vec_delete(&ex);
    wasm_store_delete(s);
}

/* Calls one entry point (chosen by `k`) with the forged pointer `p`; returns 1 if the
   forged pointer was accepted (a non-failure result). */
static int
poke(int k, void *p)
{
    wasm_extern_vec_t ev;
    wasm_val_t v;
    switch (k) {
        case 0:
        {
            wasm_val_vec_t none = WASM_EMPTY_VEC;
            wasm_trap_t *t = wasm_func_call(p, &none, &none);
            int accepted = (t == NULL);
            wasm_trap_delete(t);
            return accepted;
        }
        case 1:
            wasm_instance_exports(p, &ev);
            return ev.size != 0 || ev.data != NULL;
        case 2:
            return wasm_memory_data(p) != NULL;
        case 3:
            return wasm_memory_grow(p, 0);
        case 4:
            return wasm_table_size(p) != 0 || wasm_table_get(p, 0) != NULL;
        case 5:
            v.kind = 0xee;
            wasm_global_get(p, &v);
            return v.kind != 0xee;
        case 6:
            return wasm_extern_type(p) != NULL;
        case 7:
            return wasm_store_new(p) != NULL;
        case 8:
            return wasm_foreign_new(p) != NULL;
        case 9:
            return wasm_ref_copy(p) != NULL || wasm_ref_get_host_info(p) != NULL;
        case 10:
            return wasm_func_type(p) != NULL || wasm_func_param_arity(p) != 0;
        case 11:
            return wasm_functype_params(p) != NULL || wasm_valtype_kind(p) != 0;
        case 12:
            return wasm_trap_origin(p) != NULL || wasm_frame_func_index(p) != 0;
        case 13:
        {
            wasm_byte_vec_t b;
            wasm_module_serialize(p, &b);
            return b.size != 0;
        }
        case 14:
            return wasm_module_share(p) != NULL || wasm_instance_copy(p) != NULL;
        case 15:
            /* deletes of anything: must be harmless */
            wasm_func_delete(p);
            wasm_instance_delete(p);
            wasm_extern_delete(p);
            wasm_trap_delete(p);
            wasm_valtype_delete(p);
            wasm_module_delete(p);
            return 0;
        default:
            return wasm_extern_as_func(p) != NULL || wasm_func_as_extern(p) != NULL;
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t
next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void
test_forged(void)
{
    long i, accepted = 0;
    wasm_memory_t *mem;
    char *log;
    void *heap = malloc(64);
    wasm_limits_t lim = { 1, 1 };
    wasm_memorytype_t *mt = wasm_memorytype_new(&lim);
    mem = wasm_memory_new(store_a, mt);
    wasm_memorytype_delete(mt);
    CHECK(mem);

    printf("case 7: forged handles (NULL, 0x1, heap and linear-memory pointers, 10^6 random)...\n");
    capture_begin(0);
    CHECK(wasm_func_param_arity(NULL) == 0);
    CHECK(wasm_store_new((void *)1) == NULL);
    CHECK(wasm_instance_copy(heap) == NULL);
    CHECK(wasm_memory_data_size((wasm_memory_t *)wasm_memory_data(mem)) == 0);
    log = capture_end(0);
    expect_reported(log, "wasm_func_param_arity: null handle");
    expect_reported(log, "wasm_store_new: invalid handle (not a sealed handle)");
    expect_reported(log, "wasm_instance_copy: invalid handle");
    expect_reported(log, "wasm_memory_data_size: invalid handle");
    free(log);

    capture_begin(1);
    for (i = 0; i < 1000000; i++) {
        uint64_t r = next_random();
        void *p;
        /* half the time, make it look like a handle (bit 63 set, bit 47 clear) */
        if (i & 1)
            r = (r | (1ull << 63)) & ~(1ull << 47);
        p = (void *)(uintptr_t)r;
        accepted += poke((int)(i % 17), p);
    }
    for (i = 0; i < 17; i++) {
        accepted += poke((int)i, NULL);
        accepted += poke((int)i, heap);
        accepted += poke((int)i, wasm_memory_data(mem));
        accepted += poke((int)i, (void *)(uintptr_t)1);
    }
    capture_end(1);
    printf("> accepted %ld of 1000068\n", accepted);
    CHECK(accepted == 0);
    free(heap);
    wasm_memory_delete(mem);
    check_still_usable();
}

static void
test_type_confusion(void)
{
    wasm_module_t *m = load_module(store_a, "lib.wasm");
    wasm_extern_vec_t none = WASM_EMPTY_VEC, ex;
    wasm_instance_t *inst = wasm_instance_new(store_a, m, &none, NULL);
    wasm_func_t *f = make_func(store_a);
    wasm_foreign_t *foreign = wasm_foreign_new(store_a);
    wasm_valtype_t *vt = wasm_valtype_new_i32();
    wasm_functype_t *ft = wasm_functype_new_0_0();
    wasm_trap_t *trap;
    wasm_frame_t *frame;
    wasm_shared_module_t *shared = wasm_module_share(m);
    char *log;
    CHECK(inst && foreign && vt && ft && shared);
    wasm_instance_exports(inst, &ex);
    {
        wasm_message_t msg;
        wasm_name_new_from_string_nt(&msg, "x");
        trap = wasm_trap_new(store_a, &msg);
        wasm_byte_vec_delete(&msg);
    }
    {
        wasm_val_vec_t nv = WASM_EMPTY_VEC;
        wasm_trap_t *t2;
        wasm_val_t a[2] = { WASM_I32_VAL(1), WASM_I32_VAL(1) };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a);
        wasm_val_t r[1];
        wasm_val_vec_t res = WASM_ARRAY_VEC(r);
        /* a trap with a frame: call_indirect of the exported "inc" through an empty slot */
        (void)nv;
        t2 = wasm_func_call(wasm_extern_as_func(ex.data[0]), &args, &res);
        CHECK(t2 == NULL);
        frame = NULL;
    }

    printf("case 8: type confusion...\n");
    capture_begin(0);
    {
        wasm_extern_vec_t out;
        wasm_instance_exports((wasm_instance_t *)m, &out); /* module as instance */
        CHECK(out.size == 0 && out.data == NULL);
    }
    {
        wasm_exporttype_vec_t out;
        wasm_module_exports((wasm_module_t *)inst, &out); /* instance as module */
        CHECK(out.size == 0);
    }
    CHECK(wasm_memory_size((wasm_memory_t *)f) == 0);              /* func as memory */
    CHECK(wasm_extern_kind((wasm_extern_t *)trap) == 0);           /* trap as extern */
    CHECK(wasm_foreign_get_host_info((wasm_foreign_t *)trap) == NULL);
    {
        wasm_message_t msg;
        wasm_trap_message((wasm_trap_t *)foreign, &msg);            /* foreign as trap */
        CHECK(msg.size == 0);
        wasm_trap_message((wasm_trap_t *)ex.data[0], &msg);         /* extern as trap */
        CHECK(msg.size == 0);
    }
    CHECK(wasm_functype_params((wasm_functype_t *)vt) == NULL);     /* valtype as functype */
    CHECK(wasm_valtype_kind((wasm_valtype_t *)ft) == 0);            /* functype as valtype */
    CHECK(wasm_module_obtain((wasm_store_t *)shared, shared) == NULL);
    CHECK(wasm_store_new((wasm_engine_t *)store_a) == NULL);        /* store as engine */
    CHECK(wasm_trap_origin((wasm_trap_t *)ft) == NULL);
    wasm_valtype_delete((wasm_valtype_t *)ft);                      /* wrong delete: refused */
    CHECK(wasm_functype_params(ft) != NULL);                        /* ft is still alive */
    wasm_func_delete((wasm_func_t *)ex.data[1]);                    /* an extern handle is not a func handle */
    CHECK(wasm_extern_kind(ex.data[1]) == WASM_EXTERN_MEMORY);
    log = capture_end(0);
    expect_reported(log, "wasm_instance_exports: handle type mismatch");
    expect_reported(log, "wasm_module_exports: handle type mismatch");
    expect_reported(log, "wasm_memory_size: handle type mismatch");
    expect_reported(log, "wasm_extern_kind: handle type mismatch (expected extern, got trap)");
    expect_reported(log, "wasm_foreign_get_host_info: handle type mismatch (expected foreign, got trap)");
    expect_reported(log, "wasm_trap_message: handle type mismatch (expected trap, got foreign)");
    expect_reported(log, "wasm_trap_message: handle type mismatch (expected trap, got func)");
    expect_reported(log, "wasm_functype_params: handle type mismatch (expected functype, got valtype)");
    expect_reported(log, "wasm_valtype_kind: handle type mismatch (expected valtype, got functype)");
    expect_reported(log, "wasm_store_new: handle type mismatch");
    expect_reported(log, "wasm_valtype_delete: handle type mismatch");
    expect_reported(log, "wasm_func_delete: handle type mismatch");
    free(log);
    (void)frame;

    wasm_extern_vec_delete(&ex);
    wasm_trap_delete(trap);
    wasm_shared_module_delete(shared);
    wasm_functype_delete(ft);
    wasm_valtype_delete(vt);
    wasm_foreign_delete(foreign);
    wasm_func_delete(f);
    wasm_instance_delete(inst);
    wasm_module_delete(m);
    check_still_usable();
}

static void
test_use_after_delete(void)
{
    wasm_store_t *s = wasm_store_new(engine);
    wasm_module_t *m = load_module(s, "lib.wasm");
    wasm_extern_vec_t none = WASM_EMPTY_VEC, ex;
    wasm_instance_t *inst = wasm_instance_new(s, m, &none, NULL);
    wasm_func_t *f = make_func(s);
    wasm_func_t *add;
    char *log;
    CHECK(inst);
    wasm_instance_exports(inst, &ex);
    add = wasm_extern_as_func(ex.data[0]);

    printf("case 9: use after delete, double delete...\n");
    capture_begin(0);
    wasm_func_delete(f);
    expect_call_refused(f, "stale handle");
    wasm_func_delete(f); /* double delete: refused, no crash */
    wasm_instance_delete(inst);
    {
        wasm_extern_vec_t out;
        wasm_instance_exports(inst, &out);
        CHECK(out.size == 0);
    }
    wasm_module_delete(m);
    CHECK(wasm_instance_new(s, m, &none, NULL) == NULL);
    /* the exported function outlives its instance object... */
    {
        wasm_val_t a[2] = { WASM_I32_VAL(1), WASM_I32_VAL(2) };
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
        CHECK(wasm_func_call(add, &args, &res) == NULL && r[0].of.i32 == 3);
    }
    /* ...but not its store */
    wasm_store_delete(s);
    expect_call_refused(add, "stale handle");
    CHECK(wasm_extern_kind(ex.data[1]) == 0);
    {
        wasm_byte_vec_t empty = WASM_EMPTY_VEC;
        CHECK(wasm_module_new(s, &empty) == NULL);
    }
    wasm_store_delete(s);
    wasm_extern_vec_delete(&ex); /* elements are stale: each delete is refused quietly */
    log = capture_end(0);
    expect_reported(log, "wasm_func_call: stale handle");
    expect_reported(log, "wasm_func_delete: stale handle");
    expect_reported(log, "wasm_instance_exports: stale handle");
    expect_reported(log, "wasm_instance_new: stale handle");
    expect_reported(log, "wasm_extern_kind: stale handle");
    expect_reported(log, "wasm_store_delete: stale handle");
    free(log);
    check_still_usable();
}

static void
test_bit_flips(void)
{
    wasm_func_t *f = make_func(store_a);
    wasm_extern_t *e = wasm_func_as_extern(f);
    int bit, accepted = 0;
    printf("case 10: every single-bit flip of a live handle is refused...\n");
    capture_begin(1);
    for (bit = 0; bit < 64; bit++) {
        uintptr_t h = (uintptr_t)f ^ ((uintptr_t)1 << bit);
        uintptr_t x = (uintptr_t)e ^ ((uintptr_t)1 << bit);
        accepted += wasm_func_param_arity((wasm_func_t *)h) != 0;
        accepted += wasm_extern_kind((wasm_extern_t *)x) == WASM_EXTERN_FUNC
                    && wasm_extern_as_func((wasm_extern_t *)x) != NULL;
    }
    capture_end(1);
    CHECK(accepted == 0);
    CHECK(wasm_func_param_arity(f) == 1); /* the original still works */
    wasm_func_delete(f);
}

static void
test_cross_store(void)
{
    wasm_module_t *ma = load_module(store_a, "lib.wasm");
    wasm_module_t *user_b = load_module(store_b, "user.wasm");
    wasm_extern_vec_t none = WASM_EMPTY_VEC, ex_a;
    wasm_instance_t *ia = wasm_instance_new(store_a, ma, &none, NULL);
    wasm_func_t *fb = make_func(store_b);
    wasm_foreign_t *foreign_b = wasm_foreign_new(store_b);
    wasm_trap_t *trap = NULL;
    char *log;
    CHECK(ia && fb && foreign_b);
    wasm_instance_exports(ia, &ex_a);

    printf("case 11: objects of another store are refused...\n");
    capture_begin(0);
    CHECK(wasm_instance_new(store_b, ma, &none, NULL) == NULL);  /* module of A in B */
    {
        /* B's instance importing A's exports */
        wasm_extern_t *imports[] = { ex_a.data[0], ex_a.data[1], ex_a.data[2], ex_a.data[3] };
        wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
        CHECK(wasm_instance_new(store_b, user_b, &iv, &trap) == NULL);
        CHECK(trap != NULL);
        wasm_trap_delete(trap);
    }
    /* A's table set to a function of B */
    CHECK(!wasm_table_set(wasm_extern_as_table(ex_a.data[3]), 1, wasm_func_as_ref(fb)));
    CHECK(!wasm_table_grow(wasm_extern_as_table(ex_a.data[3]), 1, wasm_func_as_ref(fb)));
    {
        /* a global of A initialised with a reference of B */
        wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_anyref(), WASM_VAR);
        wasm_val_t v = WASM_REF_VAL(wasm_foreign_as_ref(foreign_b));
        CHECK(wasm_global_new(store_a, gt, &v) == NULL);
        wasm_globaltype_delete(gt);
    }
    {
        /* a function of A called with a reference of B */
        wasm_functype_t *ft = wasm_functype_new_1_1(wasm_valtype_new_anyref(), wasm_valtype_new_anyref());
        wasm_func_t *fa = wasm_func_new(store_a, ft, id_callback);
        wasm_val_t a[1] = { WASM_REF_VAL(wasm_foreign_as_ref(foreign_b)) };
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
        wasm_trap_t *t = wasm_func_call(fa, &args, &res);
        CHECK(t != NULL);
        wasm_trap_delete(t);
        wasm_func_delete(fa);
        wasm_functype_delete(ft);
    }
    log = capture_end(0);
    expect_reported(log, "wasm_instance_new: handle belongs to another store or engine");
    expect_reported(log, "wasm_table_set: handle belongs to another store or engine");
    expect_reported(log, "wasm_global_new: handle belongs to another store or engine");
    free(log);

    wasm_extern_vec_delete(&ex_a);
    wasm_foreign_delete(foreign_b);
    wasm_func_delete(fb);
    wasm_instance_delete(ia);
    wasm_module_delete(ma);
    wasm_module_delete(user_b);
    check_still_usable();
}

static void
test_vectors_and_config(void)
{
    char *log;
    printf("vector and configuration misuse...\n");
    capture_begin(0);
    {
        wasm_val_t vals[2] = { WASM_I32_VAL(1), WASM_I32_VAL(2) };
        wasm_val_vec_t stack_vec = WASM_ARRAY_VEC(vals);
        wasm_val_vec_delete(&stack_vec); /* not ours: refused, the stack is untouched */
        CHECK(vals[1].of.i32 == 2);
    }
    {
        wasm_byte_vec_t v, stale;
        wasm_byte_vec_new_uninitialized(&v, 16);
        stale = v;
        wasm_byte_vec_delete(&v);
        CHECK(v.data == NULL && v.size == 0);
        wasm_byte_vec_delete(&v);     /* double delete: a no-op */
        wasm_byte_vec_delete(&stale); /* a stale copy: refused */
    }
    {
        wasm_functype_t *ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
        wasm_valtype_vec_t *params = (wasm_valtype_vec_t *)wasm_functype_params(ft);
        wasm_valtype_vec_delete(params); /* owned by the functype: refused */
        CHECK(wasm_functype_params(ft)->size == 1);
        wasm_functype_delete(ft);
    }
    {
        wasm_config_t *c = wasm_config_new();
        wasm_config_t fake;
        wasm_config_delete(c);
        wasm_config_delete(c); /* double delete: refused */
        memset(&fake, 0, sizeof(fake));
        CHECK(wasm_config_set_segue_flags(&fake, 1) == NULL);
        CHECK(wasm_engine_new_with_config(&fake) == NULL);
    }
    log = capture_end(0);
    expect_reported(log, "wasm_val_vec_delete: vector data was not allocated by this runtime");
    expect_reported(log, "wasm_byte_vec_delete: vector data was not allocated by this runtime");
    expect_reported(log, "wasm_valtype_vec_delete: vector data was not allocated by this runtime");
    expect_reported(log, "wasm_config_delete: not a config created by wasm_config_new");
    expect_reported(log, "wasm_config_set_segue_flags: not a config created by wasm_config_new");
    free(log);
}

int
main(void)
{
    /* Refused calls are reported in the runtime's log at debug level (WAMR prints nothing
     * for them at its default level): ask for it, as `iwasm -v=3` would. */
    bh_log_set_verbose_level(3);
    engine = wasm_engine_new();
    store_a = wasm_store_new(engine);
    store_b = wasm_store_new(engine);
    CHECK(engine && store_a && store_b);

    test_forged();
    test_type_confusion();
    test_use_after_delete();
    test_bit_flips();
    test_cross_store();
    test_vectors_and_config();

    wasm_store_delete(store_a);
    wasm_store_delete(store_b);
    wasm_engine_delete(engine);
    printf("%d checks passed\n", checks_passed);
    printf("Done.\n");
    return 0;
}
