/* global: imported and exported globals, read and written by the host and by WebAssembly;
   writes to constant globals are refused. */
#include "example.h"

static float
call_f32(const wasm_func_t *f)
{
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(r);
    CHECK(wasm_func_call(f, &args, &res) == NULL);
    CHECK(r[0].kind == WASM_F32);
    return r[0].of.f32;
}

static int64_t
call_i64(const wasm_func_t *f)
{
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_EMPTY_VEC, res = WASM_ARRAY_VEC(r);
    CHECK(wasm_func_call(f, &args, &res) == NULL);
    CHECK(r[0].kind == WASM_I64);
    return r[0].of.i64;
}

static void
call_set(const wasm_func_t *f, wasm_val_t v)
{
    wasm_val_t a[1];
    wasm_val_vec_t args, res = WASM_EMPTY_VEC;
    a[0] = v;
    args.size = 1;
    args.data = a;
    args.num_elems = 1;
    args.size_of_elem = sizeof(wasm_val_t);
    args.lock = NULL;
    CHECK(wasm_func_call(f, &args, &res) == NULL);
}

static float
get_f32(const wasm_global_t *g)
{
    wasm_val_t v;
    wasm_global_get(g, &v);
    CHECK(v.kind == WASM_F32);
    return v.of.f32;
}

static int64_t
get_i64(const wasm_global_t *g)
{
    wasm_val_t v;
    wasm_global_get(g, &v);
    CHECK(v.kind == WASM_I64);
    return v.of.i64;
}

static wasm_global_t *
make_global(wasm_store_t *store, wasm_valkind_t kind, wasm_mutability_t mut, wasm_val_t v)
{
    wasm_globaltype_t *t = wasm_globaltype_new(wasm_valtype_new(kind), mut);
    wasm_global_t *g;
    CHECK(t);
    CHECK(wasm_globaltype_mutability(t) == mut);
    CHECK(wasm_valtype_kind(wasm_globaltype_content(t)) == kind);
    g = wasm_global_new(store, t, &v);
    CHECK(g);
    wasm_globaltype_delete(t);
    return g;
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_global_t *c_f32_in, *c_i64_in, *v_f32_in, *v_i64_in;
    wasm_global_t *c_f32_out, *c_i64_out, *v_f32_out, *v_i64_out;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;
    const wasm_func_t *get_c_f32_in, *get_c_i64_in, *get_v_f32_in, *get_v_i64_in;
    const wasm_func_t *get_c_f32_out, *get_c_i64_out, *get_v_f32_out, *get_v_i64_out;
    const wasm_func_t *set_v_f32_in, *set_v_i64_in, *set_v_f32_out, *set_v_i64_out;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("global.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Creating globals...\n");
    c_f32_in = make_global(store, WASM_F32, WASM_CONST, (wasm_val_t)WASM_F32_VAL(1));
    c_i64_in = make_global(store, WASM_I64, WASM_CONST, (wasm_val_t)WASM_I64_VAL(2));
    v_f32_in = make_global(store, WASM_F32, WASM_VAR, (wasm_val_t)WASM_F32_VAL(3));
    v_i64_in = make_global(store, WASM_I64, WASM_VAR, (wasm_val_t)WASM_I64_VAL(4));

    printf("A value of the wrong kind is refused...\n");
    {
        wasm_globaltype_t *t = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
        wasm_val_t v = WASM_F64_VAL(1.5);
        CHECK(wasm_global_new(store, t, &v) == NULL);
        wasm_globaltype_delete(t);
    }

    printf("Instantiating module...\n");
    {
        wasm_extern_t *externs[] = {
            wasm_global_as_extern(c_f32_in), wasm_global_as_extern(c_i64_in),
            wasm_global_as_extern(v_f32_in), wasm_global_as_extern(v_i64_in),
        };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }

    printf("Extracting exports...\n");
    wasm_instance_exports(instance, &exports);
    CHECK(exports.size == 16);
    c_f32_out = export_global(&exports, 0);
    c_i64_out = export_global(&exports, 1);
    v_f32_out = export_global(&exports, 2);
    v_i64_out = export_global(&exports, 3);
    get_c_f32_in = export_func(&exports, 4);
    get_c_i64_in = export_func(&exports, 5);
    get_v_f32_in = export_func(&exports, 6);
    get_v_i64_in = export_func(&exports, 7);
    get_c_f32_out = export_func(&exports, 8);
    get_c_i64_out = export_func(&exports, 9);
    get_v_f32_out = export_func(&exports, 10);
    get_v_i64_out = export_func(&exports, 11);
    set_v_f32_in = export_func(&exports, 12);
    set_v_i64_in = export_func(&exports, 13);
    set_v_f32_out = export_func(&exports, 14);
    set_v_i64_out = export_func(&exports, 15);

    printf("Checking types...\n");
    {
        wasm_globaltype_t *t = wasm_global_type(v_i64_out);
        CHECK(wasm_globaltype_mutability(t) == WASM_VAR);
        CHECK(wasm_valtype_kind(wasm_globaltype_content(t)) == WASM_I64);
        wasm_globaltype_delete(t);
        t = wasm_global_type(c_f32_out);
        CHECK(wasm_globaltype_mutability(t) == WASM_CONST);
        CHECK(wasm_valtype_kind(wasm_globaltype_content(t)) == WASM_F32);
        wasm_globaltype_delete(t);
    }

    printf("Accessing globals...\n");
    CHECK(get_f32(c_f32_in) == 1 && call_f32(get_c_f32_in) == 1);
    CHECK(get_i64(c_i64_in) == 2 && call_i64(get_c_i64_in) == 2);
    CHECK(get_f32(v_f32_in) == 3 && call_f32(get_v_f32_in) == 3);
    CHECK(get_i64(v_i64_in) == 4 && call_i64(get_v_i64_in) == 4);
    CHECK(get_f32(c_f32_out) == 5 && call_f32(get_c_f32_out) == 5);
    CHECK(get_i64(c_i64_out) == 6 && call_i64(get_c_i64_out) == 6);
    CHECK(get_f32(v_f32_out) == 7 && call_f32(get_v_f32_out) == 7);
    CHECK(get_i64(v_i64_out) == 8 && call_i64(get_v_i64_out) == 8);

    printf("Modifying globals from the host...\n");
    {
        wasm_val_t a = WASM_F32_VAL(33), b = WASM_I64_VAL(34);
        wasm_val_t c = WASM_F32_VAL(37), d = WASM_I64_VAL(38);
        wasm_global_set(v_f32_in, &a);
        wasm_global_set(v_i64_in, &b);
        wasm_global_set(v_f32_out, &c);
        wasm_global_set(v_i64_out, &d);
    }
    CHECK(get_f32(v_f32_in) == 33 && call_f32(get_v_f32_in) == 33);
    CHECK(get_i64(v_i64_in) == 34 && call_i64(get_v_i64_in) == 34);
    CHECK(get_f32(v_f32_out) == 37 && call_f32(get_v_f32_out) == 37);
    CHECK(get_i64(v_i64_out) == 38 && call_i64(get_v_i64_out) == 38);

    printf("Modifying globals from WebAssembly...\n");
    call_set(set_v_f32_in, (wasm_val_t)WASM_F32_VAL(73));
    call_set(set_v_i64_in, (wasm_val_t)WASM_I64_VAL(74));
    call_set(set_v_f32_out, (wasm_val_t)WASM_F32_VAL(77));
    call_set(set_v_i64_out, (wasm_val_t)WASM_I64_VAL(78));
    CHECK(get_f32(v_f32_in) == 73 && call_f32(get_v_f32_in) == 73);
    CHECK(get_i64(v_i64_in) == 74 && call_i64(get_v_i64_in) == 74);
    CHECK(get_f32(v_f32_out) == 77 && call_f32(get_v_f32_out) == 77);
    CHECK(get_i64(v_i64_out) == 78 && call_i64(get_v_i64_out) == 78);

    printf("Constant globals stay constant...\n");
    {
        wasm_val_t a = WASM_F32_VAL(99), b = WASM_F32_VAL(99);
        wasm_global_set(c_f32_in, &a);
        wasm_global_set(c_f32_out, &b);
    }
    CHECK(get_f32(c_f32_in) == 1 && call_f32(get_c_f32_in) == 1);
    CHECK(get_f32(c_f32_out) == 5 && call_f32(get_c_f32_out) == 5);

    printf("Wrong value kinds are refused...\n");
    {
        wasm_val_t a = WASM_I32_VAL(1);
        wasm_global_set(v_f32_out, &a);
        CHECK(get_f32(v_f32_out) == 77);
    }

    wasm_global_delete(c_f32_in);
    wasm_global_delete(c_i64_in);
    wasm_global_delete(v_f32_in);
    wasm_global_delete(v_i64_in);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_module_delete(module);

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
